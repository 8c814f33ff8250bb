import { minorToDecimalString } from '@huikuan/core';
import type { CustomerBalanceView } from '@huikuan/core/contracts';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { decodeCursor, pageFrom } from '../../platform/pagination';
import { recordScope, type Actor } from '../../platform/request-context';
import { customerScopeCondition, visibleCustomerOrThrow } from '../customers/customer-access';
import { customerBalancesAsOf } from './balances';
import { assertCursor, isUuid, organizationSettings } from './receipt-support';

type CustomerHead = { id: string; code: string; name: string };

/** The balances of a page of customers in one query, one entry per currency each. */
async function balancesFor(
  tx: Tx,
  tenantId: string,
  customers: readonly CustomerHead[],
  asOf: string,
): Promise<CustomerBalanceView[]> {
  const rows = await customerBalancesAsOf(
    tx,
    tenantId,
    asOf,
    customers.map((customer) => customer.id),
  );
  return customers.map((customer) => ({
    customerId: customer.id,
    code: customer.code,
    name: customer.name,
    asOf,
    balances: rows
      .filter((row) => row.customerId === customer.id)
      .map((row) => ({
        currency: row.currency,
        openInvoices: minorToDecimalString(row.openInvoicesMinor, row.currency),
        unappliedCredit: minorToDecimalString(row.unappliedCreditMinor, row.currency),
        balance: minorToDecimalString(row.balanceMinor, row.currency),
      })),
  }));
}

/** Customers in the actor's scope by code, with their balances as of a date (default today in the org's zone). */
export async function listCustomerBalances(
  deps: AppDeps,
  actor: Actor,
  query: { asOf?: string | undefined; cursor?: string | undefined; limit: number },
): Promise<{ items: CustomerBalanceView[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, 2);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const asOf = query.asOf ?? (await organizationSettings(tx, actor.tenantId, deps.clock)).today;
    let select = tx
      .selectFrom('customers as c')
      .select(['c.id', 'c.code', 'c.name'])
      .where('c.tenant_id', '=', actor.tenantId)
      .where(customerScopeCondition(recordScope(actor), 'c'));
    if (after) {
      const [code = '', id = ''] = after;
      assertCursor(isUuid(id));
      select = select.where((eb) =>
        eb.or([eb('c.code', '>', code), eb.and([eb('c.code', '=', code), eb('c.id', '>', id)])]),
      );
    }
    const rows = await select
      .orderBy('c.code')
      .orderBy('c.id')
      .limit(query.limit + 1)
      .execute();
    const page = pageFrom(rows, query.limit, (row) => [row.code, row.id]);
    return { items: await balancesFor(tx, actor.tenantId, page.items, asOf), nextCursor: page.nextCursor };
  });
}

export async function getCustomerBalance(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
  asOfRequested: string | undefined,
): Promise<CustomerBalanceView> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const customer = await visibleCustomerOrThrow(tx, actor, customerId);
    const asOf = asOfRequested ?? (await organizationSettings(tx, actor.tenantId, deps.clock)).today;
    const [view] = await balancesFor(tx, actor.tenantId, [customer], asOf);
    if (!view) throw new Error('balance view missing');
    return view;
  });
}
