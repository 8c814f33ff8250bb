import { UserAddOutlined } from '@ant-design/icons';
import type { Invitation } from '@huikuan/core/contracts';
import { App, Button, Card, Popconfirm, Table, Tag, type TableColumnsType } from 'antd';
import { useState } from 'react';
import type { MessageKey } from '../../app/i18n';
import { useT } from '../../app/locale';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useErrorText } from '../../ui/errors';
import { useRoleLabel } from '../../ui/roles';
import { useInvitations, useRevokeInvitation } from './api';
import { InviteModal } from './InviteModal';
import type { TeamLookup } from './team-names';

type InvitationStatus = Invitation['status'];

const STATUS_COLORS: Record<InvitationStatus, string> = {
  pending: 'blue',
  accepted: 'green',
  revoked: 'default',
  expired: 'orange',
};

function statusKey(status: InvitationStatus): MessageKey {
  return `invitations.status.${status}`;
}

function useRevoke(): { revoke: (invitation: Invitation) => void; revokingId: string | null } {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const mutation = useRevokeInvitation();
  const revoke = (invitation: Invitation) =>
    mutation.mutate(invitation.id, {
      onSuccess: () => void message.success(t('invitations.revoked')),
      onError: (error) => void message.error(errorText(error)),
    });
  return { revoke, revokingId: mutation.isPending ? (mutation.variables ?? null) : null };
}

function useInvitationColumns(lookup: TeamLookup): TableColumnsType<Invitation> {
  const t = useT();
  const roleLabel = useRoleLabel();
  const { revoke, revokingId } = useRevoke();
  return [
    { key: 'email', title: t('invitations.email'), dataIndex: 'email' },
    { key: 'role', title: t('invitations.role'), render: (_, invitation) => roleLabel(invitation.role) },
    {
      key: 'team',
      title: t('invitations.team'),
      render: (_, invitation) => lookup.nameOf(invitation.teamId) ?? '—',
    },
    {
      key: 'status',
      title: t('invitations.status'),
      render: (_, invitation) => (
        <Tag color={STATUS_COLORS[invitation.status]}>{t(statusKey(invitation.status))}</Tag>
      ),
    },
    {
      key: 'expires',
      title: t('invitations.expiresAt'),
      render: (_, invitation) => <DateText value={invitation.expiresAt} />,
    },
    {
      key: 'created',
      title: t('common.createdAt'),
      render: (_, invitation) => <DateText value={invitation.createdAt} />,
    },
    {
      key: 'actions',
      title: t('common.actions'),
      render: (_, invitation) =>
        invitation.status === 'pending' ? (
          <Popconfirm title={t('common.confirmRevoke')} onConfirm={() => revoke(invitation)}>
            <Button
              size="small"
              danger
              loading={revokingId === invitation.id}
              data-testid={`invitation-revoke-${invitation.email}`}
            >
              {t('common.revoke')}
            </Button>
          </Popconfirm>
        ) : null,
    },
  ];
}

export function InvitationsCard({ lookup }: { lookup: TeamLookup }) {
  const t = useT();
  const invitations = useInvitations({ enabled: true });
  const columns = useInvitationColumns(lookup);
  const [isInviting, setInviting] = useState(false);
  return (
    <Card
      title={t('invitations.card')}
      extra={
        <Button
          type="primary"
          icon={<UserAddOutlined />}
          onClick={() => setInviting(true)}
          data-testid="invite-open"
        >
          {t('invitations.invite')}
        </Button>
      }
    >
      {invitations.isError ? (
        <ErrorAlert error={invitations.error} onRetry={() => void invitations.refetch()} />
      ) : null}
      <div data-testid="invitations-table">
        <Table<Invitation>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={invitations.data ?? []}
          loading={invitations.isPending}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
        />
      </div>
      {isInviting ? <InviteModal teams={lookup.teams} onClose={() => setInviting(false)} /> : null}
    </Card>
  );
}
