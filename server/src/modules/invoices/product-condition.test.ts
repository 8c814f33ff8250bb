import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgingReport, ProductConditionHistory } from '@huikuan/core/contracts';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { seedCustomer, seedInvoice } from '../receipts/test-fixtures';

/**
 * The hand ledger (CNY; today is 2026-11-22): P-1 owes I1 300.00 (invoiced 2026-09-01) and I2 45.67 (2026-10-01).
 * I1 is found to be for defective goods from 2026-10-01 and back to normal from 2026-11-10 (replaced).
 */
let t: TestApp;
let admin: Client;
let salesperson: Client;
let otherSeller: Client;
const ids = { p1: '', i1: '', i2: '' };

async function conditionAging(client: Client, asOf: string): Promise<AgingReport['currencies']> {
  const response = await client.request('GET', `/api/aging?asOf=${asOf}&by=customer&view=condition`);
  expect(response.statusCode, response.body).toBe(200);
  const report = response.json<AgingReport>();
  expect(report.columns).toEqual(['normal', 'abnormal']);
  return report.currencies;
}

async function record(client: Client, invoiceId: string, body: Record<string, string>) {
  return client.request('POST', `/api/invoices/${invoiceId}/product-condition`, body);
}

beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  admin = await signUp(t.app);
  salesperson = await addUser(admin, 'salesperson');
  otherSeller = await addUser(admin, 'salesperson');
  ids.p1 = await seedCustomer(t, admin.tenantId, { code: 'P-1', ownerUserId: salesperson.userId });
  ids.i1 = await seedInvoice(t, admin.tenantId, {
    customerId: ids.p1,
    totalMinor: 30_000n,
    invoiceDate: '2026-09-01',
    dueDate: '2026-10-01',
    number: 'I1',
  });
  ids.i2 = await seedInvoice(t, admin.tenantId, {
    customerId: ids.p1,
    totalMinor: 4_567n,
    invoiceDate: '2026-10-01',
    dueDate: '2026-10-31',
    number: 'I2',
  });
}, 60_000);

afterAll(async () => {
  await t.close();
});

describe('product condition (正常/不正常)', () => {
  it('is normal until recorded otherwise', async () => {
    const [section] = await conditionAging(admin, '2026-11-22');
    expect(section?.rows[0]?.columns).toEqual({ normal: '345.67', abnormal: '0.00' });
    const history = await admin.request('GET', `/api/invoices/${ids.i1}/product-condition`);
    expect(history.json()).toEqual({ current: 'normal', entries: [] });
  });

  it('splits aging by the condition as of each date, from the recorded history', async () => {
    const marked = await record(salesperson, ids.i1, {
      condition: 'abnormal',
      effectiveOn: '2026-10-01',
      reason: '批次质量问题，客户拒付',
    });
    expect(marked.statusCode, marked.body).toBe(200);
    expect(marked.json<ProductConditionHistory>().current).toBe('abnormal');
    const replaced = await record(admin, ids.i1, {
      condition: 'normal',
      effectiveOn: '2026-11-10',
      reason: '已换货',
    });
    expect(replaced.json<ProductConditionHistory>()).toMatchObject({
      current: 'normal',
      entries: [
        { condition: 'normal', effectiveOn: '2026-11-10' },
        { condition: 'abnormal', effectiveOn: '2026-10-01' },
      ],
    });
    expect((await conditionAging(admin, '2026-09-30'))[0]?.totals).toEqual({
      normal: '300.00',
      abnormal: '0.00',
    });
    expect((await conditionAging(admin, '2026-10-15'))[0]?.totals).toEqual({
      normal: '45.67',
      abnormal: '300.00',
    });
    expect((await conditionAging(admin, '2026-11-22'))[0]?.totals).toEqual({
      normal: '345.67',
      abnormal: '0.00',
    });
  });

  it('refuses a date outside the invoice date and today, and is scoped like the invoice', async () => {
    const early = await record(admin, ids.i2, {
      condition: 'abnormal',
      effectiveOn: '2026-09-30',
      reason: 'x',
    });
    expect(early.statusCode).toBe(400);
    const future = await record(admin, ids.i2, {
      condition: 'abnormal',
      effectiveOn: '2026-11-23',
      reason: 'x',
    });
    expect(future.statusCode).toBe(400);
    expect((await record(otherSeller, ids.i2, { condition: 'abnormal', reason: 'x' })).statusCode).toBe(404);
    expect((await otherSeller.request('GET', `/api/invoices/${ids.i2}/product-condition`)).statusCode).toBe(
      404,
    );
    const audit = await admin.request('GET', `/api/audit?entityId=${ids.i1}`);
    const actions = audit.json<{ items: { action: string }[] }>().items.map((item) => item.action);
    expect(actions.filter((action) => action === 'invoice.product_condition_recorded')).toHaveLength(2);
  });
});
