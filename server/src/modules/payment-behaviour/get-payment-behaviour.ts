import type { CalendarDate } from '@huikuan/core';
import type { PaymentBehaviourView } from '@huikuan/core/contracts';
import type { AppDeps } from '../../platform/deps';
import type { Actor } from '../../platform/request-context';
import { organizationToday } from '../contracts/ledger-input';
import { brokenPromiseCounts } from '../casework';
import { visibleCustomerOrThrow } from '../customers/customer-access';
import { behaviourView } from './behaviour-views';
import { customerRating, paymentBehaviours, ratingOverrides } from './effective-ratings';

/**
 * A customer's credit history (信用历史) as of a date (default: the organization's today): metrics per currency,
 * the monthly trend, open and overdue items, and the rating with its reasons and override. A customer outside the
 * actor's scope is a 404, like one that does not exist.
 */
export async function getPaymentBehaviour(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  customerId: string,
  query: { asOf?: CalendarDate | undefined },
): Promise<PaymentBehaviourView> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const customer = await visibleCustomerOrThrow(tx, actor, customerId);
    const asOf = query.asOf ?? (await organizationToday(tx, actor.tenantId, deps.clock));
    const behaviours = await paymentBehaviours(tx, actor.tenantId, [customer], asOf);
    const behaviour = behaviours.get(customer.id);
    if (!behaviour) throw new Error(`no payment behaviour computed for customer ${customer.id}`);
    const overrides = await ratingOverrides(tx, actor.tenantId, [customer.id]);
    // 失信次数: promises to pay broken on or before the date (casework stores each break as it happens).
    const broken = await brokenPromiseCounts(tx, actor.tenantId, [customer.id], asOf);
    return behaviourView(
      customer.id,
      { ...behaviour, brokenPromiseCount: broken.get(customer.id) ?? 0 },
      customerRating(customer.id, behaviour, overrides.get(customer.id) ?? null),
    );
  });
}
