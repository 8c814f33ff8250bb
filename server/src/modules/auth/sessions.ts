import { permissionsOf, recordScopeOf, type Locale, type Role } from '@huikuan/core';
import type { Organization, SessionResponse, User } from '@huikuan/core/contracts';
import type { Selectable } from 'kysely';
import type { OrganizationsTable, UsersTable } from '../../db/schema';
import type { Tx } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { managedTeamIds } from '../../platform/request-context';
import { newSecret, sha256 } from '../../platform/secrets';

export const SESSION_LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;

export type NewSession = { token: string; csrfToken: string; expiresAt: Date; sessionId: string };
export type RequestMeta = { ip: string; userAgent: string | null; requestId: string };

/** Starts a session: the cookie carries a random token; the database keeps only its hash. */
export async function createSession(
  tx: Tx,
  tenantId: string,
  userId: string,
  meta: RequestMeta,
  now: Date,
): Promise<NewSession> {
  const token = newSecret();
  const csrfToken = newSecret(24);
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
  const row = await tx
    .insertInto('sessions')
    .values({
      tenant_id: tenantId,
      user_id: userId,
      token_hash: sha256(token),
      csrf_token: csrfToken,
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
      expires_at: expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { token, csrfToken, expiresAt, sessionId: row.id };
}

export function toUserView(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    teamId: row.team_id,
    locale: row.locale as Locale | null,
    isActive: row.is_active,
    createdAt: row.created_at.toISOString(),
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
  };
}

export function toOrganizationView(row: Selectable<OrganizationsTable>): Organization {
  return {
    id: row.tenant_id,
    name: row.name,
    slug: row.slug,
    baseCurrency: row.base_currency,
    timezone: row.timezone,
    locale: row.locale as Locale,
    createdAt: row.created_at.toISOString(),
  };
}

/** The signed-in view of who is asking, their organization and what they may do. */
export async function sessionView(
  tx: Tx,
  tenantId: string,
  userId: string,
  csrfToken: string,
): Promise<SessionResponse> {
  const user = await tx
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .executeTakeFirst();
  const organization = await tx
    .selectFrom('organizations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  if (!user || !organization) throw notFound('user');
  const view = toUserView(user);
  const teamIds = view.role === 'sales_manager' ? await managedTeamIds(tx, tenantId, userId) : [];
  return {
    user: view,
    organization: toOrganizationView(organization),
    permissions: [...permissionsOf(view.role)],
    recordScope: recordScopeOf({ userId, role: view.role, teamIds }),
    csrfToken,
  };
}
