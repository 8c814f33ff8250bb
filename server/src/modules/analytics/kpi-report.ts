import { addDays, computeKpis, minorToDecimalString, trailingMonths, type RecordScope } from '@huikuan/core';
import {
  type KpiGrouping,
  type KpiQuery,
  type KpiReport,
  type KpiRow,
  type KpiTrend,
  type KpiTrendQuery,
} from '@huikuan/core/contracts';
import { todayIn } from '../../platform/clock';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { recordScope, type Actor } from '../../platform/request-context';
import type { ReportFilter } from '../aging/report-filter';
import { tuneForReport } from '../aging/report-session';
import { kpiTotals, totalsKey, type KpiPeriod, type KpiTotals } from './kpi-inputs';

type Organization = { slug: string; name: string; baseCurrency: string; timezone: string };
type GroupNames = Map<string, string>;

export async function organizationOf(tx: Tx, tenantId: string): Promise<Organization> {
  const org = await tx
    .selectFrom('organizations')
    .select(['slug', 'name', 'base_currency', 'timezone'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return { slug: org.slug, name: org.name, baseCurrency: org.base_currency, timezone: org.timezone };
}

/** One query for the names of every group that appears (teams, users or customers). */
async function groupNames(tx: Tx, tenantId: string, by: KpiGrouping, keys: string[]): Promise<GroupNames> {
  const ids = keys.filter((key) => key !== '');
  if (ids.length === 0 || by === 'organization') return new Map();
  const rows =
    by === 'team'
      ? await tx
          .selectFrom('teams')
          .select(['id', 'name'])
          .where('tenant_id', '=', tenantId)
          .where('id', 'in', ids)
          .execute()
      : by === 'salesperson'
        ? await tx
            .selectFrom('users')
            .select(['id', 'name'])
            .where('tenant_id', '=', tenantId)
            .where('id', 'in', ids)
            .execute()
        : await tx
            .selectFrom('customers')
            .select(['id', 'name'])
            .where('tenant_id', '=', tenantId)
            .where('id', 'in', ids)
            .execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

type RowKey = { groupKey: string; currency: string };

/**
 * Every (group, currency) with anything to report, per period, each sorted by group key (the unassigned group
 * last), currency. One pass over the totals' keys for all periods (a trend by customer has hundreds of thousands).
 */
function rowKeysByPeriod(totals: KpiTotals): Map<number, RowKey[]> {
  const byPeriod = new Map<number, Map<string, RowKey>>();
  for (const key of [...totals.balances.keys(), ...totals.plans.keys()]) {
    const [period = '', groupKey = '', currency = ''] = key.split('|');
    const keys = byPeriod.get(Number(period)) ?? new Map<string, RowKey>();
    keys.set(`${groupKey}|${currency}`, { groupKey, currency });
    byPeriod.set(Number(period), keys);
  }
  const sorted = new Map<number, RowKey[]>();
  for (const [period, keys] of byPeriod) {
    sorted.set(
      period,
      [...keys.values()].sort(
        (a, b) =>
          Number(a.groupKey === '') - Number(b.groupKey === '') ||
          byCodePoint(a.groupKey, b.groupKey) ||
          byCodePoint(a.currency, b.currency),
      ),
    );
  }
  return sorted;
}

function isEmpty(row: KpiRow): boolean {
  const amounts = [
    row.openingAR,
    row.invoiced,
    row.collected,
    row.received,
    row.credited,
    row.writtenOff,
    row.voided,
  ];
  return [...amounts, row.endingAR, row.planDue].every((amount) => /^-?[0.]+$/.test(amount));
}

/** The KPI rows of one period: exact totals in, one division per ratio in computeKpis. */
export function kpiRowsOf(
  totals: KpiTotals,
  periodIndex: number,
  period: KpiPeriod,
  labelOf: (groupKey: string) => { key: string | null; name: string | null },
  rowKeys: RowKey[] = rowKeysByPeriod(totals).get(periodIndex) ?? [],
): KpiRow[] {
  return rowKeys
    .map(({ groupKey, currency }) => {
      const key = totalsKey(periodIndex, groupKey, currency);
      const balance = totals.balances.get(key);
      const plan = totals.plans.get(key);
      const money = (minor: bigint | undefined) => minorToDecimalString(minor ?? 0n, currency);
      const kpis = computeKpis({
        from: period.from,
        to: period.to,
        openingMinor: balance?.openingMinor ?? 0n,
        invoicedMinor: balance?.invoicedMinor ?? 0n,
        endingMinor: balance?.endingMinor ?? 0n,
        endingCurrentMinor: balance?.endingCurrentMinor ?? 0n,
        invoicedByMonth: totals.invoicedByMonth.get(`${groupKey}|${currency}`) ?? new Map(),
        planDueMinor: plan?.planDueMinor ?? 0n,
        planReceivedMinor: plan?.planReceivedMinor ?? 0n,
      });
      return {
        ...labelOf(groupKey),
        currency,
        openingAR: money(balance?.openingMinor),
        invoiced: money(balance?.invoicedMinor),
        collected: money(kpis.collectedMinor),
        received: money(balance?.receivedMinor),
        credited: money(balance?.creditedMinor),
        writtenOff: money(balance?.writtenOffMinor),
        voided: money(balance?.voidedMinor),
        endingAR: money(balance?.endingMinor),
        endingCurrentAR: money(balance?.endingCurrentMinor),
        planDue: money(plan?.planDueMinor),
        planReceived: money(plan?.planReceivedMinor),
        collectionRate: kpis.collectionRate,
        cei: kpis.cei,
        dsoSimple: kpis.dsoSimple,
        dsoCountback: kpis.dsoCountback,
        bestPossibleDso: kpis.bestPossibleDso,
        add: kpis.add,
        overdueRate: kpis.overdueRate,
        planCompletion: kpis.planCompletion,
      };
    })
    .filter((row) => !isEmpty(row));
}

/** KPI rows for each period, in a fixed number of queries (organization, three totals, names). */
export async function kpiRowsForPeriods(
  tx: Tx,
  tenantId: string,
  periods: readonly KpiPeriod[],
  by: KpiGrouping,
  scope: RecordScope,
  filter?: ReportFilter,
): Promise<KpiRow[][]> {
  periods.slice(0, -1).forEach((period) => {
    if (addDays(period.to, 1).slice(8, 10) !== '01') {
      throw new Error(`KPI period ${period.from}..${period.to} must end on a month's last day`);
    }
  });
  const org = await organizationOf(tx, tenantId);
  await tuneForReport(tx, '64MB');
  const totals = await kpiTotals(tx, tenantId, periods, by, scope, filter);
  const rowKeys = rowKeysByPeriod(totals);
  const groupKeys = new Set([...rowKeys.values()].flatMap((keys) => keys.map((key) => key.groupKey)));
  const names = await groupNames(tx, tenantId, by, [...groupKeys]);
  // The organization row is keyed by its slug; a customer without an owner or team is the group null.
  const labelOf = (groupKey: string) =>
    by === 'organization'
      ? { key: org.slug, name: org.name }
      : groupKey === ''
        ? { key: null, name: null }
        : { key: groupKey, name: names.get(groupKey) ?? null };
  return periods.map((period, index) => kpiRowsOf(totals, index, period, labelOf, rowKeys.get(index) ?? []));
}

function filterOf(query: ReportFilter): ReportFilter {
  return { teamId: query.teamId, salespersonId: query.salespersonId };
}

export async function getKpis(deps: AppDeps, actor: Actor, query: KpiQuery): Promise<KpiReport> {
  const { from, to } = query;
  const [rows = []] = await deps.db.tenant(actor.tenantId, (tx) =>
    kpiRowsForPeriods(tx, actor.tenantId, [{ from, to }], query.by, recordScope(actor), filterOf(query)),
  );
  return { from, to, by: query.by, rows };
}

export async function getKpiTrend(deps: AppDeps, actor: Actor, query: KpiTrendQuery): Promise<KpiTrend> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const org = await organizationOf(tx, actor.tenantId);
    const to = query.to ?? todayIn(deps.clock, org.timezone);
    const months = trailingMonths(to, query.months);
    const rows = await kpiRowsForPeriods(
      tx,
      actor.tenantId,
      months,
      query.by,
      recordScope(actor),
      filterOf(query),
    );
    return {
      to,
      by: query.by,
      months: months.map((month, index) => ({ ...month, rows: rows[index] ?? [] })),
    };
  });
}
