import type { Selectable } from 'kysely';
import type { InvoicesTable } from '../../db/schema';
import type { Tx } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { recordScope, type Actor } from '../../platform/request-context';
import { customerScopeCondition } from '../customers/customer-access';

export type InvoiceWithCustomer = Selectable<InvoicesTable> & {
  customer_code: string;
  customer_name: string;
};

/**
 * An invoice is visible exactly when its customer is; another tenant's id, an out-of-scope customer's invoice
 * and a made-up id all answer the same 404. With `forUpdate` the invoice row is locked, which serialises
 * everything that reduces it (credit notes, voids, allocations that lock it too).
 */
export async function visibleInvoiceOrThrow(
  tx: Tx,
  actor: Actor,
  invoiceId: string,
  options: { forUpdate?: boolean } = {},
): Promise<InvoiceWithCustomer> {
  let query = tx
    .selectFrom('invoices as i')
    .innerJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'i.tenant_id').onRef('c.id', '=', 'i.customer_id'),
    )
    .selectAll('i')
    .select(['c.code as customer_code', 'c.name as customer_name'])
    .where('i.tenant_id', '=', actor.tenantId)
    .where('i.id', '=', invoiceId)
    .where(customerScopeCondition(recordScope(actor), 'c'));
  if (options.forUpdate) query = query.forUpdate('i');
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('invoice');
  return row;
}
