import type { CalendarDate } from '@huikuan/core';
import type { ProductConditionHistory } from '@huikuan/core/contracts';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { organizationToday } from '../contracts/ledger-input';
import { visibleInvoiceOrThrow } from './invoice-access';

export type ProductConditionInput = {
  condition: 'normal' | 'abnormal';
  effectiveOn?: CalendarDate | undefined;
  reason: string;
};

async function historyOf(tx: Tx, tenantId: string, invoiceId: string, today: string) {
  const rows = await tx
    .selectFrom('invoice_conditions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('invoice_id', '=', invoiceId)
    .orderBy('effective_on', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
  const current = rows.find((row) => row.effective_on <= today)?.condition ?? 'normal';
  return {
    current: current as ProductConditionHistory['current'],
    entries: rows.map((row) => ({
      id: row.id,
      condition: row.condition as ProductConditionHistory['current'],
      effectiveOn: row.effective_on,
      reason: row.reason,
      notedByUserId: row.noted_by_user_id,
      createdAt: row.created_at.toISOString(),
    })),
  };
}

export async function getProductCondition(
  deps: AppDeps,
  actor: Actor,
  invoiceId: string,
): Promise<ProductConditionHistory> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    await visibleInvoiceOrThrow(tx, actor, invoiceId);
    return historyOf(tx, actor.tenantId, invoiceId, await organizationToday(tx, actor.tenantId, deps.clock));
  });
}

/**
 * 标记产品状况: records that a debt is (or is again) for normal or abnormal goods from a date on. Appended, never
 * edited, so aging as of an earlier date still shows what was known then.
 */
export async function recordProductCondition(
  deps: AppDeps,
  actor: Actor,
  invoiceId: string,
  input: ProductConditionInput,
): Promise<ProductConditionHistory> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const invoice = await visibleInvoiceOrThrow(tx, actor, invoiceId);
    if (invoice.status !== 'issued') {
      throw new AppError('conflict', { detail: `invoice ${invoice.number} is a draft; issue it first` });
    }
    const today = await organizationToday(tx, actor.tenantId, deps.clock);
    const effectiveOn = input.effectiveOn ?? today;
    if (effectiveOn < invoice.invoice_date || effectiveOn > today) {
      throw new AppError('validation_failed', {}, [
        {
          path: 'effectiveOn',
          message: `Between the invoice date ${invoice.invoice_date} and today ${today}`,
        },
      ]);
    }
    const row = await tx
      .insertInto('invoice_conditions')
      .values({
        tenant_id: actor.tenantId,
        invoice_id: invoice.id,
        condition: input.condition,
        effective_on: effectiveOn,
        reason: input.reason,
        noted_by_user_id: actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'invoice.product_condition_recorded',
      entityType: 'invoice',
      entityId: invoice.id,
      after: row,
    });
    return historyOf(tx, actor.tenantId, invoice.id, today);
  });
}
