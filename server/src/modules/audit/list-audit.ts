import type { AuditEntry } from '@huikuan/core/contracts';
import type { z } from 'zod';
import type { auditQuerySchema } from '@huikuan/core/contracts';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import { decodeCursor, pageFrom } from '../../platform/pagination';
import type { Actor } from '../../platform/request-context';

export type AuditQuery = z.output<typeof auditQuerySchema>;

function instantOrThrow(value: string | undefined, path: string): Date | null {
  if (value === undefined) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new AppError('validation_failed', {}, [{ path, message: 'Not an instant' }]);
  return date;
}

function cursorId(value: string | undefined): bigint {
  if (!value || !/^\d{1,19}$/.test(value)) {
    throw new AppError('validation_failed', {}, [{ path: 'cursor', message: 'Malformed cursor' }]);
  }
  return BigInt(value);
}

/** The organization's audit trail, newest first, filtered by record, actor, action and time. */
export async function listAudit(
  deps: AppDeps,
  actor: Actor,
  query: AuditQuery,
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const before = decodeCursor(query.cursor, 1);
  const from = instantOrThrow(query.from, 'from');
  const to = instantOrThrow(query.to, 'to');
  const rows = await deps.db.tenant(actor.tenantId, (tx) => {
    let select = tx
      .selectFrom('audit_log as a')
      .leftJoin('users as u', (join) =>
        join.onRef('u.tenant_id', '=', 'a.tenant_id').onRef('u.id', '=', 'a.actor_user_id'),
      )
      .selectAll('a')
      .select('u.name as actor_name')
      .where('a.tenant_id', '=', actor.tenantId);
    if (query.entityType) select = select.where('a.entity_type', '=', query.entityType);
    if (query.entityId) select = select.where('a.entity_id', '=', query.entityId);
    if (query.actorUserId) select = select.where('a.actor_user_id', '=', query.actorUserId);
    if (query.action) select = select.where('a.action', '=', query.action);
    if (from) select = select.where('a.at', '>=', from);
    if (to) select = select.where('a.at', '<', to);
    if (before) select = select.where('a.id', '<', cursorId(before[0]));
    return select
      .orderBy('a.id', 'desc')
      .limit(query.limit + 1)
      .execute();
  });
  const page = pageFrom(rows, query.limit, (row) => [row.id.toString()]);
  return {
    items: page.items.map((row) => ({
      id: row.id.toString(),
      at: row.at.toISOString(),
      actorUserId: row.actor_user_id,
      actorName: row.actor_name,
      actorTokenId: row.actor_token_id,
      action: row.action,
      entityType: row.entity_type,
      entityId: row.entity_id,
      before: row.before ?? null,
      after: row.after ?? null,
      requestId: row.request_id,
    })),
    nextCursor: page.nextCursor,
  };
}
