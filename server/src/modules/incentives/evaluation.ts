import {
  accountabilityShortfall,
  attitudeOf,
  daysBetween,
  exactRatio,
  minorToDecimalString,
  periodRangeOrThrow,
  type CalendarDate,
} from '@huikuan/core';
import type { Evaluation, EvaluationRow, KpiRow } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { recordScope, type Actor } from '../../platform/request-context';
import { kpiRowsForPeriods } from '../analytics/kpi-report';
import { brokenPromiseCounts } from '../casework/promises';
import { loadIncentiveContext, salespersonScopeCondition, type IncentiveContext } from './incentive-context';
import {
  actualOf,
  collectedActuals,
  invoicedActuals,
  teamDescendants,
  type ActualRow,
} from './period-actuals';

type Subject = { key: string; name: string; level: 'salesperson' | 'team' };

type Inputs = {
  context: IncentiveContext;
  from: CalendarDate;
  to: CalendarDate;
  collected: ActualRow[];
  invoiced: ActualRow[];
  teams: Map<string, Set<string>>;
  kpis: Map<string, KpiRow>;
  targets: Map<string, bigint>;
  broken: Map<string, number> | null;
  shortfall: Map<string, bigint>;
};

function median(values: readonly bigint[]): bigint | null {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? null)
    : ((sorted[middle - 1] ?? 0n) + (sorted[middle] ?? 0n)) / 2n;
}

/** What a subject invoiced and collected in the period, in the base currency. */
function amountsOf(input: Inputs, subject: Subject) {
  const who =
    subject.level === 'team'
      ? ({ level: 'team', teamId: subject.key } as const)
      : ({ level: 'salesperson', userId: subject.key } as const);
  const currency = input.context.baseCurrency;
  return {
    invoicedMinor: actualOf(input.invoiced, who, currency, input.teams),
    collectedMinor: actualOf(input.collected, who, currency, input.teams),
  };
}

/**
 * Rows for one level: achievement against each subject's own targets when it has both (sales and collection),
 * else against the median of its peers (the "team median" when nobody set targets), then the four attitudes
 * and a ranking by collection achievement, then amount collected.
 */
function rowsFor(input: Inputs, subjects: readonly Subject[]): EvaluationRow[] {
  const currency = input.context.baseCurrency;
  const amounts = subjects.map((subject) => ({ subject, ...amountsOf(input, subject) }));
  const medianSales = median(amounts.map((a) => a.invoicedMinor));
  const medianCollected = median(amounts.map((a) => a.collectedMinor));
  const rows = amounts.map(({ subject, invoicedMinor, collectedMinor }) => {
    const salesTarget = input.targets.get(`sales|${subject.level}|${subject.key}`) ?? null;
    const collectionTarget = input.targets.get(`collection|${subject.level}|${subject.key}`) ?? null;
    const byTarget =
      salesTarget !== null && salesTarget > 0n && collectionTarget !== null && collectionTarget > 0n;
    const salesAchievement = exactRatio(invoicedMinor, byTarget ? salesTarget : (medianSales ?? 0n));
    const collectionAchievement = exactRatio(
      collectedMinor,
      byTarget ? collectionTarget : (medianCollected ?? 0n),
    );
    const kpi = input.kpis.get(`${subject.level}|${subject.key}`);
    const money = (minor: bigint) => minorToDecimalString(minor, currency);
    const shortfall = input.shortfall.get(subject.key);
    return {
      key: subject.key,
      name: subject.name,
      currency,
      invoiced: money(invoicedMinor),
      collected: money(collectedMinor),
      salesTarget: salesTarget === null ? null : money(salesTarget),
      collectionTarget: collectionTarget === null ? null : money(collectionTarget),
      salesAchievement,
      collectionAchievement,
      achievementBasis: byTarget ? ('target' as const) : ('median' as const),
      attitude:
        salesAchievement === null || collectionAchievement === null
          ? null
          : attitudeOf(salesAchievement, collectionAchievement),
      collectionRate: kpi?.collectionRate ?? null,
      dso: kpi?.dsoCountback ?? null,
      overdueShare: kpi?.overdueRate ?? null,
      brokenPromises: input.broken === null ? null : (input.broken.get(subject.key) ?? 0),
      accountabilityShortfall:
        input.context.accountabilityMode && subject.level === 'salesperson' ? money(shortfall ?? 0n) : null,
      rank: 0,
      collectedMinor,
    };
  });
  rows.sort(
    (a, b) =>
      (b.collectionAchievement ?? -1) - (a.collectionAchievement ?? -1) ||
      (b.collectedMinor > a.collectedMinor ? 1 : b.collectedMinor < a.collectedMinor ? -1 : 0) ||
      a.name.localeCompare(b.name),
  );
  return rows.map(({ collectedMinor: _collected, ...row }, index) => ({ ...row, rank: index + 1 }));
}

/** 买卖制: per salesperson, what they sold in the period less what of it has been collected by today. */
async function shortfalls(
  tx: Tx,
  input: Pick<Inputs, 'context' | 'from' | 'to'>,
): Promise<Map<string, bigint>> {
  const { context } = input;
  if (!context.accountabilityMode) return new Map();
  const result = await sql<{ owner: string; sold: bigint; collected: bigint }>`
    SELECT c.owner_user_id AS owner,
      sum(i.total_minor - coalesce((SELECT sum(cn.amount_minor) FROM credit_notes cn WHERE cn.tenant_id = i.tenant_id
        AND cn.invoice_id = i.id AND cn.status = 'posted' AND cn.kind = 'credit_note'), 0))::bigint AS sold,
      sum(coalesce((SELECT sum(a.amount_minor) FROM allocations a WHERE a.tenant_id = i.tenant_id
        AND a.invoice_id = i.id AND a.allocated_on <= ${context.today}::date), 0))::bigint AS collected
    FROM invoices i JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
    WHERE i.tenant_id = ${context.tenantId} AND i.status = 'issued' AND c.owner_user_id IS NOT NULL
      AND i.currency = ${context.baseCurrency}
      AND i.invoice_date BETWEEN ${input.from}::date AND ${input.to}::date
      AND NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.tenant_id = i.tenant_id AND v.invoice_id = i.id)
    GROUP BY c.owner_user_id`.execute(tx);
  return new Map(
    result.rows.map((row) => [row.owner, accountabilityShortfall(BigInt(row.sold), BigInt(row.collected))]),
  );
}

/** Broken promises per salesperson and team in the period (customer's owner and team), from casework. */
async function brokenCounts(tx: Tx, tenantId: string, to: CalendarDate, days: number) {
  const customers = await tx
    .selectFrom('customers')
    .select(['id', 'owner_user_id', 'team_id'])
    .where('tenant_id', '=', tenantId)
    .execute();
  const perCustomer = await brokenPromiseCounts(
    tx,
    tenantId,
    customers.map((c) => c.id),
    to,
    days,
  );
  const counts = new Map<string, number>();
  for (const customer of customers) {
    const broken = perCustomer.get(customer.id) ?? 0;
    for (const key of [customer.owner_user_id, customer.team_id]) {
      if (key) counts.set(key, (counts.get(key) ?? 0) + broken);
    }
  }
  return counts;
}

async function targetsOf(tx: Tx, tenantId: string, period: string, currency: string) {
  const rows = await tx
    .selectFrom('collection_targets')
    .select(['measure', 'level', 'team_id', 'user_id', 'amount_minor'])
    .where('tenant_id', '=', tenantId)
    .where('period', '=', period)
    .where('currency', '=', currency)
    .where('level', '!=', 'organization')
    .execute();
  return new Map(
    rows.map((row) => [`${row.measure}|${row.level}|${row.team_id ?? row.user_id ?? ''}`, row.amount_minor]),
  );
}

function kpisBy(rows: readonly KpiRow[], level: string, currency: string): [string, KpiRow][] {
  return rows
    .filter((row) => row.key !== null && row.currency === currency)
    .map((row) => [`${level}|${row.key}`, row]);
}

/**
 * 评估: each salesperson and team in the actor's scope over a period: sales (invoiced) against collections, the
 * four attitudes, collection rate, DSO (countback), overdue share and broken promises from the KPIs (customer's
 * current owner and team, base currency only), a ranking, and under 买卖制 the shortfall against what they sold.
 */
export async function evaluatePeriod(deps: AppDeps, actor: Actor, period: string): Promise<Evaluation> {
  const range = periodRangeOrThrow(period);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const context = await loadIncentiveContext(tx, actor.tenantId, deps.clock);
    const scope = recordScope(actor);
    const [bySalesperson = [], byTeam = []] = [
      ...(await kpiRowsForPeriods(tx, actor.tenantId, [range], 'salesperson', scope)),
      ...(await kpiRowsForPeriods(tx, actor.tenantId, [range], 'team', scope)),
    ];
    const input: Inputs = {
      context,
      from: range.from,
      to: range.to,
      collected: await collectedActuals(tx, actor.tenantId, range.from, range.to, context.keyCustomerTag),
      invoiced: await invoicedActuals(tx, actor.tenantId, range.from, range.to, context.keyCustomerTag),
      teams: await teamDescendants(tx, actor.tenantId),
      kpis: new Map([
        ...kpisBy(bySalesperson, 'salesperson', context.baseCurrency),
        ...kpisBy(byTeam, 'team', context.baseCurrency),
      ]),
      targets: await targetsOf(tx, actor.tenantId, period, context.baseCurrency),
      broken: await brokenCounts(tx, actor.tenantId, range.to, daysBetween(range.from, range.to) + 1),
      shortfall: await shortfalls(tx, { context, from: range.from, to: range.to }),
    };
    const people = await sql<{ id: string; name: string }>`
      SELECT u.id, u.name FROM users u
      WHERE u.tenant_id = ${actor.tenantId} AND ${salespersonScopeCondition(scope, 'u')}
        AND EXISTS (SELECT 1 FROM customers c WHERE c.tenant_id = u.tenant_id AND c.owner_user_id = u.id)
      ORDER BY u.name, u.id`.execute(tx);
    const teams = await tx
      .selectFrom('teams')
      .select(['id', 'name'])
      .where('tenant_id', '=', actor.tenantId)
      .orderBy('name')
      .execute();
    const visibleTeams = teams.filter(
      (team) => scope.kind === 'all' || (scope.kind === 'team' && scope.teamIds.includes(team.id)),
    );
    return {
      period,
      from: range.from,
      to: range.to,
      currency: context.baseCurrency,
      accountabilityMode: context.accountabilityMode,
      brokenPromisesTracked: input.broken !== null,
      salespeople: rowsFor(
        input,
        people.rows.map((row) => ({ key: row.id, name: row.name, level: 'salesperson' as const })),
      ),
      teams: rowsFor(
        input,
        visibleTeams.map((team) => ({ key: team.id, name: team.name, level: 'team' as const })),
      ),
    };
  });
}
