import {
  EMPTY_PAYMENT_SUMS,
  paymentWindow,
  type CalendarDate,
  type CurrencyPaymentSums,
  type OpenItemsSummary,
  type PaymentSums,
} from '@huikuan/core';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';

/**
 * The inputs of payment behaviour for many customers at once, in two set-based statements whatever their number:
 * the payment sums (per customer, currency and month, plus the window's totals through GROUPING SETS) and the open
 * items (per customer and currency, with the largest overdue item). Both follow core/src/payment-behaviour.ts's
 * rules, which `sumPayments` and `summariseOpenItems` state in TypeScript; the tests check the two agree.
 *
 * The customer ids travel as one array parameter, so a list of any length is one parameter, not thousands.
 */

export type BehaviourInputs = {
  payments: CurrencyPaymentSums[];
  openItems: OpenItemsSummary[];
};

type SumsEntry = { total: PaymentSums; byMonth: Map<string, PaymentSums> };

type PaymentRow = {
  customer_id: string;
  currency: string;
  month: string | null;
  is_total: boolean;
  paid: string;
  days_to_pay: string;
  days_late: string;
  late_paid: string;
  payment_count: number;
  invoice_count: number;
};

/**
 * Payments: positive allocations to an invoice (write-off recoveries and plan-node prepayments have no invoice),
 * dated by the ledger on or before `asOf`, whose reversal (if any) is dated after `asOf`. A reversed receipt
 * reverses each of its allocations on its reversal date, so this one anti-join covers both kinds of undoing.
 * The payment date is greatest(receipt date, invoice date): see payment-behaviour.ts. Products of amount and days
 * are summed as numeric (they can pass 2^63) and read back as text into bigint.
 */
async function paymentSums(tx: Tx, tenantId: string, customerIds: readonly string[], asOf: CalendarDate) {
  const { fromDate } = paymentWindow(asOf);
  const result = await sql<PaymentRow>`
    WITH paid AS (
      SELECT i.customer_id, i.currency, i.id AS invoice_id, a.amount_minor,
        greatest(r.received_on, i.invoice_date) AS paid_on, i.invoice_date, i.due_date
      FROM allocations a
      JOIN invoices i ON i.tenant_id = a.tenant_id AND i.id = a.invoice_id
      JOIN receipts r ON r.tenant_id = a.tenant_id AND r.id = a.receipt_id
      LEFT JOIN allocations x ON x.tenant_id = a.tenant_id AND x.reverses_allocation_id = a.id
        AND x.allocated_on <= ${asOf}::date
      WHERE a.tenant_id = ${tenantId} AND a.amount_minor > 0 AND a.invoice_id IS NOT NULL
        AND a.allocated_on >= ${fromDate}::date AND a.allocated_on <= ${asOf}::date
        AND i.customer_id = ANY(${customerIds}::uuid[])
        AND x.id IS NULL
    ),
    windowed AS (
      SELECT p.*, to_char(p.paid_on, 'YYYY-MM') AS month,
        (p.paid_on - p.invoice_date) AS days_to_pay, greatest(p.paid_on - p.due_date, 0) AS days_late
      FROM paid p
      WHERE p.paid_on >= ${fromDate}::date
    )
    SELECT customer_id, currency, month, GROUPING(month) = 1 AS is_total,
      sum(amount_minor)::text AS paid,
      sum(amount_minor::numeric * days_to_pay)::text AS days_to_pay,
      sum(amount_minor::numeric * days_late)::text AS days_late,
      coalesce(sum(amount_minor) FILTER (WHERE days_late > 0), 0)::text AS late_paid,
      count(*)::int AS payment_count,
      count(DISTINCT invoice_id)::int AS invoice_count
    FROM windowed
    GROUP BY GROUPING SETS ((customer_id, currency, month), (customer_id, currency))`.execute(tx);
  const byCustomer = new Map<string, Map<string, SumsEntry>>();
  for (const row of result.rows) {
    const currencies = byCustomer.get(row.customer_id) ?? new Map<string, SumsEntry>();
    byCustomer.set(row.customer_id, currencies);
    const entry = currencies.get(row.currency) ?? {
      total: EMPTY_PAYMENT_SUMS,
      byMonth: new Map<string, PaymentSums>(),
    };
    currencies.set(row.currency, entry);
    const sums: PaymentSums = {
      paidMinor: BigInt(row.paid),
      daysToPayMinorDays: BigInt(row.days_to_pay),
      daysLateMinorDays: BigInt(row.days_late),
      latePaidMinor: BigInt(row.late_paid),
      paymentCount: row.payment_count,
      paidInvoiceCount: row.invoice_count,
    };
    if (row.is_total) entry.total = sums;
    else if (row.month !== null) entry.byMonth.set(row.month, sums);
  }
  return byCustomer;
}

type OpenRow = {
  customer_id: string;
  currency: string;
  open_minor: bigint;
  overdue_minor: bigint;
  oldest_overdue_days: number | null;
  largest_id: string | null;
  largest_number: string | null;
  largest_open_minor: bigint | null;
  largest_due_date: CalendarDate | null;
  largest_days_overdue: number | null;
};

/**
 * Open items as of `asOf` with balances.ts's semantics: an invoice counts from its invoice date, credit notes
 * (write-offs included) and allocations from their own dates, nothing once voided. Per-invoice sums are GROUP BY
 * subqueries joined in (no correlated subquery per invoice); the largest overdue item is a DISTINCT ON.
 */
async function openItems(tx: Tx, tenantId: string, customerIds: readonly string[], asOf: CalendarDate) {
  const result = await sql<OpenRow>`
    WITH scoped_invoices AS (
      SELECT i.id, i.number, i.customer_id, i.currency, i.due_date, i.total_minor
      FROM invoices i
      WHERE i.tenant_id = ${tenantId} AND i.status = 'issued' AND i.invoice_date <= ${asOf}::date
        AND i.customer_id = ANY(${customerIds}::uuid[])
        AND NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.tenant_id = i.tenant_id AND v.invoice_id = i.id
                          AND v.voided_on <= ${asOf}::date)
    ),
    credited AS (
      SELECT cn.invoice_id, sum(cn.amount_minor) AS amount FROM credit_notes cn
      JOIN scoped_invoices s ON s.id = cn.invoice_id
      WHERE cn.tenant_id = ${tenantId} AND cn.status = 'posted' AND cn.issued_on <= ${asOf}::date
      GROUP BY cn.invoice_id
    ),
    allocated AS (
      SELECT a.invoice_id, sum(a.amount_minor) AS amount FROM allocations a
      JOIN scoped_invoices s ON s.id = a.invoice_id
      WHERE a.tenant_id = ${tenantId} AND a.allocated_on <= ${asOf}::date
      GROUP BY a.invoice_id
    ),
    items AS (
      SELECT s.id, s.number, s.customer_id, s.currency, s.due_date,
        (s.total_minor - coalesce(cr.amount, 0) - coalesce(al.amount, 0))::bigint AS open_minor,
        (${asOf}::date - s.due_date)::int AS days_overdue
      FROM scoped_invoices s
      LEFT JOIN credited cr ON cr.invoice_id = s.id
      LEFT JOIN allocated al ON al.invoice_id = s.id
    ),
    open_items AS (SELECT * FROM items WHERE open_minor > 0),
    largest AS (
      SELECT DISTINCT ON (customer_id, currency) customer_id, currency, id, number, open_minor, due_date,
        days_overdue
      FROM open_items WHERE days_overdue > 0
      ORDER BY customer_id, currency, open_minor DESC, days_overdue DESC, number
    )
    SELECT g.customer_id, g.currency, g.open_minor, g.overdue_minor, g.oldest_overdue_days,
      l.id AS largest_id, l.number AS largest_number, l.open_minor AS largest_open_minor,
      l.due_date AS largest_due_date, l.days_overdue AS largest_days_overdue
    FROM (
      SELECT customer_id, currency, sum(open_minor)::bigint AS open_minor,
        coalesce(sum(open_minor) FILTER (WHERE days_overdue > 0), 0)::bigint AS overdue_minor,
        max(days_overdue) FILTER (WHERE days_overdue > 0) AS oldest_overdue_days
      FROM open_items GROUP BY customer_id, currency
    ) g
    LEFT JOIN largest l ON l.customer_id = g.customer_id AND l.currency = g.currency`.execute(tx);
  const byCustomer = new Map<string, OpenItemsSummary[]>();
  for (const row of result.rows) {
    const list = byCustomer.get(row.customer_id) ?? [];
    byCustomer.set(row.customer_id, list);
    list.push({
      currency: row.currency,
      openMinor: row.open_minor,
      overdueMinor: row.overdue_minor,
      oldestOverdueDays: row.oldest_overdue_days,
      largestOverdue:
        row.largest_id === null
          ? null
          : {
              invoiceId: row.largest_id,
              invoiceNumber: row.largest_number ?? '',
              openMinor: row.largest_open_minor ?? 0n,
              dueDate: row.largest_due_date ?? asOf,
              daysOverdue: row.largest_days_overdue ?? 0,
            },
    });
  }
  return byCustomer;
}

/** Both inputs for every customer in `customerIds` (customers without any history get empty inputs). */
export async function behaviourInputs(
  tx: Tx,
  tenantId: string,
  customerIds: readonly string[],
  asOf: CalendarDate,
): Promise<Map<string, BehaviourInputs>> {
  const inputs = new Map<string, BehaviourInputs>();
  if (customerIds.length === 0) return inputs;
  const ids = [...new Set(customerIds)];
  const payments = await paymentSums(tx, tenantId, ids, asOf);
  const open = await openItems(tx, tenantId, ids, asOf);
  for (const id of ids) {
    const currencies = payments.get(id) ?? new Map<string, SumsEntry>();
    inputs.set(id, {
      payments: [...currencies.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([currency, entry]) => ({ currency, total: entry.total, byMonth: entry.byMonth })),
      openItems: (open.get(id) ?? []).sort((a, b) => (a.currency < b.currency ? -1 : 1)),
    });
  }
  return inputs;
}
