import { minorToDecimalString } from '@huikuan/core';
import type { Tx } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { invoiceBalancesAsOf } from '../receipts/balances';
import type { InvoiceWithCustomer } from './invoice-access';

/** Every record counts, whatever its date: what may still be taken off an invoice is what no record has taken. */
const END_OF_TIME = '9999-12-31';

export async function isInvoiceVoided(tx: Tx, tenantId: string, invoiceId: string): Promise<boolean> {
  const row = await tx
    .selectFrom('invoice_voids')
    .select('invoice_id')
    .where('tenant_id', '=', tenantId)
    .where('invoice_id', '=', invoiceId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Checks, with the invoice row already locked, that `amountMinor` may still be taken off it: it is issued, not
 * voided, and its open balance over all records covers the amount. Returns that open balance.
 */
export async function assertReducibleBy(
  tx: Tx,
  invoice: Pick<InvoiceWithCustomer, 'tenant_id' | 'id' | 'number' | 'status' | 'currency'>,
  amountMinor: bigint,
): Promise<bigint> {
  if (invoice.status !== 'issued') {
    throw new AppError('conflict', { detail: `invoice ${invoice.number} is a draft; issue it first` });
  }
  if (await isInvoiceVoided(tx, invoice.tenant_id, invoice.id)) {
    throw new AppError('conflict', { detail: `invoice ${invoice.number} is void` });
  }
  const balances = await invoiceBalancesAsOf(tx, invoice.tenant_id, [invoice.id], END_OF_TIME);
  const openMinor = balances.get(invoice.id)?.openMinor ?? 0n;
  if (amountMinor > openMinor) {
    const amount = minorToDecimalString(amountMinor, invoice.currency);
    const open = minorToDecimalString(openMinor, invoice.currency);
    throw new AppError('conflict', {
      detail: `${amount} is more than the open balance ${open} of invoice ${invoice.number}`,
    });
  }
  return openMinor;
}
