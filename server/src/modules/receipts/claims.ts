import { minorToDecimalString, type CalendarDate } from '@huikuan/core';
import type { AllocationLineInput, Claim } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { notFound } from '../../platform/errors';
import { decodeCursor, pageFrom } from '../../platform/pagination';
import { recordScope, type Actor } from '../../platform/request-context';
import { customerScopeCondition, visibleCustomerOrThrow } from '../customers/customer-access';
import {
  applyAllocationsIn,
  checkPlanNodesOrThrow,
  lockInvoicesOrThrow,
  plannedLinesOf,
  type PlannedLine,
} from './allocate';
import {
  assertCursor,
  conflict,
  isUuid,
  ledgerWrite,
  organizationSettings,
  requireFinance,
  translateLedgerError,
} from './receipt-support';
import { lockVisibleReceiptOrThrow } from './receipt-view';

type SplitLine = { invoiceId: string | null; planNodeId: string | null; amount: string };

/** Claims the actor may see: their own, and those for customers in their scope. One query per page. */
function claimRows(tx: Tx, actor: Actor) {
  return tx
    .selectFrom('receipt_claims as k')
    .innerJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'k.tenant_id').onRef('c.id', '=', 'k.customer_id'),
    )
    .innerJoin('receipts as r', (join) =>
      join.onRef('r.tenant_id', '=', 'k.tenant_id').onRef('r.id', '=', 'k.receipt_id'),
    )
    .selectAll('k')
    .select([
      'c.code as customer_code',
      'c.name as customer_name',
      'r.received_on',
      'r.amount_minor',
      'r.currency',
      'r.payer_name',
      'r.bank_reference',
      // Microseconds, exactly as stored: a millisecond cursor could skip rows created in the same millisecond.
      sql<string>`floor(extract(epoch FROM k.created_at) * 1000000)::bigint::text`.as('created_us'),
    ])
    .where('k.tenant_id', '=', actor.tenantId)
    .where((eb) =>
      eb.or([
        eb('k.claimant_user_id', '=', actor.userId ?? ''),
        customerScopeCondition(recordScope(actor), 'c'),
      ]),
    );
}

type ClaimRow = Awaited<ReturnType<ReturnType<typeof claimRows>['executeTakeFirstOrThrow']>>;

function toClaimView(row: ClaimRow): Claim {
  return {
    id: row.id,
    receiptId: row.receipt_id,
    customerId: row.customer_id,
    customerCode: row.customer_code,
    customerName: row.customer_name,
    claimantUserId: row.claimant_user_id,
    evidence: row.evidence,
    split: (row.proposed_split ?? []) as SplitLine[],
    status: row.status as Claim['status'],
    receivedOn: row.received_on,
    amount: minorToDecimalString(row.amount_minor, row.currency),
    currency: row.currency,
    payerName: row.payer_name,
    bankReference: row.bank_reference,
    decidedByUserId: row.decided_by_user_id,
    decidedAt: row.decided_at?.toISOString() ?? null,
    decisionComment: row.decision_comment,
    createdAt: row.created_at.toISOString(),
  };
}

async function claimViewOrThrow(tx: Tx, actor: Actor, claimId: string): Promise<Claim> {
  const row = await claimRows(tx, actor).where('k.id', '=', claimId).executeTakeFirst();
  if (!row) throw notFound('claim');
  return toClaimView(row);
}

/** A pooled receipt can be claimed while it is confirmed, has no customer and is not reversed. */
function assertClaimable(receipt: Awaited<ReturnType<typeof lockVisibleReceiptOrThrow>>): void {
  if (receipt.customer_id !== null) throw conflict('this receipt already has a customer');
  if (receipt.status !== 'confirmed' || receipt.isReversed) {
    throw conflict('only confirmed, unreversed receipts in the pool can be claimed');
  }
}

/** 回款认领: the owning salesperson claims a pooled receipt for a customer they see, with a proposed split. */
export async function createClaim(
  deps: AppDeps,
  actor: Actor,
  receiptId: string,
  input: { customerId: string; evidence: string; split: AllocationLineInput[] },
): Promise<Claim> {
  return deps.db
    .tenant(actor.tenantId, async (tx) => {
      const receipt = await lockVisibleReceiptOrThrow(tx, actor, receiptId);
      assertClaimable(receipt);
      await visibleCustomerOrThrow(tx, actor, input.customerId);
      const lines = plannedLinesOf(input.split, receipt.currency, 'split');
      const total = lines.reduce((sum, line) => sum + line.amountMinor, 0n);
      if (total > receipt.amount_minor) throw conflict('the proposed split adds up to more than the receipt');
      const { today } = await organizationSettings(tx, actor.tenantId, deps.clock);
      const asClaimed = { ...receipt, customer_id: input.customerId };
      await lockInvoicesOrThrow(tx, asClaimed, lines, today);
      await checkPlanNodesOrThrow(tx, asClaimed, lines);
      const split: SplitLine[] = lines.map((line) => ({
        invoiceId: line.invoiceId,
        planNodeId: line.planNodeId,
        amount: minorToDecimalString(line.amountMinor, receipt.currency),
      }));
      const row = await tx
        .insertInto('receipt_claims')
        .values({
          tenant_id: actor.tenantId,
          receipt_id: receiptId,
          customer_id: input.customerId,
          claimant_user_id: actor.userId ?? '',
          evidence: input.evidence,
          proposed_split: JSON.stringify(split),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, actor, {
        action: 'claim.created',
        entityType: 'claim',
        entityId: row.id,
        after: row,
      });
      return claimViewOrThrow(tx, actor, row.id);
    })
    .catch(translateLedgerError);
}

async function lockPendingClaimOrThrow(tx: Tx, actor: Actor, claimId: string) {
  const found = await claimRows(tx, actor).where('k.id', '=', claimId).executeTakeFirst();
  if (!found) throw notFound('claim');
  // The receipt first, as on every ledger path, then the claim.
  const receipt = await lockVisibleReceiptOrThrow(tx, actor, found.receipt_id);
  const claim = await tx
    .selectFrom('receipt_claims')
    .selectAll()
    .where('tenant_id', '=', actor.tenantId)
    .where('id', '=', claimId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (claim.status !== 'pending') throw conflict(`this claim is already ${claim.status}`);
  return { claim, receipt };
}

function splitToLines(split: SplitLine[], currency: string): PlannedLine[] {
  return plannedLinesOf(
    split.map((line) => ({
      ...(line.invoiceId ? { invoiceId: line.invoiceId } : {}),
      ...(line.planNodeId ? { planNodeId: line.planNodeId } : {}),
      amount: line.amount,
    })),
    currency,
    'split',
  );
}

/**
 * Finance confirms: the receipt gets its customer (the one change a confirmed receipt allows) and the proposed
 * split is allocated, re-checked under lock like any allocation. All or nothing.
 */
export async function confirmClaim(
  deps: AppDeps,
  actor: Actor,
  claimId: string,
  input: { allocatedOn?: string | undefined },
  idempotencyKey: string,
): Promise<Claim> {
  requireFinance(actor);
  const request = { claimId, ...input };
  return ledgerWrite(deps, actor, idempotencyKey, 'claim.confirm', request, async (tx) => {
    const { claim, receipt } = await lockPendingClaimOrThrow(tx, actor, claimId);
    assertClaimable(receipt);
    const updated = await tx
      .updateTable('receipts')
      .set({ customer_id: claim.customer_id })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', receipt.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'receipt.claimed',
      entityType: 'receipt',
      entityId: receipt.id,
      before: receipt,
      after: updated,
    });
    const { today } = await organizationSettings(tx, actor.tenantId, deps.clock);
    const lines = splitToLines(claim.proposed_split as SplitLine[], receipt.currency);
    const allocatedOn = (input.allocatedOn ?? today) as CalendarDate;
    const claimed = { ...updated, isReversed: false };
    if (lines.length > 0) await applyAllocationsIn(tx, actor, claimed, lines, allocatedOn, today);
    return decideClaimIn(tx, deps, actor, claim, 'confirmed', null);
  });
}

async function decideClaimIn(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  before: { id: string },
  status: 'confirmed' | 'rejected',
  comment: string | null,
): Promise<Claim> {
  const after = await tx
    .updateTable('receipt_claims')
    .set({
      status,
      decided_by_user_id: actor.userId,
      decided_at: deps.clock.now(),
      decision_comment: comment,
    })
    .where('tenant_id', '=', actor.tenantId)
    .where('id', '=', before.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(tx, actor, {
    action: `claim.${status}`,
    entityType: 'claim',
    entityId: before.id,
    before,
    after,
  });
  return claimViewOrThrow(tx, actor, before.id);
}

/** Finance rejects with a comment; the receipt stays in the pool for another claim. */
export async function rejectClaim(
  deps: AppDeps,
  actor: Actor,
  claimId: string,
  input: { comment: string },
): Promise<Claim> {
  requireFinance(actor);
  return deps.db
    .tenant(actor.tenantId, async (tx) => {
      const { claim } = await lockPendingClaimOrThrow(tx, actor, claimId);
      return decideClaimIn(tx, deps, actor, claim, 'rejected', input.comment);
    })
    .catch(translateLedgerError);
}

export async function getClaim(deps: AppDeps, actor: Actor, claimId: string): Promise<Claim> {
  return deps.db.tenant(actor.tenantId, (tx) => claimViewOrThrow(tx, actor, claimId));
}

export async function listClaims(
  deps: AppDeps,
  actor: Actor,
  query: {
    status?: string | undefined;
    receiptId?: string | undefined;
    cursor?: string | undefined;
    limit: number;
  },
): Promise<{ items: Claim[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, 2);
  const rows = await deps.db.tenant(actor.tenantId, (tx) => {
    let select = claimRows(tx, actor);
    if (query.status) select = select.where('k.status', '=', query.status);
    if (query.receiptId) select = select.where('k.receipt_id', '=', query.receiptId);
    if (after) {
      const [createdUs = '', id = ''] = after;
      assertCursor(/^\d{1,20}$/.test(createdUs) && isUuid(id));
      select = select.where(
        sql<boolean>`(floor(extract(epoch FROM k.created_at) * 1000000)::bigint, k.id) < (${createdUs}::bigint, ${id}::uuid)`,
      );
    }
    return select
      .orderBy('k.created_at', 'desc')
      .orderBy('k.id', 'desc')
      .limit(query.limit + 1)
      .execute();
  });
  const page = pageFrom(rows, query.limit, (row) => [row.created_us, row.id]);
  return { items: page.items.map(toClaimView), nextCursor: page.nextCursor };
}
