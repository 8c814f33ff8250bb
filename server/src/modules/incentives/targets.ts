import { money, periodRangeOrThrow, splitTarget, type RecordScope } from '@huikuan/core';
import type { Target, TargetList, TargetSplit } from '@huikuan/core/contracts';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import type { targetRequestSchema, targetUpdateSchema } from '@huikuan/core/contracts';
import type { CollectionTargetsTable } from '../../db/schema/incentives';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import { isUniqueViolation } from '../../platform/db-errors';
import type { AppDeps } from '../../platform/deps';
import { AppError, notFound } from '../../platform/errors';
import { amountMinorOrThrow } from '../../platform/money-input';
import { recordScope, type Actor } from '../../platform/request-context';
import { loadIncentiveContext, requireTargetSetter } from './incentive-context';
import { targetViews } from './target-progress';

type TargetInput = z.output<typeof targetRequestSchema>;
type TargetPatch = z.output<typeof targetUpdateSchema>;
type TargetRow = Selectable<CollectionTargetsTable>;
type LineInput = TargetInput['lines'][number];

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', {}, [{ path, message }]);
}

/** Who a subject is, checked against the organization and, for a manager, against their teams. */
async function assertSubject(
  tx: Tx,
  actor: Actor,
  subject: { level: string; teamId: string | null; userId: string | null },
): Promise<void> {
  const scope = recordScope(actor);
  if (subject.level === 'organization') {
    if (scope.kind !== 'all') throw new AppError('forbidden');
    return;
  }
  if (subject.level === 'team') {
    const team = await tx
      .selectFrom('teams')
      .select('id')
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', subject.teamId ?? '')
      .executeTakeFirst();
    if (!team) throw invalid('teamId', 'No such team in this organization');
    if (scope.kind === 'team' && !scope.teamIds.includes(team.id)) throw new AppError('forbidden');
    return;
  }
  const user = await tx
    .selectFrom('users')
    .select(['id', 'team_id'])
    .where('tenant_id', '=', actor.tenantId)
    .where('id', '=', subject.userId ?? '')
    .executeTakeFirst();
  if (!user) throw invalid('userId', 'No such user in this organization');
  if (scope.kind === 'team' && user.id !== scope.userId && !scope.teamIds.includes(user.team_id ?? '')) {
    throw new AppError('forbidden');
  }
}

function lineRows(tenantId: string, targetId: string, currency: string, lines: readonly LineInput[]) {
  const seen = new Set<string>();
  return lines.map((line, index) => {
    const key = `${line.dimension}:${line.key}`;
    if (seen.has(key)) throw invalid(`lines.${index}.key`, 'Each class or vintage appears once');
    seen.add(key);
    return {
      tenant_id: tenantId,
      target_id: targetId,
      dimension: line.dimension,
      key: line.key,
      weight: line.weight,
      amount_minor: amountMinorOrThrow(line.amount, currency, `lines.${index}.amount`, 'non_negative'),
    };
  });
}

function duplicateTarget(error: unknown): never {
  if (isUniqueViolation(error, 'collection_targets_subject')) {
    throw new AppError('conflict', { detail: 'this subject already has a target for the period' });
  }
  throw error;
}

/** A target visible to the actor (a manager: their teams and people, and the organization's), or 404. */
async function visibleTargetOrThrow(tx: Tx, actor: Actor, targetId: string): Promise<TargetRow> {
  const row = await tx
    .selectFrom('collection_targets')
    .selectAll()
    .where('tenant_id', '=', actor.tenantId)
    .where('id', '=', targetId)
    .executeTakeFirst();
  if (!row) throw notFound('target');
  const users = await tx
    .selectFrom('users')
    .select(['id', 'team_id'])
    .where('tenant_id', '=', actor.tenantId)
    .where('id', '=', row.user_id ?? actor.userId ?? '')
    .execute();
  if (!isTargetVisible(recordScope(actor), row, users[0]?.team_id ?? null)) throw notFound('target');
  return row;
}

export function isTargetVisible(scope: RecordScope, row: TargetRow, userTeamId: string | null): boolean {
  if (scope.kind === 'all' || row.level === 'organization') return true;
  if (row.level === 'salesperson') {
    if (row.user_id === scope.userId) return true;
    return scope.kind === 'team' && userTeamId !== null && scope.teamIds.includes(userTeamId);
  }
  return scope.kind === 'team' && row.team_id !== null && scope.teamIds.includes(row.team_id);
}

export async function createTarget(deps: AppDeps, actor: Actor, input: TargetInput): Promise<Target> {
  requireTargetSetter(actor);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const context = await loadIncentiveContext(tx, actor.tenantId, deps.clock);
    const subject = {
      level: input.level,
      teamId: input.level === 'team' ? (input.teamId ?? null) : null,
      userId: input.level === 'salesperson' ? (input.userId ?? null) : null,
    };
    if (input.level === 'team' && !subject.teamId) throw invalid('teamId', 'A team target names its team');
    if (input.level === 'salesperson' && !subject.userId) throw invalid('userId', 'Name the salesperson');
    await assertSubject(tx, actor, subject);
    const currency = input.currency ?? context.baseCurrency;
    const range = periodRangeOrThrow(input.period);
    const row = await tx
      .insertInto('collection_targets')
      .values({
        tenant_id: actor.tenantId,
        period: input.period,
        period_from: range.from,
        period_to: range.to,
        measure: input.measure,
        level: input.level,
        team_id: subject.teamId,
        user_id: subject.userId,
        parent_id: null,
        currency,
        amount_minor: amountMinorOrThrow(input.amount, currency, 'amount', 'non_negative'),
        carry_shortfall: input.carryShortfall,
        created_by_user_id: actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch(duplicateTarget);
    const lines = lineRows(actor.tenantId, row.id, currency, input.lines);
    if (lines.length > 0) await tx.insertInto('collection_target_lines').values(lines).execute();
    await recordAudit(tx, actor, {
      action: 'target.created',
      entityType: 'collection_target',
      entityId: row.id,
      after: { ...row, lines },
    });
    return oneView(tx, actor, row.id);
  });
}

async function oneView(tx: Tx, actor: Actor, targetId: string): Promise<Target> {
  const row = await visibleTargetOrThrow(tx, actor, targetId);
  const [view] = await targetViews(tx, actor.tenantId, [row]);
  if (!view) throw notFound('target');
  return view;
}

export async function getTarget(deps: AppDeps, actor: Actor, targetId: string): Promise<Target> {
  return deps.db.tenant(actor.tenantId, (tx) => oneView(tx, actor, targetId));
}

export async function updateTarget(
  deps: AppDeps,
  actor: Actor,
  targetId: string,
  patch: TargetPatch,
): Promise<Target> {
  requireTargetSetter(actor);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await visibleTargetOrThrow(tx, actor, targetId);
    await assertSubject(tx, actor, { level: before.level, teamId: before.team_id, userId: before.user_id });
    const after = await tx
      .updateTable('collection_targets')
      .set({
        ...(patch.amount === undefined
          ? {}
          : { amount_minor: amountMinorOrThrow(patch.amount, before.currency, 'amount', 'non_negative') }),
        ...(patch.carryShortfall === undefined ? {} : { carry_shortfall: patch.carryShortfall }),
        updated_at: deps.clock.now(),
      })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', targetId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (patch.lines !== undefined) {
      const lines = lineRows(actor.tenantId, targetId, before.currency, patch.lines);
      await tx
        .deleteFrom('collection_target_lines')
        .where('tenant_id', '=', actor.tenantId)
        .where('target_id', '=', targetId)
        .execute();
      if (lines.length > 0) await tx.insertInto('collection_target_lines').values(lines).execute();
    }
    await recordAudit(tx, actor, {
      action: 'target.updated',
      entityType: 'collection_target',
      entityId: targetId,
      before,
      after: { ...after, lines: patch.lines },
    });
    return oneView(tx, actor, targetId);
  });
}

async function childrenOf(tx: Tx, tenantId: string, targetId: string) {
  return tx
    .selectFrom('collection_targets')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('parent_id', '=', targetId)
    .execute();
}

export async function deleteTarget(deps: AppDeps, actor: Actor, targetId: string): Promise<void> {
  requireTargetSetter(actor);
  await deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await visibleTargetOrThrow(tx, actor, targetId);
    await assertSubject(tx, actor, { level: before.level, teamId: before.team_id, userId: before.user_id });
    if ((await childrenOf(tx, actor.tenantId, targetId)).length > 0) {
      throw new AppError('conflict', { detail: 'the target was split; delete its parts first' });
    }
    await tx
      .deleteFrom('collection_targets')
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', targetId)
      .execute();
    await recordAudit(tx, actor, {
      action: 'target.deleted',
      entityType: 'collection_target',
      entityId: targetId,
      before,
    });
  });
}

/** The class and vintage lines of a parent, each split by the same weights as the target itself. */
async function splitLines(tx: Tx, tenantId: string, parent: TargetRow, weights: readonly bigint[]) {
  const lines = await tx
    .selectFrom('collection_target_lines')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('target_id', '=', parent.id)
    .execute();
  return lines.map((line) => ({
    line,
    parts: splitTarget(money(line.amount_minor, parent.currency), weights).map((part) => part.amountMinor),
  }));
}

/**
 * 目标分解: splits a target over teams or salespeople by integer weights; the parts add up to the whole exactly
 * (largest remainder), and so does every class and vintage line. Splitting again replaces the earlier parts
 * (which must not have been split further).
 */
export async function splitTargetInto(
  deps: AppDeps,
  actor: Actor,
  targetId: string,
  input: TargetSplit,
): Promise<TargetList> {
  requireTargetSetter(actor);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const parent = await visibleTargetOrThrow(tx, actor, targetId);
    if (parent.level === 'salesperson')
      throw new AppError('conflict', { detail: 'a salesperson target is not split' });
    const weights = input.parts.map((part) => BigInt(part.weight));
    if (weights.every((weight) => weight === 0n))
      throw invalid('parts', 'At least one weight must be more than zero');
    for (const [index, part] of input.parts.entries()) {
      const subject = {
        level: part.teamId ? 'team' : 'salesperson',
        teamId: part.teamId ?? null,
        userId: part.userId ?? null,
      };
      await assertSubject(tx, actor, subject).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'validation_failed') {
          throw invalid(
            `parts.${index}.${part.teamId ? 'teamId' : 'userId'}`,
            error.issues?.[0]?.message ?? 'Unknown',
          );
        }
        throw error;
      });
    }
    const earlier = await childrenOf(tx, actor.tenantId, parent.id);
    for (const child of earlier) {
      if ((await childrenOf(tx, actor.tenantId, child.id)).length > 0) {
        throw new AppError('conflict', { detail: 'a part of the earlier split was split further' });
      }
    }
    if (earlier.length > 0) {
      await tx
        .deleteFrom('collection_targets')
        .where('tenant_id', '=', actor.tenantId)
        .where('parent_id', '=', parent.id)
        .execute();
    }
    const amounts = splitTarget(money(parent.amount_minor, parent.currency), weights);
    const lines = await splitLines(tx, actor.tenantId, parent, weights);
    const children: TargetRow[] = [];
    for (const [index, part] of input.parts.entries()) {
      const child = await tx
        .insertInto('collection_targets')
        .values({
          tenant_id: actor.tenantId,
          period: parent.period,
          period_from: parent.period_from,
          period_to: parent.period_to,
          measure: parent.measure,
          level: part.teamId ? 'team' : 'salesperson',
          team_id: part.teamId ?? null,
          user_id: part.userId ?? null,
          parent_id: parent.id,
          currency: parent.currency,
          amount_minor: amounts[index]?.amountMinor ?? 0n,
          carry_shortfall: parent.carry_shortfall,
          created_by_user_id: actor.userId,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
        .catch(duplicateTarget);
      const childLines = lines.map(({ line, parts }) => ({
        tenant_id: actor.tenantId,
        target_id: child.id,
        dimension: line.dimension,
        key: line.key,
        weight: line.weight,
        amount_minor: parts[index] ?? 0n,
      }));
      if (childLines.length > 0) await tx.insertInto('collection_target_lines').values(childLines).execute();
      children.push(child);
    }
    await recordAudit(tx, actor, {
      action: 'target.split',
      entityType: 'collection_target',
      entityId: parent.id,
      before: { parts: earlier.map((child) => ({ id: child.id, amountMinor: child.amount_minor })) },
      after: { parts: children.map((child) => ({ id: child.id, amountMinor: child.amount_minor })) },
    });
    const range = periodRangeOrThrow(parent.period);
    return {
      period: parent.period,
      from: range.from,
      to: range.to,
      items: await targetViews(tx, actor.tenantId, [parent, ...children]),
    };
  });
}

export async function listTargets(
  deps: AppDeps,
  actor: Actor,
  query: { period: string; measure?: string | undefined },
): Promise<TargetList> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    let builder = tx
      .selectFrom('collection_targets')
      .selectAll()
      .where('tenant_id', '=', actor.tenantId)
      .where('period', '=', query.period);
    if (query.measure) builder = builder.where('measure', '=', query.measure);
    const rows = await builder.orderBy('created_at').orderBy('id').execute();
    const users = await tx
      .selectFrom('users')
      .select(['id', 'team_id'])
      .where('tenant_id', '=', actor.tenantId)
      .execute();
    const teamOf = new Map(users.map((user) => [user.id, user.team_id]));
    const scope = recordScope(actor);
    const visible = rows.filter((row) => isTargetVisible(scope, row, teamOf.get(row.user_id ?? '') ?? null));
    const range = periodRangeOrThrow(query.period);
    return {
      period: query.period,
      from: range.from,
      to: range.to,
      items: await targetViews(tx, actor.tenantId, visible),
    };
  });
}
