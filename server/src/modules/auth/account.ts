import type { z } from 'zod';
import type { updateProfileRequestSchema } from '@huikuan/core/contracts';
import { recordAudit } from '../../platform/audit';
import type { AppDeps } from '../../platform/deps';
import { AppError, notFound } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { hashPassword, verifyPassword } from '../../platform/secrets';

/** Ends the current session; the token stops working at once. */
export async function logout(deps: AppDeps, actor: Actor): Promise<void> {
  if (!actor.sessionId) return;
  const sessionId = actor.sessionId;
  await deps.db.tenant(actor.tenantId, async (tx) => {
    await tx
      .updateTable('sessions')
      .set({ revoked_at: deps.clock.now() })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', sessionId)
      .execute();
    await recordAudit(tx, actor, { action: 'auth.logout', entityType: 'session', entityId: sessionId });
  });
}

/** Changes the password after checking the current one; every other session of the user is ended. */
export async function changePassword(
  deps: AppDeps,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const userId = actor.userId;
  if (!userId || actor.tokenId) throw new AppError('forbidden');
  const current = await deps.db.tenant(actor.tenantId, (tx) =>
    tx
      .selectFrom('users')
      .select('password_hash')
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', userId)
      .executeTakeFirst(),
  );
  if (!current) throw notFound('user');
  if (!(await verifyPassword(current.password_hash, input.currentPassword))) {
    throw new AppError('validation_failed', {}, [
      { path: 'currentPassword', message: 'Current password is wrong' },
    ]);
  }
  const passwordHash = await hashPassword(input.newPassword);
  const now = deps.clock.now();
  await deps.db.tenant(actor.tenantId, async (tx) => {
    await tx
      .updateTable('users')
      .set({ password_hash: passwordHash, password_changed_at: now, updated_at: now })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', userId)
      .execute();
    let others = tx
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('tenant_id', '=', actor.tenantId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null);
    if (actor.sessionId) others = others.where('id', '!=', actor.sessionId);
    await others.execute();
    await recordAudit(tx, actor, { action: 'user.password_changed', entityType: 'user', entityId: userId });
  });
}

export type ProfileInput = z.output<typeof updateProfileRequestSchema>;

export async function updateProfile(deps: AppDeps, actor: Actor, input: ProfileInput): Promise<void> {
  const userId = actor.userId;
  if (!userId) throw new AppError('forbidden');
  await deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await tx
      .selectFrom('users')
      .select(['name', 'locale'])
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!before) throw notFound('user');
    const after = await tx
      .updateTable('users')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.locale !== undefined ? { locale: input.locale } : {}),
        updated_at: deps.clock.now(),
      })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', userId)
      .returning(['name', 'locale'])
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'user.profile_updated',
      entityType: 'user',
      entityId: userId,
      before,
      after,
    });
  });
}
