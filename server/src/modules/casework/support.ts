import type { CalendarDate } from '@huikuan/core';
import type { AuditActor } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import type { Tx } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { organizationToday } from '../contracts/ledger-input';

/** Small helpers every casework use case shares. */

export function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', {}, [{ path, message }]);
}

export function conflict(detail: string): AppError {
  return new AppError('conflict', { detail });
}

export function today(tx: Tx, tenantId: string, clock: Clock): Promise<CalendarDate> {
  return organizationToday(tx, tenantId, clock);
}

/** Work the ladder does on its own (a dunning run): no user, the run's id in the audit trail. */
export function systemActor(tenantId: string, runId: string): AuditActor {
  return { tenantId, userId: null, tokenId: null, requestId: `dunning-run:${runId}`, ip: '' };
}

/** Display names of users, one query for all of them. */
export async function userNames(
  tx: Tx,
  tenantId: string,
  ids: readonly (string | null)[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await tx
    .selectFrom('users')
    .select(['id', 'name'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** The issued invoices of a customer among `invoiceIds`, or a 400 naming the field when one is not theirs. */
export async function customerInvoicesOrThrow(
  tx: Tx,
  tenantId: string,
  customerId: string,
  invoiceIds: readonly string[],
  path: string,
): Promise<{ id: string; number: string; currency: string }[]> {
  const unique = [...new Set(invoiceIds)];
  if (unique.length === 0) return [];
  const rows = await tx
    .selectFrom('invoices')
    .select(['id', 'number', 'currency', 'customer_id', 'status'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', unique)
    .execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const [index, id] of unique.entries()) {
    const row = byId.get(id);
    if (!row || row.customer_id !== customerId || row.status !== 'issued') {
      throw invalid(`${path}.${index}`, 'No such issued invoice of this customer');
    }
  }
  return unique.map((id) => {
    const row = byId.get(id);
    if (!row) throw new Error('unreachable');
    return { id: row.id, number: row.number, currency: row.currency.trim() };
  });
}
