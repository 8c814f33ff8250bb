import type { Customer } from '@huikuan/core/contracts';
import type { customerListQuerySchema } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import { decodeCursor, pageFrom } from '../../platform/pagination';
import { recordScope, type Actor } from '../../platform/request-context';
import { customerScopeCondition } from './customer-access';
import { customerViewOrThrow, selectCustomersWithNames, toCustomerView } from './customer-view';

export type CustomerListQuery = z.output<typeof customerListQuerySchema>;

/** A LIKE pattern matching `text` anywhere, with the user's own %, _ and \ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The cursor carries the sort it was made for, so a cursor from the other sort is refused, not misread. */
function afterKeyOrThrow(query: CustomerListQuery): { value: string; id: string } | null {
  const after = decodeCursor(query.cursor, 3);
  if (!after) return null;
  const [sort = '', value = '', id = ''] = after;
  if (sort !== query.sort || !UUID.test(id)) {
    throw new AppError('validation_failed', {}, [
      { path: 'cursor', message: 'Malformed cursor or one from another sort' },
    ]);
  }
  return { value, id };
}

/**
 * Customers in the actor's scope, a page at a time: keyset on (code or name, id), so pages stay stable while
 * customers are added, and each page costs one query (owner and team names are joined in).
 */
export async function listCustomers(
  deps: AppDeps,
  actor: Actor,
  query: CustomerListQuery,
): Promise<{ items: Customer[]; nextCursor: string | null }> {
  const after = afterKeyOrThrow(query);
  const sortColumn = query.sort === 'name' ? 'c.name' : 'c.code';
  const rows = await deps.db.tenant(actor.tenantId, (tx) => {
    let select = selectCustomersWithNames(tx, actor.tenantId).where(
      customerScopeCondition(recordScope(actor), 'c'),
    );
    if (query.search) {
      const pattern = containsPattern(query.search);
      select = select.where((eb) =>
        eb.or([
          eb('c.code', 'ilike', pattern),
          eb('c.name', 'ilike', pattern),
          eb('c.short_name', 'ilike', pattern),
        ]),
      );
    }
    if (query.ownerUserId) select = select.where('c.owner_user_id', '=', query.ownerUserId);
    if (query.teamId) select = select.where('c.team_id', '=', query.teamId);
    if (query.segment) select = select.where('c.segment', '=', query.segment);
    if (query.tag) select = select.where(sql<boolean>`c.tags @> ARRAY[${query.tag}]::text[]`);
    if (query.isActive !== undefined) select = select.where('c.is_active', '=', query.isActive);
    if (after) {
      select = select.where((eb) =>
        eb.or([
          eb(sortColumn, '>', after.value),
          eb.and([eb(sortColumn, '=', after.value), eb('c.id', '>', after.id)]),
        ]),
      );
    }
    return select
      .orderBy(sortColumn)
      .orderBy('c.id')
      .limit(query.limit + 1)
      .execute();
  });
  const page = pageFrom(rows, query.limit, (row) => [
    query.sort,
    query.sort === 'name' ? row.name : row.code,
    row.id,
  ]);
  return { items: page.items.map(toCustomerView), nextCursor: page.nextCursor };
}

export async function getCustomer(deps: AppDeps, actor: Actor, customerId: string): Promise<Customer> {
  return deps.db.tenant(actor.tenantId, (tx) => customerViewOrThrow(tx, actor, customerId));
}
