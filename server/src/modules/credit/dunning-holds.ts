import type { CalendarDate } from '@huikuan/core';
import { sql, type RawBuilder } from 'kysely';

/**
 * 停止供货 by the dunning ladder (the credit_hold step). The step stores why (a row in dunning_credit_holds naming the
 * invoice); the credit module reads it live like its other causes: the customer is held while that invoice is still
 * open as of the evaluation date, so paying (or crediting, or voiding) it releases the hold with nothing to undo, and
 * an approved credit override lifts it like the overdue cause.
 */

/**
 * A CTE `dunning_held`: the customers held by a dunning hold today, among those `customerCondition` (a condition on
 * `h.customer_id`) lets through — an unreleased hold placed by today whose invoice still has an open balance as of
 * today (the ledger's definition: issued, not voided, total − posted credit notes − allocations > 0).
 *
 * Every statement that evaluates credit reads it in the same statement as the other causes (no second round trip
 * with the customer ids). Open as of today is the kept figure (invoice_settlements.open_minor, 0 once voided) except
 * for invoices touched by documents dated after today, whose open amount as of today comes from the `late` CTE
 * (late-documents.ts), which the statement must define.
 *
 * Holds are not marked released when their invoice is paid, so they pile up (a catch-up run of the dunning bench
 * holds 259,000 invoices of 10,400 customers). One open invoice is enough to hold a customer, so each customer's
 * holds are probed only until the first open one (LIMIT 1 keeps the subquery a per-customer loop): measured there,
 * 3.3-3.9 s for probing every hold against 0.3-0.5 s (loaded machine).
 */
export function dunningHeldCte(
  tenantId: string,
  today: CalendarDate,
  customerCondition: RawBuilder<boolean>,
): RawBuilder<unknown> {
  const unreleased = sql`h.tenant_id = ${tenantId} AND h.released_at IS NULL AND h.placed_on <= ${today}::date`;
  return sql`
    dunning_held AS (
      SELECT held.customer_id FROM (
        SELECT DISTINCT h.customer_id FROM dunning_credit_holds h WHERE ${unreleased} AND ${customerCondition}
      ) held
      CROSS JOIN LATERAL (
        SELECT 1 FROM dunning_credit_holds h
        JOIN invoice_settlements s ON s.tenant_id = h.tenant_id AND s.invoice_id = h.invoice_id
        LEFT JOIN late l ON l.invoice_id = h.invoice_id
        WHERE ${unreleased} AND h.customer_id = held.customer_id
          AND CASE WHEN l.invoice_id IS NULL THEN s.open_minor > 0
            ELSE (l.voided_on IS NULL OR l.voided_on > ${today}::date)
              AND l.total_minor - l.allocated_minor - l.credited_minor + l.amount > 0 END
        LIMIT 1
      ) open_hold
    )`;
}
