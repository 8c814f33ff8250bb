import { sql, type RawBuilder } from 'kysely';
import { SECRET_KEY, type AuditActor, type AuditEntryInput } from '../../platform/audit';
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

/**
 * The audit entries of rows that the same statement inserts: an INSERT INTO audit_log to put after a data-modifying
 * CTE (`WITH inserted AS (INSERT … RETURNING *) <this>`), its `after` image made by PostgreSQL from each row
 * (`to_jsonb`, with bigint money turned into exact strings by the caller's expression, as recordAudit writes it).
 * A catch-up batch creates a thousand tasks; serializing their rows here, quoting them into an array literal and
 * parsing them back was 29 µs per entry in this process alone. Timestamps come out in PostgreSQL's ISO form
 * (`2026-12-06T22:04:00.123456+00:00`) rather than JavaScript's; both are ISO 8601.
 */
export function auditInsertedRows(
  actor: AuditActor,
  entries: {
    /** The rows, as a FROM item (a CTE's name with its alias and joins). */
    from: RawBuilder<unknown>;
    action: RawBuilder<unknown>;
    entityType: string;
    entityId: RawBuilder<unknown>;
    after: RawBuilder<unknown>;
  },
): RawBuilder<unknown> {
  return sql`
    INSERT INTO audit_log (tenant_id, actor_user_id, actor_token_id, action, entity_type, entity_id, after,
      request_id, ip)
    SELECT ${actor.tenantId}::uuid, ${actor.userId}::uuid, ${actor.tokenId}::uuid, ${entries.action},
      ${entries.entityType}, ${entries.entityId}, ${entries.after}, ${actor.requestId}, ${actor.ip}
    FROM ${entries.from}`;
}

/**
 * JSON this process already holds as text (a payload it just wrote), put into an entry as it is: parsing it back and
 * serializing it again was most of what a batch of 律师函 requests' audits cost.
 */
export class AuditJsonText {
  constructor(readonly text: string) {}
}

/**
 * JSON.stringify(toAuditJson(value)) in one pass: dates as ISO text (their toJSON), bigint money as exact strings,
 * secrets left out at any depth, undefined as null. Hand-walked rather than through JSON.stringify's replacer, which
 * calls back into JavaScript for every key and array element (a catch-up batch's audits list 20,000 invoice ids);
 * an array of strings, and every string, goes to the native JSON.stringify whole.
 */
export function auditJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return `"${value.toString()}"`;
    case 'object':
      if (value === null) return 'null';
      if (value instanceof AuditJsonText) return value.text;
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      if (Array.isArray(value)) return arrayJson(value);
      return objectJson(value as Record<string, unknown>);
    case 'number':
    case 'boolean':
      return JSON.stringify(value);
    case 'undefined':
    case 'function':
    case 'symbol':
      return 'null';
  }
}

function arrayJson(items: readonly unknown[]): string {
  if (items.every((item) => typeof item === 'string')) return JSON.stringify(items);
  const parts: string[] = [];
  for (const item of items) {
    parts.push(typeof item === 'function' || typeof item === 'symbol' ? 'null' : auditJson(item));
  }
  return `[${parts.join(',')}]`;
}

function objectJson(object: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of Object.keys(object)) {
    if (SECRET_KEY.test(key)) continue;
    const item = object[key];
    if (typeof item === 'function' || typeof item === 'symbol') continue;
    parts.push(`${JSON.stringify(key)}:${auditJson(item)}`);
  }
  return `{${parts.join(',')}}`;
}
