import { randomUUID } from 'node:crypto';
import type { Client, TestApp } from '../../../test/support/test-app';

/**
 * Ledger fixtures for the receipts tests. Customers, invoices, credit notes and voids are written straight into
 * the tables (their modules are built beside this one); receipts and allocations always go through the API.
 */

export function newKey(): string {
  return `test-${randomUUID()}`;
}

export function withKey(key = newKey()) {
  return { headers: { 'idempotency-key': key } };
}

export async function seedCustomer(
  t: TestApp,
  tenantId: string,
  input: { code: string; ownerUserId?: string | null; teamId?: string | null; currency?: string },
): Promise<string> {
  const row = await t.db.tenant(tenantId, (tx) =>
    tx
      .insertInto('customers')
      .values({
        tenant_id: tenantId,
        code: input.code,
        name: `Customer ${input.code}`,
        owner_user_id: input.ownerUserId ?? null,
        team_id: input.teamId ?? null,
        currency: input.currency ?? 'CNY',
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

export async function seedInvoice(
  t: TestApp,
  tenantId: string,
  input: {
    customerId: string;
    totalMinor: bigint;
    invoiceDate: string;
    dueDate?: string;
    currency?: string;
    number?: string;
  },
): Promise<string> {
  const row = await t.db.tenant(tenantId, (tx) =>
    tx
      .insertInto('invoices')
      .values({
        tenant_id: tenantId,
        customer_id: input.customerId,
        number: input.number ?? `INV-${randomUUID().slice(0, 8)}`,
        invoice_date: input.invoiceDate,
        due_date: input.dueDate ?? input.invoiceDate,
        currency: input.currency ?? 'CNY',
        subtotal_minor: input.totalMinor,
        tax_minor: 0n,
        total_minor: input.totalMinor,
        status: 'issued',
        issued_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

export async function seedCreditNote(
  t: TestApp,
  tenantId: string,
  input: { invoiceId: string; amountMinor: bigint; issuedOn: string; currency?: string },
): Promise<string> {
  const row = await t.db.tenant(tenantId, (tx) =>
    tx
      .insertInto('credit_notes')
      .values({
        tenant_id: tenantId,
        invoice_id: input.invoiceId,
        number: `CN-${randomUUID().slice(0, 8)}`,
        amount_minor: input.amountMinor,
        currency: input.currency ?? 'CNY',
        issued_on: input.issuedOn,
        reason: 'test credit',
        status: 'posted',
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

export async function seedVoid(t: TestApp, tenantId: string, invoiceId: string, voidedOn: string) {
  await t.db.tenant(tenantId, (tx) =>
    tx
      .insertInto('invoice_voids')
      .values({ tenant_id: tenantId, invoice_id: invoiceId, voided_on: voidedOn, reason: 'test void' })
      .execute(),
  );
}

type ReceiptBody = {
  customerId?: string | null;
  receivedOn: string;
  amount: string;
  currency?: string;
  method?: string;
  payerName?: string;
};

/** Records and (unless told otherwise) confirms a receipt through the API; returns its id. */
export async function postReceipt(client: Client, body: ReceiptBody, isConfirmed = true): Promise<string> {
  const created = await client.request(
    'POST',
    '/api/receipts',
    { currency: 'CNY', method: 'bank_transfer', ...body },
    withKey(),
  );
  if (created.statusCode !== 201) throw new Error(`record failed: ${created.statusCode} ${created.body}`);
  const id = created.json<{ id: string }>().id;
  if (isConfirmed) {
    const confirmed = await client.request('POST', `/api/receipts/${id}/confirm`, undefined, withKey());
    if (confirmed.statusCode !== 200)
      throw new Error(`confirm failed: ${confirmed.statusCode} ${confirmed.body}`);
  }
  return id;
}
