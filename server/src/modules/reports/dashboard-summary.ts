import {
  bucketKeys,
  minorToDecimalString,
  RECEIVABLE_CLASSES,
  type AgingSettings,
  type RecordScope,
} from '@huikuan/core';
import type {
  DashboardCurrency,
  DashboardGroup,
  DashboardQuery,
  DashboardSummary,
} from '@huikuan/core/contracts';
import { sql } from 'kysely';
import { todayIn } from '../../platform/clock';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { recordScope, type Actor } from '../../platform/request-context';
import { loadAgingContext } from '../aging/aging-settings';
import {
  assertAgreesWithLedger,
  ledgerOpenByCurrency,
  openItemsCte,
  rangeIndexSql,
} from '../aging/open-items';
import type { ReportFilter } from '../aging/report-filter';
import { byCodePoint, currencyOrder, overdueCustomerOf, type OverdueRow } from './overdue';

/**
 * The dashboard's receivables picture in one pass over the open items (due-date basis): totals by bucket, by class
 * with the provision, by salesperson and by team per bucket, and the most overdue customers. One statement does
 * all of it (the items summed per customer, bucket and class, then GROUPING SETS over that), so the statement count
 * stays fixed (settings, the aggregate, the ledger check) and the million-invoice scan happens once. The provision is rounded per invoice exactly as the provision report does.
 */

type Kind = 'bucket' | 'class' | 'salesperson' | 'team' | 'customer';

type SummaryRow = {
  kind: Kind;
  currency: string;
  group_id: string | null;
  key: string | null;
  name: string | null;
  idx: number | null;
  open_minor: bigint;
  provision_minor: bigint;
  overdue_minor: bigint;
  oldest_days: number;
  overdue_count: number;
};

type SummaryParams = { asOf: string; top: number; filter: ReportFilter };

/**
 * GROUPING(owner, team, customer, bucket, class) is a bit mask with 1 for each column a set leaves out, most
 * significant first: (currency, bucket) leaves out owner, team, customer and class = 0b11101 = 29.
 */
const KIND_OF_GROUPING = sql<Kind>`(CASE GROUPING(k.owner_user_id, k.team_id, k.customer_id, k.bucket, k.class_index)
  WHEN 29 THEN 'bucket' WHEN 30 THEN 'class' WHEN 13 THEN 'salesperson' WHEN 21 THEN 'team' ELSE 'customer' END)`;

async function summaryRows(
  tx: Tx,
  tenantId: string,
  scope: RecordScope,
  settings: AgingSettings,
  params: SummaryParams,
): Promise<SummaryRow[]> {
  const rates = RECEIVABLE_CLASSES.map(
    (key, index) => sql`WHEN ${index}::int THEN ${settings.provisionBp[key]}::bigint`,
  );
  const result = await sql<SummaryRow>`
    ${openItemsCte(tenantId, params.asOf, 'due_date', scope, params.filter)},
    indexed AS (
      SELECT o.customer_id, o.owner_user_id, o.team_id, o.currency, o.open_minor, o.days_past_due,
        ${rangeIndexSql(settings.bucketBoundsDays)} AS bucket, ${rangeIndexSql(settings.classBoundsDays)} AS class_index
      FROM open_items o
    ),
    -- One hash aggregate over the items down to customer × bucket × class (owner and team follow the customer);
    -- the grouping sets then work on that small set instead of scanning every invoice five times over.
    per_customer AS (
      SELECT k.customer_id, k.owner_user_id, k.team_id, k.currency, k.bucket, k.class_index,
        sum(k.open_minor)::bigint AS open_minor,
        sum((k.open_minor * (CASE k.class_index ${sql.join(rates, sql` `)} END) + 5000) / 10000)::bigint
          AS provision_minor,
        coalesce(sum(k.open_minor) FILTER (WHERE k.days_past_due > 0), 0)::bigint AS overdue_minor,
        max(k.days_past_due)::int AS oldest_days,
        (count(*) FILTER (WHERE k.days_past_due > 0))::int AS overdue_count
      FROM indexed k
      GROUP BY k.customer_id, k.owner_user_id, k.team_id, k.currency, k.bucket, k.class_index
    ),
    agg AS (
      SELECT ${KIND_OF_GROUPING} AS kind, k.currency, k.owner_user_id, k.team_id, k.customer_id,
        coalesce(k.bucket, k.class_index) AS idx,
        sum(k.open_minor)::bigint AS open_minor,
        sum(k.provision_minor)::bigint AS provision_minor,
        sum(k.overdue_minor)::bigint AS overdue_minor,
        max(k.oldest_days)::int AS oldest_days,
        sum(k.overdue_count)::int AS overdue_count
      FROM per_customer k
      GROUP BY k.currency, GROUPING SETS ((k.bucket), (k.class_index), (k.owner_user_id, k.bucket),
        (k.team_id, k.bucket), (k.customer_id))
    ),
    top_customers AS (
      SELECT a.*, c.code, c.name,
        row_number() OVER (PARTITION BY a.currency ORDER BY a.overdue_minor DESC, c.code) AS rank
      FROM agg a JOIN customers c ON c.tenant_id = ${tenantId} AND c.id = a.customer_id
      WHERE a.kind = 'customer' AND a.overdue_minor > 0
    )
    SELECT a.kind, a.currency,
      CASE a.kind WHEN 'salesperson' THEN a.owner_user_id WHEN 'team' THEN a.team_id END AS group_id,
      CASE a.kind WHEN 'salesperson' THEN u.email WHEN 'team' THEN t.name END AS key,
      CASE a.kind WHEN 'salesperson' THEN u.name WHEN 'team' THEN t.name END AS name,
      a.idx, a.open_minor, a.provision_minor, a.overdue_minor, a.oldest_days, a.overdue_count
    FROM agg a
    LEFT JOIN users u ON a.kind = 'salesperson' AND u.tenant_id = ${tenantId} AND u.id = a.owner_user_id
    LEFT JOIN teams t ON a.kind = 'team' AND t.tenant_id = ${tenantId} AND t.id = a.team_id
    WHERE a.kind <> 'customer'
    UNION ALL
    SELECT 'customer', tc.currency, tc.customer_id, tc.code, tc.name, NULL, tc.open_minor, tc.provision_minor,
      tc.overdue_minor, tc.oldest_days, tc.overdue_count
    FROM top_customers tc WHERE tc.rank <= ${params.top}`.execute(tx);
  return result.rows;
}

function groupsOf(
  rows: readonly SummaryRow[],
  buckets: readonly string[],
  currency: string,
  noneLabel: string,
): DashboardGroup[] {
  const groups = new Map<string, { id: string | null; key: string; name: string; columns: bigint[] }>();
  const overdueIndex = 1; // bucket 0 is "not due"; every later bucket is past due
  for (const row of rows) {
    const mapKey = row.group_id ?? '';
    const group = groups.get(mapKey) ?? {
      id: row.group_id,
      key: row.group_id === null ? noneLabel : (row.key ?? ''),
      name: row.group_id === null ? '' : (row.name ?? ''),
      columns: buckets.map(() => 0n),
    };
    group.columns[row.idx ?? 0] = (group.columns[row.idx ?? 0] ?? 0n) + row.open_minor;
    groups.set(mapKey, group);
  }
  const money = (minor: bigint) => minorToDecimalString(minor, currency);
  return [...groups.values()]
    .map((group) => ({
      group,
      total: group.columns.reduce((sum, value) => sum + value, 0n),
      overdue: group.columns.slice(overdueIndex).reduce((sum, value) => sum + value, 0n),
    }))
    .filter((entry) => entry.total !== 0n)
    .sort(
      (a, b) =>
        Number(b.total > a.total) - Number(b.total < a.total) || byCodePoint(a.group.key, b.group.key),
    )
    .map(({ group, total, overdue }) => ({
      id: group.id,
      key: group.key,
      name: group.name,
      columns: Object.fromEntries(buckets.map((key, index) => [key, money(group.columns[index] ?? 0n)])),
      total: money(total),
      overdue: money(overdue),
    }));
}

function sectionOf(
  rows: readonly SummaryRow[],
  currency: string,
  buckets: readonly string[],
  settings: AgingSettings,
): DashboardCurrency {
  const mine = rows.filter((row) => row.currency === currency);
  const of = (kind: Kind) => mine.filter((row) => row.kind === kind);
  const money = (minor: bigint) => minorToDecimalString(minor, currency);
  const bucketMinor = buckets.map((_, index) =>
    of('bucket')
      .filter((row) => row.idx === index)
      .reduce((sum, row) => sum + row.open_minor, 0n),
  );
  const classes = RECEIVABLE_CLASSES.map((key, index) => {
    const inClass = of('class').filter((row) => row.idx === index);
    return {
      class: key,
      rateBp: settings.provisionBp[key],
      open: money(inClass.reduce((sum, row) => sum + row.open_minor, 0n)),
      provision: money(inClass.reduce((sum, row) => sum + row.provision_minor, 0n)),
    };
  });
  const totalMinor = bucketMinor.reduce((sum, value) => sum + value, 0n);
  return {
    currency,
    total: money(totalMinor),
    overdue: money(totalMinor - (bucketMinor[0] ?? 0n)),
    buckets: Object.fromEntries(buckets.map((key, index) => [key, money(bucketMinor[index] ?? 0n)])),
    classes,
    provision: money(of('class').reduce((sum, row) => sum + row.provision_minor, 0n)),
    bySalesperson: groupsOf(of('salesperson'), buckets, currency, '(none)'),
    byTeam: groupsOf(of('team'), buckets, currency, '(none)'),
    topOverdue: of('customer')
      .map((row): OverdueRow => ({
        ...row,
        customer_id: row.group_id ?? '',
        code: row.key ?? '',
        name: row.name ?? '',
      }))
      .map((row) => overdueCustomerOf(row))
      .sort(
        (a, b) =>
          byMinorDesc(a.overdueMinor, b.overdueMinor) || byCodePoint(a.customer.code, b.customer.code),
      )
      .map((entry) => entry.customer),
  };
}

function byMinorDesc(a: bigint, b: bigint): number {
  return Number(b > a) - Number(b < a);
}

export async function dashboardSummary(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  query: DashboardQuery,
): Promise<DashboardSummary> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const context = await loadAgingContext(tx, actor.tenantId);
    const asOf = query.asOf ?? todayIn(deps.clock, context.timezone);
    const filter = { teamId: query.teamId, salespersonId: query.salespersonId };
    const scope = recordScope(actor);
    const rows = await summaryRows(tx, actor.tenantId, scope, context.settings, {
      asOf,
      top: query.top,
      filter,
    });
    const reportTotals = new Map<string, bigint>();
    for (const row of rows.filter((entry) => entry.kind === 'bucket')) {
      reportTotals.set(row.currency, (reportTotals.get(row.currency) ?? 0n) + row.open_minor);
    }
    const ledgerTotals = await ledgerOpenByCurrency(tx, actor.tenantId, asOf, scope, filter);
    assertAgreesWithLedger(reportTotals, ledgerTotals, 'Dashboard');
    const buckets = bucketKeys(context.settings.bucketBoundsDays);
    const currencies = currencyOrder(
      rows.map((row) => row.currency),
      context.baseCurrency,
    );
    return {
      asOf,
      buckets,
      currencies: currencies.map((currency) => sectionOf(rows, currency, buckets, context.settings)),
    };
  });
}
