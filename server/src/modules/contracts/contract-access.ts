import type { Selectable } from 'kysely';
import type { ContractsTable } from '../../db/schema';
import type { Tx } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { recordScope, type Actor } from '../../platform/request-context';
import { customerScopeCondition } from '../customers/customer-access';

export type ContractWithCustomer = Selectable<ContractsTable> & {
  customer_code: string;
  customer_name: string;
};

/**
 * A contract is visible exactly when its customer is; anything else (another tenant, another salesperson's
 * customer, no such id) is the same 404. With `forUpdate` the contract row is locked for the transaction.
 */
export async function visibleContractOrThrow(
  tx: Tx,
  actor: Actor,
  contractId: string,
  options: { forUpdate?: boolean } = {},
): Promise<ContractWithCustomer> {
  let query = tx
    .selectFrom('contracts as ct')
    .innerJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'ct.tenant_id').onRef('c.id', '=', 'ct.customer_id'),
    )
    .selectAll('ct')
    .select(['c.code as customer_code', 'c.name as customer_name'])
    .where('ct.tenant_id', '=', actor.tenantId)
    .where('ct.id', '=', contractId)
    .where(customerScopeCondition(recordScope(actor), 'c'));
  if (options.forUpdate) query = query.forUpdate('ct');
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('contract');
  return row;
}
