import { sql } from 'kysely';
import type { AuditActor, AuditEntryInput } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import { textArrayLiteral } from './array-literals';

/**
 * recordAudit for many entries in one INSERT: the same rows, in the same transaction as the writes they describe.
 * The entries share the actor's request and address; an entry may name its own user (a batch files requests under
 * several requesters). A batch of a dunning run creates hundreds of tasks and requests at once; one audit statement per
 * entry would be most of what the executors cost.
 */
export async function recordAudits(
  tx: Tx,
  actor: AuditActor,
  entries: readonly (AuditEntryInput & { actorUserId?: string | null })[],
): Promise<void> {
  if (entries.length === 0) return;
  const json = (value: unknown) => (value === undefined || value === null ? null : auditJson(value));
  await sql`
    INSERT INTO audit_log (tenant_id, actor_user_id, actor_token_id, action, entity_type, entity_id, before, after,
      request_id, ip)
    SELECT ${actor.tenantId}::uuid, e.actor_user_id, ${actor.tokenId}::uuid, e.action, e.entity_type,
      e.entity_id, e.before::jsonb, e.after::jsonb, ${actor.requestId}, ${actor.ip}
    FROM unnest(
      ${textArrayLiteral(entries.map((entry) => (entry.actorUserId === undefined ? actor.userId : entry.actorUserId)))}::uuid[],
      ${textArrayLiteral(entries.map((entry) => entry.action))}::text[],
      ${textArrayLiteral(entries.map((entry) => entry.entityType))}::text[],
      ${textArrayLiteral(entries.map((entry) => entry.entityId))}::text[],
      ${textArrayLiteral(entries.map((entry) => json(entry.before)))}::text[],
      ${textArrayLiteral(entries.map((entry) => json(entry.after)))}::text[]
    ) WITH ORDINALITY AS e (actor_user_id, action, entity_type, entity_id, before, after, n)
    ORDER BY e.n`.execute(tx);
}

/** The keys toAuditJson leaves out (platform/audit.ts). */
const SECRET_KEY = /(password|secret|token_hash|tokenHash|csrf)/i;

/**
 * JSON.stringify(toAuditJson(value)) in one pass, for rows of plain values: dates as ISO text (their toJSON), bigint
 * money as exact strings, secrets left out, undefined as null. toAuditJson copies every object first; over 40,000
 * entries of a catch-up batch that copy was a second of the run.
 */
function auditJson(value: unknown): string {
  return JSON.stringify(value, (key, item: unknown) => {
    if (key !== '' && SECRET_KEY.test(key)) return undefined;
    if (item === undefined) return null;
    return typeof item === 'bigint' ? item.toString() : item;
  });
}
