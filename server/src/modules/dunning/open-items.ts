import type { CalendarDate } from '@huikuan/core';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';
import { openItemsCte } from '../aging/open-items';

/**
 * The open items a run chases, in one set-based statement over the per-invoice settled amounts the ledger's triggers
 * keep (`invoice_settlements`, migration 0010) through aging's `openItemsCte`: as of today the open rows are read
 * through their partial index; as of an earlier date, what documents dated after it took off is added back. Same
 * semantics as before (receipts/balances.ts): an invoice counts from its invoice date, credit notes and allocations
 * from theirs, nothing once voided. Each item comes with the steps already done for it from `dunning_done_steps`
 * (migration 0016, one row per invoice kept by a trigger on dunning_actions) instead of aggregating every action row.
 * This is the only place the dunning module reads balances.
 */

export type OpenItem = {
  invoiceId: string;
  invoiceNumber: string;
  customerId: string;
  customerCode: string;
  customerName: string;
  ownerUserId: string | null;
  segment: string | null;
  dueDate: CalendarDate;
  currency: string;
  openMinor: bigint;
  /** The ladder steps already done for this invoice (its dunning actions). */
  doneStepIds: ReadonlySet<string>;
};

type Row = {
  invoice_id: string;
  number: string;
  customer_id: string;
  due_date: string;
  currency: string;
  open_minor: bigint | string;
  /** The array's text form, '{id,id}': split here, several times cheaper than the driver's array parser. */
  done_step_ids: string | null;
};

/**
 * Every open item with a due date on or before `dueOnOrBefore` (a run passes as-of plus the ladders' longest lead,
 * since nothing can be due for items due later), optionally only `invoiceIds` (an item redone on its own after its
 * batch failed is re-read in its own transaction). Ordered by customer code, then invoice number.
 */
export async function openItemsAsOf(
  tx: Tx,
  tenantId: string,
  asOf: CalendarDate,
  dueOnOrBefore: CalendarDate,
  invoiceIds: readonly string[] | null = null,
): Promise<OpenItem[]> {
  if (invoiceIds !== null && invoiceIds.length === 0) return [];
  const only =
    invoiceIds === null ? sql<boolean>`true` : sql<boolean>`i.invoice_id = ANY(${[...invoiceIds]}::uuid[])`;
  // The snapshot is sorted by customer code and invoice number: 300,000 rows sort in memory with this much, on disk
  // (about a second slower) with the default 4 MB. For this transaction only.
  if (invoiceIds === null) await sql`SET LOCAL work_mem = '64MB'`.execute(tx);
  const result = await sql<Row>`
    ${openItemsCte(tenantId, asOf, 'due_date', {
      scope: { kind: 'all' },
      restrict: sql<boolean>`i.due_date <= ${dueOnOrBefore}::date AND ${only}`,
    })}
    SELECT o.id AS invoice_id, inv.number, o.customer_id, o.due_date, o.currency::text AS currency, o.open_minor,
      d.step_ids::text AS done_step_ids
    FROM open_items o
    JOIN invoices inv ON inv.tenant_id = ${tenantId} AND inv.id = o.id
    JOIN customers c ON c.tenant_id = ${tenantId} AND c.id = o.customer_id
    LEFT JOIN dunning_done_steps d ON d.tenant_id = ${tenantId} AND d.invoice_id = o.id
    WHERE o.open_minor > 0
    ORDER BY c.code, inv.number, o.id`.execute(tx);
  // The customers' details are read apart, once per customer rather than once per item (10,000 rows, not 300,000).
  const customerIds = [...new Set(result.rows.map((row) => row.customer_id))];
  const customers = new Map(
    (
      await tx
        .selectFrom('customers')
        .select(['id', 'code', 'name', 'owner_user_id', 'segment'])
        .where('tenant_id', '=', tenantId)
        .where(sql<boolean>`id = ANY(${customerIds}::uuid[])`)
        .execute()
    ).map((customer) => [customer.id, customer]),
  );
  return result.rows.map((row) => {
    const customer = customers.get(row.customer_id);
    if (!customer) throw new Error(`customer ${row.customer_id} of invoice ${row.number} not found`);
    return {
      invoiceId: row.invoice_id,
      invoiceNumber: row.number,
      customerId: row.customer_id,
      customerCode: customer.code,
      customerName: customer.name,
      ownerUserId: customer.owner_user_id,
      segment: customer.segment,
      dueDate: row.due_date as CalendarDate,
      currency: row.currency.trim(),
      openMinor: BigInt(row.open_minor),
      doneStepIds: stepIdsOf(row.done_step_ids),
    };
  });
}

const NO_STEPS: ReadonlySet<string> = new Set();

/** '{a,b}' to its ids (uuids: no quotes, commas or braces inside). */
function stepIdsOf(text: string | null): ReadonlySet<string> {
  if (text === null || text.length <= 2) return NO_STEPS;
  return new Set(text.slice(1, -1).split(','));
}
