import type { SalesContract } from '@huikuan/core/contracts';
import { Flex, Input, Select, Table, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useT } from '../../app/locale';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { LoadMore } from '../../ui/LoadMore';
import { MoneyText } from '../../ui/MoneyText';
import { useContractsPages, type ContractFilters, type ContractStatus } from './api';
import { ContractStatusTag } from './labels';
import { ExportButton } from '../../ui/ExportButton';

function useContractColumns(showCustomer: boolean): TableColumnsType<SalesContract> {
  const t = useT();
  return useMemo(() => {
    const columns: TableColumnsType<SalesContract> = [
      {
        key: 'number',
        title: t('contracts.number'),
        render: (_, c) => <Link to={`/contracts/${c.id}`}>{c.number}</Link>,
      },
      { key: 'title', title: t('contracts.title'), render: (_, c) => c.title ?? '—' },
      {
        key: 'customer',
        title: t('contracts.customer'),
        render: (_, c) => (
          <Link to={`/customers/${c.customerId}`}>{`${c.customerCode} · ${c.customerName}`}</Link>
        ),
      },
      {
        key: 'amount',
        title: t('contracts.amount'),
        align: 'right',
        render: (_, c) => <MoneyText amount={c.amount} currency={c.currency} />,
      },
      { key: 'signedOn', title: t('contracts.signedOn'), render: (_, c) => <DateText value={c.signedOn} /> },
      {
        key: 'terms',
        title: t('contracts.paymentTermsDays'),
        render: (_, c) => t('common.daysCount', { days: c.paymentTermsDays }),
      },
      { key: 'status', title: t('common.status'), render: (_, c) => <ContractStatusTag status={c.status} /> },
    ];
    return showCustomer ? columns : columns.filter((column) => column.key !== 'customer');
  }, [t, showCustomer]);
}

/** Contracts with search and status filters; on a customer's page it lists only that customer's. */
export function ContractsList({ customerId }: { customerId?: string }) {
  const t = useT();
  const [filters, setFilters] = useState<ContractFilters>({
    search: '',
    customerId: customerId ?? null,
    status: null,
  });
  const pages = useContractsPages(filters);
  const contracts = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);
  const columns = useContractColumns(customerId === undefined);
  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap>
        <Input.Search
          allowClear
          placeholder={t('contracts.searchPlaceholder')}
          style={{ width: 260 }}
          onSearch={(search) => setFilters({ ...filters, search: search.trim() })}
          data-testid="contracts-search"
        />
        <Select<ContractStatus>
          allowClear
          placeholder={t('common.status')}
          style={{ width: 160 }}
          options={(['active', 'closed', 'cancelled'] as const).map((value) => ({
            value,
            label: t(`contracts.status.${value}`),
          }))}
          onChange={(status) => setFilters({ ...filters, status: status ?? null })}
        />
        <ExportButton path="/api/contracts" filters={filters} testId="contracts-export" />
      </Flex>
      {pages.isError ? <ErrorAlert error={pages.error} onRetry={() => void pages.refetch()} /> : null}
      <div data-testid="contracts-table">
        <Table<SalesContract>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={contracts}
          loading={pages.isPending || (pages.isFetching && !pages.isFetchingNextPage)}
          pagination={false}
          scroll={{ x: 'max-content' }}
        />
      </div>
      <LoadMore
        hasNextPage={pages.hasNextPage}
        isFetchingNextPage={pages.isFetchingNextPage}
        onLoadMore={() => void pages.fetchNextPage()}
        testId="contracts-load-more"
      />
    </Flex>
  );
}
