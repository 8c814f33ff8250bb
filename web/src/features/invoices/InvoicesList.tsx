import type { Invoice } from '@huikuan/core/contracts';
import { Checkbox, Flex, Input, Select, Table, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useT } from '../../app/locale';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { LoadMore } from '../../ui/LoadMore';
import { MoneyText } from '../../ui/MoneyText';
import { CustomerSelect } from '../customers/CustomerSelect';
import { useInvoicesPages, type InvoiceFilters, type InvoiceStatusFilter } from './api';
import { InvoiceStatusTag } from './labels';
import { ExportButton } from '../../ui/ExportButton';

function useInvoiceColumns(showCustomer: boolean): TableColumnsType<Invoice> {
  const t = useT();
  return useMemo(() => {
    const columns: TableColumnsType<Invoice> = [
      {
        key: 'number',
        title: t('invoices.number'),
        render: (_, i) => (
          <Link to={`/invoices/${i.id}`} data-testid={`invoice-link-${i.number}`}>
            {i.number}
          </Link>
        ),
      },
      {
        key: 'customer',
        title: t('invoices.customer'),
        render: (_, i) => (
          <Link to={`/customers/${i.customerId}`}>{`${i.customerCode} · ${i.customerName}`}</Link>
        ),
      },
      { key: 'date', title: t('invoices.invoiceDate'), render: (_, i) => <DateText value={i.invoiceDate} /> },
      { key: 'due', title: t('invoices.dueDate'), render: (_, i) => <DateText value={i.dueDate} /> },
      {
        key: 'total',
        title: t('invoices.total'),
        align: 'right',
        render: (_, i) => <MoneyText amount={i.total} currency={i.currency} />,
      },
      {
        key: 'open',
        title: t('invoices.open'),
        align: 'right',
        render: (_, i) => (i.open === null ? '—' : <MoneyText amount={i.open} currency={i.currency} />),
      },
      { key: 'status', title: t('common.status'), render: (_, i) => <InvoiceStatusTag invoice={i} /> },
    ];
    return showCustomer ? columns : columns.filter((column) => column.key !== 'customer');
  }, [t, showCustomer]);
}

type InvoicesListProps = { customerId?: string; contractId?: string };

/** Invoices with filters; overdue rows are tinted so they catch the eye. Fixed to a customer or contract when given. */
export function InvoicesList({ customerId, contractId }: InvoicesListProps) {
  const t = useT();
  const [filters, setFilters] = useState<InvoiceFilters>({
    search: '',
    customerId: customerId ?? null,
    contractId: contractId ?? null,
    status: null,
    overdue: null,
  });
  const update = (patch: Partial<InvoiceFilters>) => setFilters({ ...filters, ...patch });
  const pages = useInvoicesPages(filters);
  const invoices = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);
  const columns = useInvoiceColumns(customerId === undefined);
  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap align="center">
        <Input.Search
          allowClear
          placeholder={t('invoices.searchPlaceholder')}
          style={{ width: 220 }}
          onSearch={(search) => update({ search: search.trim() })}
          data-testid="invoices-search"
        />
        {customerId === undefined && contractId === undefined ? (
          <CustomerSelect
            style={{ width: 240 }}
            placeholder={t('invoices.customer')}
            value={filters.customerId}
            onChange={(id) => update({ customerId: id })}
          />
        ) : null}
        <Select<InvoiceStatusFilter>
          allowClear
          placeholder={t('common.status')}
          style={{ width: 140 }}
          options={(['draft', 'issued', 'void'] as const).map((value) => ({
            value,
            label: t(`invoices.status.${value}`),
          }))}
          onChange={(status) => update({ status: status ?? null })}
        />
        <Checkbox onChange={(event) => update({ overdue: event.target.checked ? 'true' : null })}>
          {t('invoices.overdueOnly')}
        </Checkbox>
        <ExportButton path="/api/invoices" filters={filters} testId="invoices-export" />
      </Flex>
      {pages.isError ? <ErrorAlert error={pages.error} onRetry={() => void pages.refetch()} /> : null}
      <div data-testid="invoices-table">
        <Table<Invoice>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={invoices}
          loading={pages.isPending || (pages.isFetching && !pages.isFetchingNextPage)}
          pagination={false}
          scroll={{ x: 'max-content' }}
          onRow={(invoice) => (invoice.isOverdue ? { style: { background: '#fff1f0' } } : {})}
        />
      </div>
      <LoadMore
        hasNextPage={pages.hasNextPage}
        isFetchingNextPage={pages.isFetchingNextPage}
        onLoadMore={() => void pages.fetchNextPage()}
        testId="invoices-load-more"
      />
    </Flex>
  );
}
