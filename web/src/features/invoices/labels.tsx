import type { CreditNote, Invoice, InvoiceRequest } from '@huikuan/core/contracts';
import { Tag } from 'antd';
import { useT } from '../../app/locale';

const INVOICE_STATUS_COLORS: Record<Invoice['status'], string> = {
  draft: 'default',
  issued: 'blue',
  partially_paid: 'orange',
  paid: 'green',
  void: 'red',
};

export function InvoiceStatusTag({ invoice }: { invoice: Pick<Invoice, 'status' | 'isOverdue'> }) {
  const t = useT();
  return (
    <span>
      <Tag color={INVOICE_STATUS_COLORS[invoice.status]} data-testid="invoice-status">
        {t(`invoices.status.${invoice.status}`)}
      </Tag>
      {invoice.isOverdue ? <Tag color="red">{t('invoices.overdue')}</Tag> : null}
    </span>
  );
}

const CREDIT_NOTE_COLORS: Record<CreditNote['status'], string> = {
  pending_approval: 'gold',
  posted: 'green',
  rejected: 'default',
};

export function CreditNoteStatusTag({ status }: { status: CreditNote['status'] }) {
  const t = useT();
  return <Tag color={CREDIT_NOTE_COLORS[status]}>{t(`creditNotes.status.${status}`)}</Tag>;
}

const REQUEST_COLORS: Record<InvoiceRequest['status'], string> = {
  pending: 'gold',
  approved: 'blue',
  rejected: 'default',
  issued: 'green',
};

export function InvoiceRequestStatusTag({ status }: { status: InvoiceRequest['status'] }) {
  const t = useT();
  return <Tag color={REQUEST_COLORS[status]}>{t(`invoiceRequests.status.${status}`)}</Tag>;
}
