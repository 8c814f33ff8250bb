import {
  computeCreditRating,
  effectiveCreditRating,
  paymentBehaviourFromSums,
  type CalendarDate,
  type ComputedCreditRating,
  type CreditRating,
  type PaymentBehaviour,
} from '@huikuan/core';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';
import { behaviourInputs } from './behaviour-inputs';

export type RatingOverride = {
  rating: CreditRating;
  reason: string;
  setAt: Date;
  setByUserId: string | null;
  setByName: string | null;
};

export type CustomerRating = {
  customerId: string;
  computed: ComputedCreditRating;
  override: RatingOverride | null;
  /** The override when there is one, else the computed rating; null = unrated. */
  effective: CreditRating | null;
};

/** The overrides of many customers, one statement. */
export async function ratingOverrides(
  tx: Tx,
  tenantId: string,
  customerIds: readonly string[],
): Promise<Map<string, RatingOverride>> {
  if (customerIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom('credit_rating_overrides as o')
    .leftJoin('users as u', (join) =>
      join.onRef('u.tenant_id', '=', 'o.tenant_id').onRef('u.id', '=', 'o.set_by_user_id'),
    )
    .select([
      'o.customer_id',
      'o.rating',
      'o.reason',
      'o.set_at',
      'o.set_by_user_id',
      'u.name as set_by_name',
    ])
    .where('o.tenant_id', '=', tenantId)
    .where(sql<boolean>`o.customer_id = ANY(${[...new Set(customerIds)]}::uuid[])`)
    .execute();
  return new Map(
    rows.map((row) => [
      row.customer_id,
      {
        rating: row.rating as CreditRating,
        reason: row.reason,
        setAt: row.set_at,
        setByUserId: row.set_by_user_id,
        setByName: row.set_by_name,
      },
    ]),
  );
}

/**
 * Payment behaviour of many customers as of a date, in the fixed two statements of behaviourInputs. The
 * preferred currency only orders the sections; pass the customers' own currencies where they are known.
 */
export async function paymentBehaviours(
  tx: Tx,
  tenantId: string,
  customers: readonly { id: string; currency: string | null }[],
  asOf: CalendarDate,
): Promise<Map<string, PaymentBehaviour>> {
  const inputs = await behaviourInputs(
    tx,
    tenantId,
    customers.map((customer) => customer.id),
    asOf,
  );
  const behaviours = new Map<string, PaymentBehaviour>();
  for (const customer of customers) {
    const input = inputs.get(customer.id);
    if (!input) continue;
    behaviours.set(
      customer.id,
      paymentBehaviourFromSums({ asOf, preferredCurrency: customer.currency, ...input }),
    );
  }
  return behaviours;
}

export function customerRating(
  customerId: string,
  behaviour: PaymentBehaviour,
  override: RatingOverride | null,
): CustomerRating {
  const computed = computeCreditRating(behaviour.currencies);
  return { customerId, computed, override, effective: effectiveCreditRating(computed.rating, override) };
}

/**
 * The ratings of many customers as of a date, for other modules (the dashboard, the collections worklist): three
 * statements whatever the number of customers. The caller has already applied record scope to `customerIds`;
 * ids of another organization simply find nothing (row-level security and the tenant filter) and rate as unrated.
 */
export async function effectiveRatings(
  tx: Tx,
  tenantId: string,
  customerIds: readonly string[],
  asOf: CalendarDate,
): Promise<Map<string, CustomerRating>> {
  const ids = [...new Set(customerIds)];
  const ratings = new Map<string, CustomerRating>();
  if (ids.length === 0) return ratings;
  // The currency only orders sections and the rating reads all of them alike: no customer lookup is needed.
  const behaviours = await paymentBehaviours(
    tx,
    tenantId,
    ids.map((id) => ({ id, currency: null })),
    asOf,
  );
  const overrides = await ratingOverrides(tx, tenantId, ids);
  for (const id of ids) {
    const behaviour = behaviours.get(id);
    if (!behaviour) continue;
    ratings.set(id, customerRating(id, behaviour, overrides.get(id) ?? null));
  }
  return ratings;
}
