import type { Tx } from '../../platform/db';
import { chunk } from './batches';

/** Existing customers of the organization by code, looked up a batch of codes at a time. */
export async function customersByCode(
  tx: Tx,
  tenantId: string,
  codes: Iterable<string>,
): Promise<Map<string, { id: string; currency: string }>> {
  const found = new Map<string, { id: string; currency: string }>();
  for (const batch of chunk([...new Set(codes)])) {
    const rows = await tx
      .selectFrom('customers')
      .select(['id', 'code', 'currency'])
      .where('tenant_id', '=', tenantId)
      .where('code', 'in', batch)
      .execute();
    for (const row of rows) found.set(row.code, { id: row.id, currency: row.currency });
  }
  return found;
}

export type ExistingInvoice = {
  id: string;
  number: string;
  customerId: string;
  currency: string;
  invoiceDate: string;
  status: string;
};

export async function invoicesByNumber(
  tx: Tx,
  tenantId: string,
  numbers: Iterable<string>,
): Promise<Map<string, ExistingInvoice>> {
  const found = new Map<string, ExistingInvoice>();
  for (const batch of chunk([...new Set(numbers)])) {
    const rows = await tx
      .selectFrom('invoices')
      .select(['id', 'number', 'customer_id', 'currency', 'invoice_date', 'status'])
      .where('tenant_id', '=', tenantId)
      .where('number', 'in', batch)
      .execute();
    for (const row of rows) {
      found.set(row.number, {
        id: row.id,
        number: row.number,
        customerId: row.customer_id,
        currency: row.currency.trim(),
        invoiceDate: row.invoice_date,
        status: row.status,
      });
    }
  }
  return found;
}
