import type { CalendarDate } from '@huikuan/core';
import type { ReceiptDetail } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { AppError, notFound } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { conflict, dateIssue, ledgerWrite, organizationSettings, requireFinance } from './receipt-support';
import { lockVisibleReceiptOrThrow, receiptDetailOrThrow } from './receipt-view';

type ReversalInput = { reversedOn?: string | undefined; reason: string };

/** Positive allocations of a receipt that no negative row points at yet, with the latest date among them. */
async function liveAllocations(tx: Tx, tenantId: string, receiptId: string) {
  return tx
    .selectFrom('allocations as a')
    .selectAll('a')
    .where('a.tenant_id', '=', tenantId)
    .where('a.receipt_id', '=', receiptId)
    .where('a.amount_minor', '>', 0n)
    .where(
      sql<boolean>`NOT EXISTS (SELECT 1 FROM allocations r
        WHERE r.tenant_id = a.tenant_id AND r.reverses_allocation_id = a.id)`,
    )
    .orderBy('a.id')
    .execute();
}

/**
 * The receipt may go no earlier than its last allocation or reversal row: otherwise some day would show the
 * receipt gone while an allocation it funded still settled an invoice.
 */
async function latestAllocationDate(tx: Tx, tenantId: string, receiptId: string, receivedOn: string) {
  const row = await tx
    .selectFrom('allocations')
    .select((eb) => eb.fn.max('allocated_on').as('latest'))
    .where('tenant_id', '=', tenantId)
    .where('receipt_id', '=', receiptId)
    .executeTakeFirst();
  const latest = row?.latest ?? null;
  return latest !== null && latest > receivedOn ? latest : receivedOn;
}

type AllocationRow = Awaited<ReturnType<typeof liveAllocations>>[number];

/** A negative row pointing at the original, dated `reversedOn`: the original's effect ends that day. */
async function insertReversalRow(
  tx: Tx,
  actor: Actor,
  original: AllocationRow,
  reversedOn: string,
  reason: string,
): Promise<void> {
  const row = await tx
    .insertInto('allocations')
    .values({
      tenant_id: actor.tenantId,
      receipt_id: original.receipt_id,
      invoice_id: original.invoice_id,
      plan_node_id: original.plan_node_id,
      write_off_id: original.write_off_id,
      amount_minor: -original.amount_minor,
      currency: original.currency,
      allocated_on: reversedOn,
      reverses_allocation_id: original.id,
      reason,
      created_by_user_id: actor.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(tx, actor, {
    action: 'allocation.reversed',
    entityType: 'allocation',
    entityId: original.id,
    before: original,
    after: row,
  });
}

function reversalDateOrThrow(requested: string | undefined, today: CalendarDate, earliest: string): string {
  const reversedOn = requested ?? today;
  if (reversedOn > today) throw dateIssue('reversedOn', 'A reversal cannot be dated in the future');
  // An earlier date would leave a day on which more was taken back than had been applied.
  if (reversedOn < earliest) throw dateIssue('reversedOn', `Must be on or after ${earliest}`);
  return reversedOn;
}

/** 取消核销: undoes one allocation by a negative row; the money is unapplied again from that date. */
export async function reverseAllocation(
  deps: AppDeps,
  actor: Actor,
  allocationId: string,
  input: ReversalInput,
  idempotencyKey: string,
): Promise<ReceiptDetail> {
  requireFinance(actor);
  const request = { allocationId, ...input };
  return ledgerWrite(deps, actor, idempotencyKey, 'allocation.reverse', request, async (tx) => {
    const found = await tx
      .selectFrom('allocations')
      .select('receipt_id')
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', allocationId)
      .executeTakeFirst();
    if (!found) throw notFound('allocation');
    await lockVisibleReceiptOrThrow(tx, actor, found.receipt_id).catch((error: unknown) => {
      throw error instanceof AppError ? notFound('allocation') : error;
    });
    const original = (await liveAllocations(tx, actor.tenantId, found.receipt_id)).find(
      (row) => row.id === allocationId,
    );
    if (!original) throw conflict('this allocation is already reversed or is itself a reversal');
    const { today } = await organizationSettings(tx, actor.tenantId, deps.clock);
    const reversedOn = reversalDateOrThrow(input.reversedOn, today, original.allocated_on);
    await insertReversalRow(tx, actor, original, reversedOn, input.reason);
    return receiptDetailOrThrow(tx, actor, found.receipt_id);
  });
}

/**
 * Reverses a confirmed receipt (a mistaken or bounced payment): first every live allocation, then the receipt
 * itself, on one date and in one transaction, so no day shows the receipt gone but its allocations still applied.
 */
export async function reverseReceipt(
  deps: AppDeps,
  actor: Actor,
  receiptId: string,
  input: ReversalInput,
  idempotencyKey: string,
): Promise<ReceiptDetail> {
  requireFinance(actor);
  const request = { receiptId, ...input };
  return ledgerWrite(deps, actor, idempotencyKey, 'receipt.reverse', request, async (tx) => {
    const receipt = await lockVisibleReceiptOrThrow(tx, actor, receiptId);
    if (receipt.status !== 'confirmed')
      throw conflict('a pending receipt is edited or deleted, not reversed');
    if (receipt.isReversed) throw conflict('this receipt is already reversed');
    const live = await liveAllocations(tx, actor.tenantId, receiptId);
    const { today } = await organizationSettings(tx, actor.tenantId, deps.clock);
    const latest = await latestAllocationDate(tx, actor.tenantId, receiptId, receipt.received_on);
    const reversedOn = reversalDateOrThrow(input.reversedOn, today, latest);
    for (const allocation of live) {
      await insertReversalRow(tx, actor, allocation, reversedOn, `receipt reversed: ${input.reason}`);
    }
    const reversal = await tx
      .insertInto('receipt_reversals')
      .values({
        tenant_id: actor.tenantId,
        receipt_id: receiptId,
        reversed_on: reversedOn,
        reason: input.reason,
        reversed_by_user_id: actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'receipt.reversed',
      entityType: 'receipt',
      entityId: receiptId,
      before: receipt,
      after: reversal,
    });
    return receiptDetailOrThrow(tx, actor, receiptId);
  });
}
