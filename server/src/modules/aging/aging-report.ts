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

export type AgingParams = { asOf: string; by: AgingDimension; basis: AgingBasis; view: AgingView };

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
 * Aging in one aggregate query plus the ledger check, whatever the data size, scope or filter.
 * Rows are sorted by key in code-point order; every group has a non-zero total.
 */
export async function computeAging(
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
  // A salesperson or team is the customer's: sum per customer first, then map the (far fewer) customer sums.
  const viaCustomer = params.by === 'salesperson' || params.by === 'team';
  const perItem = sql`
    SELECT ${viaCustomer ? sql`o.customer_id` : groupIdSql(params.by)} AS group_id, o.currency, ${column} AS col,
      sum(o.open_minor) AS amount
    FROM open_items o
    GROUP BY 1, 2, 3`;
  const grouped = viaCustomer
    ? sql`
      SELECT ${sql.ref(params.by === 'salesperson' ? 'gc.owner_user_id' : 'gc.team_id')} AS group_id, f.currency, f.col,
        sum(f.amount) AS amount
      FROM (${perItem}) f
      LEFT JOIN customers gc ON gc.tenant_id = ${tenantId} AND gc.id = f.group_id
      GROUP BY 1, 2, 3`
    : perItem;
  const result = await sql<AggregateRow>`
    ${openItemsCte(tenantId, params.asOf, params.basis, scope, filter)}
    SELECT g.group_id, ${label.key} AS key, ${label.name} AS name, g.currency, g.col, g.amount::bigint AS amount
    FROM (${grouped}) g
    ${label.join}`.execute(tx);
  const columns =
    params.view === 'buckets'
      ? bucketKeys(settings.bucketBoundsDays)
      : params.view === 'classes'
        ? [...RECEIVABLE_CLASSES]
        : params.view === 'condition'
          ? [...PRODUCT_CONDITIONS]
          : [...new Set(result.rows.map((row) => String(row.col)))].sort(byCodePoint);
  const groups = groupRows(result.rows, columns, params.view === 'vintage');
  const reportTotals = new Map<string, bigint>();
  for (const group of groups) {
    reportTotals.set(group.currency, (reportTotals.get(group.currency) ?? 0n) + group.totalMinor);
  }
  const ledgerTotals = await ledgerOpenByCurrency(tx, tenantId, params.asOf, scope, filter);
  assertAgreesWithLedger(reportTotals, ledgerTotals, 'Aging');
  return { columns, groups };
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
    const index = isVintage ? columns.indexOf(String(row.col)) : row.col;
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
    const decimals = (values: readonly bigint[]) =>
      Object.fromEntries(
        result.columns.map((key, index) => [key, minorToDecimalString(values[index] ?? 0n, currency)]),
      );
    return {
      currency,
      rows: groups.map((group) => ({
        id: group.id,
        key: group.key,
        name: group.name,
        columns: decimals(group.columnsMinor),
        total: minorToDecimalString(group.totalMinor, currency),
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
  } & ReportFilter,
): Promise<AgingReport> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const context = await loadAgingContext(tx, actor.tenantId);
    await tuneForReport(tx);
    const asOf = query.asOf ?? todayIn(deps.clock, context.timezone);
    const params = { asOf, by: query.by, basis: query.basis, view: query.view };
    const filter = { teamId: query.teamId, salespersonId: query.salespersonId };
    const result = await computeAging(
      tx,
      actor.tenantId,
      recordScope(actor),
      context.settings,
      params,
      filter,
    );
    return { ...params, columns: result.columns, currencies: toReportSections(result, context.baseCurrency) };
  });
}
