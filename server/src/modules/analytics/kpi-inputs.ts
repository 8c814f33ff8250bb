import type { CalendarDate, RecordScope } from '@huikuan/core';
import type { KpiGrouping } from '@huikuan/core/contracts';
import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../platform/db';
import { dayOf, ledgerView } from '../aging/ledger-cache';
import { reportFilterCondition, type ReportFilter } from '../aging/report-filter';
import { customerScopeCondition } from '../customers/customer-access';
import { groupsOf, scanBalances, type BalanceRow, type DayPeriod, type MonthRow } from './balance-scan';
import { withPlanCopy } from './plan-cache';
import { planTotalsFromCopy, type PlanRow } from './plan-totals';

/**
 * The exact totals behind the KPIs, for several periods and every group at once, in two statements whatever the
 * data size (never a query per invoice, customer, node or month): the plan copy's refresh (plan-cache.ts) and the
 * ledger copy's (aging/ledger-cache.ts), from which balances, monthly invoicing and the plan nodes' totals are
 * loops (balance-scan.ts, plan-totals.ts). A transaction that has written anything reads the plan nodes' totals
 * with SQL instead (planTotalsSql: one statement more).
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

export type Query = {
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

/**
 * Plan nodes due in each period and what they had received by its end (as planNodeReceivedAsOf: allocations to
 * the node or to invoices raised against it), each node capped at its amount so an overpaid node cannot make up
 * for another one. The plan copy answers the same from memory (plan-totals.ts); this reads the documents, for a
 * transaction that has written anything and as the reference the copy is tested against.
 */
export async function planTotalsSql(q: Query): Promise<PlanRow[]> {
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

function keyedTotals(balanceRows: BalanceRow[], planRows: PlanRow[], monthRows: MonthRow[]): KpiTotals {
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

/** The periods as day numbers, checked to be in date order without overlapping (every loop relies on it). */
function dayPeriodsOf(periods: readonly KpiPeriod[]): DayPeriod[] {
  const days = periods.map((period) => ({ fromDay: dayOf(period.from), toDay: dayOf(period.to) }));
  days.forEach((period, index) => {
    const before = days[index - 1];
    if (period.toDay < period.fromDay || (before !== undefined && period.fromDay <= before.toDay)) {
      throw new Error(
        'KPI periods must be in date order, each ending on or after its start, and not overlap',
      );
    }
  });
  return days;
}

/**
 * All totals for `periods` (in date order, not overlapping; each period but the last must end on a month's last
 * day, so one monthly history up to the last end serves every countback walk).
 *
 * The plan copy is refreshed first and the ledger copy second: the ledger's later snapshot knows every customer
 * a plan node can name.
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
  const dayPeriods = dayPeriodsOf(periods);
  const q: Query = { tx, tenantId, periods, by, scope, filter };
  return withPlanCopy(tx, tenantId, async (planCopy) => {
    const view = await ledgerView(tx, tenantId, { scope, filter });
    const groups = groupsOf(view, by);
    const { balances, months } = scanBalances(view, dayPeriods, groups);
    const planRows =
      planCopy === null ? await planTotalsSql(q) : planTotalsFromCopy(planCopy, view, dayPeriods, groups);
    return keyedTotals(balances, planRows, months);
  });
}
