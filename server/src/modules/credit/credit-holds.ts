import { minorToDecimalString, shareOfLimit } from '@huikuan/core';
import type { CreditHoldRow, CreditHoldsPage, CreditHoldsQuery } from '@huikuan/core/contracts';
import { todayIn } from '../../platform/clock';
import type { AppDeps } from '../../platform/deps';
import { decodeCursor, pageFrom } from '../../platform/pagination';
import { recordScope, type Actor } from '../../platform/request-context';
import { evaluateCustomers, type CustomerCreditEvaluation } from './credit-position';
import { loadCreditContext, type CreditContext } from './credit-settings';
import { isOverridden } from './customer-credit';
import { recordHoldTransitions } from './hold-state';

function toRow(evaluation: CustomerCreditEvaluation, context: CreditContext): CreditHoldRow {
  const currency = evaluation.currency;
  return {
    customerId: evaluation.customerId,
    code: evaluation.code,
    name: evaluation.name,
    ownerUserId: evaluation.ownerUserId,
    currency,
    limit: evaluation.limitMinor === null ? null : minorToDecimalString(evaluation.limitMinor, currency),
    exposure: minorToDecimalString(evaluation.position.exposureMinor, currency),
    shareOfLimit: shareOfLimit(evaluation.position.exposureMinor, evaluation.limitMinor),
    isOnHold: evaluation.causes.length > 0,
    isWarning: evaluation.isWarning,
    isOverridden: isOverridden(evaluation, context),
    causes: evaluation.causes,
    oldestOverdueDays: evaluation.position.oldestOverdueDays,
    openDisputes: minorToDecimalString(evaluation.position.openDisputesMinor, context.disputeHoldCurrency),
  };
}

/**
 * Customers in the caller's scope on hold or warned, by customer code. Everyone in scope is evaluated live in one
 * set-based query (so the list is never stale), any hold changes are recorded, then the page is cut.
 */
export async function listCreditHolds(
  deps: AppDeps,
  actor: Actor,
  query: CreditHoldsQuery,
): Promise<CreditHoldsPage> {
  const after = decodeCursor(query.cursor, 1);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const context = await loadCreditContext(tx, actor.tenantId);
    const today = todayIn(deps.clock, context.timezone);
    const evaluations = await evaluateCustomers(tx, actor.tenantId, context, today, {
      kind: 'scope',
      scope: recordScope(actor),
    });
    await recordHoldTransitions(tx, actor, evaluations, 'list', today, deps.clock.now());
    const flagged = evaluations.filter((evaluation) => evaluation.causes.length > 0 || evaluation.isWarning);
    const summary = {
      onHold: flagged.filter((evaluation) => evaluation.causes.length > 0).length,
      warning: flagged.filter((evaluation) => evaluation.causes.length === 0).length,
      overridden: flagged.filter((evaluation) => isOverridden(evaluation, context)).length,
    };
    const wanted = flagged.filter((evaluation) => {
      if (query.status === 'hold') return evaluation.causes.length > 0;
      if (query.status === 'warning') return evaluation.causes.length === 0;
      return true;
    });
    // Rows come ordered by code from the query; the cursor is the last code shown.
    const cursorCode = after?.[0];
    const rest =
      cursorCode === undefined ? wanted : wanted.filter((evaluation) => evaluation.code > cursorCode);
    const page = pageFrom(rest.slice(0, query.limit + 1), query.limit, (evaluation) => [evaluation.code]);
    return {
      asOf: today,
      items: page.items.map((evaluation) => toRow(evaluation, context)),
      nextCursor: page.nextCursor,
      summary,
    };
  });
}
