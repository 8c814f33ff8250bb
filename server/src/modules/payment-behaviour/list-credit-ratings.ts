import type { CalendarDate, CreditRating } from '@huikuan/core';
import type { CreditRatingListItem, creditRatingsQuerySchema } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import { decodeCursor, pageFrom } from '../../platform/pagination';
import { recordScope, type Actor } from '../../platform/request-context';
import { organizationToday } from '../contracts/ledger-input';
import { customerScopeCondition } from '../customers/customer-access';
import { effectiveRatings } from './effective-ratings';

export type CreditRatingsQuery = z.output<typeof creditRatingsQuerySchema>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function afterKeyOrThrow(cursor: string | undefined): { code: string; id: string } | null {
  const after = decodeCursor(cursor, 2);
  if (!after) return null;
  const [code = '', id = ''] = after;
  if (!UUID.test(id)) {
    throw new AppError('validation_failed', {}, [{ path: 'cursor', message: 'Malformed cursor' }]);
  }
  return { code, id };
}

/**
 * Customers in the actor's scope with their ratings as of a date, by customer code (keyset on code, id), for the
 * dashboard. Five statements whatever the page: today, the customers, and effectiveRatings' three. Ratings are
 * computed, not stored, so a filter on the rating must rate every customer after the cursor before it can fill a
 * page; without a filter only the page's customers are rated.
 */
export async function listCreditRatings(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  query: CreditRatingsQuery,
): Promise<{ asOf: CalendarDate; items: CreditRatingListItem[]; nextCursor: string | null }> {
  const after = afterKeyOrThrow(query.cursor);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const asOf = query.asOf ?? (await organizationToday(tx, actor.tenantId, deps.clock));
    let select = tx
      .selectFrom('customers as c')
      .select(['c.id', 'c.code', 'c.name', 'c.owner_user_id'])
      .where('c.tenant_id', '=', actor.tenantId)
      .where(customerScopeCondition(recordScope(actor), 'c'));
    if (after) {
      select = select.where(
        sql<boolean>`(c.code > ${after.code} OR (c.code = ${after.code} AND c.id > ${after.id}))`,
      );
    }
    select = select.orderBy('c.code').orderBy('c.id');
    if (query.rating === undefined) select = select.limit(query.limit + 1);
    const customers = await select.execute();
    const ratings = await effectiveRatings(
      tx,
      actor.tenantId,
      customers.map((customer) => customer.id),
      asOf,
    );
    const wanted: CreditRating | null | undefined =
      query.rating === undefined ? undefined : query.rating === 'unrated' ? null : query.rating;
    const rows: CreditRatingListItem[] = [];
    for (const customer of customers) {
      const rating = ratings.get(customer.id);
      const effective = rating?.effective ?? null;
      if (wanted !== undefined && effective !== wanted) continue;
      rows.push({
        customerId: customer.id,
        code: customer.code,
        name: customer.name,
        ownerUserId: customer.owner_user_id,
        computed: rating?.computed.rating ?? null,
        override: rating?.override?.rating ?? null,
        effective,
      });
      if (rows.length > query.limit) break;
    }
    const page = pageFrom(rows, query.limit, (row) => [row.code, row.customerId]);
    return { asOf, ...page };
  });
}
