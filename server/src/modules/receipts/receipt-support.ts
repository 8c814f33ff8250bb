import type { CalendarDate } from '@huikuan/core';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { runIdempotent } from '../../platform/idempotency';
import { todayIn, type Clock } from '../../platform/clock';
import { isUniqueViolation, postgresErrorCode } from '../../platform/db-errors';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';

/** Finance confirms, allocates and reverses (回款确认, 核销); admins may do anything finance may. */
export function requireFinance(actor: Actor): void {
  if (actor.role !== 'finance' && actor.role !== 'admin') throw new AppError('forbidden');
}

export function isFinance(actor: Actor): boolean {
  return actor.role === 'finance' || actor.role === 'admin';
}

export type OrganizationSettings = { baseCurrency: string; timezone: string; today: CalendarDate };

export async function organizationSettings(
  tx: Tx,
  tenantId: string,
  clock: Clock,
): Promise<OrganizationSettings> {
  const org = await tx
    .selectFrom('organizations')
    .select(['base_currency', 'timezone'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return { baseCurrency: org.base_currency, timezone: org.timezone, today: todayIn(clock, org.timezone) };
}

export function conflict(detail: string): AppError {
  return new AppError('conflict', { detail });
}

export function dateIssue(path: string, message: string): AppError {
  return new AppError('validation_failed', {}, [{ path, message }]);
}

/** PostgreSQL error codes a ledger write can meet, as the 409 detail a client sees. */
const LEDGER_REFUSALS: Readonly<Record<string, string>> = {
  // check_violation: the deferred allocation-invariant trigger at commit.
  '23514': 'the ledger would no longer balance: the receipt or an invoice would be over-allocated',
  // restrict_violation: the posted-record guards.
  '23001': 'posted ledger records cannot be changed; record a reversal instead',
  '40001': 'a concurrent change got there first; reload and try again',
  '40P01': 'a concurrent change got there first; reload and try again',
};

/**
 * Database refusals that reach a ledger write become 409s: the deferred invariant trigger (check_violation), the
 * posted-record guards (restrict_violation), a second reversal or live claim (unique), and lock conflicts.
 */
export function translateLedgerError(error: unknown): never {
  if (error instanceof AppError) throw error;
  if (isUniqueViolation(error, 'reverses_allocation')) throw conflict('this allocation is already reversed');
  if (isUniqueViolation(error, 'receipt_reversals')) throw conflict('this receipt is already reversed');
  if (isUniqueViolation(error, 'receipt_claims_live'))
    throw conflict('this receipt already has a live claim');
  const code = postgresErrorCode(error);
  if (code !== null && Object.hasOwn(LEDGER_REFUSALS, code)) throw conflict(LEDGER_REFUSALS[code] ?? code);
  throw error;
}

/**
 * One money-moving write: a tenant transaction that claims the Idempotency-Key first, so a retry returns the
 * first answer and the same key with other parameters is a 409; database refusals become 409s.
 */
export async function ledgerWrite<T>(
  deps: AppDeps,
  actor: Actor,
  idempotencyKey: string,
  operation: string,
  request: unknown,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  try {
    const result = await deps.db.tenant(actor.tenantId, (tx) =>
      runIdempotent(tx, actor.tenantId, idempotencyKey, operation, request, () => work(tx)),
    );
    return result.body;
  } catch (error) {
    return translateLedgerError(error);
  }
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A cursor is opaque to clients but still input: a tampered one is a 400, never a database error. */
export function assertCursor(isValid: boolean): void {
  if (!isValid)
    throw new AppError('validation_failed', {}, [{ path: 'cursor', message: 'Malformed cursor' }]);
}

export function isUuid(text: string): boolean {
  return UUID_PATTERN.test(text);
}
