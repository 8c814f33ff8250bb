import {
  minorToDecimalString,
  type CalendarDate,
  type RecordScope,
  RECEIVABLE_CLASSES,
  bucketKeys,
  type AgingBasis,
  type AgingSettings,
} from '@huikuan/core';
import {
  DISPUTED_COLUMN,
  PRODUCT_CONDITIONS,
  type AgingDimension,
  type AgingReport,
  type AgingView,
} from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { todayIn } from '../../platform/clock';
import { recordScope, type Actor } from '../../platform/request-context';
import { loadAgingContext } from './aging-settings';
import { dayOf, ledgerView, type CustomerInfo, type LedgerView } from './ledger-cache';
import { decimalFormatter, numberFormatter, openAt, rangeOf, toMinor, yearTable } from './ledger-scan';
import { tuneForReport } from './report-session';
import {
  assertAgreesWithLedger,
  groupIdSql,
  groupLabelSql,
  ledgerOpenByCurrency,
  openItemsCte,
  rangeIndexSql,
} from './open-items';
import type { ReportFilter } from './report-filter';

export type AgingParams = {
  asOf: string;
  by: AgingDimension;
  basis: AgingBasis;
  view: AgingView;
  /** Open disputes' disputed amounts go to a last column, `disputed`, instead of their buckets. */
  excludeDisputed?: boolean | undefined;
};

/** One group's amounts in one currency, money in minor units; `columns` is indexed like the report's columns. */
export type AgingGroup = {
  id: string | null;
  key: string;
  name: string;
  currency: string;
  columnsMinor: bigint[];
  totalMinor: bigint;
};

export type AgingResult = { columns: string[]; groups: AgingGroup[] };

/** The row key for items without the grouped entity (no salesperson, no team, no contract, no plan node). */
export const NO_GROUP_KEY = '(none)';

function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

type AggregateRow = {
  group_id: string | null;
  key: string | null;
  name: string | null;
  currency: string;
  col: number;
  amount: bigint;
};

/**
 * Aging in a fixed number of statements whatever the data size, scope or filter: by customer, salesperson or team
 * a loop over the ledger copy (ledger-cache.ts, one refresh statement), by contract or plan node one aggregate query
 * over the maintained settlements; then the ledger check. Rows are sorted by key in code-point order; every group
 * has a non-zero total.
 */
export async function computeAging(
  tx: Tx,
  tenantId: string,
  scope: RecordScope,
  settings: AgingSettings,
  params: AgingParams,
  filter?: ReportFilter,
): Promise<AgingResult> {
  const aging = await checkedAging(tx, tenantId, scope, settings, params, filter);
  return isLedgerDimension(params.by) ? toAgingResult(aging as LedgerAging) : (aging as AgingResult);
}

function isLedgerDimension(by: AgingDimension): boolean {
  return by === 'customer' || by === 'salesperson' || by === 'team';
}

/** The report's groups (from the ledger copy or SQL by dimension), checked against the ledger's open balance. */
async function checkedAging(
  tx: Tx,
  tenantId: string,
  scope: RecordScope,
  settings: AgingSettings,
  params: AgingParams,
  filter?: ReportFilter,
): Promise<LedgerAging | AgingResult> {
  let aging: LedgerAging | AgingResult;
  let reportTotals: Map<string, bigint>;
  if (isLedgerDimension(params.by)) {
    const fromLedger = await agingFromLedger(tx, tenantId, scope, settings, params, filter);
    aging = fromLedger;
    reportTotals = ledgerTotalsOf(fromLedger);
  } else {
    const fromSql = await agingFromSql(tx, tenantId, scope, settings, params, filter);
    aging = fromSql;
    reportTotals = new Map<string, bigint>();
    for (const group of fromSql.groups) {
      reportTotals.set(group.currency, (reportTotals.get(group.currency) ?? 0n) + group.totalMinor);
    }
  }
  const ledgerTotals = await ledgerOpenByCurrency(tx, tenantId, params.asOf, scope, filter);
  assertAgreesWithLedger(reportTotals, ledgerTotals, 'Aging');
  return aging;
}

/**
 * The column of each open item of the ledger copy (Int16Array by slot, −1 for items the report leaves out), and the
 * column keys. Ranges go through a table by age in days, so the loop has no branches per bound.
 */
function ledgerColumns(
  view: LedgerView,
  settings: AgingSettings,
  params: AgingParams,
  asOfDay: number,
  open: Float64Array,
): { column: Int16Array; columns: string[] } {
  const { ledger } = view;
  const column = new Int16Array(ledger.count).fill(-1);
  const selected = view.selected;
  const customerOf = ledger.customer;
  const isIn = (slot: number) =>
    open[slot] !== 0 && (selected === null || selected[customerOf[slot] ?? 0] === 1);
  if (params.view === 'buckets' || params.view === 'classes') {
    const bounds = params.view === 'buckets' ? settings.bucketBoundsDays : settings.classBoundsDays;
    const last = bounds.at(-1) ?? 0;
    const byAge = new Int16Array(last + 1);
    for (let age = 1; age <= last; age += 1) byAge[age] = rangeOf(age, bounds);
    const ageFrom = params.basis === 'due_date' ? ledger.dueDay : ledger.invoiceDay;
    for (let slot = 0; slot < ledger.count; slot += 1) {
      if (!isIn(slot)) continue;
      const age = asOfDay - (ageFrom[slot] ?? 0);
      column[slot] = age <= 0 ? 0 : age > last ? bounds.length : (byAge[age] ?? 0);
    }
    return {
      column,
      columns: params.view === 'buckets' ? bucketKeys(settings.bucketBoundsDays) : [...RECEIVABLE_CLASSES],
    };
  }
  if (params.view === 'condition') {
    for (let slot = 0; slot < ledger.count; slot += 1) {
      if (isIn(slot)) column[slot] = view.abnormal?.has(slot) === true ? 1 : 0;
    }
    return { column, columns: [...PRODUCT_CONDITIONS] };
  }
  const yearOf = yearTable();
  const yearOfSlot = new Int32Array(ledger.count);
  const years = new Set<number>();
  for (let slot = 0; slot < ledger.count; slot += 1) {
    if (!isIn(slot)) continue;
    const year = yearOf(ledger.invoiceDay[slot] ?? 0);
    yearOfSlot[slot] = year;
    years.add(year);
  }
  const columns = [...years].map(String).sort(byCodePoint);
  const indexOfYear = new Map(columns.map((year, index) => [Number(year), index]));
  for (let slot = 0; slot < ledger.count; slot += 1) {
    if (yearOfSlot[slot] !== 0) column[slot] = indexOfYear.get(yearOfSlot[slot] ?? 0) ?? 0;
  }
  return { column, columns };
}

async function agingFromLedger(
  tx: Tx,
  tenantId: string,
  scope: RecordScope,
  settings: AgingSettings,
  params: AgingParams,
  filter?: ReportFilter,
): Promise<LedgerAging> {
  const view = await ledgerView(tx, tenantId, {
    scope,
    filter,
    abnormalAsOf: params.view === 'condition' ? params.asOf : undefined,
    disputedAsOf: params.excludeDisputed === true ? params.asOf : undefined,
    labels: params.by !== 'customer',
  });
  const { ledger } = view;
  const open = openAt(ledger, dayOf(params.asOf));
  const ranged = ledgerColumns(view, settings, params, dayOf(params.asOf), open);
  const { column } = ranged;
  const columns = view.disputed === null ? ranged.columns : [...ranged.columns, DISPUTED_COLUMN];
  const width = columns.length;
  const currencies = ledger.currencies.length;
  // Per customer first (owner and team follow the customer), then mapped to the group.
  const sums = new Float64Array(ledger.customers.length * currencies * width);
  const { customer, currency } = ledger;
  for (let slot = 0; slot < ledger.count; slot += 1) {
    const col = column[slot] ?? -1;
    if (col === -1) continue;
    const cell = ((customer[slot] ?? 0) * currencies + (currency[slot] ?? 0)) * width + col;
    sums[cell] = (sums[cell] ?? 0) + (open[slot] ?? 0);
  }
  if (view.disputed !== null)
    moveDisputed(view.disputed, column, open, sums, { currencies, width, customer, currency });
  // Groups summed in exact doubles into one shared array (a group is an offset into it), formatted at the end.
  const groupIndex = new Map<string, number>();
  const labels: { label: ReturnType<typeof groupOf>; currency: string }[] = [];
  const groupCells = params.by === 'customer' ? sums : new Float64Array(sums.length);
  const offsets: number[] = [];
  for (let customerIndex = 0; customerIndex < ledger.customers.length; customerIndex += 1) {
    for (let currencyIndex = 0; currencyIndex < currencies; currencyIndex += 1) {
      const base = (customerIndex * currencies + currencyIndex) * width;
      let any = false;
      for (let col = 0; col < width; col += 1) if (sums[base + col] !== 0) any = true;
      if (!any) continue;
      const customer = ledger.customers[customerIndex] as CustomerInfo;
      const code = ledger.currencies[currencyIndex] ?? '';
      if (params.by === 'customer') {
        labels.push({ label: groupOf(view, params.by, customer), currency: code });
        offsets.push(base);
        continue;
      }
      const id = params.by === 'salesperson' ? customer.ownerUserId : customer.teamId;
      const mapKey = `${id ?? ''}|${code}`;
      let index = groupIndex.get(mapKey);
      if (index === undefined) {
        index = labels.length;
        groupIndex.set(mapKey, index);
        labels.push({ label: groupOf(view, params.by, customer), currency: code });
        offsets.push(index * width);
      }
      const offset = offsets[index] ?? 0;
      for (let col = 0; col < width; col += 1) {
        groupCells[offset + col] = (groupCells[offset + col] ?? 0) + (sums[base + col] ?? 0);
      }
    }
  }
  const result: LedgerAgingGroup[] = [];
  labels.forEach(({ label, currency: code }, index) => {
    const offset = offsets[index] ?? 0;
    let total = 0;
    for (let col = 0; col < width; col += 1) total += groupCells[offset + col] ?? 0;
    if (total !== 0) {
      result.push({
        id: label.id,
        key: label.key,
        name: label.name,
        currency: code,
        cells: groupCells,
        offset,
        total,
      });
    }
  });
  return {
    columns,
    groups: result.sort((a, b) => byCodePoint(a.key, b.key) || byCodePoint(a.currency, b.currency)),
  };
}

/**
 * Moves each open item's disputed part (at most what is open) from its column to the last one, `disputed`, so the
 * row's total, and so the check against the ledger, stays what it was.
 */
function moveDisputed(
  disputed: Map<number, number>,
  column: Int16Array,
  open: Float64Array,
  sums: Float64Array,
  layout: { currencies: number; width: number; customer: Int32Array; currency: Uint8Array },
): void {
  for (const [slot, amount] of disputed) {
    const col = column[slot] ?? -1;
    const openMinor = open[slot] ?? 0;
    if (col === -1 || openMinor <= 0) continue;
    const part = Math.min(openMinor, amount);
    const base =
      ((layout.customer[slot] ?? 0) * layout.currencies + (layout.currency[slot] ?? 0)) * layout.width;
    sums[base + col] = (sums[base + col] ?? 0) - part;
    sums[base + layout.width - 1] = (sums[base + layout.width - 1] ?? 0) + part;
  }
}

/** A group of the ledger path: amounts as exact integers in doubles until they are formatted. */
type LedgerAgingGroup = {
  id: string | null;
  key: string;
  name: string;
  currency: string;
  /** Shared by all groups: this group's amounts are cells[offset … offset + columns − 1]. */
  cells: Float64Array;
  offset: number;
  total: number;
};
type LedgerAging = { columns: string[]; groups: LedgerAgingGroup[] };

const ZERO_MINOR = 0n;

function toAgingResult(aging: LedgerAging): AgingResult {
  return {
    columns: aging.columns,
    groups: aging.groups.map((group) => ({
      id: group.id,
      key: group.key,
      name: group.name,
      currency: group.currency,
      columnsMinor: aging.columns.map((_, index) => {
        const cell = group.cells[group.offset + index] ?? 0;
        return cell === 0 ? ZERO_MINOR : toMinor(cell);
      }),
      totalMinor: toMinor(group.total),
    })),
  };
}

/** Per-currency sections straight from the ledger path's doubles (no bigint per cell), as toReportSections. */
function ledgerSections(aging: LedgerAging, baseCurrency: string): AgingReport['currencies'] {
  const currencies = [...new Set(aging.groups.map((group) => group.currency))].sort(
    (a, b) => Number(b === baseCurrency) - Number(a === baseCurrency) || byCodePoint(a, b),
  );
  return currencies.map((currency) => {
    const format = numberFormatter(currency);
    const groups = aging.groups.filter((group) => group.currency === currency);
    const width = aging.columns.length;
    const totals = new Float64Array(width);
    let total = 0;
    const decimals = (cells: Float64Array, offset: number) => {
      const columns: Record<string, string> = {};
      for (let index = 0; index < width; index += 1) {
        columns[aging.columns[index] ?? ''] = format(cells[offset + index] ?? 0);
      }
      return columns;
    };
    const rows = groups.map((group) => {
      for (let index = 0; index < width; index += 1) {
        totals[index] = (totals[index] ?? 0) + (group.cells[group.offset + index] ?? 0);
      }
      total += group.total;
      return {
        id: group.id,
        key: group.key,
        name: group.name,
        columns: decimals(group.cells, group.offset),
        total: format(group.total),
      };
    });
    return { currency, rows, totals: decimals(totals, 0), total: format(total) };
  });
}

function ledgerTotalsOf(aging: LedgerAging): Map<string, bigint> {
  const sums = new Map<string, number>();
  for (const group of aging.groups) sums.set(group.currency, (sums.get(group.currency) ?? 0) + group.total);
  return new Map([...sums].map(([currency, amount]) => [currency, toMinor(amount)]));
}

function groupOf(
  view: LedgerView,
  by: AgingDimension,
  customer: CustomerInfo,
): { id: string | null; key: string; name: string } {
  if (by === 'customer') return { id: customer.id, key: customer.code, name: customer.name };
  const id = by === 'salesperson' ? customer.ownerUserId : customer.teamId;
  if (id === null) return { id: null, key: NO_GROUP_KEY, name: '' };
  if (by === 'salesperson') {
    const user = view.users.get(id);
    return { id, key: user?.email ?? '', name: user?.name ?? '' };
  }
  const team = view.teams.get(id) ?? '';
  return { id, key: team, name: team };
}

/** Contract and plan node groupings: one aggregate query over the maintained settlements. */
async function agingFromSql(
  tx: Tx,
  tenantId: string,
  scope: RecordScope,
  settings: AgingSettings,
  params: AgingParams,
  filter?: ReportFilter,
): Promise<AgingResult> {
  const column =
    params.view === 'buckets'
      ? rangeIndexSql(settings.bucketBoundsDays)
      : params.view === 'classes'
        ? rangeIndexSql(settings.classBoundsDays)
        : params.view === 'condition'
          ? conditionIndexSql(tenantId, params.asOf)
          : sql<number>`extract(year FROM o.invoice_date)::int`;
  const label = groupLabelSql(params.by, tenantId);
  const isExcluding = params.excludeDisputed === true;
  // Excluding disputes, each item is two rows: what is not disputed in its column, the disputed part in column −1.
  const items = isExcluding
    ? sql`FROM open_items o
        CROSS JOIN LATERAL (SELECT LEAST(GREATEST(o.open_minor, 0), coalesce((SELECT sum(d.amount_minor)
          FROM disputes d WHERE d.tenant_id = ${tenantId} AND d.invoice_id = o.id AND d.currency = o.currency
            AND d.opened_on <= ${params.asOf}::date
            AND (d.resolved_on IS NULL OR d.resolved_on > ${params.asOf}::date)), 0)) AS part) dp
        CROSS JOIN LATERAL (VALUES (${column}, o.open_minor - dp.part), (-1, dp.part)) v(col, amount)`
    : sql`FROM open_items o CROSS JOIN LATERAL (VALUES (${column}, o.open_minor)) v(col, amount)`;
  const result = await sql<AggregateRow>`
    ${openItemsCte(tenantId, params.asOf, params.basis, scope, filter)}
    SELECT g.group_id, ${label.key} AS key, ${label.name} AS name, g.currency, g.col, g.amount::bigint AS amount
    FROM (
      SELECT ${groupIdSql(params.by)} AS group_id, o.currency, v.col, sum(v.amount) AS amount
      ${items}
      GROUP BY 1, 2, 3
    ) g
    ${label.join}`.execute(tx);
  const ranged =
    params.view === 'buckets'
      ? bucketKeys(settings.bucketBoundsDays)
      : params.view === 'classes'
        ? [...RECEIVABLE_CLASSES]
        : params.view === 'condition'
          ? [...PRODUCT_CONDITIONS]
          : [...new Set(result.rows.filter((row) => row.col !== -1).map((row) => String(row.col)))].sort(
              byCodePoint,
            );
  const columns = isExcluding ? [...ranged, DISPUTED_COLUMN] : ranged;
  return { columns, groups: groupRows(result.rows, columns, params.view === 'vintage') };
}

/**
 * 0 = normal, 1 = abnormal (the order of PRODUCT_CONDITIONS): the latest condition recorded for the invoice on or
 * before the as-of date. Evaluated only for this view, one index probe per open item.
 */
function conditionIndexSql(tenantId: string, asOf: string) {
  return sql<number>`CASE WHEN (SELECT ic.condition FROM invoice_conditions ic
      WHERE ic.tenant_id = ${tenantId} AND ic.invoice_id = o.id AND ic.effective_on <= ${asOf}::date
      ORDER BY ic.effective_on DESC, ic.created_at DESC LIMIT 1) = 'abnormal' THEN 1 ELSE 0 END`;
}

function groupRows(
  rows: readonly AggregateRow[],
  columns: readonly string[],
  isVintage: boolean,
): AgingGroup[] {
  const groups = new Map<string, AgingGroup>();
  for (const row of rows) {
    const mapKey = `${row.group_id ?? ''}|${row.currency}`;
    let group = groups.get(mapKey);
    if (!group) {
      group = {
        id: row.group_id,
        key: row.group_id === null ? NO_GROUP_KEY : (row.key ?? ''),
        name: row.group_id === null ? '' : (row.name ?? ''),
        currency: row.currency,
        columnsMinor: columns.map(() => 0n),
        totalMinor: 0n,
      };
      groups.set(mapKey, group);
    }
    const index =
      row.col === -1 ? columns.length - 1 : isVintage ? columns.indexOf(String(row.col)) : row.col;
    group.columnsMinor[index] = (group.columnsMinor[index] ?? 0n) + row.amount;
    group.totalMinor += row.amount;
  }
  return [...groups.values()]
    .filter((group) => group.totalMinor !== 0n)
    .sort((a, b) => byCodePoint(a.key, b.key) || byCodePoint(a.currency, b.currency));
}

/** Per-currency sections, base currency first, as decimal strings. */
export function toReportSections(result: AgingResult, baseCurrency: string): AgingReport['currencies'] {
  const currencies = [...new Set(result.groups.map((group) => group.currency))].sort(
    (a, b) => Number(b === baseCurrency) - Number(a === baseCurrency) || byCodePoint(a, b),
  );
  return currencies.map((currency) => {
    const groups = result.groups.filter((group) => group.currency === currency);
    const totalsMinor = result.columns.map((_, index) =>
      groups.reduce((sum, group) => sum + (group.columnsMinor[index] ?? 0n), 0n),
    );
    const format = decimalFormatter(currency);
    const decimals = (values: readonly bigint[]) => {
      const columns: Record<string, string> = {};
      result.columns.forEach((key, index) => {
        columns[key] = format(values[index] ?? 0n);
      });
      return columns;
    };
    return {
      currency,
      rows: groups.map((group) => ({
        id: group.id,
        key: group.key,
        name: group.name,
        columns: decimals(group.columnsMinor),
        total: format(group.totalMinor),
      })),
      totals: decimals(totalsMinor),
      total: minorToDecimalString(
        groups.reduce((sum, group) => sum + group.totalMinor, 0n),
        currency,
      ),
    };
  });
}

export async function agingReport(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  query: {
    asOf?: CalendarDate | undefined;
    by: AgingDimension;
    basis: AgingBasis;
    view: AgingView;
    disputes?: 'include' | 'exclude' | undefined;
  } & ReportFilter,
): Promise<AgingReport> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const context = await loadAgingContext(tx, actor.tenantId);
    await tuneForReport(tx);
    const asOf = query.asOf ?? todayIn(deps.clock, context.timezone);
    const disputes = query.disputes ?? 'include';
    const params = {
      asOf,
      by: query.by,
      basis: query.basis,
      view: query.view,
      excludeDisputed: disputes === 'exclude',
    };
    const shown = { asOf, by: query.by, basis: query.basis, view: query.view, disputes };
    const filter = { teamId: query.teamId, salespersonId: query.salespersonId };
    const scope = recordScope(actor);
    if (isLedgerDimension(params.by)) {
      const aging = (await checkedAging(
        tx,
        actor.tenantId,
        scope,
        context.settings,
        params,
        filter,
      )) as LedgerAging;
      return { ...shown, columns: aging.columns, currencies: ledgerSections(aging, context.baseCurrency) };
    }
    const result = await computeAging(tx, actor.tenantId, scope, context.settings, params, filter);
    return { ...shown, columns: result.columns, currencies: toReportSections(result, context.baseCurrency) };
  });
}
