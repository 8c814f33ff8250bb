import type { salesContractListQuerySchema, SalesContract } from '@huikuan/core/contracts';
import type { z } from 'zod';
import type { AppDeps } from '../../platform/deps';
import { decodeCursor, pageFrom } from '../../platform/pagination';
import { recordScope, type Actor } from '../../platform/request-context';
import { customerScopeCondition } from '../customers/customer-access';
import { toContractView } from './contract-views';
import { likePattern } from './ledger-input';

export type ContractListQuery = z.output<typeof salesContractListQuerySchema>;

/** Contracts of customers in the actor's scope, newest signing first, one query per page. */
export async function listContracts(
  deps: AppDeps,
  actor: Actor,
  query: ContractListQuery,
): Promise<{ items: SalesContract[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, 2);
  const rows = await deps.db.tenant(actor.tenantId, (tx) => {
    let select = tx
      .selectFrom('contracts as ct')
      .innerJoin('customers as c', (join) =>
        join.onRef('c.tenant_id', '=', 'ct.tenant_id').onRef('c.id', '=', 'ct.customer_id'),
      )
      .selectAll('ct')
      .select(['c.code as customer_code', 'c.name as customer_name'])
      .where('ct.tenant_id', '=', actor.tenantId)
      .where(customerScopeCondition(recordScope(actor), 'c'));
    if (query.customerId) select = select.where('ct.customer_id', '=', query.customerId);
    if (query.ownerUserId) select = select.where('ct.owner_user_id', '=', query.ownerUserId);
    if (query.status) select = select.where('ct.status', '=', query.status);
    if (query.search) {
      const pattern = likePattern(query.search);
      select = select.where((eb) =>
        eb.or([
          eb('ct.number', 'ilike', pattern),
          eb('ct.title', 'ilike', pattern),
          eb('c.name', 'ilike', pattern),
          eb('c.code', 'ilike', pattern),
        ]),
      );
    }
    if (after) {
      const [signedOn = '', id = ''] = after;
      select = select.where((eb) =>
        eb.or([
          eb('ct.signed_on', '<', signedOn),
          eb.and([eb('ct.signed_on', '=', signedOn), eb('ct.id', '<', id)]),
        ]),
      );
    }
    return select
      .orderBy('ct.signed_on', 'desc')
      .orderBy('ct.id', 'desc')
      .limit(query.limit + 1)
      .execute();
  });
  const page = pageFrom(rows, query.limit, (row) => [row.signed_on, row.id]);
  return { items: page.items.map(toContractView), nextCursor: page.nextCursor };
}
