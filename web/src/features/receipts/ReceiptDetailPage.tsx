import type { Allocation, ReceiptDetail } from '@huikuan/core/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  Popconfirm,
  Table,
  Tag,
  type TableColumnsType,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useT } from '../../app/locale';
import { useCan } from '../../app/session';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useErrorText } from '../../ui/errors';
import { useIsFinance } from '../../ui/finance';
import { FullPageSpin } from '../../ui/FullPageSpin';
import { MoneyText } from '../../ui/MoneyText';
import { Page } from '../../ui/Page';
import { AttachmentsCard } from '../../ui/AttachmentsCard';
import { RecordAuditTrail } from '../audit/RecordAuditTrail';
import { AllocateModal } from './AllocateModal';
import { useDeleteReceipt, useReceipt } from './api';
import { ClaimModal } from './ClaimModal';
import { isNonZeroAmount, ReceiptStatusTag, useMethodLabel } from './labels';
import { ConfirmReceiptModal, ReverseAllocationModal, ReverseReceiptModal } from './ReceiptModals';

type Dialog = 'confirm' | 'allocate' | 'reverse' | 'claim' | { reverseAllocation: Allocation } | null;

function ReceiptFigures({ receipt }: { receipt: ReceiptDetail }) {
  const t = useT();
  const methodLabel = useMethodLabel();
  const money = (amount: string) => <MoneyText amount={amount} currency={receipt.currency} />;
  return (
    <Descriptions
      size="small"
      bordered
      column={{ xs: 1, md: 3 }}
      items={[
        {
          label: t('receipts.customer'),
          children:
            receipt.customerId === null ? (
              <Tag color="purple">{t('receipts.pool')}</Tag>
            ) : (
              <Link
                to={`/customers/${receipt.customerId}`}
              >{`${receipt.customerCode ?? ''} · ${receipt.customerName ?? ''}`}</Link>
            ),
        },
        { label: t('receipts.receivedOn'), children: <DateText value={receipt.receivedOn} /> },
        { label: t('common.status'), children: <ReceiptStatusTag status={receipt.status} /> },
        {
          label: t('receipts.amount'),
          children: <span data-testid="receipt-amount-value">{money(receipt.amount)}</span>,
        },
        {
          label: t('receipts.allocated'),
          children: <span data-testid="receipt-allocated">{money(receipt.allocated)}</span>,
        },
        {
          label: t('receipts.unapplied'),
          children: <strong data-testid="receipt-unapplied">{money(receipt.unapplied)}</strong>,
        },
        { label: t('receipts.method'), children: methodLabel(receipt.method) },
        { label: t('receipts.payerName'), children: receipt.payerName ?? '—' },
        { label: t('receipts.payerAccount'), children: receipt.payerAccount ?? '—' },
        { label: t('receipts.bankReference'), children: receipt.bankReference ?? '—' },
        { label: t('receipts.confirmedAt'), children: <DateText value={receipt.confirmedAt} /> },
        { label: t('receipts.notes'), children: receipt.notes ?? '—' },
      ]}
    />
  );
}

function AllocationsTable({
  receipt,
  onReverse,
}: {
  receipt: ReceiptDetail;
  onReverse: ((allocation: Allocation) => void) | null;
}) {
  const t = useT();
  const columns: TableColumnsType<Allocation> = [
    { key: 'on', title: t('allocation.allocatedOn'), render: (_, a) => <DateText value={a.allocatedOn} /> },
    {
      key: 'target',
      title: t('allocation.target'),
      render: (_, a) =>
        a.writeOffId !== null ? (
          <Link to="/write-offs">{t('writeOffs.recoveryOf', { number: a.writeOffNumber ?? '' })}</Link>
        ) : a.invoiceId === null ? (
          t('allocation.kind.node')
        ) : (
          <Link to={`/invoices/${a.invoiceId}`}>{a.invoiceNumber ?? t('allocation.kind.invoice')}</Link>
        ),
    },
    {
      key: 'amount',
      title: t('allocation.amount'),
      align: 'right',
      render: (_, a) => <MoneyText amount={a.amount} currency={a.currency} />,
    },
    {
      key: 'state',
      title: t('common.status'),
      render: (_, a) =>
        a.reversesAllocationId !== null ? (
          <Tag color="orange">{t('allocation.reversal')}</Tag>
        ) : a.reversedByAllocationId !== null ? (
          <Tag>{t('allocation.reversed')}</Tag>
        ) : (
          <Tag color="green">{t('allocation.active')}</Tag>
        ),
    },
    { key: 'reason', title: t('common.reason'), render: (_, a) => a.reason ?? '—' },
    {
      key: 'actions',
      title: t('common.actions'),
      render: (_, a) =>
        onReverse !== null && a.reversesAllocationId === null && a.reversedByAllocationId === null ? (
          <Button
            size="small"
            danger
            onClick={() => onReverse(a)}
            data-testid={`allocation-reverse-${a.invoiceNumber ?? a.id}`}
          >
            {t('common.reverse')}
          </Button>
        ) : null,
    },
  ];
  return (
    <div data-testid="allocations-table">
      <Table<Allocation>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={receipt.allocations}
        pagination={false}
      />
    </div>
  );
}

function ReceiptActions({
  receipt,
  onDialog,
}: {
  receipt: ReceiptDetail;
  onDialog: (dialog: Dialog) => void;
}) {
  const t = useT();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const isFinance = useIsFinance();
  const remove = useDeleteReceipt();
  const isPending = receipt.status === 'pending';
  const isConfirmed = receipt.status === 'confirmed';
  return (
    <Flex gap={8} wrap>
      {isPending ? (
        <Popconfirm
          title={t('common.confirmDelete')}
          onConfirm={() =>
            remove.mutate(receipt.id, {
              onSuccess: () => void navigate('/receipts'),
              onError: (error) => void message.error(errorText(error)),
            })
          }
        >
          <Button danger>{t('receipts.deletePending')}</Button>
        </Popconfirm>
      ) : null}
      {isPending && isFinance ? (
        <Button type="primary" onClick={() => onDialog('confirm')} data-testid="receipt-confirm">
          {t('receipts.confirm')}
        </Button>
      ) : null}
      {isConfirmed && receipt.customerId === null ? (
        <Button type="primary" onClick={() => onDialog('claim')} data-testid="claim-open">
          {t('claims.claim')}
        </Button>
      ) : null}
      {isConfirmed && isFinance && receipt.customerId !== null && isNonZeroAmount(receipt.unapplied) ? (
        <Button type="primary" onClick={() => onDialog('allocate')} data-testid="allocate-open">
          {t('allocation.open')}
        </Button>
      ) : null}
      {isConfirmed && isFinance ? (
        <Button danger onClick={() => onDialog('reverse')} data-testid="receipt-reverse">
          {t('receipts.reverse')}
        </Button>
      ) : null}
    </Flex>
  );
}

export function ReceiptDetailPage() {
  const t = useT();
  const { id = '' } = useParams();
  const canWrite = useCan()('records.write');
  const isFinance = useIsFinance();
  const receipt = useReceipt(id);
  const [dialog, setDialog] = useState<Dialog>(null);
  if (receipt.isPending) return <FullPageSpin />;
  if (receipt.isError) return <ErrorAlert error={receipt.error} onRetry={() => void receipt.refetch()} />;
  const record = receipt.data;
  const close = () => setDialog(null);
  const canReverseAllocations = canWrite && isFinance && record.status === 'confirmed';
  return (
    <Page
      title={t('receipts.receipt')}
      extra={canWrite ? <ReceiptActions receipt={record} onDialog={setDialog} /> : null}
    >
      {record.reversal === null ? null : (
        <Alert
          type="warning"
          showIcon
          title={t('receipts.reversedBanner', {
            date: record.reversal.reversedOn,
            reason: record.reversal.reason,
          })}
        />
      )}
      {record.status === 'pending' ? (
        <Alert type="info" showIcon title={t('receipts.pendingBanner')} />
      ) : null}
      <Card>
        <ReceiptFigures receipt={record} />
      </Card>
      <Card title={t('allocation.listTitle')}>
        <AllocationsTable
          receipt={record}
          onReverse={
            canReverseAllocations ? (allocation) => setDialog({ reverseAllocation: allocation }) : null
          }
        />
      </Card>
      <AttachmentsCard
        basePath={`/api/receipts/${encodeURIComponent(id)}/attachments`}
        defaultKind="remittance"
        canUpload={canWrite}
        testIdPrefix="receipt-attachments"
      />
      <RecordAuditTrail entityType="receipt" entityId={id} />
      {dialog === 'confirm' ? <ConfirmReceiptModal receipt={record} onClose={close} /> : null}
      {dialog === 'allocate' ? <AllocateModal receipt={record} onClose={close} /> : null}
      {dialog === 'reverse' ? <ReverseReceiptModal receipt={record} onClose={close} /> : null}
      {dialog === 'claim' ? <ClaimModal receipt={record} onClose={close} /> : null}
      {dialog !== null && typeof dialog === 'object' ? (
        <ReverseAllocationModal allocation={dialog.reverseAllocation} onClose={close} />
      ) : null}
    </Page>
  );
}
