import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Tx } from './db';
import { AppError } from './errors';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** The Idempotency-Key header, required on every request that moves money. */
export function idempotencyKeyOf(request: FastifyRequest): string {
  const key = request.headers[IDEMPOTENCY_HEADER];
  if (typeof key !== 'string' || key.length < 8 || key.length > 200) {
    throw new AppError('validation_failed', {}, [
      { path: 'Idempotency-Key', message: 'An Idempotency-Key header of 8 to 200 characters is required' },
    ]);
  }
  return key;
}

/** Stable JSON for hashing: object keys sorted, bigint as text. */
function canonicalJson(value: unknown): string {
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export type IdempotentResult<T> = { body: T; isReplay: boolean };

/**
 * Runs `work` once per (tenant, key) inside the caller's transaction. The key row is inserted first, so a
 * concurrent retry waits on it and then sees the stored answer; the same key with different parameters is
 * refused with 409. If `work` fails, the transaction rolls back and the key is free again.
 */
export async function runIdempotent<T>(
  tx: Tx,
  tenantId: string,
  key: string,
  operation: string,
  request: unknown,
  work: () => Promise<T>,
): Promise<IdempotentResult<T>> {
  const requestHash = createHash('sha256')
    .update(`${operation}\n${canonicalJson(request)}`)
    .digest('hex');
  const inserted = await tx
    .insertInto('idempotency_keys')
    .values({ tenant_id: tenantId, key, operation, request_hash: requestHash })
    .onConflict((oc) => oc.columns(['tenant_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (!inserted) {
    const existing = await tx
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'response_body'])
      .where('tenant_id', '=', tenantId)
      .where('key', '=', key)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (existing.request_hash !== requestHash) throw new AppError('idempotency_conflict');
    return { body: existing.response_body as T, isReplay: true };
  }
  const body = await work();
  await tx
    .updateTable('idempotency_keys')
    .set({ response_status: 200, response_body: JSON.stringify(body) })
    .where('tenant_id', '=', tenantId)
    .where('key', '=', key)
    .execute();
  return { body, isReplay: false };
}
