import { calendarDateOrThrow } from '@huikuan/core';
import type {
  AgingReport,
  DashboardSummary,
  ProvisionReport,
  TopOverdueReport,
} from '@huikuan/core/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { adminActorOf, countingDb } from '../../../test/support/statement-count';
import { seedInvoice } from '../receipts/test-fixtures';
import { dashboardSummary } from './dashboard-summary';
import { topOverdueCustomers } from './overdue';
import { seedDashboardLedger, seedNamedCustomer } from './test-fixtures';

/**
 * The dashboard summary and the top overdue customers on a hand ledger, as of 2026-11-22 (due-date basis, default
 * buckets, classes and provision rates 0 / 5% / 20% / 50% / 80%):
 *
 *   A-1 华东机械有限公司 (S1, team East)  I1 1000.07 due 2026-10-01, 300.00 allocated → 700.07 at 52 days (31-60)
 *                                        I2   33.33 due 2024-03-31 → 966 days (over_730, dead)
 *   B-2 北方工业 (S2, no team)           I3 1,000,000.07 due 2026-07-01, 0.07 allocated → 1,000,000.00 at 144 days
 *                                        I4    0.01 due 2026-11-30 → not due
 *   C-3 南方贸易 (nobody)                I5  500.00 due 2026-11-01 → 21 days (1-30)
 *   U-1 (S1, team East, USD)             I6    5.00 due 2026-10-22 → 31 days (31-60)
 *
 * CNY total 1,001,233.41, overdue 1,001,233.40. Provision: I5 25.00 + I1 35.00 (3500.35 rounds down) = 60.00 in
 * collection, I3 200,000.00 doubtful, I2 26.66 dead (2666.4) → 200,086.66.
 */

let t: TestApp;
let admin: Client;
let s1: Client;
let other: Client;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  admin = await signUp(t.app);
  s1 = await addUser(admin, 'salesperson', { name: '张销售' });
  const s2 = await addUser(admin, 'salesperson', { name: '李销售' });
  other = await signUp(t.app);
  ids.s1 = s1.userId;
  ids.s2 = s2.userId;
  Object.assign(ids, await seedDashboardLedger(t, admin, { s1: s1.userId, s2: s2.userId }));
  // Another organization's overdue invoice, which must never show up.
  const foreign = await seedNamedCustomer(t, other.tenantId, { code: 'A-1', name: '外部公司' });
  await seedInvoice(t, other.tenantId, {
    customerId: foreign,
    totalMinor: 777n,
    invoiceDate: '2026-01-01',
    dueDate: '2026-01-31',
    number: 'X1',
  });
}, 60_000);

afterAll(async () => {
  await t.close();
});

async function get<T>(client: Client, url: string): Promise<T> {
  const response = await client.request('GET', url);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<T>();
}

const buckets = (values: Record<string, string>) => ({
  not_due: '0.00',
  '1-30': '0.00',
  '31-60': '0.00',
  '61-90': '0.00',
  '91-180': '0.00',
  '181-365': '0.00',
  '366-730': '0.00',
  over_730: '0.00',
  ...values,
});

describe('dashboard summary', () => {
  it('totals the hand ledger by bucket, class, salesperson and team, with the most overdue customers', async () => {
    const summary = await get<DashboardSummary>(admin, '/api/reports/dashboard?asOf=2026-11-22');
    expect(summary.asOf).toBe('2026-11-22');
    expect(summary.currencies.map((section) => section.currency)).toEqual(['CNY', 'USD']);
    const [cny, usd] = summary.currencies;
    expect(cny?.total).toBe('1001233.41');
    expect(cny?.overdue).toBe('1001233.40');
    expect(cny?.buckets).toEqual(
      buckets({
        not_due: '0.01',
        '1-30': '500.00',
        '31-60': '700.07',
        '91-180': '1000000.00',
        over_730: '33.33',
      }),
    );
    expect(cny?.classes).toEqual([
      { class: 'not_yet_due', rateBp: 0, open: '0.01', provision: '0.00' },
      { class: 'in_collection', rateBp: 500, open: '1200.07', provision: '60.00' },
      { class: 'doubtful', rateBp: 2000, open: '1000000.00', provision: '200000.00' },
      { class: 'bad', rateBp: 5000, open: '0.00', provision: '0.00' },
      { class: 'dead', rateBp: 8000, open: '33.33', provision: '26.66' },
    ]);
    expect(cny?.provision).toBe('200086.66');
    expect(cny?.bySalesperson.map((row) => [row.name, row.total, row.overdue])).toEqual([
      ['李销售', '1000000.01', '1000000.00'],
      ['张销售', '733.40', '733.40'],
      ['', '500.00', '500.00'],
    ]);
    expect(cny?.bySalesperson[1]).toMatchObject({
      id: ids.s1,
      columns: buckets({ '31-60': '700.07', over_730: '33.33' }),
    });
    expect(cny?.bySalesperson[2]).toMatchObject({ id: null, key: '(none)' });
    expect(cny?.byTeam.map((row) => [row.id, row.key, row.total])).toEqual([
      [null, '(none)', '1000500.01'],
      [ids.east, 'East', '733.40'],
    ]);
    expect(cny?.topOverdue).toEqual([
      {
        customerId: ids.b2,
        code: 'B-2',
        name: '北方工业',
        overdue: '1000000.00',
        open: '1000000.01',
        oldestDaysPastDue: 144,
        overdueInvoices: 1,
      },
      {
        customerId: ids.a1,
        code: 'A-1',
        name: '华东机械有限公司',
        overdue: '733.40',
        open: '733.40',
        oldestDaysPastDue: 966,
        overdueInvoices: 2,
      },
      {
        customerId: ids.c3,
        code: 'C-3',
        name: '南方贸易',
        overdue: '500.00',
        open: '500.00',
        oldestDaysPastDue: 21,
        overdueInvoices: 1,
      },
    ]);
    expect(usd).toMatchObject({ total: '5.00', overdue: '5.00', buckets: buckets({ '31-60': '5.00' }) });
  });

  it('agrees with the aging and provision reports for the same date', async () => {
    const summary = await get<DashboardSummary>(admin, '/api/reports/dashboard?asOf=2026-11-22');
    const aging = await get<AgingReport>(admin, '/api/aging?asOf=2026-11-22&by=salesperson');
    const provision = await get<ProvisionReport>(admin, '/api/provision?asOf=2026-11-22');
    for (const section of summary.currencies) {
      const agingSection = aging.currencies.find((entry) => entry.currency === section.currency);
      expect(section.buckets).toEqual(agingSection?.totals);
      expect(section.total).toBe(agingSection?.total);
      const bySalesperson = Object.fromEntries(section.bySalesperson.map((row) => [row.key, row.columns]));
      expect(bySalesperson).toEqual(
        Object.fromEntries(agingSection?.rows.map((row) => [row.key, row.columns]) ?? []),
      );
      const provisionSection = provision.currencies.find((entry) => entry.currency === section.currency);
      expect(section.classes).toEqual(provisionSection?.classes);
      expect(section.provision).toBe(provisionSection?.total.provision);
    }
  });

  it('narrows to a salesperson or a team, and a salesperson sees only their own customers', async () => {
    const totals = (summary: DashboardSummary) =>
      summary.currencies.map((section) => [
        section.currency,
        section.total,
        section.topOverdue.map((c) => c.code),
      ]);
    const expected = [
      ['CNY', '733.40', ['A-1']],
      ['USD', '5.00', ['U-1']],
    ];
    const bySalesperson = await get<DashboardSummary>(
      admin,
      `/api/reports/dashboard?asOf=2026-11-22&salespersonId=${ids.s1}`,
    );
    expect(totals(bySalesperson)).toEqual(expected);
    const byTeam = await get<DashboardSummary>(
      admin,
      `/api/reports/dashboard?asOf=2026-11-22&teamId=${ids.east}`,
    );
    expect(totals(byTeam)).toEqual(expected);
    expect(totals(await get<DashboardSummary>(s1, '/api/reports/dashboard?asOf=2026-11-22'))).toEqual(
      expected,
    );
    // A salesperson cannot widen their scope by naming someone else.
    const widened = await get<DashboardSummary>(
      s1,
      `/api/reports/dashboard?asOf=2026-11-22&salespersonId=${ids.s2}`,
    );
    expect(widened.currencies).toEqual([]);
  });

  it('cuts the overdue list to `top` per currency, largest first', async () => {
    const summary = await get<DashboardSummary>(admin, '/api/reports/dashboard?asOf=2026-11-22&top=2');
    expect(summary.currencies[0]?.topOverdue.map((row) => row.code)).toEqual(['B-2', 'A-1']);
  });

  it('is empty, not an error, for an organization without receivables', async () => {
    const summary = await get<DashboardSummary>(
      await signUp(t.app),
      '/api/reports/dashboard?asOf=2026-11-22',
    );
    expect(summary.currencies).toEqual([]);
    expect(summary.buckets).toHaveLength(8);
  });
});

describe('top overdue customers', () => {
  it('ranks by overdue amount per currency and honours the limit', async () => {
    const report = await get<TopOverdueReport>(admin, '/api/reports/top-overdue?asOf=2026-11-22&limit=2');
    expect(
      report.currencies.map((section) => [section.currency, section.customers.map((c) => c.code)]),
    ).toEqual([
      ['CNY', ['B-2', 'A-1']],
      ['USD', ['U-1']],
    ]);
    expect(report.currencies[0]?.customers[1]).toEqual({
      customerId: ids.a1,
      code: 'A-1',
      name: '华东机械有限公司',
      overdue: '733.40',
      open: '733.40',
      oldestDaysPastDue: 966,
      overdueInvoices: 2,
    });
  });

  it('counts nothing as overdue before its due date', async () => {
    // As of 2026-10-01 I1 is due that very day (not overdue) and nothing has been allocated to I3 yet.
    const report = await get<TopOverdueReport>(admin, '/api/reports/top-overdue?asOf=2026-10-01');
    expect(report.currencies[0]?.customers.map((c) => [c.code, c.overdue, c.open])).toEqual([
      ['B-2', '1000000.07', '1000000.08'],
      ['A-1', '33.33', '733.40'],
    ]);
  });

  it('refuses a limit past the ceiling', async () => {
    const response = await admin.request('GET', '/api/reports/top-overdue?limit=201');
    expect(response.statusCode).toBe(400);
  });
});

describe('statement count', () => {
  it('is the same for 10 and 200 invoices over 10 and 200 customers', async () => {
    const counts: number[][] = [];
    for (const size of [10, 200]) {
      const owner = await signUp(t.app);
      const tenantId = owner.tenantId;
      await t.db.tenant(tenantId, async (tx) => {
        const customers = await tx
          .insertInto('customers')
          .values(
            Array.from({ length: size }, (_, index) => ({
              tenant_id: tenantId,
              code: `Q${index}`,
              name: `客户${index}`,
              currency: 'CNY',
            })),
          )
          .returning('id')
          .execute();
        await tx
          .insertInto('invoices')
          .values(
            customers.map((customer, index) => ({
              tenant_id: tenantId,
              customer_id: customer.id,
              number: `Q${index}`,
              invoice_date: '2025-01-01',
              due_date: `2025-${String((index % 12) + 1).padStart(2, '0')}-01`,
              currency: 'CNY',
              subtotal_minor: BigInt(index + 1),
              tax_minor: 0n,
              total_minor: BigInt(index + 1),
              status: 'issued',
              issued_at: new Date(),
            })),
          )
          .execute();
      });
      const counting = countingDb(t.db);
      const deps = { db: counting.db, clock: t.clock };
      const asOf = calendarDateOrThrow('2026-11-22');
      const summary = await dashboardSummary(deps, adminActorOf(owner), { asOf, top: 10 });
      expect(summary.currencies[0]?.total).toBe(((size * (size + 1)) / 200).toFixed(2));
      expect(summary.currencies[0]?.topOverdue).toHaveLength(10);
      const afterSummary = counting.count();
      const top = await topOverdueCustomers(deps, adminActorOf(owner), { asOf, limit: 5 });
      expect(top.currencies[0]?.customers.map((c) => c.code)).toEqual(
        Array.from({ length: 5 }, (_, index) => `Q${size - 1 - index}`),
      );
      counts.push([afterSummary, counting.count() - afterSummary]);
    }
    // Summary: settings, the copy's refresh (whose per-currency totals are the ledger check as of today over the
    // whole organization). Top overdue: settings, the copy's refresh.
    expect(counts).toEqual([
      [2, 2],
      [2, 2],
    ]);
  });
});
