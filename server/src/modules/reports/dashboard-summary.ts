import {
  bucketKeys,
  minorToDecimalString,
  RECEIVABLE_CLASSES,
  type AgingSettings,
  type RecordScope,
  byCodePoint,
} from '@huikuan/core';
import type {
  DashboardCurrency,
  DashboardGroup,
  DashboardQuery,
  DashboardSummary,
} from '@huikuan/core/contracts';
import { todayIn } from '../../platform/clock';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { recordScope, type Actor } from '../../platform/request-context';
import { loadAgingContext } from '../aging/aging-settings';
import { dayOf, ledgerView, type LedgerView } from '../aging/ledger-cache';
import { customerAges, openItemsAt, provisionOf, rangeTable, toMinor } from '../aging/ledger-scan';
import { assertAgreesWithLedger, ledgerOpenForView } from '../aging/open-items';
import type { ReportFilter } from '../aging/report-filter';
import { currencyOrder, overdueCustomerOf, rankOverdue, type OverdueRow } from './overdue';

/**
 * The dashboard's receivables picture in one pass over the open items (due-date basis): totals by bucket, by class
 * with the provision, by salesperson and by team per bucket, and the most overdue customers. The items come from
 * the ledger copy (aging/ledger-cache.ts), so the statement count stays fixed (settings, the copy's refresh, the
 * ledger check) whatever the size. The provision is rounded per invoice exactly as the provision report does.
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
 * The summary's rows from one pass over the ledger copy: each open item's bucket, class and provision (rounded per
 * invoice like the provision report), summed per customer, then per salesperson and team (the customer's), with
 * the top customers ranked as reports/overdue.ts does.
 */
async function summaryRows(
  tx: Tx,
  tenantId: string,
  scope: RecordScope,
  settings: AgingSettings,
  params: SummaryParams,
): Promise<{ rows: SummaryRow[]; view: LedgerView }> {
  const view = await ledgerView(tx, tenantId, { scope, filter: params.filter, labels: true });
  const { ledger } = view;
  const asOfDay = dayOf(params.asOf);
  const items = openItemsAt(view, asOfDay);
  const bucketOf = rangeTable(settings.bucketBoundsDays);
  const classOf = rangeTable(settings.classBoundsDays);
  const rates = RECEIVABLE_CLASSES.map((key) => settings.provisionBp[key]);
  const currencies = ledger.currencies.length;
  const buckets = settings.bucketBoundsDays.length + 1;
  const classes = RECEIVABLE_CLASSES.length;
  const perCustomerBucket = new Float64Array(ledger.customers.length * currencies * buckets);
  const classOpen = new Float64Array(currencies * classes);
  const classProvision = new Float64Array(currencies * classes);
  for (let item = 0; item < items.length; item += 1) {
    const amount = items.amounts[item] ?? 0;
    const currency = items.currency[item] ?? 0;
    const days = asOfDay - (items.dueDay[item] ?? 0);
    const cell = ((items.customer[item] ?? 0) * currencies + currency) * buckets + bucketOf(days);
    perCustomerBucket[cell] = (perCustomerBucket[cell] ?? 0) + amount;
    const classIndex = classOf(days);
    classOpen[currency * classes + classIndex] = (classOpen[currency * classes + classIndex] ?? 0) + amount;
    classProvision[currency * classes + classIndex] =
      (classProvision[currency * classes + classIndex] ?? 0) + provisionOf(amount, rates[classIndex] ?? 0);
  }
  const rows: SummaryRow[] = [];
  const row = (
    kind: Kind,
    currency: string,
    idx: number | null,
    openMinor: number,
    extra: Partial<SummaryRow> = {},
  ) =>
    rows.push({
      kind,
      currency,
      group_id: null,
      key: null,
      name: null,
      idx,
      open_minor: toMinor(openMinor),
      provision_minor: 0n,
      overdue_minor: 0n,
      oldest_days: 0,
      overdue_count: 0,
      ...extra,
    });
  for (let currency = 0; currency < currencies; currency += 1) {
    const code = ledger.currencies[currency] ?? '';
    const bucketTotals = new Float64Array(buckets);
    const bySalesperson = new Map<string | null, Float64Array>();
    const byTeam = new Map<string | null, Float64Array>();
    let any = false;
    ledger.customers.forEach((customer, customerIndex) => {
      const base = (customerIndex * currencies + currency) * buckets;
      let hasItems = false;
      for (let b = 0; b < buckets; b += 1) if (perCustomerBucket[base + b] !== 0) hasItems = true;
      if (!hasItems) return;
      any = true;
      const owner = bySalesperson.get(customer.ownerUserId) ?? new Float64Array(buckets);
      const team = byTeam.get(customer.teamId) ?? new Float64Array(buckets);
      for (let b = 0; b < buckets; b += 1) {
        const amount = perCustomerBucket[base + b] ?? 0;
        bucketTotals[b] = (bucketTotals[b] ?? 0) + amount;
        owner[b] = (owner[b] ?? 0) + amount;
        team[b] = (team[b] ?? 0) + amount;
      }
      bySalesperson.set(customer.ownerUserId, owner);
      byTeam.set(customer.teamId, team);
    });
    if (!any) continue;
    bucketTotals.forEach((amount, b) => row('bucket', code, b, amount));
    for (let c = 0; c < classes; c += 1) {
      row('class', code, c, classOpen[currency * classes + c] ?? 0, {
        provision_minor: toMinor(classProvision[currency * classes + c] ?? 0),
      });
    }
    for (const [id, sums] of bySalesperson) {
      const user = id === null ? undefined : view.users.get(id);
      sums.forEach((amount, b) =>
        row('salesperson', code, b, amount, {
          group_id: id,
          key: user?.email ?? null,
          name: user?.name ?? null,
        }),
      );
    }
    for (const [id, sums] of byTeam) {
      const name = id === null ? null : (view.teams.get(id) ?? null);
      sums.forEach((amount, b) => row('team', code, b, amount, { group_id: id, key: name, name }));
    }
  }
  const ages = customerAges(view, asOfDay, items);
  for (const top of rankOverdue(view, ages, params.top)) {
    rows.push({
      kind: 'customer',
      currency: top.currency,
      group_id: top.customer_id,
      key: top.code,
      name: top.name,
      idx: null,
      open_minor: top.open_minor,
      provision_minor: 0n,
      overdue_minor: top.overdue_minor,
      oldest_days: top.oldest_days,
      overdue_count: top.overdue_count,
    });
  }
  return { rows, view };
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
    const { rows, view } = await summaryRows(tx, actor.tenantId, scope, context.settings, {
      asOf,
      top: query.top,
      filter,
    });
    const reportTotals = new Map<string, bigint>();
    for (const row of rows.filter((entry) => entry.kind === 'bucket')) {
      reportTotals.set(row.currency, (reportTotals.get(row.currency) ?? 0n) + row.open_minor);
    }
    const ledgerTotals = await ledgerOpenForView(tx, view, actor.tenantId, asOf, scope, filter);
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
