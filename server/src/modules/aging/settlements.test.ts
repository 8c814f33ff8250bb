import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { settlementDifferences, verifyLedger } from '../../cli/ledger-verify';
import { postReceipt, seedCustomer, seedInvoice } from '../receipts/test-fixtures';

/**
 * The settled amounts kept by the ledger's triggers (migration 0010), by hand: every kind of document moves them,
 * the per-customer totals follow, `ledger verify` agrees with the documents, and a tampered figure is named (and
 * refused by every report) while the app role cannot write the kept tables at all.
 *
 * Customer K: A 1,000.00 (draft, then issued) dated 2026-01-10 due 2026-02-09; B 500.00 due 2026-01-31;
 * V 300.00 due 2026-03-01. A gets 400.00 on 01-20, reversed on 01-25, then 250.00 on 01-26, and a credit note of
 * 100.00 that waits for approval before it is posted; B is written off in full; V is voided.
 * So A is open 1,000.00 − 250.00 − 100.00 = 650.00; B and V are closed; K owes 650.00, oldest open due 02-09.
 */

let t: TestApp;
let admin: Client;
let tenantId: string;
let slug: string;
const ids: Record<string, string> = {};

type Kept = {
  invoice_id: string;
  number: string;
  allocated_minor: bigint;
  credited_minor: bigint;
  voided_on: string | null;
  open_minor: bigint;
};

async function kept(): Promise<Map<string, Kept>> {
  const rows = await t.db.tenant(tenantId, (tx) =>
    tx
      .selectFrom('invoice_settlements')
      .select(['invoice_id', 'number', 'allocated_minor', 'credited_minor', 'voided_on', 'open_minor'])
      .where('tenant_id', '=', tenantId)
      .execute(),
  );
  return new Map(rows.map((row) => [row.invoice_id, row]));
}

async function insert(
  table: 'allocations' | 'credit_notes' | 'invoice_voids',
  values: Record<string, unknown>,
) {
  await t.db.tenant(tenantId, (tx) =>
    tx
      .insertInto(table)
      .values({ tenant_id: tenantId, ...values } as never)
      .execute(),
  );
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await signUp(t.app);
  tenantId = admin.tenantId;
  slug = (
    await t.db.system((tx) =>
      tx
        .selectFrom('organizations')
        .select('slug')
        .where('tenant_id', '=', tenantId)
        .executeTakeFirstOrThrow(),
    )
  ).slug;
  ids.k = await seedCustomer(t, tenantId, { code: 'K' });
  const draft = await t.db.tenant(tenantId, (tx) =>
    tx
      .insertInto('invoices')
      .values({
        tenant_id: tenantId,
        customer_id: ids.k ?? '',
        number: 'A',
        invoice_date: '2026-01-10',
        due_date: '2026-02-09',
        currency: 'CNY',
        subtotal_minor: 100_000n,
        tax_minor: 0n,
        total_minor: 100_000n,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  ids.a = draft.id;
  ids.b = await seedInvoice(t, tenantId, {
    customerId: ids.k,
    totalMinor: 50_000n,
    invoiceDate: '2026-01-01',
    dueDate: '2026-01-31',
    number: 'B',
  });
  ids.v = await seedInvoice(t, tenantId, {
    customerId: ids.k,
    totalMinor: 30_000n,
    invoiceDate: '2026-01-30',
    dueDate: '2026-03-01',
    number: 'V',
  });
  ids.r = await postReceipt(admin, { customerId: ids.k, receivedOn: '2026-01-20', amount: '2000.00' });
});

afterAll(async () => {
  await t.close();
});

describe('kept settlements', () => {
  it('follow every kind of document, and the customer totals follow them', async () => {
    expect((await kept()).has(ids.a ?? '')).toBe(false); // a draft has nothing to settle
    await t.db.tenant(tenantId, (tx) =>
      tx
        .updateTable('invoices')
        .set({ status: 'issued', issued_at: new Date() })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', ids.a ?? '')
        .execute(),
    );
    const first = 'f0000000-0000-4000-8000-000000000001';
    await insert('allocations', {
      id: first,
      receipt_id: ids.r,
      invoice_id: ids.a,
      amount_minor: 40_000n,
      currency: 'CNY',
      allocated_on: '2026-01-20',
    });
    expect((await kept()).get(ids.a ?? '')?.open_minor).toBe(60_000n);
    await insert('allocations', {
      receipt_id: ids.r,
      invoice_id: ids.a,
      amount_minor: -40_000n,
      currency: 'CNY',
      allocated_on: '2026-01-25',
      reverses_allocation_id: first,
      reason: 'wrong invoice',
    });
    await insert('allocations', {
      receipt_id: ids.r,
      invoice_id: ids.a,
      amount_minor: 25_000n,
      currency: 'CNY',
      allocated_on: '2026-01-26',
    });
    await insert('credit_notes', {
      id: 'c0000000-0000-4000-8000-000000000001',
      invoice_id: ids.a,
      number: 'CN-A',
      amount_minor: 10_000n,
      currency: 'CNY',
      issued_on: '2026-01-27',
      reason: 'price',
      status: 'pending_approval',
    });
    expect((await kept()).get(ids.a ?? '')?.credited_minor).toBe(0n); // pending reduces nothing
    await t.db.tenant(tenantId, (tx) =>
      tx
        .updateTable('credit_notes')
        .set({ status: 'posted' })
        .where('tenant_id', '=', tenantId)
        .where('number', '=', 'CN-A')
        .execute(),
    );
    await insert('credit_notes', {
      invoice_id: ids.b,
      number: 'WO-B',
      amount_minor: 50_000n,
      currency: 'CNY',
      issued_on: '2026-01-28',
      reason: 'uncollectible',
      status: 'posted',
      kind: 'write_off',
    });
    await insert('invoice_voids', { invoice_id: ids.v, voided_on: '2026-02-01', reason: 'duplicate' });

    const rows = await kept();
    expect(rows.get(ids.a ?? '')).toMatchObject({
      number: 'A', // made when the draft was issued
      allocated_minor: 25_000n,
      credited_minor: 10_000n,
      voided_on: null,
      open_minor: 65_000n,
    });
    expect(rows.get(ids.b ?? '')).toMatchObject({ number: 'B', credited_minor: 50_000n, open_minor: 0n });
    expect(rows.get(ids.v ?? '')).toMatchObject({ voided_on: '2026-02-01', open_minor: 0n });
    const balances = await t.db.tenant(tenantId, (tx) =>
      tx
        .selectFrom('customer_open_balances')
        .select(['currency', 'open_minor', 'open_items', 'oldest_open_due'])
        .where('tenant_id', '=', tenantId)
        .execute(),
    );
    expect(balances).toEqual([
      { currency: 'CNY', open_minor: 65_000n, open_items: 1, oldest_open_due: '2026-02-09' },
    ]);
    expect(await t.db.tenant(tenantId, (tx) => settlementDifferences(tx, tenantId))).toEqual([]);
    expect(await verifyLedger(t.db, slug)).toEqual({ invoices: 3, differences: [] });
  });

  it('cannot be written by the app role', async () => {
    await expect(
      t.db.tenant(tenantId, (tx) =>
        tx
          .updateTable('invoice_settlements')
          .set({ allocated_minor: 0n })
          .where('tenant_id', '=', tenantId)
          .execute(),
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      t.db.tenant(tenantId, (tx) =>
        tx
          .updateTable('customer_open_balances')
          .set({ open_minor: 0n })
          .where('tenant_id', '=', tenantId)
          .execute(),
      ),
    ).rejects.toThrow(/permission denied/);
  });

  it('keep the number the invoice was issued with: not even the owner changes it', async () => {
    await expect(
      t.db.system((tx) =>
        sql`UPDATE invoice_settlements SET number = 'A2' WHERE tenant_id = ${tenantId} AND invoice_id = ${ids.a}`.execute(
          tx,
        ),
      ),
    ).rejects.toThrow(/invoice_settlements rows follow their invoice/);
    expect((await kept()).get(ids.a ?? '')?.number).toBe('A');
  });

  it('names a tampered figure, and reports refuse to answer from it', async () => {
    const before = await admin.request('GET', '/api/aging?asOf=2026-02-15');
    expect(before.statusCode).toBe(200);
    // The owner (a migration, an operator at the SQL prompt) changes a kept amount behind the documents' back.
    await t.db.system((tx) =>
      sql`UPDATE invoice_settlements SET allocated_minor = allocated_minor + 1
          WHERE tenant_id = ${tenantId} AND invoice_id = ${ids.a}`.execute(tx),
    );
    const result = await verifyLedger(t.db, slug);
    expect(result.differences.map((difference) => difference.kind)).toEqual(['customer', 'invoice']);
    expect(result.differences[1]).toMatchObject({ id: ids.a });
    const after = await admin.request('GET', '/api/aging?asOf=2026-02-15');
    expect(after.statusCode).toBe(500);
  });
});
