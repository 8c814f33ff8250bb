import type { ReceiptDetail } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { testEngine } from '../../../test/support/test-db';
import { newKey, postReceipt, seedCustomer, seedInvoice, withKey } from './test-fixtures';

/** Real parallel transactions need PostgreSQL; PGlite runs one transaction at a time. */
describe.runIf(testEngine === 'postgres')('allocation under concurrency on PostgreSQL', () => {
  let t: TestApp;
  let admin: Client;
  let finance: Client;

  beforeAll(async () => {
    t = await createTestApp({ authAttemptsPerMinute: 10_000 });
    admin = await signUp(t.app);
    finance = await addUser(admin, 'finance');
  });

  afterAll(async () => {
    await t.close();
  });

  async function appliedOf(receiptId: string) {
    return t.db.tenant(admin.tenantId, async (tx) => {
      const result = await sql<{ total: bigint; count: bigint }>`
        SELECT coalesce(sum(amount_minor), 0)::bigint AS total, count(*)::bigint AS count
        FROM allocations WHERE tenant_id = ${admin.tenantId} AND receipt_id = ${receiptId}`.execute(tx);
      return result.rows[0];
    });
  }

  it('never over-allocates with 200 parallel requests against one receipt and two invoices', async () => {
    const customerId = await seedCustomer(t, admin.tenantId, { code: 'RACE-1' });
    const invoiceA = await seedInvoice(t, admin.tenantId, {
      customerId,
      totalMinor: 10_000n,
      invoiceDate: '2026-11-01',
    });
    const invoiceB = await seedInvoice(t, admin.tenantId, {
      customerId,
      totalMinor: 10_000n,
      invoiceDate: '2026-11-01',
    });
    const receiptId = await postReceipt(finance, { customerId, receivedOn: '2026-11-02', amount: '150.00' });
    // Each request applies 0.37 + 0.41 = 0.78; 150.00 holds 192 of them (149.76), so exactly 8 must be refused.
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const lines = [
          { invoiceId: invoiceA, amount: '0.37' },
          { invoiceId: invoiceB, amount: '0.41' },
        ];
        // Half list the invoices the other way round: the server must lock in id order regardless.
        const body = { lines: i % 2 === 0 ? lines : [...lines].reverse() };
        return finance.request('POST', `/api/receipts/${receiptId}/allocations`, body, withKey());
      }),
    );
    const statuses = responses.map((response) => response.statusCode);
    const succeeded = statuses.filter((status) => status === 200).length;
    expect(statuses.filter((status) => status !== 200 && status !== 409)).toEqual([]);
    expect(succeeded).toBe(192);
    const applied = await appliedOf(receiptId);
    expect(applied?.total).toBe(BigInt(succeeded) * 78n);
    expect(applied?.count).toBe(BigInt(succeeded) * 2n);
    const receipt = (await finance.request('GET', `/api/receipts/${receiptId}`)).json<ReceiptDetail>();
    expect(receipt).toMatchObject({ allocated: '149.76', unapplied: '0.24' });
  }, 120_000);

  it('takes 20 parallel retries with one Idempotency-Key once, and refuses the key with other parameters', async () => {
    const customerId = await seedCustomer(t, admin.tenantId, { code: 'RACE-2' });
    const invoiceId = await seedInvoice(t, admin.tenantId, {
      customerId,
      totalMinor: 100_000n,
      invoiceDate: '2026-11-01',
    });
    const receiptId = await postReceipt(finance, { customerId, receivedOn: '2026-11-02', amount: '1000.00' });
    const key = newKey();
    const body = { lines: [{ invoiceId, amount: '33.33' }] };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        finance.request('POST', `/api/receipts/${receiptId}/allocations`, body, withKey(key)),
      ),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(Array.from({ length: 20 }, () => 200));
    const bodies = new Set(
      responses.map((response) => JSON.stringify(response.json<ReceiptDetail>().allocations)),
    );
    expect(bodies.size).toBe(1);
    expect(await appliedOf(receiptId)).toEqual({ total: 3_333n, count: 1n });
    const other = await finance.request(
      'POST',
      `/api/receipts/${receiptId}/allocations`,
      { lines: [{ invoiceId, amount: '33.34' }] },
      withKey(key),
    );
    expect(other.statusCode).toBe(409);
    expect(other.json<{ error: { code: string } }>().error.code).toBe('idempotency_conflict');
    expect(await appliedOf(receiptId)).toEqual({ total: 3_333n, count: 1n });

    const receiptKey = newKey();
    const receiptBody = {
      customerId,
      receivedOn: '2026-11-03',
      amount: '0.01',
      currency: 'CNY',
      method: 'cash',
    };
    const created = await Promise.all(
      Array.from({ length: 20 }, () =>
        finance.request('POST', '/api/receipts', receiptBody, withKey(receiptKey)),
      ),
    );
    expect(new Set(created.map((response) => response.json<ReceiptDetail>().id)).size).toBe(1);
  }, 60_000);
});
