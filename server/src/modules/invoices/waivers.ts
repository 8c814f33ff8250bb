import { amountMinorOrThrow } from '../../platform/money-input';
import type { ApprovalRequest } from '@huikuan/core/contracts';
import type { Selectable } from 'kysely';
import type { ApprovalRequestsTable } from '../../db/schema';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import type { Actor } from '../../platform/request-context';
import { createApprovalRequestIn, toApprovalView } from '../approvals/approvals';
import { likePattern, organizationToday } from '../contracts/ledger-input';
import { lockInvoiceForEffect } from './credit-notes';
import { visibleInvoiceOrThrow } from './invoice-access';
import { assertReducibleBy } from './invoice-balance';

/**
 * 减免: waiving part of an invoice always needs an approval (001 §七: no written waiver without one). The request
 * changes nothing; the approval posts a credit note for the amount.
 */
export async function requestWaiver(
  deps: AppDeps,
  actor: Actor,
  invoiceId: string,
  input: { amount: string; reason: string },
): Promise<ApprovalRequest> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const invoice = await visibleInvoiceOrThrow(tx, actor, invoiceId, { forUpdate: true });
    const amountMinor = amountMinorOrThrow(input.amount, invoice.currency, 'amount');
    await assertReducibleBy(tx, invoice, amountMinor);
    const approval = await createApprovalRequestIn(tx, actor, {
      kind: 'discount_waiver',
      subjectType: 'invoice',
      subjectId: invoice.id,
      customerId: invoice.customer_id,
      amountMinor,
      currency: invoice.currency,
      payload: { invoiceId: invoice.id, invoiceNumber: invoice.number },
      reason: input.reason,
    });
    await recordAudit(tx, actor, {
      action: 'invoice.waiver_requested',
      entityType: 'invoice',
      entityId: invoice.id,
      after: { approvalRequestId: approval.id, amountMinor, reason: input.reason },
    });
    return toApprovalView(approval);
  });
}

/**
 * `<kind>-<invoice number>-<n>`: the n-th waiver (WV) or write-off (WO) of that invoice. Callers hold the invoice
 * row locked, so n is not raced.
 */
export async function nextReductionNumber(
  tx: Tx,
  tenantId: string,
  kind: 'WV' | 'WO',
  invoiceNumber: string,
): Promise<string> {
  const prefix = `${kind}-${invoiceNumber}-`;
  const existing = await tx
    .selectFrom('credit_notes')
    .select('number')
    .where('tenant_id', '=', tenantId)
    .where('number', 'like', `${likePattern(prefix).slice(1, -1)}%`)
    .execute();
  const used = existing.map((row) => Number(row.number.slice(prefix.length))).filter(Number.isSafeInteger);
  return `${prefix}${Math.max(0, ...used) + 1}`;
}

export async function postApprovedWaiver(
  deps: AppDeps,
  tx: Tx,
  actor: Actor,
  request: Selectable<ApprovalRequestsTable>,
): Promise<void> {
  const invoice = await lockInvoiceForEffect(tx, actor.tenantId, request.subject_id);
  const amountMinor = request.amount_minor ?? 0n;
  await assertReducibleBy(tx, invoice, amountMinor);
  const note = await tx
    .insertInto('credit_notes')
    .values({
      tenant_id: actor.tenantId,
      invoice_id: invoice.id,
      number: await nextReductionNumber(tx, actor.tenantId, 'WV', invoice.number),
      amount_minor: amountMinor,
      currency: invoice.currency,
      issued_on: await organizationToday(tx, actor.tenantId, deps.clock),
      reason: request.reason.slice(0, 500),
      status: 'posted',
      approval_request_id: request.id,
      created_by_user_id: request.requested_by_user_id,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(tx, actor, {
    action: 'credit_note.posted',
    entityType: 'credit_note',
    entityId: note.id,
    after: note,
  });
}
