import {
  can,
  recordScopeOf,
  type Permission,
  type RecordScope,
  type Role,
  type TokenScope,
} from '@huikuan/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { AppError } from './errors';
import type { Clock } from './clock';
import type { Database, Tx } from './db';
import { safeEqual, sha256 } from './secrets';

export const SESSION_COOKIE = 'hk_session';
export const CSRF_HEADER = 'x-csrf-token';
const TOKEN_PREFIX = 'hk_';

/** Who is asking, resolved once per request from the session cookie or an API token. */
export type Actor = {
  tenantId: string;
  userId: string | null;
  role: Role;
  /** Teams a sales manager answers for: their own and every team below it. */
  teamIds: string[];
  tokenId: string | null;
  tokenScopes: TokenScope[] | null;
  sessionId: string | null;
  csrfToken: string | null;
  requestId: string;
  ip: string;
};

declare module 'fastify' {
  // Fastify's types are extended by declaration merging, which needs an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface FastifyRequest {
    actor: Actor | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isWriteRequest(request: FastifyRequest): boolean {
  return !SAFE_METHODS.has(request.method);
}

/** The signed-in actor, with the permission checked; read-only tokens and roles cannot write. */
export function requireActor(request: FastifyRequest, permission?: Permission): Actor {
  const actor = request.actor;
  if (!actor) throw new AppError('unauthenticated');
  if (permission && !can(actor.role, permission)) throw new AppError('forbidden');
  if (actor.tokenScopes && isWriteRequest(request) && !actor.tokenScopes.includes('write')) {
    throw new AppError('forbidden');
  }
  return actor;
}

export function recordScope(actor: Actor): RecordScope {
  return recordScopeOf({ userId: actor.userId ?? '', role: actor.role, teamIds: actor.teamIds });
}

/** A sales manager's teams: the ones they belong to or manage, and all teams beneath those. */
export async function managedTeamIds(tx: Tx, tenantId: string, userId: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    WITH RECURSIVE scope AS (
      SELECT t.id FROM teams t
      WHERE t.tenant_id = ${tenantId}
        AND (t.manager_user_id = ${userId}
          OR t.id = (SELECT u.team_id FROM users u WHERE u.tenant_id = ${tenantId} AND u.id = ${userId}))
      UNION
      SELECT child.id FROM teams child JOIN scope ON child.parent_id = scope.id
      WHERE child.tenant_id = ${tenantId}
    )
    SELECT id FROM scope`.execute(tx);
  return result.rows.map((row) => row.id);
}

type Principal = Omit<Actor, 'teamIds' | 'requestId' | 'ip'>;

async function principalFromSession(db: Database, token: string, now: Date): Promise<Principal | null> {
  return db.system(async (tx) => {
    const row = await tx
      .selectFrom('sessions as s')
      .innerJoin('users as u', (join) =>
        join.onRef('u.tenant_id', '=', 's.tenant_id').onRef('u.id', '=', 's.user_id'),
      )
      .select(['s.tenant_id', 's.id', 's.csrf_token', 'u.id as user_id', 'u.role'])
      .where('s.token_hash', '=', sha256(token))
      .where('s.revoked_at', 'is', null)
      .where('s.expires_at', '>', now)
      .where('u.is_active', '=', true)
      .executeTakeFirst();
    if (!row) return null;
    return {
      tenantId: row.tenant_id,
      userId: row.user_id,
      role: row.role as Role,
      tokenId: null,
      tokenScopes: null,
      sessionId: row.id,
      csrfToken: row.csrf_token,
    };
  });
}

async function principalFromApiToken(db: Database, secret: string, now: Date): Promise<Principal | null> {
  if (!secret.startsWith(TOKEN_PREFIX)) return null;
  return db.system(async (tx) => {
    const row = await tx
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', (join) =>
        join.onRef('u.tenant_id', '=', 't.tenant_id').onRef('u.id', '=', 't.created_by_user_id'),
      )
      .select([
        't.tenant_id',
        't.id',
        't.scopes',
        't.expires_at',
        't.last_used_at',
        'u.id as user_id',
        'u.role',
      ])
      .where('t.secret_hash', '=', sha256(secret))
      .where('t.revoked_at', 'is', null)
      .where('u.is_active', '=', true)
      .executeTakeFirst();
    if (!row || (row.expires_at && row.expires_at <= now)) return null;
    // last_used_at is informational; writing it at most once a minute keeps reads cheap.
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
      await tx
        .updateTable('api_tokens')
        .set({ last_used_at: now })
        .where('tenant_id', '=', row.tenant_id)
        .where('id', '=', row.id)
        .execute();
    }
    return {
      tenantId: row.tenant_id,
      userId: row.user_id,
      role: row.role as Role,
      tokenId: row.id,
      tokenScopes: row.scopes as TokenScope[],
      sessionId: null,
      csrfToken: null,
    };
  });
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? null;
}

/** Resolves request.actor and enforces CSRF on cookie-authenticated writes. */
export async function resolveActor(
  deps: { db: Database; clock: Clock },
  request: FastifyRequest,
  _reply: FastifyReply,
): Promise<void> {
  const { db } = deps;
  const now = deps.clock.now();
  request.actor = null;
  const bearer = bearerToken(request);
  const cookie = request.cookies[SESSION_COOKIE];
  const principal = bearer
    ? await principalFromApiToken(db, bearer, now)
    : cookie
      ? await principalFromSession(db, cookie, now)
      : null;
  if (bearer && !principal) throw new AppError('unauthenticated');
  if (!principal) return;
  if (principal.sessionId && isWriteRequest(request)) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !principal.csrfToken || !safeEqual(sent, principal.csrfToken)) {
      throw new AppError('csrf_failed');
    }
  }
  const teamIds =
    principal.role === 'sales_manager' && principal.userId
      ? await db.tenant(principal.tenantId, (tx) =>
          managedTeamIds(tx, principal.tenantId, principal.userId ?? ''),
        )
      : [];
  request.actor = { ...principal, teamIds, requestId: request.id, ip: request.ip };
}
