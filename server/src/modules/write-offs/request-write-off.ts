import { daysBetween, type CalendarDate } from '@huikuan/core';
import type { ApprovalRequest } from '@huikuan/core/contracts';
import { recordAudit } from '../../platform/audit';
import type { AppDeps } from '../../platform/deps';
import { amountMinorOrThrow } from '../../platform/money-input';
import type { Actor } from '../../platform/request-context';
import { createApprovalRequestIn, toApprovalView } from '../approvals/approvals';
import { organizationToday } from '../contracts/ledger-input';
import { visibleInvoiceOrThrow } from '../invoices/invoice-access';
import { assertReducibleBy } from '../invoices/invoice-balance';

/**
 * 坏账核销 starts as a request: nothing changes until finance or an admin other than the requester approves it
 * (001 §七, 003 防范欺诈). The request carries how overdue the invoice is, so the approver sees what they sign.
 */
export async function requestWriteOff(
  deps: AppDeps,
  actor: Actor,
  invoiceId: string,
  input: { amount: string; reason: string },
): Promise<ApprovalRequest> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const invoice = await visibleInvoiceOrThrow(tx, actor, invoiceId, { forUpdate: true });
    const amountMinor = amountMinorOrThrow(input.amount, invoice.currency, 'amount');
    const openMinor = await assertReducibleBy(tx, invoice, amountMinor);
    const today = await organizationToday(tx, actor.tenantId, deps.clock);
    const daysOverdue = Math.max(0, daysBetween(invoice.due_date as CalendarDate, today));
    const approval = await createApprovalRequestIn(tx, actor, {
      kind: 'write_off',
      subjectType: 'invoice',
      subjectId: invoice.id,
      customerId: invoice.customer_id,
      amountMinor,
      currency: invoice.currency,
      payload: {
        invoiceId: invoice.id,
        invoiceNumber: invoice.number,
        dueDate: invoice.due_date,
        daysOverdue,
        openMinor: openMinor.toString(),
      },
      reason: input.reason,
    });
    await recordAudit(tx, actor, {
      action: 'invoice.write_off_requested',
      entityType: 'invoice',
      entityId: invoice.id,
      after: { approvalRequestId: approval.id, amountMinor, reason: input.reason, daysOverdue },
    });
    return toApprovalView(approval);
  });
}
