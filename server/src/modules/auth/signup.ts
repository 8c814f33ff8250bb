import type { SessionResponse } from '@huikuan/core/contracts';
import type { z } from 'zod';
import type { signupRequestSchema } from '@huikuan/core/contracts';
import { recordAudit } from '../../platform/audit';
import { enterTenant } from '../../platform/db';
import { isUniqueViolation } from '../../platform/db-errors';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import { hashPassword } from '../../platform/secrets';
import { createSession, sessionView, type NewSession, type RequestMeta } from './sessions';

export type SignupInput = z.output<typeof signupRequestSchema>;

/** Creates an organization and its first admin in one transaction, and signs that admin in. */
export async function signup(
  deps: AppDeps,
  input: SignupInput,
  meta: RequestMeta,
): Promise<{ session: NewSession; view: SessionResponse }> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await deps.db.system(async (tx) => {
      const organization = await tx
        .insertInto('organizations')
        .values({
          name: input.organizationName,
          slug: input.slug,
          base_currency: input.baseCurrency,
          timezone: input.timezone,
          locale: input.locale,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const tenantId = organization.tenant_id;
      await enterTenant(tx, tenantId);
      const user = await tx
        .insertInto('users')
        .values({
          tenant_id: tenantId,
          email: input.email,
          name: input.adminName,
          role: 'admin',
          password_hash: passwordHash,
          locale: input.locale,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const actor = { tenantId, userId: user.id, tokenId: null, requestId: meta.requestId, ip: meta.ip };
      await recordAudit(tx, actor, {
        action: 'organization.created',
        entityType: 'organization',
        entityId: tenantId,
        after: organization,
      });
      await recordAudit(tx, actor, { action: 'user.created', entityType: 'user', entityId: user.id, after: user });
      const session = await createSession(tx, tenantId, user.id, meta, deps.clock.now());
      return { session, view: await sessionView(tx, tenantId, user.id, session.csrfToken) };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'slug')) throw new AppError('slug_taken', { slug: input.slug });
    throw error;
  }
}
