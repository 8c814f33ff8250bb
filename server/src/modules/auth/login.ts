import type { SessionResponse } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import { recordAudit, type AuditActor } from '../../platform/audit';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import { decoyPasswordHash, verifyPassword } from '../../platform/secrets';
import { createSession, sessionView, type NewSession, type RequestMeta } from './sessions';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

export type LoginInput = { organizationSlug: string; email: string; password: string };

type Candidate = {
  tenantId: string;
  userId: string;
  passwordHash: string;
  isActive: boolean;
  lockedUntil: Date | null;
};

async function findCandidate(
  deps: AppDeps,
  input: LoginInput,
): Promise<{ tenantId: string | null; user: Candidate | null }> {
  const tenantId = await deps.db.system(async (tx) => {
    const org = await tx
      .selectFrom('organizations')
      .select('tenant_id')
      .where('slug', '=', input.organizationSlug)
      .executeTakeFirst();
    return org?.tenant_id ?? null;
  });
  if (!tenantId) return { tenantId: null, user: null };
  const user = await deps.db.tenant(tenantId, (tx) =>
    tx
      .selectFrom('users')
      .select(['id', 'password_hash', 'is_active', 'locked_until'])
      .where('tenant_id', '=', tenantId)
      .where('email', '=', input.email)
      .executeTakeFirst(),
  );
  if (!user) return { tenantId, user: null };
  return {
    tenantId,
    user: {
      tenantId,
      userId: user.id,
      passwordHash: user.password_hash,
      isActive: user.is_active,
      lockedUntil: user.locked_until,
    },
  };
}

function minutesLeft(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
}

/** Counts a failure; the fifth in a row locks the account for a while. Returns the lock's end if it locked. */
async function recordFailure(deps: AppDeps, user: Candidate, meta: RequestMeta): Promise<Date | null> {
  const now = deps.clock.now();
  return deps.db.tenant(user.tenantId, async (tx) => {
    const updated = await tx
      .updateTable('users')
      .set({ failed_login_count: sql`failed_login_count + 1` })
      .where('tenant_id', '=', user.tenantId)
      .where('id', '=', user.userId)
      .returning('failed_login_count')
      .executeTakeFirstOrThrow();
    const actor: AuditActor = { tenantId: user.tenantId, userId: null, tokenId: null, ...meta };
    await recordAudit(tx, actor, { action: 'auth.login_failed', entityType: 'user', entityId: user.userId });
    if (updated.failed_login_count < MAX_FAILED_LOGINS) return null;
    const lockedUntil = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000);
    await tx
      .updateTable('users')
      .set({ failed_login_count: 0, locked_until: lockedUntil })
      .where('tenant_id', '=', user.tenantId)
      .where('id', '=', user.userId)
      .execute();
    await recordAudit(tx, actor, {
      action: 'auth.locked',
      entityType: 'user',
      entityId: user.userId,
      after: { lockedUntil },
    });
    return lockedUntil;
  });
}

/**
 * Signs in with organization, email and password. Unknown organizations and emails cost the same password check
 * as known ones and get the same answer, so the response does not reveal who has an account.
 */
export async function login(
  deps: AppDeps,
  input: LoginInput,
  meta: RequestMeta,
): Promise<{ session: NewSession; view: SessionResponse }> {
  const { user } = await findCandidate(deps, input);
  const now = deps.clock.now();
  if (user?.lockedUntil && user.lockedUntil > now) {
    throw new AppError('account_locked', { minutes: minutesLeft(user.lockedUntil, now) });
  }
  const isValid = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), input.password);
  if (!user || !isValid) {
    const lockedUntil = user ? await recordFailure(deps, user, meta) : null;
    if (lockedUntil) throw new AppError('account_locked', { minutes: LOCKOUT_MINUTES });
    throw new AppError('invalid_credentials');
  }
  if (!user.isActive) throw new AppError('account_disabled');
  return deps.db.tenant(user.tenantId, async (tx) => {
    await tx
      .updateTable('users')
      .set({ failed_login_count: 0, locked_until: null, last_login_at: now })
      .where('tenant_id', '=', user.tenantId)
      .where('id', '=', user.userId)
      .execute();
    const session = await createSession(tx, user.tenantId, user.userId, meta, now);
    const actor: AuditActor = { tenantId: user.tenantId, userId: user.userId, tokenId: null, ...meta };
    await recordAudit(tx, actor, {
      action: 'auth.login',
      entityType: 'session',
      entityId: session.sessionId,
      after: { ip: meta.ip, userAgent: meta.userAgent },
    });
    return { session, view: await sessionView(tx, user.tenantId, user.userId, session.csrfToken) };
  });
}
