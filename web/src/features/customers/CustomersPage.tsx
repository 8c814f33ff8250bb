import { PlusOutlined } from '@ant-design/icons';
import type { Customer } from '@huikuan/core/contracts';
import { Button, Card, Flex, Input, Select, Table, Tag, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useT } from '../../app/locale';
import { useCan } from '../../app/session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { LoadMore } from '../../ui/LoadMore';
import { Page } from '../../ui/Page';
import { useTeams } from '../teams/api';
import { useUserOptions } from '../users/api';
import { NO_CUSTOMER_FILTERS, useCustomersPages, type CustomerFilters } from './api';
import { CustomerFormDrawer } from './CustomerFormDrawer';
import { ExportButton } from '../../ui/ExportButton';

function useCustomerColumns(): TableColumnsType<Customer> {
  const t = useT();
  return useMemo(
    () => [
      {
        key: 'code',
        title: t('customers.code'),
        render: (_, customer) => <Link to={`/customers/${customer.id}`}>{customer.code}</Link>,
      },
      { key: 'name', title: t('customers.name'), dataIndex: 'name' },
      { key: 'owner', title: t('customers.owner'), render: (_, customer) => customer.ownerName ?? '—' },
      { key: 'team', title: t('customers.team'), render: (_, customer) => customer.teamName ?? '—' },
      { key: 'segment', title: t('customers.segment'), render: (_, customer) => customer.segment ?? '—' },
      {
        key: 'tags',
        title: t('customers.tags'),
        render: (_, customer) => customer.tags.map((tag) => <Tag key={tag}>{tag}</Tag>),
      },
      {
        key: 'terms',
        title: t('customers.paymentTermsDays'),
        render: (_, customer) => t('common.daysCount', { days: customer.paymentTermsDays }),
      },
      { key: 'currency', title: t('customers.currency'), dataIndex: 'currency' },
      {
        key: 'active',
        title: t('common.status'),
        render: (_, customer) =>
          customer.isActive ? (
            <Tag color="green">{t('customers.active')}</Tag>
          ) : (
            <Tag>{t('customers.inactive')}</Tag>
          ),
      },
    ],
    [t],
  );
}

function CustomerFiltersBar({ onChange }: { onChange: (filters: CustomerFilters) => void }) {
  const t = useT();
  const canListUsers = useCan()('users.read');
  const users = useUserOptions({ enabled: canListUsers });
  const teams = useTeams();
  const [filters, setFilters] = useState<CustomerFilters>(NO_CUSTOMER_FILTERS);
  const update = (patch: Partial<CustomerFilters>) => {
    const next = { ...filters, ...patch };
    setFilters(next);
    onChange(next);
  };
  return (
    <Flex gap={8} wrap>
      <Input.Search
        allowClear
        placeholder={t('customers.searchPlaceholder')}
        style={{ width: 260 }}
        onSearch={(search) => update({ search: search.trim() })}
        data-testid="customers-search"
      />
      {canListUsers ? (
        <Select<string>
          allowClear
          placeholder={t('customers.owner')}
          style={{ width: 180 }}
          showSearch={{ optionFilterProp: 'label' }}
          options={(users.data ?? []).map((user) => ({ value: user.id, label: user.name }))}
          onChange={(ownerUserId) => update({ ownerUserId: ownerUserId ?? null })}
        />
      ) : null}
      <Select<string>
        allowClear
        placeholder={t('customers.team')}
        style={{ width: 180 }}
        options={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
        onChange={(teamId) => update({ teamId: teamId ?? null })}
      />
      <Select<'true' | 'false' | 'all'>
        style={{ width: 140 }}
        value={filters.isActive ?? 'all'}
        options={[
          { value: 'true', label: t('customers.active') },
          { value: 'false', label: t('customers.inactive') },
          { value: 'all', label: t('common.all') },
        ]}
        onChange={(value) => update({ isActive: value === 'all' ? null : value })}
      />
    </Flex>
  );
}

export function CustomersPage() {
  const t = useT();
  const navigate = useNavigate();
  const canWrite = useCan()('records.write');
  const [filters, setFilters] = useState<CustomerFilters>(NO_CUSTOMER_FILTERS);
  const [isCreating, setCreating] = useState(false);
  const pages = useCustomersPages(filters);
  const customers = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);
  const columns = useCustomerColumns();

  return (
    <Page
      title={t('nav.customers')}
      extra={
        <Flex gap={8}>
          <ExportButton path="/api/customers" filters={filters} testId="customers-export" />
          {canWrite ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="customer-create"
            >
              {t('customers.create')}
            </Button>
          ) : null}
        </Flex>
      }
    >
      <Card>
        <Flex vertical gap={16}>
          <CustomerFiltersBar onChange={setFilters} />
          {pages.isError ? <ErrorAlert error={pages.error} onRetry={() => void pages.refetch()} /> : null}
          <div data-testid="customers-table">
            <Table<Customer>
              rowKey="id"
              size="middle"
              columns={columns}
              dataSource={customers}
              loading={pages.isPending || (pages.isFetching && !pages.isFetchingNextPage)}
              pagination={false}
              scroll={{ x: 'max-content' }}
            />
          </div>
          <LoadMore
            hasNextPage={pages.hasNextPage}
            isFetchingNextPage={pages.isFetchingNextPage}
            onLoadMore={() => void pages.fetchNextPage()}
            testId="customers-load-more"
          />
        </Flex>
      </Card>
      {isCreating ? (
        <CustomerFormDrawer
          customer={null}
          onClose={(saved) => {
            setCreating(false);
            if (saved !== null) void navigate(`/customers/${saved.id}`);
          }}
        />
      ) : null}
    </Page>
  );
}
