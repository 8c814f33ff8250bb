import {
  currencyExponent,
  minorToDecimalString,
  type CalendarDate,
  type RecordScope,
  RECEIVABLE_CLASSES,
  bucketKeys,
  type AgingBasis,
  type AgingSettings,
  byCodePoint,
} from '@huikuan/core';
import {
  DISPUTED_COLUMN,
  PRODUCT_CONDITIONS,
  type AgingDimension,
  agingReportSchema,
  type AgingReport,
  type AgingView,
} from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { todayIn } from '../../platform/clock';
import { encodeJson, JsonWriter } from '../../platform/json-writer';
import { recordScope, type Actor } from '../../platform/request-context';
import { loadAgingContext } from './aging-settings';
import { dayOf, ledgerView, type CustomerInfo, type LedgerView, type OpenItems } from './ledger-cache';
import { decimalFormatter, openItemsAt, rangeOf, toMinor, yearTable } from './ledger-scan';
import { tuneForReport } from './report-session';
import { customerRowHeads } from './row-heads';
import {
  assertAgreesWithLedger,
  groupIdSql,
  groupLabelSql,
  ledgerOpenByCurrency,
  ledgerOpenForView,
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
  if (isLedgerDimension(params.by)) {
    const { aging, view } = await agingFromLedger(tx, tenantId, scope, settings, params, filter);
    const ledgerTotals = await ledgerOpenForView(tx, view, tenantId, params.asOf, scope, filter);
    assertAgreesWithLedger(ledgerTotalsOf(aging), ledgerTotals, 'Aging');
    return aging;
  }
  const aging = await agingFromSql(tx, tenantId, scope, settings, params, filter);
  const reportTotals = new Map<string, bigint>();
  for (const group of aging.groups) {
    reportTotals.set(group.currency, (reportTotals.get(group.currency) ?? 0n) + group.totalMinor);
  }
  const ledgerTotals = await ledgerOpenByCurrency(tx, tenantId, params.asOf, scope, filter);
  assertAgreesWithLedger(reportTotals, ledgerTotals, 'Aging');
  return aging;
}

/**
 * The column of each open item (Int16Array by item, −1 for items the report leaves out), and the column keys. Ranges
 * go through a table by age in days, so the loop has no branches per bound.
 */
function ledgerColumns(
  view: LedgerView,
  settings: AgingSettings,
  params: AgingParams,
  asOfDay: number,
  items: OpenItems,
): { column: Int16Array; columns: string[] } {
  const column = new Int16Array(items.length);
  const { slots } = items;
  if (params.view === 'buckets' || params.view === 'classes') {
    const bounds = params.view === 'buckets' ? settings.bucketBoundsDays : settings.classBoundsDays;
    const last = bounds.at(-1) ?? 0;
    const byAge = new Int16Array(last + 1);
    for (let age = 1; age <= last; age += 1) byAge[age] = rangeOf(age, bounds);
    const ageFrom = params.basis === 'due_date' ? items.dueDay : items.invoiceDay;
    for (let item = 0; item < items.length; item += 1) {
      const age = asOfDay - (ageFrom[item] ?? 0);
      column[item] = age <= 0 ? 0 : age > last ? bounds.length : (byAge[age] ?? 0);
    }
    return {
      column,
      columns: params.view === 'buckets' ? bucketKeys(settings.bucketBoundsDays) : [...RECEIVABLE_CLASSES],
    };
  }
  if (params.view === 'condition') {
    for (let item = 0; item < items.length; item += 1) {
      column[item] = view.abnormal?.has(slots[item] ?? 0) === true ? 1 : 0;
    }
    return { column, columns: [...PRODUCT_CONDITIONS] };
  }
  const yearOf = yearTable();
  const yearOfItem = new Int32Array(items.length);
  const years = new Set<number>();
  for (let item = 0; item < items.length; item += 1) {
    const year = yearOf(items.invoiceDay[item] ?? 0);
    yearOfItem[item] = year;
    years.add(year);
  }
  const columns = [...years].map(String).sort(byCodePoint);
  const indexOfYear = new Map(columns.map((year, index) => [Number(year), index]));
  for (let item = 0; item < items.length; item += 1)
    column[item] = indexOfYear.get(yearOfItem[item] ?? 0) ?? 0;
  return { column, columns };
}

async function agingFromLedger(
  tx: Tx,
  tenantId: string,
  scope: RecordScope,
  settings: AgingSettings,
  params: AgingParams,
  filter?: ReportFilter,
): Promise<{ aging: LedgerAging; view: LedgerView }> {
  const view = await ledgerView(tx, tenantId, {
    scope,
    filter,
    abnormalAsOf: params.view === 'condition' ? params.asOf : undefined,
    disputedAsOf: params.excludeDisputed === true ? params.asOf : undefined,
    labels: params.by !== 'customer',
  });
  const { ledger } = view;
  const asOfDay = dayOf(params.asOf);
  const items = openItemsAt(view, asOfDay);
  const ranged = ledgerColumns(view, settings, params, asOfDay, items);
  const { column } = ranged;
  const columns = view.disputed === null ? ranged.columns : [...ranged.columns, DISPUTED_COLUMN];
  const width = columns.length;
  const currencies = ledger.currencies.length;
  // Per customer first (owner and team follow the customer), then mapped to the group.
  const sums = new Float64Array(ledger.customers.length * currencies * width);
  const { customer, currency, amounts } = items;
  for (let item = 0; item < items.length; item += 1) {
    const cell = ((customer[item] ?? 0) * currencies + (currency[item] ?? 0)) * width + (column[item] ?? 0);
    sums[cell] = (sums[cell] ?? 0) + (amounts[item] ?? 0);
  }
  if (view.disputed !== null) moveDisputed(view.disputed, items, column, sums, { currencies, width });
  const groups =
    params.by === 'customer'
      ? customerGroups(view, sums, width)
      : ownerOrTeamGroups(view, params.by === 'salesperson' ? 'salesperson' : 'team', sums, width);
  return { aging: { columns, groups }, view };
}

/**
 * One group per customer and currency with a non-zero total, already in the report's order (customer code, then
 * currency code) from the copy's kept code order: no sort of 20,000 rows per call.
 */
function customerGroups(view: LedgerView, sums: Float64Array, width: number): LedgerAgingGroup[] {
  const { ledger } = view;
  const currencies = ledger.currencies.length;
  const currencyOrder = [...ledger.currencies.keys()].sort((a, b) =>
    byCodePoint(ledger.currencies[a] ?? '', ledger.currencies[b] ?? ''),
  );
  const groups: LedgerAgingGroup[] = [];
  const heads = customerRowHeads(ledger, agingRowHead);
  for (const customerIndex of ledger.customersByCode()) {
    for (const currencyIndex of currencyOrder) {
      const offset = (customerIndex * currencies + currencyIndex) * width;
      let total = 0;
      for (let col = 0; col < width; col += 1) total += sums[offset + col] ?? 0;
      if (total === 0) continue;
      const info = ledger.customers[customerIndex] as CustomerInfo;
      const code = ledger.currencies[currencyIndex] ?? '';
      groups.push({
        head: heads[customerIndex] ?? rowHead(info.id, info.code, info.name),
        id: info.id,
        key: info.code,
        name: info.name,
        currency: code,
        cells: sums,
        offset,
        total,
      });
    }
  }
  return groups;
}

/** Customers' sums added up by their salesperson or team (few groups), sorted by key then currency. */
function ownerOrTeamGroups(
  view: LedgerView,
  by: 'salesperson' | 'team',
  sums: Float64Array,
  width: number,
): LedgerAgingGroup[] {
  const { ledger } = view;
  const currencies = ledger.currencies.length;
  const groupIndex = new Map<string, number>();
  const labels: { label: ReturnType<typeof groupOf>; currency: string }[] = [];
  const cells = new Float64Array(sums.length);
  for (let customerIndex = 0; customerIndex < ledger.customers.length; customerIndex += 1) {
    for (let currencyIndex = 0; currencyIndex < currencies; currencyIndex += 1) {
      const base = (customerIndex * currencies + currencyIndex) * width;
      let any = false;
      for (let col = 0; col < width; col += 1) if (sums[base + col] !== 0) any = true;
      if (!any) continue;
      const info = ledger.customers[customerIndex] as CustomerInfo;
      const code = ledger.currencies[currencyIndex] ?? '';
      const id = by === 'salesperson' ? info.ownerUserId : info.teamId;
      const mapKey = `${id ?? ''}|${code}`;
      let index = groupIndex.get(mapKey);
      if (index === undefined) {
        index = labels.length;
        groupIndex.set(mapKey, index);
        labels.push({ label: groupOf(view, by, info), currency: code });
      }
      for (let col = 0; col < width; col += 1) {
        cells[index * width + col] = (cells[index * width + col] ?? 0) + (sums[base + col] ?? 0);
      }
    }
  }
  const groups: LedgerAgingGroup[] = [];
  labels.forEach(({ label, currency: code }, index) => {
    let total = 0;
    for (let col = 0; col < width; col += 1) total += cells[index * width + col] ?? 0;
    if (total !== 0) {
      const head = rowHead(label.id, label.key, label.name);
      groups.push({ ...label, head, currency: code, cells, offset: index * width, total });
    }
  });
  return groups.sort((a, b) => byCodePoint(a.key, b.key) || byCodePoint(a.currency, b.currency));
}

/**
 * Moves each open item's disputed part (at most what is open) from its column to the last one, `disputed`, so the
 * row's total, and so the check against the ledger, stays what it was.
 */
function moveDisputed(
  disputed: Map<number, number>,
  items: OpenItems,
  column: Int16Array,
  sums: Float64Array,
  layout: { currencies: number; width: number },
): void {
  const { currencies, width } = layout;
  for (let item = 0; item < items.length; item += 1) {
    const slot = items.slots[item] ?? 0;
    const amount = disputed.get(slot);
    const openMinor = items.amounts[item] ?? 0;
    if (amount === undefined || openMinor <= 0) continue;
    const part = Math.min(openMinor, amount);
    const base = ((items.customer[item] ?? 0) * currencies + (items.currency[item] ?? 0)) * width;
    const col = column[item] ?? 0;
    sums[base + col] = (sums[base + col] ?? 0) - part;
    sums[base + width - 1] = (sums[base + width - 1] ?? 0) + part;
  }
}

/** A group of the ledger path: amounts as exact integers in doubles until they are formatted. */
type LedgerAgingGroup = {
  /** The row's JSON up to its columns (rowHead). */
  head: Uint8Array;
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

/**
 * The ledger path's per-currency sections written as JSON straight from the doubles (platform/json-writer.ts): a
 * by-customer report is 20,000 rows and 180,000 amounts, and building objects for a schema to walk and
 * JSON.stringify to walk again took several times as long as computing them. agingReport reads the text back through
 * the contract's schema; aging.test.ts checks every answer against it.
 */
function writeLedgerSections(out: JsonWriter, aging: LedgerAging, baseCurrency: string): void {
  const currencies = [...new Set(aging.groups.map((group) => group.currency))].sort(
    (a, b) => Number(b === baseCurrency) - Number(a === baseCurrency) || byCodePoint(a, b),
  );
  const width = aging.columns.length;
  const keys = aging.columns.map((key) => encodeJson(`${JSON.stringify(key)}:`));
  const writeColumns = (cells: Float64Array, offset: number, exponent: number) => {
    out.amounts(keys, cells, offset, exponent);
  };
  // Each row: its head, then per column the key and an amount of up to ~20 bytes.
  let rowBytes = 0;
  for (const group of aging.groups) rowBytes += group.head.length + 32;
  out.expect(rowBytes + aging.groups.length * width * 32).raw('[');
  currencies.forEach((currency, section) => {
    const exponent = currencyExponent(currency);
    const totals = new Float64Array(width);
    let total = 0;
    out
      .raw(section === 0 ? '{"currency":' : ',{"currency":')
      .string(currency)
      .raw(',"rows":[');
    let first = true;
    for (const group of aging.groups) {
      if (group.currency !== currency) continue;
      for (let index = 0; index < width; index += 1) {
        totals[index] = (totals[index] ?? 0) + (group.cells[group.offset + index] ?? 0);
      }
      total += group.total;
      if (!first) out.bytes(COMMA);
      out.bytes(group.head);
      writeColumns(group.cells, group.offset, exponent);
      out.bytes(TOTAL).decimal(group.total, exponent).bytes(CLOSE);
      first = false;
    }
    out.raw('],"totals":');
    writeColumns(totals, 0, exponent);
    out.raw(',"total":').decimal(total, exponent).raw('}');
  });
  out.raw(']');
}

const COMMA = encodeJson(',');
const CLOSE = encodeJson('}');
const TOTAL = encodeJson(',"total":');

/** A by-customer row's beginning, kept per customer (row-heads.ts). */
const agingRowHead = (customer: CustomerInfo) =>
  `{"id":${JSON.stringify(customer.id)},"key":${JSON.stringify(customer.code)},"name":${JSON.stringify(customer.name)},"columns":`;

/** A row's beginning as JSON bytes, up to its columns: `{"id":…,"key":…,"name":…,"columns":`. */
function rowHead(id: string | null, key: string, name: string): Uint8Array {
  return encodeJson(
    `{"id":${id === null ? 'null' : JSON.stringify(id)},"key":${JSON.stringify(key)},"name":${JSON.stringify(name)},"columns":`,
  );
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

type AgingQuery = {
  asOf?: CalendarDate | undefined;
  by: AgingDimension;
  basis: AgingBasis;
  view: AgingView;
  disputes?: 'include' | 'exclude' | undefined;
} & ReportFilter;

/**
 * The aging report as the JSON GET /api/aging answers (UTF-8 bytes) (agingReportSchema): by customer, salesperson or team
 * written straight from the ledger copy's sums, by contract or plan node from the SQL path's groups.
 */
export async function agingReportJson(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  query: AgingQuery,
): Promise<Buffer> {
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
    const filter = { teamId: query.teamId, salespersonId: query.salespersonId };
    const scope = recordScope(actor);
    const head = JSON.stringify({ asOf, by: query.by, basis: query.basis, view: query.view, disputes });
    const aging = await checkedAging(tx, actor.tenantId, scope, context.settings, params, filter);
    const out = new JsonWriter()
      .raw(head.slice(0, -1))
      .raw(`,"columns":${JSON.stringify(aging.columns)},"currencies":`);
    if (isLedgerDimension(params.by)) writeLedgerSections(out, aging as LedgerAging, context.baseCurrency);
    else out.raw(JSON.stringify(toReportSections(aging as AgingResult, context.baseCurrency)));
    return out.raw('}').toBuffer();
  });
}

/** The aging report as an object (exports build their tables from it): agingReportJson read back through the schema. */
export async function agingReport(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  query: AgingQuery,
): Promise<AgingReport> {
  return agingReportSchema.parse(JSON.parse((await agingReportJson(deps, actor, query)).toString('utf8')));
}
