import { addDays, type CalendarDate, type RecordScope } from '@huikuan/core';
import type { KpiGrouping } from '@huikuan/core/contracts';
import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../platform/db';
import { reportFilterCondition, type ReportFilter } from '../aging/report-filter';
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
  writtenOffMinor: bigint;
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

type Query = {
  tx: Tx;
  tenantId: string;
  periods: readonly KpiPeriod[];
  by: KpiGrouping;
  scope: RecordScope;
  filter: ReportFilter | undefined;
};

/** The caller's record scope and the report filter, on the customer row `c`. */
function customersOf(q: Query): RawBuilder<boolean> {
  return sql<boolean>`${customerScopeCondition(q.scope, 'c')} AND ${reportFilterCondition(q.tenantId, q.filter, 'c')}`;
}

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
  written_off: bigint;
  voided: bigint;
};

/** Whether a query must look at the customer: to group by it, or because scope or filter restrict it. */
function needsCustomer(q: Query): boolean {
  return (
    q.by !== 'organization' ||
    q.scope.kind !== 'all' ||
    q.filter?.teamId !== undefined ||
    q.filter?.salespersonId !== undefined
  );
}

/**
 * Balance totals from one stream of signed movements instead of a row per period and invoice: +total on the
 * invoice date; −amount for each allocation and posted credit note dated before the invoice's void (one on or after
 * the void changes nothing); −(what was still open) on the void date. The open amount at the end of day d is the
 * sum of the movements dated up to d, so with the periods' bounds as thresholds (width_bucket) every movement falls
 * in one slot, the slots are summed once per group, and B, S, E, received, credited and voided of each period are
 * sums of slots. B + S − E = received + credited + written off + voided holds by construction (reductions are dated on or after
 * their invoice's date, which the ledger enforces).
 *
 * C (open at `to` on invoices not yet due) needs each invoice's due date, so it is summed apart over the invoices
 * dated by `to` and due on or after it, a small share of the ledger.
 *
 * For the whole organization in the `all` scope, reductions are summed without visiting their invoices (their
 * currency is the invoice's, which the ledger enforces); otherwise every movement is mapped to its invoice's
 * customer for the group, the scope and the filter.
 */
async function balanceTotals(q: Query): Promise<BalanceRow[]> {
  const { tx, tenantId } = q;
  const viaInvoice = needsCustomer(q);
  // The slot thresholds are literals, so the planner knows how many movements a date bound keeps.
  const thresholds = [...new Set(q.periods.flatMap((period) => [period.from, addDays(period.to, 1)]))].sort();
  const endD = sql`${thresholds.at(-1) ?? '0001-01-01'}::date`;
  const firstTo = q.periods.reduce(
    (min, period) => (period.to < min ? period.to : min),
    q.periods[0]?.to ?? '',
  );
  const lastTo = q.periods.reduce((max, period) => (period.to > max ? period.to : max), '');
  const customerJoin = sql`LEFT JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id`;
  const reductions = (until: RawBuilder<unknown>) => sql`
    SELECT a.invoice_id, a.currency, a.allocated_on AS on_d, 2 AS kind, a.amount_minor AS amount FROM allocations a
    WHERE a.tenant_id = ${tenantId} AND a.invoice_id IS NOT NULL AND a.allocated_on < ${until}
    UNION ALL
    SELECT cn.invoice_id, cn.currency, cn.issued_on, CASE WHEN cn.kind = 'write_off' THEN 5 ELSE 3 END,
      cn.amount_minor FROM credit_notes cn
    WHERE cn.tenant_id = ${tenantId} AND cn.status = 'posted' AND cn.issued_on < ${until}`;
  const result = await sql<BalanceRow>`
    WITH ${periodsTable(q.periods)},
    bounds AS (SELECT ARRAY[${sql.join(thresholds.map((date) => sql`${date}::date`))}] AS t),
    movements AS (
      SELECT ${groupKeyOf(q.by)} AS group_key, i.currency, i.invoice_date AS on_d, 1 AS kind, i.total_minor AS amount
      FROM invoices i
      ${customerJoin}
      LEFT JOIN invoice_voids v ON v.tenant_id = i.tenant_id AND v.invoice_id = i.id
      WHERE i.tenant_id = ${tenantId} AND i.status = 'issued' AND i.invoice_date < ${endD}
        AND (v.voided_on IS NULL OR v.voided_on >= i.invoice_date) AND ${customersOf(q)}
      UNION ALL
      SELECT ${viaInvoice ? groupKeyOf(q.by) : sql`''`}, r.currency, r.on_d, r.kind, -r.amount
      FROM (${reductions(endD)}) r
      ${viaInvoice ? sql`JOIN invoices i ON i.tenant_id = ${tenantId} AND i.id = r.invoice_id ${customerJoin}` : sql``}
      LEFT JOIN invoice_voids v ON v.tenant_id = ${tenantId} AND v.invoice_id = r.invoice_id
      WHERE (v.voided_on IS NULL OR r.on_d < v.voided_on) ${viaInvoice ? sql`AND ${customersOf(q)}` : sql``}
      UNION ALL
      SELECT ${groupKeyOf(q.by)}, i.currency, v.voided_on, 4, -(i.total_minor - coalesce(before_void.amount, 0))
      FROM invoice_voids v
      JOIN invoices i ON i.tenant_id = v.tenant_id AND i.id = v.invoice_id
      ${customerJoin}
      LEFT JOIN (
        SELECT rv.invoice_id, sum(r.amount) AS amount
        FROM invoice_voids rv
        JOIN (${reductions(endD)}) r ON r.invoice_id = rv.invoice_id AND r.on_d < rv.voided_on
        WHERE rv.tenant_id = ${tenantId}
        GROUP BY rv.invoice_id
      ) before_void ON before_void.invoice_id = v.invoice_id
      WHERE v.tenant_id = ${tenantId} AND v.voided_on < ${endD} AND i.invoice_date <= v.voided_on
        AND ${customersOf(q)}
    ),
    slotted AS (
      SELECT m.group_key, m.currency, width_bucket(m.on_d, b.t) AS slot, sum(m.amount) AS net,
        coalesce(sum(m.amount) FILTER (WHERE m.kind = 1), 0) AS invoiced,
        coalesce(-sum(m.amount) FILTER (WHERE m.kind = 2), 0) AS received,
        coalesce(-sum(m.amount) FILTER (WHERE m.kind = 3), 0) AS credited,
        coalesce(-sum(m.amount) FILTER (WHERE m.kind = 5), 0) AS written_off,
        coalesce(-sum(m.amount) FILTER (WHERE m.kind = 4), 0) AS voided
      FROM movements m CROSS JOIN bounds b
      GROUP BY 1, 2, 3
    ),
    period_slots AS (
      SELECT p.idx, array_position(b.t, p.from_d) AS first_slot, array_position(b.t, p.to_d + 1) AS end_slot
      FROM periods p CROSS JOIN bounds b
    ),
    totals AS (
      SELECT ps.idx, s.group_key, s.currency,
        coalesce(sum(s.net) FILTER (WHERE s.slot < ps.first_slot), 0) AS opening,
        coalesce(sum(s.invoiced) FILTER (WHERE s.slot >= ps.first_slot), 0) AS invoiced,
        sum(s.net) AS ending,
        coalesce(sum(s.received) FILTER (WHERE s.slot >= ps.first_slot), 0) AS received,
        coalesce(sum(s.credited) FILTER (WHERE s.slot >= ps.first_slot), 0) AS credited,
        coalesce(sum(s.written_off) FILTER (WHERE s.slot >= ps.first_slot), 0) AS written_off,
        coalesce(sum(s.voided) FILTER (WHERE s.slot >= ps.first_slot), 0) AS voided
      FROM period_slots ps
      JOIN slotted s ON s.slot < ps.end_slot
      GROUP BY 1, 2, 3
    ),
    -- Invoices that are not yet due at some period's end: read once, then matched to the periods in memory.
    in_window AS MATERIALIZED (
      SELECT ${groupKeyOf(q.by)} AS group_key, i.id, i.currency, i.total_minor, i.invoice_date, i.due_date
      FROM invoices i
      ${customerJoin}
      WHERE i.tenant_id = ${tenantId} AND i.status = 'issued' AND ${customersOf(q)}
        AND i.due_date >= ${firstTo}::date AND i.invoice_date <= ${lastTo}::date
    ),
    not_due AS (
      SELECT p.idx, p.to_d, w.group_key, w.id, w.currency, w.total_minor, w.invoice_date
      FROM in_window w
      JOIN periods p ON p.to_d BETWEEN w.invoice_date AND w.due_date
      WHERE NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.tenant_id = ${tenantId} AND v.invoice_id = w.id
                          AND v.voided_on <= p.to_d)
    ),
    not_due_reduced AS (
      SELECT n.idx, n.id, sum(r.amount) AS amount
      FROM not_due n
      JOIN (${reductions(endD)}) r ON r.invoice_id = n.id AND r.on_d <= n.to_d
      -- Nothing reduces an invoice before its date: only the movements since the oldest of these invoices count.
      WHERE r.on_d >= (SELECT min(invoice_date) FROM in_window)
      GROUP BY 1, 2
    ),
    current AS (
      SELECT n.idx, n.group_key, n.currency, sum(n.total_minor - coalesce(nr.amount, 0)) AS amount
      FROM not_due n
      LEFT JOIN not_due_reduced nr ON nr.idx = n.idx AND nr.id = n.id
      GROUP BY 1, 2, 3
    )
    SELECT t.idx, t.group_key, t.currency, t.opening::bigint AS opening, t.invoiced::bigint AS invoiced,
      t.ending::bigint AS ending, coalesce(c.amount, 0)::bigint AS ending_current, t.received::bigint AS received,
      t.credited::bigint AS credited, t.written_off::bigint AS written_off, t.voided::bigint AS voided
    FROM totals t
    LEFT JOIN current c ON c.idx = t.idx AND c.group_key = t.group_key AND c.currency = t.currency`.execute(
    tx,
  );
  return result.rows;
}

type MonthRow = { group_key: string; currency: string; month: string; invoiced: bigint };

/** Gross invoiced per month up to the last period's end, the countback walk's input. */
async function monthlyInvoiced(q: Query, lastTo: CalendarDate): Promise<MonthRow[]> {
  const result = await sql<MonthRow>`
    SELECT m.group_key, m.currency, to_char(m.month, 'YYYY-MM') AS month, m.invoiced::bigint AS invoiced
    FROM (
      SELECT ${groupKeyOf(q.by)} AS group_key, i.currency, date_trunc('month', i.invoice_date) AS month,
        sum(i.total_minor) AS invoiced
      FROM invoices i
      LEFT JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
      WHERE i.tenant_id = ${q.tenantId} AND i.status = 'issued' AND i.invoice_date <= ${lastTo}::date
        AND ${customersOf(q)}
      GROUP BY 1, 2, 3
    ) m`.execute(q.tx);
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
      WHERE n.tenant_id = ${tenantId} AND ${customersOf(q)}
        AND n.due_date BETWEEN (SELECT min(from_d) FROM periods) AND (SELECT max(to_d) FROM periods)
    ),
    -- Allocations that name one of these nodes, or go to an invoice raised against one without naming a node.
    node_allocations AS (
      SELECT a.plan_node_id AS node_id, a.allocated_on, a.amount_minor FROM allocations a
      WHERE a.tenant_id = ${tenantId} AND a.plan_node_id IN (SELECT id FROM nodes)
      UNION ALL
      SELECT i.plan_node_id, a.allocated_on, a.amount_minor
      FROM invoices i
      JOIN allocations a ON a.tenant_id = i.tenant_id AND a.invoice_id = i.id AND a.plan_node_id IS NULL
      WHERE i.tenant_id = ${tenantId} AND i.plan_node_id IN (SELECT id FROM nodes)
    ),
    received AS (
      SELECT p.idx, nd.id AS node_id, sum(na.amount_minor) AS amount
      FROM periods p
      JOIN nodes nd ON nd.due_date BETWEEN p.from_d AND p.to_d
      JOIN node_allocations na ON na.node_id = nd.id AND na.allocated_on <= p.to_d
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
  filter?: ReportFilter,
): Promise<KpiTotals> {
  const last = periods.at(-1);
  if (!last) return { balances: new Map(), plans: new Map(), invoicedByMonth: new Map() };
  const q: Query = { tx, tenantId, periods, by, scope, filter };
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
      writtenOffMinor: row.written_off,
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
