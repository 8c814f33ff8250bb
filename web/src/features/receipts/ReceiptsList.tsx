import type { Receipt } from '@huikuan/core/contracts';
import { Button, Checkbox, DatePicker, Flex, Select, Table, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useT } from '../../app/locale';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { LoadMore } from '../../ui/LoadMore';
import { MoneyText } from '../../ui/MoneyText';
import { CustomerSelect } from '../customers/CustomerSelect';
import { NO_RECEIPT_FILTERS, useReceiptsPages, type ReceiptFilters, type ReceiptStatus } from './api';
import { ReceiptStatusTag, useMethodLabel, useMethodOptions } from './labels';
import { ExportButton } from '../../ui/ExportButton';

function useReceiptColumns(options: { showCustomer: boolean; onClaim?: (receipt: Receipt) => void }) {
  const t = useT();
  const methodLabel = useMethodLabel();
  const { showCustomer, onClaim } = options;
  return useMemo(() => {
    const columns: TableColumnsType<Receipt> = [
      {
        key: 'receivedOn',
        title: t('receipts.receivedOn'),
        render: (_, r) => (
          <Link to={`/receipts/${r.id}`} data-testid={`receipt-link-${r.bankReference ?? r.id}`}>
            <DateText value={r.receivedOn} />
          </Link>
        ),
      },
      {
        key: 'customer',
        title: t('receipts.customer'),
        render: (_, r) =>
          r.customerId === null ? (
            t('receipts.pool')
          ) : (
            <Link
              to={`/customers/${r.customerId}`}
            >{`${r.customerCode ?? ''} · ${r.customerName ?? ''}`}</Link>
          ),
      },
      {
        key: 'amount',
        title: t('receipts.amount'),
        align: 'right',
        render: (_, r) => <MoneyText amount={r.amount} currency={r.currency} />,
      },
      {
        key: 'unapplied',
        title: t('receipts.unapplied'),
        align: 'right',
        render: (_, r) => <MoneyText amount={r.unapplied} currency={r.currency} />,
      },
      { key: 'method', title: t('receipts.method'), render: (_, r) => methodLabel(r.method) },
      { key: 'payer', title: t('receipts.payerName'), render: (_, r) => r.payerName ?? '—' },
      { key: 'reference', title: t('receipts.bankReference'), render: (_, r) => r.bankReference ?? '—' },
      { key: 'status', title: t('common.status'), render: (_, r) => <ReceiptStatusTag status={r.status} /> },
    ];
    if (onClaim !== undefined)
      columns.push({
        key: 'claim',
        title: t('common.actions'),
        render: (_, r) => (
          <Button
            size="small"
            type="primary"
            onClick={() => onClaim(r)}
            data-testid={`claim-open-${r.bankReference ?? r.id}`}
          >
            {t('claims.claim')}
          </Button>
        ),
      });
    return showCustomer ? columns : columns.filter((column) => column.key !== 'customer');
  }, [t, methodLabel, showCustomer, onClaim]);
}

type ReceiptsListProps = {
  customerId?: string;
  /** The claim pool: receipts without a customer, each with a "claim" action. */
  onClaim?: (receipt: Receipt) => void;
};

export function ReceiptsList({ customerId, onClaim }: ReceiptsListProps) {
  const t = useT();
  const methodOptions = useMethodOptions();
  const isPool = onClaim !== undefined;
  const [filters, setFilters] = useState<ReceiptFilters>({
    ...NO_RECEIPT_FILTERS,
    customerId: customerId ?? null,
    pool: isPool ? 'true' : null,
  });
  const update = (patch: Partial<ReceiptFilters>) => setFilters({ ...filters, ...patch });
  const pages = useReceiptsPages(filters);
  const receipts = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);
  const columns = useReceiptColumns({ showCustomer: customerId === undefined && !isPool, onClaim });
  const onRange = (values: [Dayjs | null, Dayjs | null] | null) =>
    update({
      receivedFrom: values?.[0]?.format('YYYY-MM-DD') ?? null,
      receivedTo: values?.[1]?.format('YYYY-MM-DD') ?? null,
    });
  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap align="center">
        {customerId === undefined && !isPool ? (
          <CustomerSelect
            style={{ width: 240 }}
            placeholder={t('receipts.customer')}
            value={filters.customerId}
            onChange={(id) => update({ customerId: id })}
          />
        ) : null}
        <Select<ReceiptStatus>
          allowClear
          placeholder={t('common.status')}
          style={{ width: 140 }}
          options={(['pending', 'confirmed', 'reversed'] as const).map((value) => ({
            value,
            label: t(`receipts.status.${value}`),
          }))}
          onChange={(status) => update({ status: status ?? null })}
          data-testid="receipts-status-filter"
        />
        <Select<string>
          allowClear
          placeholder={t('receipts.method')}
          style={{ width: 160 }}
          options={methodOptions}
          onChange={(method) => update({ method: method ?? null })}
        />
        <DatePicker.RangePicker allowEmpty={[true, true]} onChange={onRange} />
        {isPool ? null : (
          <Checkbox onChange={(event) => update({ unallocatedOnly: event.target.checked ? 'true' : null })}>
            {t('receipts.unallocatedOnly')}
          </Checkbox>
        )}
        <ExportButton path="/api/receipts" filters={filters} testId="receipts-export" />
      </Flex>
      {pages.isError ? <ErrorAlert error={pages.error} onRetry={() => void pages.refetch()} /> : null}
      <div data-testid={isPool ? 'claim-pool-table' : 'receipts-table'}>
        <Table<Receipt>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={receipts}
          loading={pages.isPending || (pages.isFetching && !pages.isFetchingNextPage)}
          pagination={false}
          scroll={{ x: 'max-content' }}
        />
      </div>
      <LoadMore
        hasNextPage={pages.hasNextPage}
        isFetchingNextPage={pages.isFetchingNextPage}
        onLoadMore={() => void pages.fetchNextPage()}
        testId="receipts-load-more"
      />
    </Flex>
  );
}
