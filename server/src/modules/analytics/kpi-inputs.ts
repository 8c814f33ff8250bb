import { addDays, type CalendarDate, type RecordScope } from '@huikuan/core';
import type { KpiGrouping } from '@huikuan/core/contracts';
import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../platform/db';
import { reportFilterCondition, type ReportFilter } from '../aging/report-filter';
import { customerScopeCondition } from '../customers/customer-access';
import {
  dateOfDay,
  dayOf,
  KIND_ALLOCATION,
  KIND_CREDIT_NOTE,
  ledgerView,
  NO_DAY,
  type LedgerView,
} from '../aging/ledger-cache';
import { isSelected, toMinor } from '../aging/ledger-scan';

/**
 * The exact totals behind the KPIs, for several periods and every group at once, in two statements whatever the
 * data size (never a query per invoice, customer or month): the ledger copy's refresh (aging/ledger-cache.ts),
 * from which balances and monthly invoicing are loops, and the plan nodes' query.
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

/** Group key per customer index of the ledger copy ('' = none, or the whole organization). */
function groupKeysOf(view: LedgerView, by: KpiGrouping): string[] {
  return view.ledger.customers.map((customer) => {
    switch (by) {
      case 'organization':
        return '';
      case 'team':
        return customer.teamId ?? '';
      case 'salesperson':
        return customer.ownerUserId ?? '';
      case 'customer':
        return customer.id;
    }
  });
}

/** Number of thresholds ≤ day (PostgreSQL's width_bucket over a sorted array). */
function slotOf(thresholds: Int32Array, day: number): number {
  let low = 0;
  let high = thresholds.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((thresholds[middle] ?? 0) <= day) low = middle + 1;
    else high = middle;
  }
  return low;
}

const SLOT_FIELDS = 6; // net, invoiced, received, credited, written off, voided

/**
 * Balance totals from the ledger copy (aging/ledger-cache.ts) as one stream of signed movements: +total on the
 * invoice date; −amount for each allocation and posted credit note dated before the invoice's void (one on or
 * after the void changes nothing); −(what was still open) on the void date. The open amount at the end of day d is
 * the sum of the movements dated up to d, so with the periods' bounds as thresholds every movement falls in one
 * slot, the slots are summed once per group, and B, S, E, received, credited and voided of each period are sums of
 * slots. B + S − E = received + credited + written off + voided holds by construction (reductions are dated on or
 * after their invoice's date, which the ledger enforces).
 *
 * C (open at `to` on invoices not yet due) is summed apart over the invoices dated by `to` and due on or after it.
 */
function balanceTotals(view: LedgerView, q: Query): BalanceRow[] {
  const { ledger } = view;
  const thresholdDates = [
    ...new Set(q.periods.flatMap((period) => [period.from, addDays(period.to, 1)])),
  ].sort();
  const thresholds = Int32Array.from(thresholdDates, dayOf);
  const endDay = thresholds.at(-1) ?? 0;
  const slots = thresholds.length + 1;
  const groupOfCustomer = groupKeysOf(view, q.by);
  const groupKeys = [...new Set(groupOfCustomer)];
  const groupIndex = new Map(groupKeys.map((key, index) => [key, index]));
  const groupOf = Int32Array.from(groupOfCustomer, (key) => groupIndex.get(key) ?? 0);
  const currencies = ledger.currencies.length;
  const cells = groupKeys.length * currencies;
  const sums = new Float64Array(cells * slots * SLOT_FIELDS);
  const used = new Uint8Array(cells);
  const add = (slot: number, day: number, field: number, amount: number) => {
    const cell = (groupOf[ledger.customer[slot] ?? 0] ?? 0) * currencies + (ledger.currency[slot] ?? 0);
    used[cell] = 1;
    const base = (cell * slots + slotOf(thresholds, day)) * SLOT_FIELDS;
    sums[base] = (sums[base] ?? 0) + amount;
    if (field !== 0) sums[base + field] = (sums[base + field] ?? 0) - amount;
  };
  const reducedBeforeVoid = new Float64Array(ledger.count);
  const { invoiceDay, voidDay, total } = ledger;
  for (let m = 0; m < ledger.movementCount; m += 1) {
    if (!ledger.isLive(m)) continue;
    const slot = ledger.mSlot[m] ?? 0;
    if (!isSelected(view, slot)) continue;
    const day = ledger.mDay[m] ?? 0;
    const amount = ledger.mAmount[m] ?? 0;
    if (day >= (voidDay[slot] ?? 0)) continue;
    reducedBeforeVoid[slot] = (reducedBeforeVoid[slot] ?? 0) + amount;
    if (day >= endDay) continue;
    const kind = ledger.mKind[m] ?? 0;
    add(slot, day, kind === KIND_ALLOCATION ? 2 : kind === KIND_CREDIT_NOTE ? 3 : 4, -amount);
  }
  for (let slot = 0; slot < ledger.count; slot += 1) {
    if (!isSelected(view, slot)) continue;
    const dated = invoiceDay[slot] ?? 0;
    const voided = voidDay[slot] ?? NO_DAY;
    if (dated < endDay && voided >= dated) {
      const cell = (groupOf[ledger.customer[slot] ?? 0] ?? 0) * currencies + (ledger.currency[slot] ?? 0);
      used[cell] = 1;
      const base = (cell * slots + slotOf(thresholds, dated)) * SLOT_FIELDS;
      sums[base] = (sums[base] ?? 0) + (total[slot] ?? 0);
      sums[base + 1] = (sums[base + 1] ?? 0) + (total[slot] ?? 0);
    }
    if (voided !== NO_DAY && voided < endDay && dated <= voided) {
      add(slot, voided, 5, -((total[slot] ?? 0) - (reducedBeforeVoid[slot] ?? 0)));
    }
  }
  const current = endingCurrent(view, q, groupOf, groupKeys.length);
  const rows: BalanceRow[] = [];
  q.periods.forEach((period, idx) => {
    const firstSlot = thresholdDates.indexOf(period.from) + 1;
    const endSlot = thresholdDates.indexOf(addDays(period.to, 1)) + 1;
    for (let cell = 0; cell < cells; cell += 1) {
      if (used[cell] !== 1) continue;
      const totals = new Float64Array(SLOT_FIELDS + 1); // opening, invoiced, ending, received, credited, w/o, voided
      for (let slot = 0; slot < endSlot; slot += 1) {
        const base = (cell * slots + slot) * SLOT_FIELDS;
        const net = sums[base] ?? 0;
        totals[2] = (totals[2] ?? 0) + net;
        if (slot < firstSlot) {
          totals[0] = (totals[0] ?? 0) + net;
        } else {
          for (let field = 1; field < SLOT_FIELDS; field += 1) {
            const target = field === 1 ? 1 : field + 1;
            totals[target] = (totals[target] ?? 0) + (sums[base + field] ?? 0);
          }
        }
      }
      rows.push({
        idx,
        group_key: groupKeys[Math.floor(cell / currencies)] ?? '',
        currency: ledger.currencies[cell % currencies] ?? '',
        opening: toMinor(totals[0] ?? 0),
        invoiced: toMinor(totals[1] ?? 0),
        ending: toMinor(totals[2] ?? 0),
        ending_current: toMinor(current[idx * cells + cell] ?? 0),
        received: toMinor(totals[3] ?? 0),
        credited: toMinor(totals[4] ?? 0),
        written_off: toMinor(totals[5] ?? 0),
        voided: toMinor(totals[6] ?? 0),
      });
    }
  });
  return rows;
}

/** C per period and cell: open at `to` of the invoices dated by `to`, due on or after it and not voided by then. */
function endingCurrent(view: LedgerView, q: Query, groupOf: Int32Array, groups: number): Float64Array {
  const { ledger } = view;
  const currencies = ledger.currencies.length;
  const cells = groups * currencies;
  const toDays = q.periods.map((period) => dayOf(period.to));
  const firstTo = Math.min(...toDays);
  const lastTo = Math.max(...toDays);
  const current = new Float64Array(q.periods.length * cells);
  const inWindow = new Uint8Array(ledger.count);
  const cellOf = (slot: number) =>
    (groupOf[ledger.customer[slot] ?? 0] ?? 0) * currencies + (ledger.currency[slot] ?? 0);
  const notDueAt = (slot: number, to: number) =>
    (ledger.invoiceDay[slot] ?? 0) <= to &&
    (ledger.dueDay[slot] ?? 0) >= to &&
    (ledger.voidDay[slot] ?? 0) > to;
  for (let slot = 0; slot < ledger.count; slot += 1) {
    if ((ledger.dueDay[slot] ?? 0) < firstTo || (ledger.invoiceDay[slot] ?? 0) > lastTo) continue;
    if (!isSelected(view, slot)) continue;
    toDays.forEach((to, idx) => {
      if (!notDueAt(slot, to)) return;
      inWindow[slot] = 1;
      const index = idx * cells + cellOf(slot);
      current[index] = (current[index] ?? 0) + (ledger.total[slot] ?? 0);
    });
  }
  for (let m = 0; m < ledger.movementCount; m += 1) {
    const slot = ledger.mSlot[m] ?? 0;
    if (inWindow[slot] !== 1 || !ledger.isLive(m)) continue;
    const day = ledger.mDay[m] ?? 0;
    toDays.forEach((to, idx) => {
      if (day > to || !notDueAt(slot, to)) return;
      const index = idx * cells + cellOf(slot);
      current[index] = (current[index] ?? 0) - (ledger.mAmount[m] ?? 0);
    });
  }
  return current;
}

type MonthRow = { group_key: string; currency: string; month: string; invoiced: bigint };

/** Gross invoiced per month up to the last period's end (voided invoices included), the countback walk's input. */
function monthlyInvoiced(view: LedgerView, q: Query, lastTo: CalendarDate): MonthRow[] {
  const { ledger } = view;
  const lastDay = dayOf(lastTo);
  const groupOfCustomer = groupKeysOf(view, q.by);
  const groupKeys = [...new Set(groupOfCustomer)];
  const groupIndex = new Map(groupKeys.map((key, index) => [key, index]));
  const groupOf = Int32Array.from(groupOfCustomer, (key) => groupIndex.get(key) ?? 0);
  let firstDay = lastDay;
  for (let slot = 0; slot < ledger.count; slot += 1) {
    firstDay = Math.min(firstDay, ledger.invoiceDay[slot] ?? lastDay);
  }
  // Month number (years × 12 + month) per day in range, then one typed array of sums per (group, currency, month).
  const firstMonth = monthNumber(dateOfDay(firstDay));
  const months = monthNumber(dateOfDay(lastDay)) - firstMonth + 1;
  const monthOfDay = new Int32Array(lastDay - firstDay + 1);
  for (let day = firstDay, month = 0; day <= lastDay; day += 1) {
    if (dateOfDay(day).endsWith('-01') && day !== firstDay) month += 1;
    monthOfDay[day - firstDay] = month;
  }
  const currencies = ledger.currencies.length;
  const sums = new Float64Array(groupKeys.length * currencies * months);
  const seen = new Uint8Array(sums.length);
  for (let slot = 0; slot < ledger.count; slot += 1) {
    const day = ledger.invoiceDay[slot] ?? 0;
    if (day > lastDay || !isSelected(view, slot)) continue;
    const cell =
      ((groupOf[ledger.customer[slot] ?? 0] ?? 0) * currencies + (ledger.currency[slot] ?? 0)) * months +
      (monthOfDay[day - firstDay] ?? 0);
    sums[cell] = (sums[cell] ?? 0) + (ledger.total[slot] ?? 0);
    seen[cell] = 1;
  }
  const rows: MonthRow[] = [];
  for (let cell = 0; cell < sums.length; cell += 1) {
    if (seen[cell] !== 1) continue;
    const month = firstMonth + (cell % months);
    rows.push({
      group_key: groupKeys[Math.floor(cell / (currencies * months))] ?? '',
      currency: ledger.currencies[Math.floor(cell / months) % currencies] ?? '',
      month: `${String(Math.floor(month / 12)).padStart(4, '0')}-${String((month % 12) + 1).padStart(2, '0')}`,
      invoiced: toMinor(sums[cell] ?? 0),
    });
  }
  return rows;
}

function monthNumber(date: string): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
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
  const view = await ledgerView(tx, tenantId, { scope, filter });
  const balanceRows = balanceTotals(view, q);
  const monthRows = monthlyInvoiced(view, q, last.to);
  const planRows = await planTotals(q);
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
