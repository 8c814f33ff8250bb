import { amountMinorOrThrow } from '../../platform/money-input';
import type { CalendarDate } from '@huikuan/core';
import type { CreditNote } from '@huikuan/core/contracts';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import { isUniqueViolation } from '../../platform/db-errors';
import type { AppDeps } from '../../platform/deps';
import { AppError, notFound } from '../../platform/errors';
import { runIdempotent } from '../../platform/idempotency';
import type { Actor } from '../../platform/request-context';
import { createApprovalRequestIn } from '../approvals/approvals';
import { organizationToday } from '../contracts/ledger-input';
import { visibleInvoiceOrThrow, type InvoiceWithCustomer } from './invoice-access';
import { assertReducibleBy } from './invoice-balance';
import { toCreditNoteView } from './invoice-views';

export type CreditNoteInput = {
  number: string;
  amount: string;
  issuedOn?: CalendarDate | undefined;
  reason: string;
};

async function approvalThresholdMinor(tx: Tx, tenantId: string): Promise<bigint> {
  const organization = await tx
    .selectFrom('organizations')
    .select('credit_note_approval_threshold_minor')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return organization.credit_note_approval_threshold_minor;
}

/** A credit note is dated between the invoice date and today; a later one would be a promise, not a record. */
function checkIssuedOn(invoice: InvoiceWithCustomer, issuedOn: CalendarDate, today: CalendarDate): void {
  if (issuedOn < invoice.invoice_date || issuedOn > today) {
    throw new AppError('validation_failed', {}, [
      { path: 'issuedOn', message: `Between the invoice date ${invoice.invoice_date} and today ${today}` },
    ]);
  }
}

/** Inserts the note; above the organization's threshold it waits for an approval (kind credit_note). */
async function insertCreditNote(
  deps: AppDeps,
  tx: Tx,
  actor: Actor,
  invoice: InvoiceWithCustomer,
  input: CreditNoteInput,
): Promise<CreditNote> {
  const amountMinor = amountMinorOrThrow(input.amount, invoice.currency, 'amount');
  await assertReducibleBy(tx, invoice, amountMinor);
  const today = await organizationToday(tx, actor.tenantId, deps.clock);
  const issuedOn = input.issuedOn ?? today;
  checkIssuedOn(invoice, issuedOn, today);
  const needsApproval = amountMinor > (await approvalThresholdMinor(tx, actor.tenantId));
  const note = await tx
    .insertInto('credit_notes')
    .values({
      tenant_id: actor.tenantId,
      invoice_id: invoice.id,
      number: input.number,
      amount_minor: amountMinor,
      currency: invoice.currency,
      issued_on: issuedOn,
      reason: input.reason,
      status: needsApproval ? 'pending_approval' : 'posted',
      created_by_user_id: actor.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  let stored = note;
  if (needsApproval) {
    const approval = await createApprovalRequestIn(tx, actor, {
      kind: 'credit_note',
      subjectType: 'credit_note',
      subjectId: note.id,
      customerId: invoice.customer_id,
      amountMinor,
      currency: invoice.currency,
      payload: { invoiceId: invoice.id, invoiceNumber: invoice.number, creditNoteNumber: note.number },
      reason: input.reason,
    });
    stored = await tx
      .updateTable('credit_notes')
      .set({ approval_request_id: approval.id })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', note.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  await recordAudit(tx, actor, {
    action: needsApproval ? 'credit_note.requested' : 'credit_note.posted',
    entityType: 'credit_note',
    entityId: note.id,
    after: stored,
  });
  return toCreditNoteView(stored);
}

/**
 * 红字冲销: reduces an issued invoice by a new record, never by editing it. The invoice row is locked first, so two
 * credit notes (or a credit note and an allocation) cannot together take off more than is open.
 */
export async function createCreditNote(
  deps: AppDeps,
  actor: Actor,
  invoiceId: string,
  input: CreditNoteInput,
  idempotencyKey: () => string,
): Promise<CreditNote> {
  try {
    return await deps.db.tenant(actor.tenantId, async (tx) => {
      await visibleInvoiceOrThrow(tx, actor, invoiceId);
      const request = { invoiceId, ...input, issuedOn: input.issuedOn ?? null };
      const result = await runIdempotent(
        tx,
        actor.tenantId,
        idempotencyKey(),
        'invoice.credit_note',
        request,
        async () => {
          const invoice = await visibleInvoiceOrThrow(tx, actor, invoiceId, { forUpdate: true });
          return insertCreditNote(deps, tx, actor, invoice, input);
        },
      );
      return result.body;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('conflict', { detail: `credit note number "${input.number}" is already used` });
    }
    throw error;
  }
}

/** The invoice a credit note or waiver is about, locked; approvals run as the decider, who may be out of scope. */
export async function lockInvoiceForEffect(tx: Tx, tenantId: string, invoiceId: string) {
  const invoice = await tx
    .selectFrom('invoices as i')
    .innerJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'i.tenant_id').onRef('c.id', '=', 'i.customer_id'),
    )
    .selectAll('i')
    .select(['c.code as customer_code', 'c.name as customer_name'])
    .where('i.tenant_id', '=', tenantId)
    .where('i.id', '=', invoiceId)
    .forUpdate('i')
    .executeTakeFirst();
  if (!invoice) throw notFound('invoice');
  return invoice;
}

/**
 * Posts an approved credit note. The open balance may have shrunk while it waited, so it is checked again under
 * the invoice lock; if it no longer fits, the approval fails with a conflict and nothing changes. It takes effect
 * from the later of its own date and the day of approval, so balances already reported for past days stay true.
 */
export async function postApprovedCreditNote(deps: AppDeps, tx: Tx, actor: Actor, creditNoteId: string) {
  const note = await tx
    .selectFrom('credit_notes')
    .selectAll()
    .where('tenant_id', '=', actor.tenantId)
    .where('id', '=', creditNoteId)
    .forUpdate()
    .executeTakeFirst();
  if (!note) throw notFound('credit note');
  if (note.status !== 'pending_approval') {
    throw new AppError('conflict', { detail: `credit note ${note.number} is ${note.status}` });
  }
  const invoice = await lockInvoiceForEffect(tx, actor.tenantId, note.invoice_id);
  await assertReducibleBy(tx, invoice, note.amount_minor);
  const today = await organizationToday(tx, actor.tenantId, deps.clock);
  const after = await tx
    .updateTable('credit_notes')
    .set({ status: 'posted', issued_on: note.issued_on > today ? note.issued_on : today })
    .where('tenant_id', '=', actor.tenantId)
    .where('id', '=', creditNoteId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(tx, actor, {
    action: 'credit_note.posted',
    entityType: 'credit_note',
    entityId: creditNoteId,
    before: note,
    after,
  });
}

export async function rejectPendingCreditNote(tx: Tx, actor: Actor, creditNoteId: string) {
  const before = await tx
    .selectFrom('credit_notes')
    .selectAll()
    .where('tenant_id', '=', actor.tenantId)
    .where('id', '=', creditNoteId)
    .forUpdate()
    .executeTakeFirst();
  if (!before || before.status !== 'pending_approval') return;
  const after = await tx
    .updateTable('credit_notes')
    .set({ status: 'rejected' })
    .where('tenant_id', '=', actor.tenantId)
    .where('id', '=', creditNoteId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(tx, actor, {
    action: 'credit_note.rejected',
    entityType: 'credit_note',
    entityId: creditNoteId,
    before,
    after,
  });
}
