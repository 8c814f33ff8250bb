import { useT } from '../../app/locale';
import { useCan } from '../../app/session';
import { Page } from '../../ui/Page';
import { InvitationsCard } from './InvitationsCard';
import { useTeamLookup } from './team-names';
import { UsersCard } from './UsersCard';

export function UsersPage() {
  const t = useT();
  const canManage = useCan()('users.manage');
  const lookup = useTeamLookup();
  return (
    <Page title={t('users.title')}>
      <UsersCard lookup={lookup} />
      {canManage ? <InvitationsCard lookup={lookup} /> : null}
    </Page>
  );
}
