import { minorToDecimalString } from '@huikuan/core';
import type { Allocation, Receipt, ReceiptDetail, ReceiptMethod } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { recordScope, type Actor } from '../../platform/request-context';
import { customerScopeCondition } from '../customers/customer-access';

/**
 * Receipts as the API shows them. One query serves a whole page: the customer, the reversal and the net allocated
 * amount come in the same row. A receipt is visible when its customer is, and pooled receipts (no customer yet) are
 * visible to everyone who reads records, so the owning salesperson can find and claim them.
 */
export function receiptRows(tx: Tx, actor: Actor) {
  return tx
    .selectFrom('receipts as r')
    .leftJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'r.tenant_id').onRef('c.id', '=', 'r.customer_id'),
    )
    .leftJoin('receipt_reversals as rr', (join) =>
      join.onRef('rr.tenant_id', '=', 'r.tenant_id').onRef('rr.receipt_id', '=', 'r.id'),
    )
    .selectAll('r')
    .select([
      'c.code as customer_code',
      'c.name as customer_name',
      'rr.reversed_on',
      'rr.reason as reversal_reason',
      'rr.reversed_by_user_id',
      'rr.created_at as reversal_created_at',
      sql<bigint>`coalesce((SELECT sum(a.amount_minor) FROM allocations a
        WHERE a.tenant_id = r.tenant_id AND a.receipt_id = r.id), 0)::bigint`.as('allocated_minor'),
    ])
    .where('r.tenant_id', '=', actor.tenantId)
    .where((eb) => eb.or([eb('r.customer_id', 'is', null), customerScopeCondition(recordScope(actor), 'c')]));
}

type ReceiptRow = Awaited<ReturnType<ReturnType<typeof receiptRows>['executeTakeFirstOrThrow']>>;

export function toReceiptView(row: ReceiptRow): Receipt {
  const isReversed = row.reversed_on !== null;
  const isOpen = row.status === 'confirmed' && !isReversed;
  return {
    id: row.id,
    customerId: row.customer_id,
    customerCode: row.customer_code,
    customerName: row.customer_name,
    receivedOn: row.received_on,
    amount: minorToDecimalString(row.amount_minor, row.currency),
    currency: row.currency,
    method: row.method as ReceiptMethod,
    payerName: row.payer_name,
    payerAccount: row.payer_account,
    bankReference: row.bank_reference,
    notes: row.notes,
    status: isReversed ? 'reversed' : (row.status as 'pending' | 'confirmed'),
    allocated: minorToDecimalString(row.allocated_minor, row.currency),
    unapplied: minorToDecimalString(isOpen ? row.amount_minor - row.allocated_minor : 0n, row.currency),
    confirmedByUserId: row.confirmed_by_user_id,
    confirmedAt: row.confirmed_at?.toISOString() ?? null,
    createdByUserId: row.created_by_user_id,
    createdAt: row.created_at.toISOString(),
    reversal:
      row.reversed_on !== null && row.reversal_created_at !== null
        ? {
            reversedOn: row.reversed_on,
            reason: row.reversal_reason ?? '',
            reversedByUserId: row.reversed_by_user_id,
            createdAt: row.reversal_created_at.toISOString(),
          }
        : null,
  };
}

export async function receiptAllocations(tx: Tx, tenantId: string, receiptId: string): Promise<Allocation[]> {
  const rows = await tx
    .selectFrom('allocations as a')
    .leftJoin('invoices as i', (join) =>
      join.onRef('i.tenant_id', '=', 'a.tenant_id').onRef('i.id', '=', 'a.invoice_id'),
    )
    .leftJoin('allocations as rev', (join) =>
      join.onRef('rev.tenant_id', '=', 'a.tenant_id').onRef('rev.reverses_allocation_id', '=', 'a.id'),
    )
    .leftJoin('credit_notes as wo', (join) =>
      join.onRef('wo.tenant_id', '=', 'a.tenant_id').onRef('wo.id', '=', 'a.write_off_id'),
    )
    .selectAll('a')
    .select(['i.number as invoice_number', 'rev.id as reversed_by_id', 'wo.number as write_off_number'])
    .where('a.tenant_id', '=', tenantId)
    .where('a.receipt_id', '=', receiptId)
    .orderBy('a.allocated_on')
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    receiptId: row.receipt_id,
    invoiceId: row.invoice_id,
    invoiceNumber: row.invoice_number,
    planNodeId: row.plan_node_id,
    writeOffId: row.write_off_id,
    writeOffNumber: row.write_off_number,
    amount: minorToDecimalString(row.amount_minor, row.currency),
    currency: row.currency,
    allocatedOn: row.allocated_on,
    reversesAllocationId: row.reverses_allocation_id,
    reversedByAllocationId: row.reversed_by_id,
    reason: row.reason,
    createdByUserId: row.created_by_user_id,
    createdAt: row.created_at.toISOString(),
  }));
}

export async function receiptDetailOrThrow(tx: Tx, actor: Actor, receiptId: string): Promise<ReceiptDetail> {
  const row = await receiptRows(tx, actor).where('r.id', '=', receiptId).executeTakeFirst();
  if (!row) throw notFound('receipt');
  return { ...toReceiptView(row), allocations: await receiptAllocations(tx, actor.tenantId, receiptId) };
}

/**
 * Locks a visible receipt for a ledger write. Every money-moving path locks the receipt first and invoices after,
 * in id order, so two writers can never wait on each other in a circle.
 */
export async function lockVisibleReceiptOrThrow(tx: Tx, actor: Actor, receiptId: string) {
  const visible = await receiptRows(tx, actor)
    .where('r.id', '=', receiptId)
    .select('r.id as visible_id')
    .executeTakeFirst();
  if (!visible) throw notFound('receipt');
  const row = await tx
    .selectFrom('receipts')
    .selectAll()
    .where('tenant_id', '=', actor.tenantId)
    .where('id', '=', receiptId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const reversal = await tx
    .selectFrom('receipt_reversals')
    .select('reversed_on')
    .where('tenant_id', '=', actor.tenantId)
    .where('receipt_id', '=', receiptId)
    .executeTakeFirst();
  return { ...row, isReversed: reversal !== undefined };
}

export type LockedReceipt = Awaited<ReturnType<typeof lockVisibleReceiptOrThrow>>;
