import { invoiceStatus, minorToDecimalString, type CalendarDate } from '@huikuan/core';
import type { CreditNote, Invoice, InvoiceDetail } from '@huikuan/core/contracts';
import type { Selectable } from 'kysely';
import type { CreditNotesTable } from '../../db/schema';
import type { Tx } from '../../platform/db';
import { invoiceBalancesAsOf, type InvoiceBalance } from '../receipts/balances';
import type { InvoiceWithCustomer } from './invoice-access';

/** Quantities come back from numeric(16,4) as "1.5000"; show them as written ("1.5"). */
function quantityText(stored: string): string {
  return stored.includes('.') ? stored.replace(/0+$/, '').replace(/\.$/, '') : stored;
}

function toView(row: InvoiceWithCustomer, balance: InvoiceBalance | undefined, asOf: CalendarDate): Invoice {
  const money = (amountMinor: bigint) => minorToDecimalString(amountMinor, row.currency);
  const isIssued = row.status === 'issued';
  const isVoid = balance?.isVoid ?? false;
  // Before its invoice date an issued invoice does not count yet: nothing is open, but it is not "paid" either.
  const isEffective = isIssued && row.invoice_date <= asOf;
  const openMinor = balance?.openMinor ?? 0n;
  const derived = invoiceStatus({ isIssued, isVoid, totalMinor: row.total_minor, openMinor });
  const status = isIssued && !isVoid && !isEffective ? 'issued' : derived;
  return {
    id: row.id,
    number: row.number,
    customerId: row.customer_id,
    customerCode: row.customer_code,
    customerName: row.customer_name,
    contractId: row.contract_id,
    planNodeId: row.plan_node_id,
    invoiceDate: row.invoice_date,
    dueDate: row.due_date,
    currency: row.currency,
    subtotal: money(row.subtotal_minor),
    tax: money(row.tax_minor),
    total: money(row.total_minor),
    postingStatus: isIssued ? 'issued' : 'draft',
    status,
    asOf,
    open: isIssued ? money(openMinor) : null,
    credited: money(balance?.creditedMinor ?? 0n),
    allocated: money(balance?.allocatedMinor ?? 0n),
    isOverdue: isEffective && !isVoid && openMinor > 0n && row.due_date < asOf,
    issuedAt: row.issued_at?.toISOString() ?? null,
    issuedByUserId: row.issued_by_user_id,
    notes: row.notes,
    createdAt: row.created_at.toISOString(),
  };
}

/** Views for a whole page with balances as of a date, in one balance query. */
export async function invoiceViews(
  tx: Tx,
  tenantId: string,
  rows: readonly InvoiceWithCustomer[],
  asOf: CalendarDate,
): Promise<Invoice[]> {
  const issuedIds = rows.filter((row) => row.status === 'issued').map((row) => row.id);
  const balances = await invoiceBalancesAsOf(tx, tenantId, issuedIds, asOf);
  return rows.map((row) => toView(row, balances.get(row.id), asOf));
}

export function toCreditNoteView(row: Selectable<CreditNotesTable>): CreditNote {
  return {
    id: row.id,
    invoiceId: row.invoice_id,
    number: row.number,
    amount: minorToDecimalString(row.amount_minor, row.currency),
    currency: row.currency,
    issuedOn: row.issued_on,
    reason: row.reason,
    status: row.status as CreditNote['status'],
    kind: row.kind as CreditNote['kind'],
    approvalRequestId: row.approval_request_id,
    createdByUserId: row.created_by_user_id,
    createdAt: row.created_at.toISOString(),
  };
}

/** The invoice with its lines, credit notes (any status) and void, balances as of a date. */
export async function invoiceDetail(
  tx: Tx,
  tenantId: string,
  row: InvoiceWithCustomer,
  asOf: CalendarDate,
): Promise<InvoiceDetail> {
  const [view] = await invoiceViews(tx, tenantId, [row], asOf);
  if (!view) throw new Error('invoice view missing');
  const lines = await tx
    .selectFrom('invoice_lines')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('invoice_id', '=', row.id)
    .orderBy('line_no')
    .execute();
  const creditNotes = await tx
    .selectFrom('credit_notes')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('invoice_id', '=', row.id)
    .orderBy('created_at')
    .orderBy('number')
    .execute();
  const voided = await tx
    .selectFrom('invoice_voids')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('invoice_id', '=', row.id)
    .executeTakeFirst();
  const money = (amountMinor: bigint) => minorToDecimalString(amountMinor, row.currency);
  return {
    ...view,
    lines: lines.map((line) => ({
      lineNo: line.line_no,
      description: line.description,
      quantity: quantityText(line.quantity),
      unitPrice: money(line.unit_price_minor),
      taxRateBp: line.tax_rate_bp,
      amount: money(line.amount_minor),
      tax: money(line.tax_minor),
    })),
    creditNotes: creditNotes.map(toCreditNoteView),
    void: voided
      ? {
          voidedOn: voided.voided_on,
          reason: voided.reason,
          voidedByUserId: voided.voided_by_user_id,
          createdAt: voided.created_at.toISOString(),
        }
      : null,
  };
}
