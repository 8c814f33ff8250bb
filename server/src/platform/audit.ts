import { sql, type RawBuilder } from 'kysely';
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

/** Keys whose values never reach the audit log, at any depth (auditImage keeps every column: see there). */
const SECRET_KEY = /(password|secret|token_hash|tokenHash|csrf)/i;

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

/**
 * The audit entries of rows that the same statement inserts: an INSERT INTO audit_log to put after a data-modifying
 * CTE (`WITH inserted AS (INSERT … RETURNING *) <this>`), each entry's `after` made by PostgreSQL from its row (see
 * auditImage). A catch-up batch creates a thousand tasks; serializing their rows here, quoting them into an array
 * literal and parsing them back cost more than inserting them (alternated first runs: 15.2–16.6 s against
 * 12.2–12.8 s without).
 */
export function auditInsertedRows(
  actor: AuditActor,
  entries: {
    /** The rows, as a FROM item (a CTE's name with its alias and joins). */
    from: RawBuilder<unknown>;
    /** Whose request each entry files, when not the actor's (a batch files requests under several requesters). */
    actorUserId?: RawBuilder<unknown>;
    action: RawBuilder<unknown>;
    entityType: string;
    entityId: RawBuilder<unknown>;
    after: RawBuilder<unknown>;
  },
): RawBuilder<unknown> {
  return sql`
    INSERT INTO audit_log (tenant_id, actor_user_id, actor_token_id, action, entity_type, entity_id, after,
      request_id, ip)
    SELECT ${actor.tenantId}::uuid, ${entries.actorUserId ?? sql`${actor.userId}::uuid`}, ${actor.tokenId}::uuid,
      ${entries.action},
      ${entries.entityType}, ${entries.entityId}, ${entries.after}, ${actor.requestId}, ${actor.ip}
    FROM ${entries.from}`;
}

const COLUMN_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * A row's image as recordAudit writes it (toAuditJson of the row as the driver reads it), made by PostgreSQL: one
 * jsonb_build_object over the row's columns, its bigint money as exact strings and its timestamps as JavaScript's
 * toISOString writes them (milliseconds, truncated as the driver truncates them, and Z), so an entry reads the same
 * whichever path wrote it. `row` is the row's alias; `columns.all` names every column of the table, in any order
 * (each user's test compares an entry with its row as `SELECT *` reads it); `money` and `timestamps` are among them. Naming them rather than
 * taking to_jsonb(row) and overwriting the money and timestamps: a catch-up run audits 34,000 tasks, and to_jsonb
 * plus the merge cost 0.6 s of PostgreSQL's time against 0.42 s for this (measured in psql). Only for tables without
 * secrets: recordAudit leaves out keys like `token_hash`; this keeps every column named.
 */
export function auditImage(
  row: string,
  columns: { all: readonly string[]; money?: readonly string[]; timestamps?: readonly string[] },
  /** Keys the entry has beside the row's columns (e.g. the invoices a task was made for), by their SQL. */
  extra: Readonly<Record<string, RawBuilder<unknown>>> = {},
): RawBuilder<unknown> {
  const money = new Set(columns.money ?? []);
  const timestamps = new Set(columns.timestamps ?? []);
  const names = [row, ...columns.all, ...money, ...timestamps];
  const wrong = names.find((name) => !COLUMN_NAME.test(name));
  if (wrong !== undefined) throw new Error(`not a column name: ${JSON.stringify(wrong)}`);
  const unknown = [...money, ...timestamps].find((name) => !columns.all.includes(name));
  if (unknown !== undefined) throw new Error(`${unknown} is not among the columns of the image`);
  const pairs = columns.all.map((column) => {
    if (money.has(column)) return `'${column}', ${row}.${column}::text`;
    if (timestamps.has(column)) {
      return `'${column}', to_char(${row}.${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    }
    return `'${column}', ${row}.${column}`;
  });
  const extraPairs = Object.entries(extra).map(([key, value]) => sql`${sql.lit(key)}, ${value}`);
  // PostgreSQL takes at most 100 arguments: 50 keys.
  if (pairs.length + extraPairs.length > 50) throw new Error('an audit image of more than 50 keys');
  return sql`jsonb_build_object(${sql.join([sql.raw(pairs.join(', ')), ...extraPairs])})`;
}
