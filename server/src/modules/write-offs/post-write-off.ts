import type { Selectable } from 'kysely';
import type { ApprovalRequestsTable } from '../../db/schema';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import type { Actor } from '../../platform/request-context';
import { organizationToday } from '../contracts/ledger-input';
import { lockInvoiceForEffect } from '../invoices/credit-notes';
import { assertReducibleBy } from '../invoices/invoice-balance';
import { nextReductionNumber } from '../invoices/waivers';

/**
 * The approved write-off: a posted credit note of kind write_off (WO-<invoice>-n), dated the day of the decision.
 * The open balance is checked again under the invoice lock, because money may have come in since the request.
 */
export async function postApprovedWriteOff(
  deps: AppDeps,
  tx: Tx,
  actor: Actor,
  request: Selectable<ApprovalRequestsTable>,
): Promise<void> {
  const invoice = await lockInvoiceForEffect(tx, actor.tenantId, request.subject_id);
  if (request.amount_minor === null) throw new Error(`write-off request ${request.id} has no amount`);
  await assertReducibleBy(tx, invoice, request.amount_minor);
  const writeOff = await tx
    .insertInto('credit_notes')
    .values({
      tenant_id: actor.tenantId,
      invoice_id: invoice.id,
      number: await nextReductionNumber(tx, actor.tenantId, 'WO', invoice.number),
      kind: 'write_off',
      amount_minor: request.amount_minor,
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
    action: 'write_off.posted',
    entityType: 'credit_note',
    entityId: writeOff.id,
    after: writeOff,
  });
}
