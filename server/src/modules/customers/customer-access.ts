import type { RecordScope } from '@huikuan/core';
import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { CustomersTable } from '../../db/schema';
import type { Tx } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { recordScope, type Actor } from '../../platform/request-context';

/**
 * Record scopes for everything that belongs to a customer. Other modules call these (never the customers' query
 * files): a customer outside the actor's scope is answered exactly like one that does not exist.
 */
export function customerScopeCondition(scope: RecordScope, customerAlias: string): RawBuilder<boolean> {
  const owner = sql.ref(`${customerAlias}.owner_user_id`);
  const team = sql.ref(`${customerAlias}.team_id`);
  switch (scope.kind) {
    case 'all':
      return sql<boolean>`true`;
    case 'own':
      return sql<boolean>`${owner} = ${scope.userId}`;
    case 'team':
      return scope.teamIds.length === 0
        ? sql<boolean>`${owner} = ${scope.userId}`
        : sql<boolean>`(${owner} = ${scope.userId} OR ${team} IN (${sql.join([...scope.teamIds])}))`;
  }
}

export async function visibleCustomerOrThrow(
  tx: Tx,
  actor: Actor,
  customerId: string,
): Promise<Selectable<CustomersTable>> {
  const customer = await tx
    .selectFrom('customers as c')
    .selectAll('c')
    .where('c.tenant_id', '=', actor.tenantId)
    .where('c.id', '=', customerId)
    .where(customerScopeCondition(recordScope(actor), 'c'))
    .executeTakeFirst();
  if (!customer) throw notFound('customer');
  return customer;
}
