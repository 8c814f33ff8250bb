import { canOverrideCreditRating, type CalendarDate } from '@huikuan/core';
import type { CreditRatingOverrideRequest, CreditRatingView } from '@huikuan/core/contracts';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { forbidden } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { organizationToday } from '../contracts/ledger-input';
import { visibleCustomerOrThrow } from '../customers/customer-access';
import { ratingView } from './behaviour-views';
import { effectiveRatings } from './effective-ratings';

/**
 * Manual credit ratings: finance or an admin sets one with a reason, or clears it so the computed rating applies
 * again (who may, and why not sales managers: CREDIT_RATING_OVERRIDE_ROLES in core/src/credit-rating.ts). Each
 * change is audited on the customer with the override before and after, in the same transaction.
 */

function requireOverrideRole(actor: Actor): void {
  if (!canOverrideCreditRating(actor.role)) throw forbidden();
}

async function currentOverride(tx: Tx, tenantId: string, customerId: string) {
  return tx
    .selectFrom('credit_rating_overrides')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .forUpdate()
    .executeTakeFirst();
}

/** The rating as of the organization's today, after the change. */
async function ratingNow(tx: Tx, deps: Pick<AppDeps, 'clock'>, tenantId: string, customerId: string) {
  const today: CalendarDate = await organizationToday(tx, tenantId, deps.clock);
  const rating = (await effectiveRatings(tx, tenantId, [customerId], today)).get(customerId);
  if (!rating) throw new Error(`no rating computed for customer ${customerId}`);
  return ratingView(today, rating);
}

export async function setCreditRatingOverride(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  customerId: string,
  input: CreditRatingOverrideRequest,
): Promise<CreditRatingView> {
  requireOverrideRole(actor);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    await visibleCustomerOrThrow(tx, actor, customerId);
    const before = await currentOverride(tx, actor.tenantId, customerId);
    const after = await tx
      .insertInto('credit_rating_overrides')
      .values({
        tenant_id: actor.tenantId,
        customer_id: customerId,
        rating: input.rating,
        reason: input.reason,
        set_by_user_id: actor.userId,
      })
      .onConflict((conflict) =>
        conflict.columns(['tenant_id', 'customer_id']).doUpdateSet({
          rating: input.rating,
          reason: input.reason,
          set_by_user_id: actor.userId,
          set_at: new Date(),
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'customer.credit_rating_overridden',
      entityType: 'customer',
      entityId: customerId,
      before: before ?? null,
      after,
    });
    return ratingNow(tx, deps, actor.tenantId, customerId);
  });
}

/** Clearing an absent override changes nothing and records nothing; the answer is the rating either way. */
export async function clearCreditRatingOverride(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  customerId: string,
): Promise<CreditRatingView> {
  requireOverrideRole(actor);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    await visibleCustomerOrThrow(tx, actor, customerId);
    const before = await currentOverride(tx, actor.tenantId, customerId);
    if (before) {
      await tx
        .deleteFrom('credit_rating_overrides')
        .where('tenant_id', '=', actor.tenantId)
        .where('customer_id', '=', customerId)
        .execute();
      await recordAudit(tx, actor, {
        action: 'customer.credit_rating_override_cleared',
        entityType: 'customer',
        entityId: customerId,
        before,
        after: null,
      });
    }
    return ratingNow(tx, deps, actor.tenantId, customerId);
  });
}
