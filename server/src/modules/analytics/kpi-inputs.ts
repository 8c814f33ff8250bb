import type { CalendarDate, RecordScope } from '@huikuan/core';
import type { KpiGrouping } from '@huikuan/core/contracts';
import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../platform/db';
import { customerScopeCondition } from '../customers/customer-access';

/**
 * The exact totals behind the KPIs, for several periods and every group at once, in three set-based queries
 * whatever the data size (never a query per invoice, customer or month).
 *
 * Open amounts follow server/src/modules/receipts/balances.ts exactly: an issued invoice counts from its invoice
 * date unless voided on or before the date; posted credit notes reduce it from their issue date and allocations
 * (reversals are negative allocations) from their allocation date. Groups are the customer's current owner and
 * team (no ownership history); plan nodes belong to their contract's customer.
 */

export type KpiPeriod = { from: CalendarDate; to: CalendarDate };

export type BalanceTotals = {
  openingMinor: bigint;
  invoicedMinor: bigint;
  endingMinor: bigint;
  endingCurrentMinor: bigint;
  receivedMinor: bigint;
  creditedMinor: bigint;
  voidedMinor: bigint;
};

export type PlanTotals = { planDueMinor: bigint; planReceivedMinor: bigint };

/** Keyed by `${periodIndex}|${groupKey}|${currency}`; groupKey '' is "none" (or the whole organization). */
export type KpiTotals = {
  balances: Map<string, BalanceTotals>;
  plans: Map<string, PlanTotals>;
  /** Per `${groupKey}|${currency}`: gross invoiced by month 'YYYY-MM', invoices dated up to the last period's end. */
  invoicedByMonth: Map<string, Map<string, bigint>>;
};

export function totalsKey(periodIndex: number, groupKey: string, currency: string): string {
  return `${periodIndex}|${groupKey}|${currency}`;
}

function groupKeyOf(by: KpiGrouping): RawBuilder<string> {
  switch (by) {
    case 'organization':
      return sql<string>`''`;
    case 'team':
      return sql<string>`coalesce(c.team_id::text, '')`;
    case 'salesperson':
      return sql<string>`coalesce(c.owner_user_id::text, '')`;
    case 'customer':
      return sql<string>`c.id::text`;
  }
}

function periodsTable(periods: readonly KpiPeriod[]): RawBuilder<unknown> {
  const rows = periods.map((period, index) => sql`(${index}::int, ${period.from}::date, ${period.to}::date)`);
  return sql`periods (idx, from_d, to_d) AS (VALUES ${sql.join(rows)})`;
}

type Query = { tx: Tx; tenantId: string; periods: readonly KpiPeriod[]; by: KpiGrouping; scope: RecordScope };

type BalanceRow = {
  idx: number;
  group_key: string;
  currency: string;
  opening: bigint;
  invoiced: bigint;
  ending: bigint;
  ending_current: bigint;
  received: bigint;
  credited: bigint;
  voided: bigint;
};

/**
 * Per period, invoice: reductions before `from`, up to `to`, those inside P that still mattered (a reduction on or
 * after the void date changes nothing), and those before the void. A void in P takes off what was open just
 * before it, so received + credited + voided = B + S − E for every group (reductions dated on or after the
 * invoice date, which the ledger enforces).
 */
async function balanceTotals(q: Query): Promise<BalanceRow[]> {
  const { tx, tenantId } = q;
  const result = await sql<BalanceRow>`
    WITH ${periodsTable(q.periods)},
    inv AS (
      SELECT i.id, ${groupKeyOf(q.by)} AS group_key, i.currency, i.invoice_date, i.due_date, i.total_minor,
        v.voided_on
      FROM invoices i
      JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
      LEFT JOIN invoice_voids v ON v.tenant_id = i.tenant_id AND v.invoice_id = i.id
      WHERE i.tenant_id = ${tenantId} AND i.status = 'issued' AND ${customerScopeCondition(q.scope, 'c')}
        AND i.invoice_date <= (SELECT max(to_d) FROM periods)
        AND (v.voided_on IS NULL OR v.voided_on >= (SELECT min(from_d) FROM periods))
    ),
    red AS (
      SELECT cn.invoice_id, cn.issued_on AS on_d, cn.amount_minor AS amount, false AS is_allocation
      FROM credit_notes cn WHERE cn.tenant_id = ${tenantId} AND cn.status = 'posted'
      UNION ALL
      SELECT a.invoice_id, a.allocated_on, a.amount_minor, true
      FROM allocations a WHERE a.tenant_id = ${tenantId} AND a.invoice_id IS NOT NULL
    ),
    per_invoice AS (
      SELECT p.idx, p.from_d, p.to_d, i.id, i.group_key, i.currency, i.invoice_date, i.due_date, i.total_minor,
        i.voided_on,
        coalesce(sum(r.amount) FILTER (WHERE r.on_d < p.from_d), 0) AS red_before,
        coalesce(sum(r.amount), 0) AS red_to,
        coalesce(sum(r.amount) FILTER (WHERE r.is_allocation AND r.on_d >= p.from_d
          AND (i.voided_on IS NULL OR r.on_d < i.voided_on)), 0) AS received_in,
        coalesce(sum(r.amount) FILTER (WHERE NOT r.is_allocation AND r.on_d >= p.from_d
          AND (i.voided_on IS NULL OR r.on_d < i.voided_on)), 0) AS credited_in,
        coalesce(sum(r.amount) FILTER (WHERE r.on_d < i.voided_on), 0) AS red_before_void
      FROM periods p
      JOIN inv i ON i.invoice_date <= p.to_d AND (i.voided_on IS NULL OR i.voided_on >= p.from_d)
      LEFT JOIN red r ON r.invoice_id = i.id AND r.on_d <= p.to_d
      GROUP BY p.idx, p.from_d, p.to_d, i.id, i.group_key, i.currency, i.invoice_date, i.due_date,
        i.total_minor, i.voided_on
    )
    SELECT idx, group_key, currency,
      sum(CASE WHEN invoice_date < from_d THEN total_minor - red_before ELSE 0 END)::bigint AS opening,
      sum(CASE WHEN invoice_date >= from_d THEN total_minor ELSE 0 END)::bigint AS invoiced,
      sum(CASE WHEN voided_on IS NULL OR voided_on > to_d THEN total_minor - red_to ELSE 0 END)::bigint AS ending,
      sum(CASE WHEN (voided_on IS NULL OR voided_on > to_d) AND due_date >= to_d THEN total_minor - red_to
        ELSE 0 END)::bigint AS ending_current,
      sum(received_in)::bigint AS received,
      sum(credited_in)::bigint AS credited,
      sum(CASE WHEN voided_on <= to_d AND invoice_date <= voided_on THEN total_minor - red_before_void
        ELSE 0 END)::bigint AS voided
    FROM per_invoice
    GROUP BY idx, group_key, currency`.execute(tx);
  return result.rows;
}

type MonthRow = { group_key: string; currency: string; month: string; invoiced: bigint };

/** Gross invoiced per month up to the last period's end, the countback walk's input. */
async function monthlyInvoiced(q: Query, lastTo: CalendarDate): Promise<MonthRow[]> {
  const result = await sql<MonthRow>`
    SELECT ${groupKeyOf(q.by)} AS group_key, i.currency, to_char(i.invoice_date, 'YYYY-MM') AS month,
      sum(i.total_minor)::bigint AS invoiced
    FROM invoices i
    JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
    WHERE i.tenant_id = ${q.tenantId} AND i.status = 'issued' AND i.invoice_date <= ${lastTo}::date
      AND ${customerScopeCondition(q.scope, 'c')}
    GROUP BY 1, 2, 3`.execute(q.tx);
  return result.rows;
}

type PlanRow = { idx: number; group_key: string; currency: string; due: bigint; received: bigint };

/**
 * Plan nodes due in each period and what they had received by its end (as planNodeReceivedAsOf: allocations to
 * the node or to invoices raised against it), each node capped at its amount so an overpaid node cannot make up
 * for another one.
 */
async function planTotals(q: Query): Promise<PlanRow[]> {
  const { tx, tenantId } = q;
  const result = await sql<PlanRow>`
    WITH ${periodsTable(q.periods)},
    nodes AS (
      SELECT n.id, n.amount_minor, n.currency, n.due_date, ${groupKeyOf(q.by)} AS group_key
      FROM payment_plan_nodes n
      JOIN contracts k ON k.tenant_id = n.tenant_id AND k.id = n.contract_id
      JOIN customers c ON c.tenant_id = k.tenant_id AND c.id = k.customer_id
      WHERE n.tenant_id = ${tenantId} AND ${customerScopeCondition(q.scope, 'c')}
        AND n.due_date BETWEEN (SELECT min(from_d) FROM periods) AND (SELECT max(to_d) FROM periods)
    ),
    received AS (
      SELECT p.idx, coalesce(a.plan_node_id, i.plan_node_id) AS node_id, sum(a.amount_minor) AS amount
      FROM periods p
      JOIN allocations a ON a.tenant_id = ${tenantId} AND a.allocated_on <= p.to_d
      LEFT JOIN invoices i ON i.tenant_id = a.tenant_id AND i.id = a.invoice_id
      WHERE coalesce(a.plan_node_id, i.plan_node_id) IN (SELECT id FROM nodes)
      GROUP BY 1, 2
    )
    SELECT p.idx, nd.group_key, nd.currency, sum(nd.amount_minor)::bigint AS due,
      sum(greatest(0, least(coalesce(r.amount, 0), nd.amount_minor)))::bigint AS received
    FROM periods p
    JOIN nodes nd ON nd.due_date BETWEEN p.from_d AND p.to_d
    LEFT JOIN received r ON r.idx = p.idx AND r.node_id = nd.id
    GROUP BY 1, 2, 3`.execute(tx);
  return result.rows;
}

/**
 * All totals for `periods` (in date order; each period but the last must end on a month's last day, so one monthly
 * history up to the last end serves every countback walk).
 */
export async function kpiTotals(
  tx: Tx,
  tenantId: string,
  periods: readonly KpiPeriod[],
  by: KpiGrouping,
  scope: RecordScope,
): Promise<KpiTotals> {
  const last = periods.at(-1);
  if (!last) return { balances: new Map(), plans: new Map(), invoicedByMonth: new Map() };
  const q: Query = { tx, tenantId, periods, by, scope };
  const [balanceRows, monthRows, planRows] = [
    await balanceTotals(q),
    await monthlyInvoiced(q, last.to),
    await planTotals(q),
  ];
  const balances = new Map<string, BalanceTotals>();
  for (const row of balanceRows) {
    balances.set(totalsKey(row.idx, row.group_key, row.currency), {
      openingMinor: row.opening,
      invoicedMinor: row.invoiced,
      endingMinor: row.ending,
      endingCurrentMinor: row.ending_current,
      receivedMinor: row.received,
      creditedMinor: row.credited,
      voidedMinor: row.voided,
    });
  }
  const plans = new Map<string, PlanTotals>();
  for (const row of planRows) {
    plans.set(totalsKey(row.idx, row.group_key, row.currency), {
      planDueMinor: row.due,
      planReceivedMinor: row.received,
    });
  }
  const invoicedByMonth = new Map<string, Map<string, bigint>>();
  for (const row of monthRows) {
    const key = `${row.group_key}|${row.currency}`;
    const months = invoicedByMonth.get(key) ?? new Map<string, bigint>();
    months.set(row.month, row.invoiced);
    invoicedByMonth.set(key, months);
  }
  return { balances, plans, invoicedByMonth };
}
