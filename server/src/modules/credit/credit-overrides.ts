import { addDays, calendarDateOrThrow, minorToDecimalString } from '@huikuan/core';
import type { ApprovalRequest, CreditOverrideRequest } from '@huikuan/core/contracts';
import type { Selectable } from 'kysely';
import type { ApprovalRequestsTable } from '../../db/schema';
import { recordAudit } from '../../platform/audit';
import { todayIn } from '../../platform/clock';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import { amountMinorOrThrow } from '../../platform/money-input';
import type { Actor } from '../../platform/request-context';
import { registerApprovalEffect } from '../approvals/approval-effects';
import { createApprovalRequestIn, toApprovalView } from '../approvals/approvals';
import { visibleCustomerOrThrow } from '../customers/customer-access';
import { loadCreditContext } from './credit-settings';
import { recordHoldTransitions } from './hold-state';
import { evaluateCustomers } from './credit-position';

/** An override lasts at most a year: a standing exception is a limit, and limits are finance's to set. */
const MAX_VALIDITY_DAYS = 366;

type OverridePayload = { validUntil: string; amount: string; currency: string };

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', {}, [{ path, message }]);
}

/**
 * 信用放行: a salesperson asks for an exception for a customer in their scope, for extra exposure (in the credit
 * currency: the limit's, else the customer's) until a date. Nothing changes until finance or an admin other than
 * the requester approves it (approval kind credit_override, core/src/approvals.ts).
 */
export async function requestCreditOverride(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
  input: CreditOverrideRequest,
): Promise<ApprovalRequest> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const customer = await visibleCustomerOrThrow(tx, actor, customerId);
    const context = await loadCreditContext(tx, actor.tenantId);
    const today = todayIn(deps.clock, context.timezone);
    const validUntil = calendarDateOrThrow(input.validUntil);
    if (validUntil < today) throw invalid('validUntil', 'The override would already have expired');
    if (validUntil > addDays(today, MAX_VALIDITY_DAYS)) {
      throw invalid('validUntil', `An override lasts at most ${MAX_VALIDITY_DAYS} days`);
    }
    const limit = await tx
      .selectFrom('customer_credit_limits')
      .select('currency')
      .where('tenant_id', '=', actor.tenantId)
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    const currency = (limit?.currency ?? customer.currency).trim();
    const amountMinor = amountMinorOrThrow(input.amount, currency, 'amount', 'non_negative');
    const payload: OverridePayload = {
      validUntil,
      amount: minorToDecimalString(amountMinor, currency),
      currency,
    };
    const approval = await createApprovalRequestIn(tx, actor, {
      kind: 'credit_override',
      subjectType: 'customer',
      subjectId: customerId,
      customerId,
      // The approvals table keeps positive amounts only; an override of 0 (lift overdue/dispute holds) has none.
      amountMinor: amountMinor === 0n ? null : amountMinor,
      currency,
      payload,
      reason: input.reason,
    });
    await recordAudit(tx, actor, {
      action: 'credit.override_requested',
      entityType: 'customer',
      entityId: customerId,
      after: { approvalRequestId: approval.id, ...payload, reason: input.reason },
    });
    return toApprovalView(approval);
  });
}

function payloadOf(request: Selectable<ApprovalRequestsTable>): OverridePayload {
  const payload = request.payload as Partial<OverridePayload> | null;
  if (!payload?.validUntil || !payload.currency) {
    throw new Error(`credit_override approval ${request.id} has no validUntil or currency`);
  }
  return { validUntil: payload.validUntil, amount: payload.amount ?? '0', currency: payload.currency };
}

/** The approval's effect: the override exists from the decision on, and the customer is evaluated at once. */
async function grantOverride(
  deps: AppDeps,
  tx: Tx,
  actor: Actor,
  request: Selectable<ApprovalRequestsTable>,
): Promise<void> {
  const payload = payloadOf(request);
  const context = await loadCreditContext(tx, actor.tenantId);
  const today = todayIn(deps.clock, context.timezone);
  if (payload.validUntil < today) {
    throw new AppError('conflict', {
      detail: `the credit override expired on ${payload.validUntil} before it was approved`,
    });
  }
  const customerId = request.customer_id ?? request.subject_id;
  const override = await tx
    .insertInto('credit_overrides')
    .values({
      tenant_id: actor.tenantId,
      customer_id: customerId,
      approval_request_id: request.id,
      amount_minor: request.amount_minor ?? 0n,
      currency: payload.currency,
      valid_until: payload.validUntil,
      reason: request.reason,
      requested_by_user_id: request.requested_by_user_id,
      approved_by_user_id: actor.userId,
      approved_at: deps.clock.now(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(tx, actor, {
    action: 'credit.override_granted',
    entityType: 'customer',
    entityId: customerId,
    after: override,
  });
  const evaluations = await evaluateCustomers(tx, actor.tenantId, context, today, {
    kind: 'ids',
    customerIds: [customerId],
  });
  await recordHoldTransitions(tx, actor, evaluations, 'write', today, deps.clock.now());
}

export function registerCreditOverrideEffect(deps: AppDeps): void {
  registerApprovalEffect('credit_override', {
    onApproved: (tx, actor, request) => grantOverride(deps, tx, actor, request),
  });
}
