import type { Tx } from './db';
import type { Actor } from './request-context';

/**
 * Every write records who, when, which entity, and the record before and after, in the same transaction as the
 * write itself: an audit entry exists exactly when the change does. The table only takes inserts.
 */
export type AuditEntryInput = {
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
};

/** Who did it. System work (CLI, jobs) has no user; the request id ties an entry to its log lines. */
export type AuditActor = Pick<Actor, 'tenantId' | 'userId' | 'tokenId' | 'requestId' | 'ip'>;

/** Keys whose values never reach the audit log, at any depth (also batch-audit.ts's). */
export const SECRET_KEY = /(password|secret|token_hash|tokenHash|csrf)/i;

/** Plain JSON for the audit log: dates as ISO text, bigint money as exact strings, secrets left out. */
export function toAuditJson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toAuditJson);
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !SECRET_KEY.test(key))
      .map(([key, item]) => [key, toAuditJson(item)]);
    return Object.fromEntries(entries);
  }
  return value;
}

function serialize(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(toAuditJson(value));
}

export async function recordAudit(tx: Tx, actor: AuditActor, entry: AuditEntryInput): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values({
      tenant_id: actor.tenantId,
      actor_user_id: actor.userId,
      actor_token_id: actor.tokenId,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      before: serialize(entry.before),
      after: serialize(entry.after),
      request_id: actor.requestId,
      ip: actor.ip,
    })
    .execute();
}
