import {
  carriedTarget,
  minorToDecimalString,
  periodRangeOrThrow,
  previousPeriod,
  targetProgress,
  weightedCompletion,
} from '@huikuan/core';
import type { Target } from '@huikuan/core/contracts';
import type { Selectable } from 'kysely';
import type { CollectionTargetsTable } from '../../db/schema/incentives';
import type { Tx } from '../../platform/db';
import {
  actualOf,
  collectedActuals,
  invoicedActuals,
  teamDescendants,
  type ActualRow,
  type Subject,
} from './period-actuals';

type TargetRow = Selectable<CollectionTargetsTable>;

function subjectOf(row: { level: string; team_id: string | null; user_id: string | null }): Subject {
  if (row.level === 'team' && row.team_id) return { level: 'team', teamId: row.team_id };
  if (row.level === 'salesperson' && row.user_id) return { level: 'salesperson', userId: row.user_id };
  return { level: 'organization' };
}

/** Actuals per (period, measure), each read once however many targets share them. */
function actualsCache(tx: Tx, tenantId: string, keyTag: string) {
  const cache = new Map<string, Promise<ActualRow[]>>();
  return (period: string, measure: string): Promise<ActualRow[]> => {
    const key = `${period}|${measure}`;
    let found = cache.get(key);
    if (!found) {
      const range = periodRangeOrThrow(period);
      const read = measure === 'sales' ? invoicedActuals : collectedActuals;
      found = read(tx, tenantId, range.from, range.to, keyTag);
      cache.set(key, found);
    }
    return found;
  };
}

async function namesOf(tx: Tx, tenantId: string) {
  const org = await tx
    .selectFrom('organizations')
    .leftJoin('incentive_settings as s', 's.tenant_id', 'organizations.tenant_id')
    .select(['organizations.name', 's.key_customer_tag'])
    .where('organizations.tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const teams = await tx
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('tenant_id', '=', tenantId)
    .execute();
  const users = await tx
    .selectFrom('users')
    .select(['id', 'name'])
    .where('tenant_id', '=', tenantId)
    .execute();
  return {
    organization: org.name,
    keyTag: org.key_customer_tag ?? '重点',
    teams: new Map(teams.map((team) => [team.id, team.name])),
    users: new Map(users.map((user) => [user.id, user.name])),
  };
}

/**
 * Targets with live progress: what was collected (or invoiced) in the period by the subject in the target's
 * currency (money in other currencies is never converted into it), against the target plus, where agreed, last
 * period's shortfall of the same subject (one period back: that target's own amount less what it got).
 */
export async function targetViews(tx: Tx, tenantId: string, rows: readonly TargetRow[]): Promise<Target[]> {
  if (rows.length === 0) return [];
  const names = await namesOf(tx, tenantId);
  const teams = await teamDescendants(tx, tenantId);
  const actuals = actualsCache(tx, tenantId, names.keyTag);
  const lines = await tx
    .selectFrom('collection_target_lines')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(
      'target_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('dimension')
    .orderBy('key')
    .execute();
  const views: Target[] = [];
  for (const row of rows) {
    const subject = subjectOf(row);
    const rowsNow = await actuals(row.period, row.measure);
    const actualMinor = actualOf(rowsNow, subject, row.currency, teams);
    const carriedInMinor = row.carry_shortfall
      ? await shortfallBefore(tx, tenantId, row, actuals, teams)
      : 0n;
    const effectiveMinor = carriedTarget(
      row.amount_minor,
      targetProgress(carriedInMinor, 0n),
      row.carry_shortfall,
    );
    const progress = targetProgress(effectiveMinor, actualMinor);
    const ownLines = lines
      .filter((line) => line.target_id === row.id)
      .map((line) => ({
        dimension: line.dimension as 'class' | 'vintage',
        key: line.key,
        weight: line.weight,
        targetMinor: line.amount_minor,
        collectedMinor: actualOf(rowsNow, subject, row.currency, teams, line),
      }));
    const money = (minor: bigint) => minorToDecimalString(minor, row.currency);
    const range = periodRangeOrThrow(row.period);
    views.push({
      id: row.id,
      period: row.period,
      from: range.from,
      to: range.to,
      measure: row.measure as Target['measure'],
      level: row.level as Target['level'],
      teamId: row.team_id,
      userId: row.user_id,
      name:
        subject.level === 'organization'
          ? names.organization
          : subject.level === 'team'
            ? (names.teams.get(subject.teamId) ?? '')
            : (names.users.get(subject.userId) ?? ''),
      parentId: row.parent_id,
      currency: row.currency,
      amount: money(row.amount_minor),
      carryShortfall: row.carry_shortfall,
      carriedIn: money(carriedInMinor),
      effectiveTarget: money(effectiveMinor),
      actual: money(actualMinor),
      completion: progress.completion,
      shortfall: money(progress.shortfallMinor),
      weightedCompletion: weightedCompletion(ownLines),
      lines: ownLines.map((line) => ({
        dimension: line.dimension,
        key: line.key,
        weight: line.weight,
        target: money(line.targetMinor),
        collected: money(line.collectedMinor),
        completion: targetProgress(line.targetMinor, line.collectedMinor).completion,
      })),
    });
  }
  return views;
}

/** Last period's shortfall of the same subject and measure: its amount less what it got (0 without one). */
async function shortfallBefore(
  tx: Tx,
  tenantId: string,
  row: TargetRow,
  actuals: (period: string, measure: string) => Promise<ActualRow[]>,
  teams: Map<string, Set<string>>,
): Promise<bigint> {
  const period = previousPeriod(row.period);
  let query = tx
    .selectFrom('collection_targets')
    .select(['amount_minor', 'currency'])
    .where('tenant_id', '=', tenantId)
    .where('period', '=', period)
    .where('measure', '=', row.measure)
    .where('level', '=', row.level);
  query = row.team_id ? query.where('team_id', '=', row.team_id) : query.where('team_id', 'is', null);
  query = row.user_id ? query.where('user_id', '=', row.user_id) : query.where('user_id', 'is', null);
  const previous = await query.executeTakeFirst();
  if (!previous || previous.currency !== row.currency) return 0n;
  const got = actualOf(await actuals(period, row.measure), subjectOf(row), row.currency, teams);
  return targetProgress(previous.amount_minor, got).shortfallMinor;
}
