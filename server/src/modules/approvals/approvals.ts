import { canDecideApproval, minorToDecimalString } from '@huikuan/core';
import type { ApprovalKind, ApprovalRequest } from '@huikuan/core/contracts';
import type { Selectable } from 'kysely';
import type { ApprovalRequestsTable } from '../../db/schema';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { AppError, notFound } from '../../platform/errors';
import { decodeCursor, pageFrom } from '../../platform/pagination';
import { recordScope, type Actor } from '../../platform/request-context';
import { customerScopeCondition, visibleCustomerOrThrow } from '../customers/customer-access';
import { approvalEffectOrThrow } from './approval-effects';

export function toApprovalView(row: Selectable<ApprovalRequestsTable>): ApprovalRequest {
  return {
    id: row.id,
    kind: row.kind as ApprovalKind,
    status: row.status as ApprovalRequest['status'],
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    customerId: row.customer_id,
    amount:
      row.amount_minor !== null && row.currency !== null
        ? minorToDecimalString(row.amount_minor, row.currency)
        : null,
    currency: row.currency,
    payload: (row.payload ?? {}) as Record<string, unknown>,
    reason: row.reason,
    requestedByUserId: row.requested_by_user_id,
    decidedByUserId: row.decided_by_user_id,
    decidedAt: row.decided_at?.toISOString() ?? null,
    decisionComment: row.decision_comment,
    createdAt: row.created_at.toISOString(),
  };
}

export type NewApprovalRequest = {
  kind: ApprovalKind;
  subjectType: string;
  subjectId: string;
  customerId: string | null;
  amountMinor: bigint | null;
  currency: string | null;
  payload: Record<string, unknown>;
  reason: string;
};

/** Files a request inside the caller's transaction; the subject stays without effect until it is approved. */
export async function createApprovalRequestIn(
  tx: Tx,
  actor: Actor,
  input: NewApprovalRequest,
): Promise<Selectable<ApprovalRequestsTable>> {
  if (!actor.userId) throw new AppError('forbidden');
  const row = await tx
    .insertInto('approval_requests')
    .values({
      tenant_id: actor.tenantId,
      kind: input.kind,
      subject_type: input.subjectType,
      subject_id: input.subjectId,
      customer_id: input.customerId,
      amount_minor: input.amountMinor,
      currency: input.currency,
      payload: JSON.stringify(input.payload),
      reason: input.reason,
      requested_by_user_id: actor.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(tx, actor, {
    action: 'approval.requested',
    entityType: 'approval',
    entityId: row.id,
    after: row,
  });
  return row;
}

async function lockPendingOrThrow(tx: Tx, actor: Actor, approvalId: string) {
  const row = await tx
    .selectFrom('approval_requests')
    .selectAll()
    .where('tenant_id', '=', actor.tenantId)
    .where('id', '=', approvalId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('approval');
  if (row.status !== 'pending')
    throw new AppError('conflict', { detail: `approval is already ${row.status}` });
  return row;
}

/**
 * Approves or rejects. Only the roles allowed for the kind may decide, never the requester; the effect registered
 * for the kind runs in the same transaction, so an approval and what it does are one event in the audit trail.
 */
export async function decideApproval(
  deps: AppDeps,
  actor: Actor,
  approvalId: string,
  input: { decision: 'approve' | 'reject'; comment?: string | undefined },
): Promise<ApprovalRequest> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await lockPendingOrThrow(tx, actor, approvalId);
    const kind = before.kind as ApprovalKind;
    const mayDecide =
      actor.userId !== null &&
      canDecideApproval({
        kind,
        deciderRole: actor.role,
        deciderUserId: actor.userId,
        requesterUserId: before.requested_by_user_id,
      });
    if (!mayDecide) throw new AppError('forbidden');
    // A manager decides only for customers in their teams; out of scope reads as absent, as everywhere else.
    if (before.customer_id) await visibleCustomerOrThrow(tx, actor, before.customer_id);
    const after = await tx
      .updateTable('approval_requests')
      .set({
        status: input.decision === 'approve' ? 'approved' : 'rejected',
        decided_by_user_id: actor.userId,
        decided_at: deps.clock.now(),
        decision_comment: input.comment ?? null,
      })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', approvalId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const effect = approvalEffectOrThrow(kind);
    if (input.decision === 'approve') await effect.onApproved(tx, actor, after);
    else await effect.onRejected?.(tx, actor, after);
    await recordAudit(tx, actor, {
      action: input.decision === 'approve' ? 'approval.approved' : 'approval.rejected',
      entityType: 'approval',
      entityId: approvalId,
      before,
      after,
    });
    return toApprovalView(after);
  });
}

export type ApprovalListQuery = {
  status?: string | undefined;
  kind?: string | undefined;
  customerId?: string | undefined;
  cursor?: string | undefined;
  limit: number;
};

/** Requests the actor may see: their own, and those about customers in their scope. Newest first. */
export async function listApprovals(deps: AppDeps, actor: Actor, query: ApprovalListQuery) {
  const after = decodeCursor(query.cursor, 2);
  const rows = await deps.db.tenant(actor.tenantId, (tx) => {
    let select = tx
      .selectFrom('approval_requests as a')
      .leftJoin('customers as c', (join) =>
        join.onRef('c.tenant_id', '=', 'a.tenant_id').onRef('c.id', '=', 'a.customer_id'),
      )
      .selectAll('a')
      .where('a.tenant_id', '=', actor.tenantId)
      .where((eb) =>
        eb.or([
          eb('a.requested_by_user_id', '=', actor.userId ?? ''),
          customerScopeCondition(recordScope(actor), 'c'),
        ]),
      );
    if (query.status) select = select.where('a.status', '=', query.status);
    if (query.kind) select = select.where('a.kind', '=', query.kind);
    if (query.customerId) select = select.where('a.customer_id', '=', query.customerId);
    if (after) {
      const [createdAt = '', id = ''] = after;
      select = select.where((eb) =>
        eb.or([
          eb('a.created_at', '<', new Date(createdAt)),
          eb.and([eb('a.created_at', '=', new Date(createdAt)), eb('a.id', '<', id)]),
        ]),
      );
    }
    return select
      .orderBy('a.created_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(query.limit + 1)
      .execute();
  });
  const page = pageFrom(rows, query.limit, (row) => [row.created_at.toISOString(), row.id]);
  return { items: page.items.map(toApprovalView), nextCursor: page.nextCursor };
}

export async function getApprovalOrThrow(
  deps: AppDeps,
  actor: Actor,
  approvalId: string,
): Promise<ApprovalRequest> {
  const row = await deps.db.tenant(actor.tenantId, (tx) =>
    tx
      .selectFrom('approval_requests as a')
      .leftJoin('customers as c', (join) =>
        join.onRef('c.tenant_id', '=', 'a.tenant_id').onRef('c.id', '=', 'a.customer_id'),
      )
      .selectAll('a')
      .where('a.tenant_id', '=', actor.tenantId)
      .where('a.id', '=', approvalId)
      .where((eb) =>
        eb.or([
          eb('a.requested_by_user_id', '=', actor.userId ?? ''),
          customerScopeCondition(recordScope(actor), 'c'),
        ]),
      )
      .executeTakeFirst(),
  );
  if (!row) throw notFound('approval');
  return toApprovalView(row);
}

export async function cancelApproval(
  deps: AppDeps,
  actor: Actor,
  approvalId: string,
): Promise<ApprovalRequest> {
  return deps.db.tenant(actor.tenantId, async (tx: Tx) => {
    const before = await lockPendingOrThrow(tx, actor, approvalId);
    if (before.requested_by_user_id !== actor.userId) throw new AppError('forbidden');
    const after = await tx
      .updateTable('approval_requests')
      .set({ status: 'cancelled' })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', approvalId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await approvalEffectOrThrow(before.kind as ApprovalKind).onRejected?.(tx, actor, after);
    await recordAudit(tx, actor, {
      action: 'approval.cancelled',
      entityType: 'approval',
      entityId: approvalId,
      before,
      after,
    });
    return toApprovalView(after);
  });
}
