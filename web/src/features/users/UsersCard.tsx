import type { Role } from '@huikuan/core';
import type { User } from '@huikuan/core/contracts';
import { Button, Card, Flex, Input, Select, Table, Tag, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useT } from '../../app/locale';
import { useCan, useSession } from '../../app/session';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { LoadMore } from '../../ui/LoadMore';
import { useRoleLabel, useRoleOptions } from '../../ui/roles';
import { useUsersPages, type UserFilters } from './api';
import { EditUserModal } from './EditUserModal';
import type { TeamLookup } from './team-names';
import { ExportButton } from '../../ui/ExportButton';

const NO_FILTERS: UserFilters = { search: '', role: null, teamId: null };

function useUserColumns(lookup: TeamLookup, onEdit: ((user: User) => void) | null): TableColumnsType<User> {
  const t = useT();
  const roleLabel = useRoleLabel();
  const { user: me } = useSession();
  return useMemo(() => {
    const columns: TableColumnsType<User> = [
      {
        key: 'name',
        title: t('users.name'),
        render: (_, user) => (user.id === me.id ? `${user.name}${t('users.you')}` : user.name),
      },
      { key: 'email', title: t('users.email'), dataIndex: 'email' },
      { key: 'role', title: t('users.role'), render: (_, user) => roleLabel(user.role) },
      { key: 'team', title: t('users.team'), render: (_, user) => lookup.nameOf(user.teamId) ?? '—' },
      {
        key: 'active',
        title: t('common.status'),
        render: (_, user) =>
          user.isActive ? <Tag color="green">{t('users.isActive')}</Tag> : <Tag>{t('users.inactive')}</Tag>,
      },
      {
        key: 'lastLogin',
        title: t('users.lastLogin'),
        render: (_, user) => <DateText value={user.lastLoginAt} empty={t('users.neverLoggedIn')} />,
      },
    ];
    if (onEdit === null) return columns;
    const actions: TableColumnsType<User>[number] = {
      key: 'actions',
      title: t('common.actions'),
      render: (_, user) => (
        <Button size="small" onClick={() => onEdit(user)} data-testid={`user-edit-${user.email}`}>
          {t('common.edit')}
        </Button>
      ),
    };
    return [...columns, actions];
  }, [t, roleLabel, me.id, lookup, onEdit]);
}

function UserFiltersBar({
  lookup,
  onChange,
}: {
  lookup: TeamLookup;
  onChange: (filters: UserFilters) => void;
}) {
  const t = useT();
  const roleOptions = useRoleOptions();
  const [filters, setFilters] = useState<UserFilters>(NO_FILTERS);
  const update = (patch: Partial<UserFilters>) => {
    const next = { ...filters, ...patch };
    setFilters(next);
    onChange(next);
  };
  return (
    <Flex gap={8} wrap>
      <Input.Search
        allowClear
        placeholder={t('users.searchPlaceholder')}
        style={{ width: 240 }}
        onSearch={(search) => update({ search: search.trim() })}
        data-testid="users-search"
      />
      <Select<Role>
        allowClear
        placeholder={t('users.filterRole')}
        style={{ width: 180 }}
        options={roleOptions}
        onChange={(role) => update({ role: role ?? null })}
      />
      <Select<string>
        allowClear
        placeholder={t('users.filterTeam')}
        style={{ width: 180 }}
        options={lookup.teams.map((team) => ({ value: team.id, label: team.name }))}
        onChange={(teamId) => update({ teamId: teamId ?? null })}
      />
    </Flex>
  );
}

export function UsersCard({ lookup }: { lookup: TeamLookup }) {
  const t = useT();
  const canManage = useCan()('users.manage');
  const [filters, setFilters] = useState<UserFilters>(NO_FILTERS);
  const [editing, setEditing] = useState<User | null>(null);
  const pages = useUsersPages(filters);
  const users = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);
  const columns = useUserColumns(lookup, canManage ? setEditing : null);

  return (
    <Card
      title={t('users.usersCard')}
      extra={<ExportButton path="/api/users" filters={filters} testId="users-export" />}
    >
      <Flex vertical gap={16}>
        <UserFiltersBar lookup={lookup} onChange={setFilters} />
        {pages.isError ? <ErrorAlert error={pages.error} onRetry={() => void pages.refetch()} /> : null}
        <div data-testid="users-table">
          <Table<User>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={users}
            loading={pages.isPending || (pages.isFetching && !pages.isFetchingNextPage)}
            pagination={false}
            scroll={{ x: 'max-content' }}
          />
        </div>
        <LoadMore
          hasNextPage={pages.hasNextPage}
          isFetchingNextPage={pages.isFetchingNextPage}
          onLoadMore={() => void pages.fetchNextPage()}
          testId="users-load-more"
        />
      </Flex>
      {editing === null ? null : (
        <EditUserModal user={editing} teams={lookup.teams} onClose={() => setEditing(null)} />
      )}
    </Card>
  );
}
