import type { WriteOff } from '@huikuan/core/contracts';
import { Button, Card, Checkbox, Flex, Table, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useT } from '../../app/locale';
import { useSession } from '../../app/session';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { LoadMore } from '../../ui/LoadMore';
import { MoneyText } from '../../ui/MoneyText';
import { Page } from '../../ui/Page';
import { useWriteOffsPages, type WriteOffFilters } from './api';
import { RecoverModal } from './RecoverModal';

function useWriteOffColumns(onRecover: ((writeOff: WriteOff) => void) | null): TableColumnsType<WriteOff> {
  const t = useT();
  return useMemo(() => {
    const money = (pick: (w: WriteOff) => string) => (_: unknown, w: WriteOff) => (
      <MoneyText amount={pick(w)} currency={w.currency} />
    );
    const columns: TableColumnsType<WriteOff> = [
      { key: 'number', title: t('writeOffs.number'), dataIndex: 'number' },
      {
        key: 'writtenOffOn',
        title: t('writeOffs.writtenOffOn'),
        render: (_, w) => <DateText value={w.writtenOffOn} />,
      },
      {
        key: 'customer',
        title: t('writeOffs.customer'),
        render: (_, w) => <Link to={`/customers/${w.customerId}`}>{w.customerName}</Link>,
      },
      {
        key: 'invoice',
        title: t('writeOffs.invoice'),
        render: (_, w) => <Link to={`/invoices/${w.invoiceId}`}>{w.invoiceNumber}</Link>,
      },
      { key: 'amount', title: t('writeOffs.amount'), align: 'right', render: money((w) => w.amount) },
      {
        key: 'recovered',
        title: t('writeOffs.recovered'),
        align: 'right',
        render: money((w) => w.recovered),
      },
      {
        key: 'outstanding',
        title: t('writeOffs.outstanding'),
        align: 'right',
        render: money((w) => w.outstanding),
      },
      { key: 'reason', title: t('common.reason'), dataIndex: 'reason', ellipsis: true },
    ];
    if (onRecover === null) return columns;
    return [
      ...columns,
      {
        key: 'actions',
        title: t('common.actions'),
        render: (_, w) =>
          /^0(\.0+)?$/.test(w.outstanding) ? null : (
            <Button size="small" onClick={() => onRecover(w)} data-testid={`recover-${w.number}`}>
              {t('writeOffs.recover')}
            </Button>
          ),
      },
    ];
  }, [t, onRecover]);
}

/** 坏账核销台账: every approved write-off, what has come back on it, and where finance records a recovery. */
export function WriteOffsPage() {
  const t = useT();
  const { user } = useSession();
  const isFinance = user.role === 'finance' || user.role === 'admin';
  const [filters, setFilters] = useState<WriteOffFilters>({ outstandingOnly: null });
  const [recovering, setRecovering] = useState<WriteOff | null>(null);
  const pages = useWriteOffsPages(filters);
  const columns = useWriteOffColumns(isFinance ? setRecovering : null);
  const rows = pages.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Page title={t('writeOffs.title')}>
      <Card>
        <Flex vertical gap={12}>
          <Typography.Paragraph type="secondary">{t('writeOffs.intro')}</Typography.Paragraph>
          <Checkbox
            checked={filters.outstandingOnly === 'true'}
            onChange={(event) => setFilters({ outstandingOnly: event.target.checked ? 'true' : null })}
          >
            {t('writeOffs.outstandingOnly')}
          </Checkbox>
          {pages.isError ? <ErrorAlert error={pages.error} onRetry={() => void pages.refetch()} /> : null}
          <Table<WriteOff>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={rows}
            loading={pages.isPending}
            pagination={false}
            data-testid="write-offs-table"
          />
          <LoadMore
            hasNextPage={pages.hasNextPage}
            isFetchingNextPage={pages.isFetchingNextPage}
            onLoadMore={() => void pages.fetchNextPage()}
          />
        </Flex>
      </Card>
      {recovering === null ? null : (
        <RecoverModal writeOff={recovering} onClose={() => setRecovering(null)} />
      )}
    </Page>
  );
}
