import type { LedgerEntry } from '@huikuan/core/contracts';
import { Alert, DatePicker, Flex, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useT } from '../../app/locale';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { MoneyText } from '../../ui/MoneyText';
import { useCustomerLedger } from './api';

const KIND_COLORS: Record<LedgerEntry['kind'], string> = {
  invoice: 'blue',
  credit_note: 'purple',
  invoice_void: 'default',
  receipt: 'green',
  receipt_reversal: 'red',
  allocation: 'cyan',
  allocation_reversal: 'orange',
  write_off: 'volcano',
  write_off_recovery: 'gold',
  write_off_recovery_reversal: 'orange',
};

function EntryReference({ entry }: { entry: LedgerEntry }) {
  const text = entry.reference ?? entry.entryId.slice(0, 8);
  if (entry.invoiceId !== null && entry.kind !== 'receipt' && entry.kind !== 'receipt_reversal')
    return <Link to={`/invoices/${entry.invoiceId}`}>{text}</Link>;
  if (entry.receiptId !== null) return <Link to={`/receipts/${entry.receiptId}`}>{text}</Link>;
  return <span>{text}</span>;
}

function useLedgerColumns(): TableColumnsType<LedgerEntry> {
  const t = useT();
  return useMemo(
    () => [
      { key: 'date', title: t('ledger.date'), render: (_, e) => <DateText value={e.date} /> },
      {
        key: 'kind',
        title: t('ledger.kind'),
        render: (_, e) => <Tag color={KIND_COLORS[e.kind]}>{t(`ledger.kind.${e.kind}`)}</Tag>,
      },
      { key: 'reference', title: t('ledger.reference'), render: (_, e) => <EntryReference entry={e} /> },
      {
        key: 'amount',
        title: t('ledger.amount'),
        align: 'right',
        render: (_, e) => <MoneyText amount={e.amount} currency={e.currency} />,
      },
      {
        key: 'effect',
        title: t('ledger.effect'),
        align: 'right',
        render: (_, e) => <MoneyText amount={e.balanceEffect} currency={e.currency} />,
      },
      {
        key: 'running',
        title: t('ledger.running'),
        align: 'right',
        render: (_, e) => <MoneyText amount={e.runningBalance} currency={e.currency} />,
      },
    ],
    [t],
  );
}

/** 台账: every document that moved the customer's balance, oldest first, with the balance after each. */
export function LedgerTab({ customerId }: { customerId: string }) {
  const t = useT();
  const [range, setRange] = useState<{ from: string | null; to: string | null }>({ from: null, to: null });
  const ledger = useCustomerLedger(customerId, range);
  const columns = useLedgerColumns();
  const onRange = (values: [Dayjs | null, Dayjs | null] | null) =>
    setRange({
      from: values?.[0]?.format('YYYY-MM-DD') ?? null,
      to: values?.[1]?.format('YYYY-MM-DD') ?? null,
    });

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} align="center" wrap>
        <Typography.Text>{t('ledger.period')}</Typography.Text>
        <DatePicker.RangePicker allowEmpty={[true, true]} onChange={onRange} />
      </Flex>
      {ledger.isError ? <ErrorAlert error={ledger.error} onRetry={() => void ledger.refetch()} /> : null}
      {ledger.data?.isTruncated ? <Alert type="warning" showIcon title={t('ledger.truncated')} /> : null}
      {ledger.data && ledger.data.opening.length > 0 ? (
        <Flex gap={16} wrap>
          <Typography.Text type="secondary">{t('ledger.opening')}</Typography.Text>
          {ledger.data.opening.map((row) => (
            <MoneyText key={row.currency} amount={row.balance} currency={row.currency} />
          ))}
        </Flex>
      ) : null}
      <div data-testid="customer-ledger">
        <Table<LedgerEntry>
          rowKey={(entry) => `${entry.kind}-${entry.entryId}`}
          size="small"
          columns={columns}
          dataSource={ledger.data?.entries ?? []}
          loading={ledger.isPending}
          pagination={false}
          scroll={{ x: 'max-content' }}
        />
      </div>
      {ledger.data ? (
        <Flex gap={16} wrap>
          <Typography.Text strong>{t('ledger.closing', { date: ledger.data.to })}</Typography.Text>
          {ledger.data.closing.map((row) => (
            <MoneyText key={row.currency} amount={row.balance} currency={row.currency} />
          ))}
        </Flex>
      ) : null}
    </Flex>
  );
}
