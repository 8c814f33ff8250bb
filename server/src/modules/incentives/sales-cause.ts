import type { CalendarDate } from '@huikuan/core';
import { recordAudit } from '../../platform/audit';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { visibleInvoiceOrThrow } from '../invoices/invoice-access';
import { loadIncentiveContext } from './incentive-context';

/**
 * Whether a debt was caused by sales (非销售原因欠款): a manager, finance or an admin marks a debt as not caused by
 * sales (a product failure, a delivery error), from today on. The assessment is append-only and never backdated,
 * so the inputs of a commission computed for a past day never change; a dispute resolved as valid is a good reason
 * to mark it, but the decision stays a person's.
 */
export async function markSalesCause(
  deps: AppDeps,
  actor: Actor,
  invoiceId: string,
  input: { isNotSalesCaused: boolean; reason: string },
) {
  if (!['sales_manager', 'finance', 'admin'].includes(actor.role)) throw new AppError('forbidden');
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const invoice = await visibleInvoiceOrThrow(tx, actor, invoiceId);
    const context = await loadIncentiveContext(tx, actor.tenantId, deps.clock);
    const row = await tx
      .insertInto('debt_cause_assessments')
      .values({
        tenant_id: actor.tenantId,
        invoice_id: invoice.id,
        is_not_sales_caused: input.isNotSalesCaused,
        effective_on: context.today,
        reason: input.reason,
        noted_by_user_id: actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'invoice.sales_cause_assessed',
      entityType: 'invoice',
      entityId: invoice.id,
      after: row,
    });
    return {
      invoiceId: invoice.id,
      isNotSalesCaused: row.is_not_sales_caused,
      effectiveOn: row.effective_on as CalendarDate,
      reason: row.reason,
    };
  });
}
