import {
  effectiveLimitMinor,
  creditBlockCauses,
  minorToDecimalString,
  shareOfLimit,
  warningThresholdMinor,
  type CalendarDate,
  type CreditHoldCause,
} from '@huikuan/core';
import type {
  CreditHoldEvent,
  CreditOverride,
  CustomerCredit,
  SetCreditLimitRequest,
} from '@huikuan/core/contracts';
import { recordAudit } from '../../platform/audit';
import { todayIn } from '../../platform/clock';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { AppError, notFound } from '../../platform/errors';
import { amountMinorOrThrow } from '../../platform/money-input';
import type { Actor } from '../../platform/request-context';
import { visibleCustomerOrThrow } from '../customers/customer-access';
import { evaluateCustomers, type CustomerCreditEvaluation } from './credit-position';
import { creditSettingsBody, loadCreditContext, type CreditContext } from './credit-settings';
import { recordHoldTransitions, type EvaluationSource } from './hold-state';

const RECENT_EVENTS = 20;

/** An evaluation is "overridden" when it is on hold but the overrides valid today let a write that adds nothing pass. */
export function isOverridden(
  evaluation: Pick<CustomerCreditEvaluation, 'causes' | 'position' | 'currency'>,
  context: CreditContext,
): boolean {
  if (evaluation.causes.length === 0 || !evaluation.position.hasActiveOverride) return false;
  const blocking = creditBlockCauses(evaluation.position, context.settings, {
    addedExposureMinor: 0n,
    currency: evaluation.currency,
    limitCurrency: evaluation.currency,
  });
  return blocking.length === 0;
}

async function overridesOf(tx: Tx, tenantId: string, customerId: string, today: CalendarDate) {
  const rows = await tx
    .selectFrom('credit_overrides')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .orderBy('valid_until', 'desc')
    .orderBy('approved_at', 'desc')
    .limit(RECENT_EVENTS)
    .execute();
  return rows.map((row): CreditOverride => ({
    id: row.id,
    approvalRequestId: row.approval_request_id,
    amount: minorToDecimalString(row.amount_minor, row.currency.trim()),
    currency: row.currency.trim(),
    validUntil: row.valid_until as CalendarDate,
    reason: row.reason,
    requestedByUserId: row.requested_by_user_id,
    approvedByUserId: row.approved_by_user_id,
    approvedAt: row.approved_at.toISOString(),
    isActive: row.valid_until >= today,
  }));
}

async function eventsOf(tx: Tx, tenantId: string, customerId: string) {
  const rows = await tx
    .selectFrom('credit_hold_events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .orderBy('seq', 'desc')
    .limit(RECENT_EVENTS)
    .execute();
  return rows.map((row): CreditHoldEvent => {
    const currency = row.currency.trim();
    return {
      id: row.id,
      event: row.event as CreditHoldEvent['event'],
      causes: row.causes as CreditHoldCause[],
      previousCauses: row.previous_causes as CreditHoldCause[],
      exposure: minorToDecimalString(row.exposure_minor, currency),
      limit: row.limit_minor === null ? null : minorToDecimalString(row.limit_minor, currency),
      currency,
      oldestOverdueDays: row.oldest_overdue_days,
      source: row.source as CreditHoldEvent['source'],
      evaluatedOn: row.evaluated_on as CalendarDate,
      actorUserId: row.actor_user_id,
      occurredAt: row.occurred_at.toISOString(),
    };
  });
}

/** Evaluates one customer in the caller's transaction and records any change of its hold state. */
export async function evaluateAndRecordOne(
  deps: Pick<AppDeps, 'clock'>,
  tx: Tx,
  actor: Actor,
  customerId: string,
  source: EvaluationSource,
): Promise<{ context: CreditContext; today: CalendarDate; evaluation: CustomerCreditEvaluation }> {
  const context = await loadCreditContext(tx, actor.tenantId);
  const today = todayIn(deps.clock, context.timezone);
  const [evaluation] = await evaluateCustomers(tx, actor.tenantId, context, today, {
    kind: 'ids',
    customerIds: [customerId],
  });
  if (!evaluation) throw notFound('customer');
  await recordHoldTransitions(tx, actor, [evaluation], source, today, deps.clock.now());
  const holdSince = evaluation.causes.length === 0 ? null : (evaluation.holdSince ?? deps.clock.now());
  return { context, today, evaluation: { ...evaluation, recordedCauses: evaluation.causes, holdSince } };
}

async function creditViewIn(
  deps: Pick<AppDeps, 'clock'>,
  tx: Tx,
  actor: Actor,
  customerId: string,
  source: EvaluationSource,
): Promise<CustomerCredit> {
  await visibleCustomerOrThrow(tx, actor, customerId);
  const { context, today, evaluation } = await evaluateAndRecordOne(deps, tx, actor, customerId, source);
  const currency = evaluation.currency;
  const money = (minor: bigint) => minorToDecimalString(minor, currency);
  const limit = evaluation.limitMinor;
  const effective = effectiveLimitMinor(evaluation.position);
  return {
    customerId,
    asOf: today,
    currency,
    limit: limit === null ? null : money(limit),
    exposure: {
      openReceivables: money(evaluation.receivablesMinor),
      unbilledPlanNodes: money(evaluation.unbilledNodesMinor),
      uninvoicedContracts: money(evaluation.uninvoicedContractsMinor),
      total: money(evaluation.position.exposureMinor),
    },
    otherCurrencies: evaluation.otherCurrencies,
    shareOfLimit: shareOfLimit(evaluation.position.exposureMinor, limit),
    warningThreshold: limit === null ? null : money(warningThresholdMinor(limit, context.settings.warningBp)),
    isWarning: evaluation.isWarning,
    isOnHold: evaluation.causes.length > 0,
    causes: evaluation.causes,
    isOverridden: isOverridden(evaluation, context),
    effectiveLimit: effective === null ? null : money(effective),
    oldestOverdueDays: evaluation.position.oldestOverdueDays,
    openDisputes: minorToDecimalString(evaluation.position.openDisputesMinor, context.disputeHoldCurrency),
    holdSince: evaluation.holdSince?.toISOString() ?? null,
    settings: creditSettingsBody(context),
    overrides: await overridesOf(tx, actor.tenantId, customerId, today),
    events: await eventsOf(tx, actor.tenantId, customerId),
  };
}

/** GET /customers/:id/credit: evaluated live; a hold that began or ended since the last look is recorded now. */
export async function getCustomerCredit(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
): Promise<CustomerCredit> {
  return deps.db.tenant(actor.tenantId, (tx) => creditViewIn(deps, tx, actor, customerId, 'view'));
}

/**
 * 受信额度: admins and finance set a customer's limit in the customer's currency, or remove it (null: no limit).
 * Audited with the reason; a raised limit releases a limit hold at once (recorded in the same transaction).
 */
export async function setCreditLimit(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
  input: SetCreditLimitRequest,
): Promise<CustomerCredit> {
  if (actor.role !== 'admin' && actor.role !== 'finance') throw new AppError('forbidden');
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const customer = await visibleCustomerOrThrow(tx, actor, customerId);
    const currency = customer.currency.trim();
    const before = await tx
      .selectFrom('customer_credit_limits')
      .selectAll()
      .where('tenant_id', '=', actor.tenantId)
      .where('customer_id', '=', customerId)
      .forUpdate()
      .executeTakeFirst();
    if (input.limit === null) {
      await tx
        .deleteFrom('customer_credit_limits')
        .where('tenant_id', '=', actor.tenantId)
        .where('customer_id', '=', customerId)
        .execute();
    } else {
      const limitMinor = amountMinorOrThrow(input.limit, currency, 'limit', 'non_negative');
      const values = { limit_minor: limitMinor, currency, updated_by_user_id: actor.userId };
      await tx
        .insertInto('customer_credit_limits')
        .values({ tenant_id: actor.tenantId, customer_id: customerId, ...values })
        .onConflict((conflict) =>
          conflict
            .columns(['tenant_id', 'customer_id'])
            .doUpdateSet({ ...values, updated_at: deps.clock.now() }),
        )
        .execute();
    }
    await recordAudit(tx, actor, {
      action: 'credit.limit_set',
      entityType: 'customer',
      entityId: customerId,
      before: before ? { limitMinor: before.limit_minor, currency: before.currency } : { limitMinor: null },
      after: {
        limit: input.limit,
        currency: input.limit === null ? null : currency,
        reason: input.reason ?? null,
      },
    });
    return creditViewIn(deps, tx, actor, customerId, 'write');
  });
}
