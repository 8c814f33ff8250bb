import { holdCauses, isCreditWarning, type CalendarDate, type CreditSettings } from '@huikuan/core';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';
import type { CustomerCreditEvaluation } from './credit-position';

/**
 * 停止供货 by the dunning ladder (the credit_hold step). The step stores why (a row in dunning_credit_holds naming the
 * invoice); the credit module reads it live like its other causes: the customer is held while that invoice is still
 * open as of the evaluation date, so paying (or crediting, or voiding) it releases the hold with nothing to undo, and
 * an approved credit override lifts it like the overdue cause.
 */

/**
 * Customers among `customerIds` held by a dunning hold on `today`: an unreleased hold whose invoice still has an open
 * balance (the ledger's definition: issued, not voided, total − posted credit notes − allocations > 0).
 */
export async function dunningHeldCustomerIds(
  tx: Tx,
  tenantId: string,
  customerIds: readonly string[],
  today: CalendarDate,
): Promise<Set<string>> {
  if (customerIds.length === 0) return new Set();
  const result = await sql<{ customer_id: string }>`
    SELECT DISTINCT h.customer_id FROM dunning_credit_holds h
    JOIN invoices i ON i.tenant_id = h.tenant_id AND i.id = h.invoice_id
    WHERE h.tenant_id = ${tenantId} AND h.released_at IS NULL AND h.placed_on <= ${today}::date
      AND h.customer_id = ANY(${[...customerIds]}::uuid[])
      AND NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.tenant_id = i.tenant_id AND v.invoice_id = i.id
                        AND v.voided_on <= ${today}::date)
      AND i.total_minor
        - coalesce((SELECT sum(cn.amount_minor) FROM credit_notes cn WHERE cn.tenant_id = i.tenant_id
                      AND cn.invoice_id = i.id AND cn.status = 'posted' AND cn.issued_on <= ${today}::date), 0)
        - coalesce((SELECT sum(a.amount_minor) FROM allocations a WHERE a.tenant_id = i.tenant_id
                      AND a.invoice_id = i.id AND a.allocated_on <= ${today}::date), 0) > 0`.execute(tx);
  return new Set(result.rows.map((row) => row.customer_id));
}

/**
 * Adds the dunning cause to credit evaluations (one statement for all of them): sets `hasDunningHold` on the
 * position and re-derives the causes with the same pure rules. Every place that evaluates customers calls this on
 * what evaluateCustomers returned, so a write, a view and the sweep agree.
 */
export async function withDunningHolds<T extends CustomerCreditEvaluation>(
  tx: Tx,
  tenantId: string,
  evaluations: T[],
  settings: CreditSettings,
  today: CalendarDate,
): Promise<T[]> {
  const held = await dunningHeldCustomerIds(
    tx,
    tenantId,
    evaluations.map((evaluation) => evaluation.customerId),
    today,
  );
  if (held.size === 0) return evaluations;
  for (const evaluation of evaluations) {
    if (!held.has(evaluation.customerId)) continue;
    evaluation.position = { ...evaluation.position, hasDunningHold: true };
    evaluation.causes = holdCauses(evaluation.position, settings);
    evaluation.isWarning = isCreditWarning(evaluation.position, settings);
  }
  return evaluations;
}
