import type { Locale, Role } from '@huikuan/core';
import type { Selectable } from 'kysely';
import type { UsersTable } from '../../db/schema';
import { recordAudit, type AuditActor } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import { isUniqueViolation } from '../../platform/db-errors';
import { AppError } from '../../platform/errors';

export type NewUser = {
  email: string;
  name: string;
  role: Role;
  teamId: string | null;
  locale: Locale | null;
  passwordHash: string;
};

/** Inserts a user in the transaction's tenant and audits it; a taken email is a clear 409. */
export async function createUserIn(
  tx: Tx,
  tenantId: string,
  input: NewUser,
  actorOf: (userId: string) => AuditActor,
): Promise<Selectable<UsersTable>> {
  const taken = await tx
    .selectFrom('users')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('email', '=', input.email)
    .executeTakeFirst();
  if (taken) throw new AppError('email_taken', { email: input.email });
  try {
    const user = await tx
      .insertInto('users')
      .values({
        tenant_id: tenantId,
        email: input.email,
        name: input.name,
        role: input.role,
        team_id: input.teamId,
        locale: input.locale,
        password_hash: input.passwordHash,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actorOf(user.id), {
      action: 'user.created',
      entityType: 'user',
      entityId: user.id,
      after: user,
    });
    return user;
  } catch (error) {
    if (isUniqueViolation(error, 'email')) throw new AppError('email_taken', { email: input.email });
    throw error;
  }
}
