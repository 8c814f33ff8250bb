import type { SessionResponse } from '@huikuan/core/contracts';
import type { z } from 'zod';
import type { signupRequestSchema } from '@huikuan/core/contracts';
import type { AppDeps } from '../../platform/deps';
import { hashPassword } from '../../platform/secrets';
import { createOrganizationIn, translateSlugConflict } from '../organization/create-organization';
import { createUserIn } from '../users/create-user';
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
      const organization = await createOrganizationIn(
        tx,
        {
          name: input.organizationName,
          slug: input.slug,
          baseCurrency: input.baseCurrency,
          timezone: input.timezone,
          locale: input.locale,
        },
        { userId: null, requestId: meta.requestId, ip: meta.ip },
      );
      const tenantId = organization.tenant_id;
      const user = await createUserIn(
        tx,
        tenantId,
        {
          email: input.email,
          name: input.adminName,
          role: 'admin',
          teamId: null,
          locale: input.locale,
          passwordHash,
        },
        (userId) => ({ tenantId, userId, tokenId: null, requestId: meta.requestId, ip: meta.ip }),
      );
      const now = deps.clock.now();
      await tx
        .updateTable('users')
        .set({ last_login_at: now })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', user.id)
        .execute();
      const session = await createSession(tx, tenantId, user.id, meta, now);
      return { session, view: await sessionView(tx, tenantId, user.id, session.csrfToken) };
    });
  } catch (error) {
    return translateSlugConflict(error, input.slug);
  }
}
