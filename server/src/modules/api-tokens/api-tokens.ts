import type { TokenScope } from '@huikuan/core';
import type { ApiToken } from '@huikuan/core/contracts';
import type { Selectable } from 'kysely';
import type { ApiTokensTable } from '../../db/schema';
import { recordAudit } from '../../platform/audit';
import type { AppDeps } from '../../platform/deps';
import { AppError, notFound } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { randomBytes } from 'node:crypto';
import { newSecret, sha256 } from '../../platform/secrets';

function toView(row: Selectable<ApiTokensTable>): ApiToken {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes as TokenScope[],
    prefix: row.prefix,
    createdByUserId: row.created_by_user_id,
    expiresAt: row.expires_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

export async function listApiTokens(deps: AppDeps, actor: Actor): Promise<{ items: ApiToken[] }> {
  const rows = await deps.db.tenant(actor.tenantId, (tx) =>
    tx
      .selectFrom('api_tokens')
      .selectAll()
      .where('tenant_id', '=', actor.tenantId)
      .orderBy('created_at', 'desc')
      .execute(),
  );
  return { items: rows.map(toView) };
}

/**
 * An integration token acts for the admin who made it, limited to its scopes (read, write). The secret is shown
 * once; its visible prefix lets people tell tokens apart in logs and lists.
 */
export async function createApiToken(
  deps: AppDeps,
  actor: Actor,
  input: { name: string; scopes: TokenScope[]; expiresAt?: string | null | undefined },
): Promise<{ token: ApiToken; secret: string }> {
  if (actor.tokenId) throw new AppError('forbidden');
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt <= deps.clock.now())) {
    throw new AppError('validation_failed', {}, [{ path: 'expiresAt', message: 'Must be a future instant' }]);
  }
  // Hex, so the prefix never contains the '_' that separates it from the secret (base64url can).
  const prefix = randomBytes(4).toString('hex');
  const secret = `hk_${prefix}_${newSecret()}`;
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const row = await tx
      .insertInto('api_tokens')
      .values({
        tenant_id: actor.tenantId,
        name: input.name,
        scopes: [...new Set(input.scopes)],
        prefix: `hk_${prefix}`,
        secret_hash: sha256(secret),
        created_by_user_id: actor.userId ?? '',
        expires_at: expiresAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'api_token.created',
      entityType: 'api_token',
      entityId: row.id,
      after: row,
    });
    return { token: toView(row), secret };
  });
}

export async function revokeApiToken(deps: AppDeps, actor: Actor, tokenId: string): Promise<void> {
  await deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await tx
      .selectFrom('api_tokens')
      .selectAll()
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', tokenId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw notFound('API token');
    if (before.revoked_at) return;
    const after = await tx
      .updateTable('api_tokens')
      .set({ revoked_at: deps.clock.now() })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', tokenId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'api_token.revoked',
      entityType: 'api_token',
      entityId: tokenId,
      before,
      after,
    });
  });
}
