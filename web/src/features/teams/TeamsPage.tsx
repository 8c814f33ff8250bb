import { PlusOutlined } from '@ant-design/icons';
import type { Team } from '@huikuan/core/contracts';
import { App, Button, Card, Empty, Flex, Popconfirm, Table, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useT } from '../../app/locale';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useErrorText } from '../../ui/errors';
import { Page } from '../../ui/Page';
import { useUserOptions } from '../users/api';
import { useDeleteTeam, useTeams } from './api';
import { TeamFormModal } from './TeamFormModal';

/** Which team is open in the form: none, a new one, or an existing one. */
type Editing = { kind: 'closed' } | { kind: 'new' } | { kind: 'existing'; team: Team };

function useDeleteWithFeedback() {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const mutation = useDeleteTeam();
  const remove = (team: Team) =>
    mutation.mutate(team.id, {
      onSuccess: () => void message.success(t('teams.deleted')),
      onError: (error) => void message.error(errorText(error)),
    });
  return { remove, deletingId: mutation.isPending ? (mutation.variables ?? null) : null };
}

function useTeamColumns(teams: readonly Team[], onEdit: (team: Team) => void): TableColumnsType<Team> {
  const t = useT();
  const users = useUserOptions();
  const { remove, deletingId } = useDeleteWithFeedback();
  const teamNames = new Map(teams.map((team) => [team.id, team.name]));
  const userNames = new Map((users.data ?? []).map((user) => [user.id, user.name]));
  const nameOr = (names: Map<string, string>, id: string | null) =>
    id === null ? '—' : (names.get(id) ?? id.slice(0, 8));
  return [
    { key: 'name', title: t('teams.name'), dataIndex: 'name' },
    { key: 'parent', title: t('teams.parent'), render: (_, team) => nameOr(teamNames, team.parentId) },
    { key: 'manager', title: t('teams.manager'), render: (_, team) => nameOr(userNames, team.managerUserId) },
    { key: 'members', title: t('teams.members'), dataIndex: 'memberCount', align: 'right' },
    {
      key: 'created',
      title: t('common.createdAt'),
      render: (_, team) => <DateText value={team.createdAt} />,
    },
    {
      key: 'actions',
      title: t('common.actions'),
      render: (_, team) => (
        <Flex gap={8}>
          <Button size="small" onClick={() => onEdit(team)} data-testid={`team-edit-${team.name}`}>
            {t('common.edit')}
          </Button>
          <Popconfirm title={t('common.confirmDelete')} onConfirm={() => remove(team)}>
            <Button
              size="small"
              danger
              loading={deletingId === team.id}
              data-testid={`team-delete-${team.name}`}
            >
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </Flex>
      ),
    },
  ];
}

export function TeamsPage() {
  const t = useT();
  const teamsQuery = useTeams();
  const teams = useMemo(() => teamsQuery.data ?? [], [teamsQuery.data]);
  const [editing, setEditing] = useState<Editing>({ kind: 'closed' });
  const columns = useTeamColumns(teams, (team) => setEditing({ kind: 'existing', team }));

  return (
    <Page
      title={t('teams.title')}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setEditing({ kind: 'new' })}
          data-testid="team-create"
        >
          {t('common.create')}
        </Button>
      }
    >
      <Card>
        {teamsQuery.isError ? (
          <ErrorAlert error={teamsQuery.error} onRetry={() => void teamsQuery.refetch()} />
        ) : null}
        <div data-testid="teams-table">
          <Table<Team>
            rowKey="id"
            columns={columns}
            dataSource={teams}
            loading={teamsQuery.isPending}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            locale={{ emptyText: <Empty description={t('teams.empty')} /> }}
            scroll={{ x: 'max-content' }}
          />
        </div>
      </Card>
      {editing.kind === 'closed' ? null : (
        <TeamFormModal
          team={editing.kind === 'existing' ? editing.team : null}
          teams={teams}
          onClose={() => setEditing({ kind: 'closed' })}
        />
      )}
    </Page>
  );
}
