import { DownOutlined } from '@ant-design/icons';
import type { CreditNote, InvoiceDetail } from '@huikuan/core/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Dropdown,
  Flex,
  Modal,
  Popconfirm,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useT } from '../../app/locale';
import { useCan } from '../../app/session';
import { AttachmentsCard } from '../../ui/AttachmentsCard';
import { bpToPercentText } from '../../ui/decimal-input';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useErrorText } from '../../ui/errors';
import { FullPageSpin } from '../../ui/FullPageSpin';
import { useIdempotencyKey } from '../../ui/idempotency';
import { ModalFooter } from '../../ui/ModalFooter';
import { MoneyText } from '../../ui/MoneyText';
import { Page } from '../../ui/Page';
import { RecordAuditTrail } from '../audit/RecordAuditTrail';
import { useDeleteDraftInvoice, useInvoice, useIssueInvoice, type SettlementKind } from './api';
import { InvoiceFormDrawer } from './InvoiceFormDrawer';
import { ProductConditionCard } from './ProductConditionCard';
import { CreditNoteModal, SettlementModal, VoidInvoiceModal } from './InvoiceActionModals';
import { CreditNoteStatusTag, InvoiceStatusTag } from './labels';

type Dialog = 'edit' | 'issue' | 'void' | 'credit' | SettlementKind | null;
type Line = InvoiceDetail['lines'][number];

function InvoiceFigures({ invoice }: { invoice: InvoiceDetail }) {
  const t = useT();
  const money = (amount: string) => <MoneyText amount={amount} currency={invoice.currency} />;
  return (
    <Descriptions
      size="small"
      bordered
      column={{ xs: 1, md: 3 }}
      items={[
        {
          label: t('invoices.customer'),
          children: (
            <Link
              to={`/customers/${invoice.customerId}`}
            >{`${invoice.customerCode} · ${invoice.customerName}`}</Link>
          ),
        },
        {
          label: t('invoices.contract'),
          children:
            invoice.contractId === null ? (
              '—'
            ) : (
              <Link to={`/contracts/${invoice.contractId}`}>{t('common.open')}</Link>
            ),
        },
        { label: t('common.status'), children: <InvoiceStatusTag invoice={invoice} /> },
        { label: t('invoices.invoiceDate'), children: <DateText value={invoice.invoiceDate} /> },
        { label: t('invoices.dueDate'), children: <DateText value={invoice.dueDate} /> },
        { label: t('invoices.issuedAt'), children: <DateText value={invoice.issuedAt} /> },
        { label: t('invoices.subtotal'), children: money(invoice.subtotal) },
        { label: t('invoices.tax'), children: money(invoice.tax) },
        {
          label: t('invoices.total'),
          children: <span data-testid="invoice-total">{money(invoice.total)}</span>,
        },
        { label: t('invoices.credited'), children: money(invoice.credited) },
        { label: t('invoices.allocated'), children: money(invoice.allocated) },
        {
          label: t('invoices.openAsOf', { date: invoice.asOf }),
          children: (
            <strong data-testid="invoice-open-amount">
              {invoice.open === null ? '—' : money(invoice.open)}
            </strong>
          ),
        },
        { label: t('invoices.notes'), children: invoice.notes ?? '—', span: 3 },
      ]}
    />
  );
}

function LinesTable({ invoice }: { invoice: InvoiceDetail }) {
  const t = useT();
  const columns: TableColumnsType<Line> = [
    { key: 'no', title: '#', dataIndex: 'lineNo' },
    { key: 'description', title: t('invoices.line.description'), dataIndex: 'description' },
    { key: 'quantity', title: t('invoices.line.quantity'), dataIndex: 'quantity', align: 'right' },
    {
      key: 'unitPrice',
      title: t('invoices.line.unitPrice'),
      align: 'right',
      render: (_, l) => <MoneyText amount={l.unitPrice} currency={invoice.currency} />,
    },
    {
      key: 'rate',
      title: t('invoices.line.taxRate'),
      align: 'right',
      render: (_, l) => `${bpToPercentText(l.taxRateBp)}%`,
    },
    {
      key: 'amount',
      title: t('invoices.line.amount'),
      align: 'right',
      render: (_, l) => <MoneyText amount={l.amount} currency={invoice.currency} />,
    },
    {
      key: 'tax',
      title: t('invoices.line.tax'),
      align: 'right',
      render: (_, l) => <MoneyText amount={l.tax} currency={invoice.currency} />,
    },
  ];
  return (
    <Table<Line>
      rowKey="lineNo"
      size="small"
      columns={columns}
      dataSource={invoice.lines}
      pagination={false}
    />
  );
}

function CreditNotesTable({ invoice }: { invoice: InvoiceDetail }) {
  const t = useT();
  const columns: TableColumnsType<CreditNote> = [
    { key: 'number', title: t('creditNotes.number'), dataIndex: 'number' },
    {
      key: 'kind',
      title: t('creditNotes.kind'),
      render: (_, c) => (
        <Tag color={c.kind === 'write_off' ? 'volcano' : 'purple'}>{t(`creditNotes.kind.${c.kind}`)}</Tag>
      ),
    },
    { key: 'issuedOn', title: t('creditNotes.issuedOn'), render: (_, c) => <DateText value={c.issuedOn} /> },
    {
      key: 'amount',
      title: t('creditNotes.amount'),
      align: 'right',
      render: (_, c) => <MoneyText amount={c.amount} currency={c.currency} />,
    },
    { key: 'reason', title: t('common.reason'), dataIndex: 'reason' },
    { key: 'status', title: t('common.status'), render: (_, c) => <CreditNoteStatusTag status={c.status} /> },
  ];
  return (
    <Table<CreditNote>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={invoice.creditNotes}
      pagination={false}
    />
  );
}

/** Issue a draft: money-moving, so the dialog carries one idempotency key for every retry of this issue. */
function IssueModal({ invoice, onClose }: { invoice: InvoiceDetail; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const key = useIdempotencyKey();
  const issue = useIssueInvoice();
  const [failure, setFailure] = useState<unknown>(null);
  const onOk = () =>
    issue.mutate(
      { id: invoice.id, headers: key.headers },
      {
        onSuccess: () => {
          void message.success(t('invoices.issued'));
          onClose();
        },
        onError: setFailure,
      },
    );
  return (
    <Modal
      open
      title={t('invoices.issueTitle', { number: invoice.number })}
      onCancel={onClose}
      footer={
        <ModalFooter
          onCancel={onClose}
          onOk={onOk}
          okText={t('invoices.issue')}
          isLoading={issue.isPending}
          okTestId="invoice-issue-confirm"
        />
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Typography.Paragraph>{t('invoices.confirmIssue')}</Typography.Paragraph>
      <Typography.Paragraph>
        {t('invoices.total')}: <MoneyText amount={invoice.total} currency={invoice.currency} />
      </Typography.Paragraph>
    </Modal>
  );
}

function InvoiceActions({
  invoice,
  onDialog,
}: {
  invoice: InvoiceDetail;
  onDialog: (dialog: Dialog) => void;
}) {
  const t = useT();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const remove = useDeleteDraftInvoice();
  if (invoice.status === 'draft')
    return (
      <Flex gap={8}>
        <Popconfirm
          title={t('common.confirmDelete')}
          onConfirm={() =>
            remove.mutate(invoice.id, {
              onSuccess: () => void navigate('/invoices'),
              onError: (error) => void message.error(errorText(error)),
            })
          }
        >
          <Button danger>{t('invoices.deleteDraft')}</Button>
        </Popconfirm>
        <Button onClick={() => onDialog('edit')} data-testid="invoice-edit">
          {t('common.edit')}
        </Button>
        <Button type="primary" onClick={() => onDialog('issue')} data-testid="invoice-issue">
          {t('invoices.issue')}
        </Button>
      </Flex>
    );
  if (invoice.status === 'void') return null;
  const items = [
    { key: 'credit', label: t('creditNotes.create') },
    { key: 'waivers', label: t('settlement.menu.waivers') },
    { key: 'write-offs', label: t('settlement.menu.write-offs') },
    { key: 'offset-requests', label: t('settlement.menu.offset-requests') },
    { key: 'goods-settlement-requests', label: t('settlement.menu.goods-settlement-requests') },
    { type: 'divider' as const },
    { key: 'void', label: t('invoices.void'), danger: true },
  ];
  return (
    <Dropdown menu={{ items, onClick: ({ key }) => onDialog(key as Dialog) }}>
      <Button data-testid="invoice-actions">
        {t('common.actions')} <DownOutlined />
      </Button>
    </Dropdown>
  );
}

export function InvoiceDetailPage() {
  const t = useT();
  const { id = '' } = useParams();
  const canWrite = useCan()('records.write');
  const invoice = useInvoice(id);
  const [dialog, setDialog] = useState<Dialog>(null);
  if (invoice.isPending) return <FullPageSpin />;
  if (invoice.isError) return <ErrorAlert error={invoice.error} onRetry={() => void invoice.refetch()} />;
  const record = invoice.data;
  const close = () => setDialog(null);
  return (
    <Page
      title={`${t('invoices.invoice')} ${record.number}`}
      extra={canWrite ? <InvoiceActions invoice={record} onDialog={setDialog} /> : null}
    >
      {record.void === null ? null : (
        <Alert
          type="warning"
          showIcon
          title={t('invoices.voidedBanner', { date: record.void.voidedOn, reason: record.void.reason })}
        />
      )}
      {record.status === 'draft' ? <Alert type="info" showIcon title={t('invoices.draftBanner')} /> : null}
      <Card>
        <InvoiceFigures invoice={record} />
      </Card>
      <Card title={t('invoices.lines')}>
        <LinesTable invoice={record} />
      </Card>
      <Card title={t('creditNotes.title')}>
        <CreditNotesTable invoice={record} />
      </Card>
      {record.status === 'draft' ? null : <ProductConditionCard invoice={record} canWrite={canWrite} />}
      <AttachmentsCard
        basePath={`/api/invoices/${encodeURIComponent(id)}/attachments`}
        defaultKind="sign_off"
        canUpload={canWrite}
        testIdPrefix="invoice-attachments"
      />
      <RecordAuditTrail entityType="invoice" entityId={id} />
      {dialog === 'edit' ? <InvoiceFormDrawer preset={null} draft={record} onClose={close} /> : null}
      {dialog === 'issue' ? <IssueModal invoice={record} onClose={close} /> : null}
      {dialog === 'void' ? <VoidInvoiceModal invoice={record} onClose={close} /> : null}
      {dialog === 'credit' ? <CreditNoteModal invoice={record} onClose={close} /> : null}
      {dialog === 'waivers' ||
      dialog === 'write-offs' ||
      dialog === 'offset-requests' ||
      dialog === 'goods-settlement-requests' ? (
        <SettlementModal invoice={record} kind={dialog} onClose={close} />
      ) : null}
    </Page>
  );
}
