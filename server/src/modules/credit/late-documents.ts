import type { CalendarDate } from '@huikuan/core';
import { sql, type RawBuilder } from 'kysely';

/**
 * The kept ledger figures (migration 0010) count every document, including those dated after today (back-office
 * entries ahead of time, rare). Credit decides as of today, so every credit statement starts with these CTEs and
 * treats the invoices they name apart:
 *
 * - `late`: the invoice_settlements row of every invoice touched by a document dated after today, with `amount`,
 *   what those later allocations and credit notes took off (so total − allocated − credited + amount is the open
 *   amount as of today; voids and invoices dated after today add 0 and are told apart by their dates);
 * - `late_customers`: their customers, whose figures are derived from their open items instead of the kept totals.
 *
 * Every branch reads a date index, so the CTEs cost a few index probes when nothing is dated after today.
 */
export function lateDocumentCtes(tenantId: string, today: CalendarDate): RawBuilder<unknown> {
  return sql`
    touched_after AS (
      SELECT r.invoice_id, sum(r.amount)::bigint AS amount FROM (
        SELECT a.invoice_id, a.amount_minor AS amount FROM allocations a
        WHERE a.tenant_id = ${tenantId} AND a.invoice_id IS NOT NULL AND a.allocated_on > ${today}::date
        UNION ALL
        SELECT cn.invoice_id, cn.amount_minor FROM credit_notes cn
        WHERE cn.tenant_id = ${tenantId} AND cn.status = 'posted' AND cn.issued_on > ${today}::date
        UNION ALL
        SELECT v.invoice_id, 0 FROM invoice_voids v WHERE v.tenant_id = ${tenantId} AND v.voided_on > ${today}::date
        UNION ALL
        SELECT i.id, 0 FROM invoices i
        WHERE i.tenant_id = ${tenantId} AND i.status = 'issued' AND i.invoice_date > ${today}::date
      ) r
      GROUP BY r.invoice_id
    ),
    late AS MATERIALIZED (
      SELECT s.*, t.amount FROM touched_after t
      JOIN invoice_settlements s ON s.tenant_id = ${tenantId} AND s.invoice_id = t.invoice_id
    ),
    late_customers AS (SELECT DISTINCT customer_id FROM late)`;
}
