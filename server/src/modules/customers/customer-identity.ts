import { creditCodeKey } from '@huikuan/core';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';
import { AppError } from '../../platform/errors';

/*
 * The 统一社会信用代码 names the legal entity behind a customer, and an organization keeps one customer per entity
 * (migration 0019): otherwise a customer on credit hold could come back under another customer code. Codes compare
 * by `creditCodeKey` (trimmed, upper-case), as the unique index does.
 */

export type CreditCodeHolder = { id: string; code: string };

/** The customers already holding these credit codes (by key), one statement. */
export async function customersByCreditCode(
  tx: Tx,
  tenantId: string,
  keys: readonly string[],
): Promise<Map<string, CreditCodeHolder>> {
  if (keys.length === 0) return new Map();
  const rows = await sql<CreditCodeHolder & { key: string }>`
    SELECT upper(btrim(unified_credit_code)) AS key, id, code FROM customers
    WHERE tenant_id = ${tenantId} AND btrim(unified_credit_code) <> ''
      AND upper(btrim(unified_credit_code)) = ANY(${[...new Set(keys)]}::text[])`.execute(tx);
  return new Map(rows.rows.map((row) => [row.key, { id: row.id, code: row.code }]));
}

/** The holder's code only, as for a taken customer code: the writer may not be allowed to see that customer. */
export function creditCodeTakenMessage(code: string, holder: CreditCodeHolder): string {
  return `unified credit code ${code} already belongs to customer ${holder.code}`;
}

/** Refuses a credit code another customer of the organization holds (naming that customer). */
export async function assertCreditCodeFree(
  tx: Tx,
  tenantId: string,
  code: string | null | undefined,
  customerId: string | null,
): Promise<void> {
  const key = creditCodeKey(code);
  if (key === null) return;
  const holder = (await customersByCreditCode(tx, tenantId, [key])).get(key);
  if (holder && holder.id !== customerId) {
    throw new AppError('conflict', { detail: creditCodeTakenMessage(code?.trim() ?? key, holder) });
  }
}
