import type { Team } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import { isForeignKeyViolation, isUniqueViolation } from '../../platform/db-errors';
import type { AppDeps } from '../../platform/deps';
import { AppError, notFound } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';

export type TeamInput = {
  name?: string | undefined;
  parentId?: string | null | undefined;
  managerUserId?: string | null | undefined;
};

async function loadTeams(tx: Tx, tenantId: string, teamId?: string): Promise<Team[]> {
  let query = tx
    .selectFrom('teams as t')
    .select([
      't.id',
      't.name',
      't.parent_id',
      't.manager_user_id',
      't.created_at',
      sql<string>`(SELECT count(*) FROM users u WHERE u.tenant_id = t.tenant_id AND u.team_id = t.id)`.as(
        'member_count',
      ),
    ])
    .where('t.tenant_id', '=', tenantId);
  if (teamId) query = query.where('t.id', '=', teamId);
  const rows = await query.orderBy('t.name').execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    parentId: row.parent_id,
    managerUserId: row.manager_user_id,
    memberCount: Number(row.member_count),
    createdAt: row.created_at.toISOString(),
  }));
}

export async function listTeams(deps: AppDeps, actor: Actor): Promise<{ items: Team[] }> {
  return { items: await deps.db.tenant(actor.tenantId, (tx) => loadTeams(tx, actor.tenantId)) };
}

/** A team may not sit below itself: walking up from the new parent must never reach the team. */
async function assertNoCycle(tx: Tx, tenantId: string, teamId: string, parentId: string): Promise<void> {
  const result = await sql<{ id: string }>`
    WITH RECURSIVE up AS (
      SELECT id, parent_id FROM teams WHERE tenant_id = ${tenantId} AND id = ${parentId}
      UNION
      SELECT t.id, t.parent_id FROM teams t JOIN up ON t.id = up.parent_id WHERE t.tenant_id = ${tenantId}
    )
    SELECT id FROM up WHERE id = ${teamId}`.execute(tx);
  if (result.rows.length > 0)
    throw new AppError('conflict', { detail: 'a team cannot be placed under itself' });
}

function translate(error: unknown, name: string | undefined): never {
  if (isUniqueViolation(error))
    throw new AppError('conflict', { detail: `team name "${name ?? ''}" is taken` });
  if (isForeignKeyViolation(error)) throw notFound('team or manager');
  throw error;
}

export async function createTeam(
  deps: AppDeps,
  actor: Actor,
  input: TeamInput & { name: string },
): Promise<Team> {
  try {
    return await deps.db.tenant(actor.tenantId, async (tx) => {
      const row = await tx
        .insertInto('teams')
        .values({
          tenant_id: actor.tenantId,
          name: input.name,
          parent_id: input.parentId ?? null,
          manager_user_id: input.managerUserId ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, actor, {
        action: 'team.created',
        entityType: 'team',
        entityId: row.id,
        after: row,
      });
      const [team] = await loadTeams(tx, actor.tenantId, row.id);
      if (!team) throw notFound('team');
      return team;
    });
  } catch (error) {
    return translate(error, input.name);
  }
}

export async function updateTeam(
  deps: AppDeps,
  actor: Actor,
  teamId: string,
  input: TeamInput,
): Promise<Team> {
  try {
    return await deps.db.tenant(actor.tenantId, async (tx) => {
      const before = await tx
        .selectFrom('teams')
        .selectAll()
        .where('tenant_id', '=', actor.tenantId)
        .where('id', '=', teamId)
        .forUpdate()
        .executeTakeFirst();
      if (!before) throw notFound('team');
      if (input.parentId) await assertNoCycle(tx, actor.tenantId, teamId, input.parentId);
      const after = await tx
        .updateTable('teams')
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.parentId !== undefined ? { parent_id: input.parentId } : {}),
          ...(input.managerUserId !== undefined ? { manager_user_id: input.managerUserId } : {}),
          updated_at: deps.clock.now(),
        })
        .where('tenant_id', '=', actor.tenantId)
        .where('id', '=', teamId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, actor, {
        action: 'team.updated',
        entityType: 'team',
        entityId: teamId,
        before,
        after,
      });
      const [team] = await loadTeams(tx, actor.tenantId, teamId);
      if (!team) throw notFound('team');
      return team;
    });
  } catch (error) {
    return translate(error, input.name);
  }
}

/** Only an empty team goes: members and sub-teams must move first, so nobody silently loses their team. */
export async function deleteTeam(deps: AppDeps, actor: Actor, teamId: string): Promise<void> {
  await deps.db.tenant(actor.tenantId, async (tx) => {
    const [team] = await loadTeams(tx, actor.tenantId, teamId);
    if (!team) throw notFound('team');
    const child = await tx
      .selectFrom('teams')
      .select('id')
      .where('tenant_id', '=', actor.tenantId)
      .where('parent_id', '=', teamId)
      .executeTakeFirst();
    if (team.memberCount > 0 || child) {
      throw new AppError('conflict', { detail: 'move the members and sub-teams out of this team first' });
    }
    await tx
      .updateTable('invitations')
      .set({ team_id: null })
      .where('tenant_id', '=', actor.tenantId)
      .where('team_id', '=', teamId)
      .execute();
    await tx.deleteFrom('teams').where('tenant_id', '=', actor.tenantId).where('id', '=', teamId).execute();
    await recordAudit(tx, actor, {
      action: 'team.deleted',
      entityType: 'team',
      entityId: teamId,
      before: team,
    });
  });
}
