import type { User } from '@huikuan/core/contracts';
import type { z } from 'zod';
import type { updateUserRequestSchema } from '@huikuan/core/contracts';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import { isForeignKeyViolation } from '../../platform/db-errors';
import type { AppDeps } from '../../platform/deps';
import { AppError, notFound } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { toUserView } from '../auth/sessions';

export type UserUpdate = z.output<typeof updateUserRequestSchema>;

async function countOtherActiveAdmins(tx: Tx, tenantId: string, userId: string): Promise<number> {
  const row = await tx
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('tenant_id', '=', tenantId)
    .where('role', '=', 'admin')
    .where('is_active', '=', true)
    .where('id', '!=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Role, team, name and activation. An organization never loses its last active admin. */
export async function updateUser(
  deps: AppDeps,
  actor: Actor,
  userId: string,
  input: UserUpdate,
): Promise<User> {
  try {
    return await deps.db.tenant(actor.tenantId, async (tx) => {
      const before = await tx
        .selectFrom('users')
        .selectAll()
        .where('tenant_id', '=', actor.tenantId)
        .where('id', '=', userId)
        .forUpdate()
        .executeTakeFirst();
      if (!before) throw notFound('user');
      const losesAdmin =
        before.role === 'admin' &&
        ((input.role !== undefined && input.role !== 'admin') || input.isActive === false);
      if (losesAdmin && (await countOtherActiveAdmins(tx, actor.tenantId, userId)) === 0) {
        throw new AppError('last_admin');
      }
      const after = await tx
        .updateTable('users')
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.role !== undefined ? { role: input.role } : {}),
          ...(input.teamId !== undefined ? { team_id: input.teamId } : {}),
          ...(input.isActive !== undefined ? { is_active: input.isActive } : {}),
          updated_at: deps.clock.now(),
        })
        .where('tenant_id', '=', actor.tenantId)
        .where('id', '=', userId)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (input.isActive === false) {
        await tx
          .updateTable('sessions')
          .set({ revoked_at: deps.clock.now() })
          .where('tenant_id', '=', actor.tenantId)
          .where('user_id', '=', userId)
          .where('revoked_at', 'is', null)
          .execute();
      }
      await recordAudit(tx, actor, {
        action: 'user.updated',
        entityType: 'user',
        entityId: userId,
        before,
        after,
      });
      return toUserView(after);
    });
  } catch (error) {
    if (isForeignKeyViolation(error)) throw notFound('team');
    throw error;
  }
}
