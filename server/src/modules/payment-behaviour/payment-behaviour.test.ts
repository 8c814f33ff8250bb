import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDateOrThrow, paymentWindow, sumPayments, type PaymentFact } from '@huikuan/core';
import type { CreditRatingView, PaymentBehaviourView } from '@huikuan/core/contracts';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { adminActorOf, countingDb } from '../../../test/support/statement-count';
import { postReceipt, seedCreditNote, seedCustomer, seedInvoice, withKey } from '../receipts/test-fixtures';
import { behaviourInputs } from './behaviour-inputs';
import { effectiveRatings } from './effective-ratings';
import { listCreditRatings } from './list-credit-ratings';

let t: TestApp;
let admin: Client;
let finance: Client;
let owner: Client;
let otherSalesperson: Client;
let manager: Client;
let foreign: Client;
type Ids = Record<
  'a' | 'b' | 'foreign' | 'i0' | 'i1' | 'i2' | 'i3' | 'i4' | 'i5' | 'i6' | 'u1' | 'u2',
  string
>;
const ids = {} as Ids;

async function allocate(receiptId: string, line: Record<string, string>, on: string) {
  const response = await finance.request(
    'POST',
    `/api/receipts/${receiptId}/allocations`,
    { allocatedOn: on, lines: [line] },
    withKey(),
  );
  if (response.statusCode !== 200)
    throw new Error(`allocate failed: ${response.statusCode} ${response.body}`);
}

async function pay(
  invoiceId: string,
  amount: string,
  receivedOn: string,
  allocatedOn = receivedOn,
  currency = 'CNY',
) {
  const receipt = await postReceipt(finance, { customerId: ids.a, receivedOn, amount, currency });
  await allocate(receipt, { invoiceId, amount }, allocatedOn);
  return receipt;
}

/** A written-off amount recovered later: the allocation names the write-off, not the invoice (0005). */
async function seedRecovery(invoiceId: string) {
  const tenantId = admin.tenantId;
  const writeOff = await t.db.tenant(tenantId, (tx) =>
    tx
      .insertInto('credit_notes')
      .values({
        tenant_id: tenantId,
        invoice_id: invoiceId,
        number: 'WO-1',
        kind: 'write_off',
        amount_minor: 25_000n,
        currency: 'CNY',
        issued_on: '2026-01-15',
        reason: 'bad debt',
        status: 'posted',
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  const receipt = await postReceipt(finance, {
    customerId: ids.a,
    receivedOn: '2026-03-15',
    amount: '100.00',
  });
  await t.db.tenant(tenantId, (tx) =>
    tx
      .insertInto('allocations')
      .values({
        tenant_id: tenantId,
        receipt_id: receipt,
        write_off_id: writeOff.id,
        amount_minor: 10_000n,
        currency: 'CNY',
        allocated_on: '2026-03-15',
      })
      .execute(),
  );
}

/** A contract with one plan node, paid in advance: money on the node alone is a prepayment, not a payment. */
async function seedPrepayment() {
  const tenantId = admin.tenantId;
  const node = await t.db.tenant(tenantId, async (tx) => {
    const contract = await tx
      .insertInto('contracts')
      .values({
        tenant_id: tenantId,
        customer_id: ids.a,
        number: 'K-1',
        amount_minor: 20_000n,
        currency: 'CNY',
        signed_on: '2026-09-01',
        payment_terms_days: 30,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return tx
      .insertInto('payment_plan_nodes')
      .values({
        tenant_id: tenantId,
        contract_id: contract.id,
        seq: 1,
        name: 'Deposit',
        amount_minor: 20_000n,
        currency: 'CNY',
        due_trigger: 'fixed_date',
        due_date: '2026-12-31',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  });
  const receipt = await postReceipt(finance, {
    customerId: ids.a,
    receivedOn: '2026-09-10',
    amount: '200.00',
  });
  await allocate(receipt, { planNodeId: node.id, amount: '200.00' }, '2026-09-10');
}

/**
 * The hand ledger of customer A (owned by `owner`), CNY unless noted; "paid" is the receipt's date:
 *   I0 100.00 invoiced 2025-05-01 due 05-31, paid 2025-06-20: before every window below
 *   I1 1000.00 invoiced 2026-01-10 due 02-09, paid 02-09 (allocated 02-12): 30 days, on time
 *   I2 600.00 invoiced 03-01 due 03-31: 400.00 paid 04-10 (40 days, 10 late), 200.00 paid 05-30 (90, 60 late)
 *   I3 500.00 invoiced 06-01 due 07-01: paid 06-20 by R4, which bounced (reversed 07-10); paid again 08-15 (75, 45)
 *   I4 300.00 invoiced 07-01 due 07-31: credit note 100.00 on 07-05; 200.00 paid 08-05 (35, 5 late)
 *   I5 800.00 invoiced 09-01 due 10-01: open
 *   I6 250.00 invoiced 2025-06-01: written off 2026-01-15, 100.00 recovered 03-15 (not a payment)
 *   K-1 plan node: 200.00 prepaid 09-10 (not a payment of an invoice)
 *   U1 USD 70.00 invoiced 06-01 due 07-01, paid 07-03 (32 days, 2 late)
 *   U2 USD 30.00 invoiced 08-01 due 08-31, from money received 07-20: paid on the invoice date (0 days)
 */
beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  admin = await signUp(t.app);
  finance = await addUser(admin, 'finance');
  owner = await addUser(admin, 'salesperson');
  otherSalesperson = await addUser(admin, 'salesperson');
  manager = await addUser(admin, 'sales_manager');
  foreign = await signUp(t.app);
  const tenantId = admin.tenantId;
  ids.a = await seedCustomer(t, tenantId, { code: 'A', ownerUserId: owner.userId });
  ids.b = await seedCustomer(t, tenantId, { code: 'B', ownerUserId: otherSalesperson.userId });
  ids.foreign = await seedCustomer(t, foreign.tenantId, { code: 'A' });
  const invoice = (
    number: string,
    totalMinor: bigint,
    invoiceDate: string,
    dueDate: string,
    currency = 'CNY',
  ) => seedInvoice(t, tenantId, { customerId: ids.a, number, totalMinor, invoiceDate, dueDate, currency });
  for (const [key, number, total, invoiceDate, dueDate, currency] of [
    ['i0', 'I0', 10_000n, '2025-05-01', '2025-05-31', 'CNY'],
    ['i1', 'I1', 100_000n, '2026-01-10', '2026-02-09', 'CNY'],
    ['i2', 'I2', 60_000n, '2026-03-01', '2026-03-31', 'CNY'],
    ['i3', 'I3', 50_000n, '2026-06-01', '2026-07-01', 'CNY'],
    ['i4', 'I4', 30_000n, '2026-07-01', '2026-07-31', 'CNY'],
    ['i5', 'I5', 80_000n, '2026-09-01', '2026-10-01', 'CNY'],
    ['i6', 'I6', 25_000n, '2025-06-01', '2025-07-01', 'CNY'],
    ['u1', 'U1', 7_000n, '2026-06-01', '2026-07-01', 'USD'],
    ['u2', 'U2', 3_000n, '2026-08-01', '2026-08-31', 'USD'],
  ] as const) {
    ids[key] = await invoice(number, total, invoiceDate, dueDate, currency);
  }
  await pay(ids.i0, '100.00', '2025-06-20');
  await pay(ids.i1, '1000.00', '2026-02-09', '2026-02-12');
  await pay(ids.i2, '400.00', '2026-04-10');
  await pay(ids.i2, '200.00', '2026-05-30');
  const bounced = await pay(ids.i3, '500.00', '2026-06-20');
  const reversed = await finance.request(
    'POST',
    `/api/receipts/${bounced}/reverse`,
    { reversedOn: '2026-07-10', reason: 'bounced' },
    withKey(),
  );
  expect(reversed.statusCode, reversed.body).toBe(200);
  await pay(ids.i3, '500.00', '2026-08-15');
  await seedCreditNote(t, tenantId, { invoiceId: ids.i4, amountMinor: 10_000n, issuedOn: '2026-07-05' });
  await pay(ids.i4, '200.00', '2026-08-05');
  await seedRecovery(ids.i6);
  await seedPrepayment();
  await pay(ids.u1, '70.00', '2026-07-03', '2026-07-03', 'USD');
  await pay(ids.u2, '30.00', '2026-07-20', '2026-08-01', 'USD');
}, 120_000);

afterAll(async () => {
  await t.close();
});

async function behaviourOf(client: Client, customerId: string, query = ''): Promise<PaymentBehaviourView> {
  const response = await client.request('GET', `/api/customers/${customerId}/payment-behaviour${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<PaymentBehaviourView>();
}

describe('payment behaviour', () => {
  it('measures the hand ledger as of today (2026-11-22), leaving out the bounced receipt, credit notes, the recovery and the prepayment', async () => {
    const behaviour = await behaviourOf(owner, ids.a);
    expect(behaviour.asOf).toBe('2026-11-22');
    expect(behaviour.fromDate).toBe('2025-12-01');
    // No promise to pay was ever recorded for this customer: counted, and none broken.
    expect(behaviour.brokenPromises).toBe(0);
    expect(behaviour.currencies.map((entry) => entry.currency)).toEqual(['CNY', 'USD']);
    const [cny, usd] = behaviour.currencies;
    // Paid 1000 + 400 + 200 + 500 + 200 = 2300.00 (minor 230000).
    // Days to pay: 100000×30 + 40000×40 + 20000×90 + 50000×75 + 20000×35 = 10,850,000 → 47.17 → 47.2
    // Days late: 40000×10 + 20000×60 + 50000×45 + 20000×5 = 3,950,000 → 17.17 → 17.2
    // Late: 130000 of 230000 = 0.565217 → 0.5652
    expect(cny?.metrics).toEqual({
      paid: '2300.00',
      paymentCount: 5,
      paidInvoiceCount: 4,
      avgDaysToPay: 47.2,
      avgDaysLate: 17.2,
      shareLate: 0.5652,
    });
    expect(cny?.open).toBe('800.00');
    expect(cny?.overdue).toBe('800.00');
    expect(cny?.oldestOverdueDays).toBe(52);
    expect(cny?.largestOverdue).toEqual({
      invoiceId: ids.i5,
      number: 'I5',
      open: '800.00',
      dueDate: '2026-10-01',
      daysOverdue: 52,
    });
    expect(cny?.trend.map((month) => month.month)).toEqual(
      paymentWindow(calendarDateOrThrow('2026-11-22')).months,
    );
    expect(cny?.trend.find((month) => month.month === '2026-08')).toEqual({
      month: '2026-08',
      paid: '700.00', // I3 again 500.00 (75 days, 45 late) and I4 200.00 (35 days, 5 late)
      paymentCount: 2,
      paidInvoiceCount: 2,
      avgDaysToPay: 63.6, // (50000×75 + 20000×35) / 70000 = 63.571
      avgDaysLate: 33.6, // (50000×45 + 20000×5) / 70000 = 33.571
      shareLate: 1,
    });
    expect(cny?.trend.find((month) => month.month === '2026-06')?.paid).toBe('0.00');
    // USD: 7000×32 + 3000×0 = 224000 / 10000 = 22.4 days; late 7000×2 / 10000 = 1.4; 70% late.
    expect(usd?.metrics).toEqual({
      paid: '100.00',
      paymentCount: 2,
      paidInvoiceCount: 2,
      avgDaysToPay: 22.4,
      avgDaysLate: 1.4,
      shareLate: 0.7,
    });
    expect(usd?.largestOverdue).toBeNull();
  });

  it('rates C today, naming what kept it from B (USD has too little history to judge)', async () => {
    const { rating } = await behaviourOf(owner, ids.a);
    expect(rating).toEqual({
      customerId: ids.a,
      asOf: '2026-11-22',
      computed: 'C',
      reasons: [
        { rule: 'share_late', currency: 'CNY', grade: 'B', value: 0.5652, limit: 0.3, isMet: false },
        { rule: 'avg_days_late', currency: 'CNY', grade: 'B', value: 17.2, limit: 15, isMet: false },
        { rule: 'avg_days_late', currency: 'CNY', grade: 'C', value: 17.2, limit: 45, isMet: true },
        { rule: 'overdue_days', currency: null, grade: 'C', value: 52, limit: 90, isMet: true },
      ],
      override: null,
      effective: 'C',
    });
  });

  it('counts the bounced receipt as a payment before its reversal date (as of 2026-07-05)', async () => {
    const behaviour = await behaviourOf(owner, ids.a, '?asOf=2026-07-05');
    expect(behaviour.fromDate).toBe('2025-08-01');
    const cny = behaviour.currencies[0];
    // I1 100000×30, I2 40000×40 and 20000×90, I3 by R4 50000×19 (06-01 → 06-20, on time): 7,350,000 / 210000 = 35.0
    // Late: 40000×10 + 20000×60 = 1,600,000 / 210000 = 7.62 → 7.6; 60000 / 210000 = 0.2857 late.
    expect(cny?.metrics).toEqual({
      paid: '2100.00',
      paymentCount: 4,
      paidInvoiceCount: 3,
      avgDaysToPay: 35,
      avgDaysLate: 7.6,
      shareLate: 0.2857,
    });
    // I4 is 300.00 less the credit note 100.00 of 07-05, not yet due; I5 is not invoiced yet; I6 written off.
    expect(cny?.open).toBe('200.00');
    expect(cny?.overdue).toBe('0.00');
    expect(cny?.largestOverdue).toBeNull();
    expect(behaviour.rating.computed).toBe('B');
  });

  it('shows the bounced invoice overdue between the reversal and the second payment (as of 2026-08-10)', async () => {
    const behaviour = await behaviourOf(owner, ids.a, '?asOf=2026-08-10');
    const cny = behaviour.currencies[0];
    expect(cny?.largestOverdue).toEqual({
      invoiceId: ids.i3,
      number: 'I3',
      open: '500.00',
      dueDate: '2026-07-01',
      daysOverdue: 40,
    });
    expect(cny?.metrics.paymentCount).toBe(4); // I1, I2 twice, I4; the bounced R4 no longer counts
  });

  it('agrees with the pure reference computation over the same payments', async () => {
    const asOf = calendarDateOrThrow('2026-11-22');
    const d = calendarDateOrThrow;
    const facts: PaymentFact[] = [
      {
        invoiceId: ids.i0,
        currency: 'CNY',
        amountMinor: 10_000n,
        paidOn: d('2025-06-20'),
        invoiceDate: d('2025-05-01'),
        dueDate: d('2025-05-31'),
      },
      {
        invoiceId: ids.i1,
        currency: 'CNY',
        amountMinor: 100_000n,
        paidOn: d('2026-02-09'),
        invoiceDate: d('2026-01-10'),
        dueDate: d('2026-02-09'),
      },
      {
        invoiceId: ids.i2,
        currency: 'CNY',
        amountMinor: 40_000n,
        paidOn: d('2026-04-10'),
        invoiceDate: d('2026-03-01'),
        dueDate: d('2026-03-31'),
      },
      {
        invoiceId: ids.i2,
        currency: 'CNY',
        amountMinor: 20_000n,
        paidOn: d('2026-05-30'),
        invoiceDate: d('2026-03-01'),
        dueDate: d('2026-03-31'),
      },
      {
        invoiceId: ids.i3,
        currency: 'CNY',
        amountMinor: 50_000n,
        paidOn: d('2026-08-15'),
        invoiceDate: d('2026-06-01'),
        dueDate: d('2026-07-01'),
      },
      {
        invoiceId: ids.i4,
        currency: 'CNY',
        amountMinor: 20_000n,
        paidOn: d('2026-08-05'),
        invoiceDate: d('2026-07-01'),
        dueDate: d('2026-07-31'),
      },
      {
        invoiceId: ids.u1,
        currency: 'USD',
        amountMinor: 7_000n,
        paidOn: d('2026-07-03'),
        invoiceDate: d('2026-06-01'),
        dueDate: d('2026-07-01'),
      },
      {
        invoiceId: ids.u2,
        currency: 'USD',
        amountMinor: 3_000n,
        paidOn: d('2026-08-01'),
        invoiceDate: d('2026-08-01'),
        dueDate: d('2026-08-31'),
      },
    ];
    const expected = sumPayments(facts, { fromDate: paymentWindow(asOf).fromDate, asOf });
    const inputs = await t.db.tenant(admin.tenantId, (tx) =>
      behaviourInputs(tx, admin.tenantId, [ids.a], asOf),
    );
    expect(inputs.get(ids.a)?.payments).toEqual(expected);
  });

  it('answers a customer without history with empty metrics and no rating', async () => {
    const behaviour = await behaviourOf(admin, ids.b);
    expect(behaviour.currencies).toHaveLength(1);
    expect(behaviour.currencies[0]).toMatchObject({
      currency: 'CNY',
      metrics: { paid: '0.00', avgDaysToPay: null, avgDaysLate: null, shareLate: null },
      largestOverdue: null,
    });
    expect(behaviour.rating).toMatchObject({
      computed: null,
      effective: null,
      reasons: [{ rule: 'paid_invoices', value: 0, limit: 3, isMet: false }],
    });
  });
});

describe('record scope', () => {
  it("answers 404 for another salesperson's customer, an unknown id and another organization's customer", async () => {
    const path = (id: string) => `/api/customers/${id}/payment-behaviour`;
    expect((await otherSalesperson.request('GET', path(ids.a))).statusCode).toBe(404);
    expect((await owner.request('GET', path(ids.b))).statusCode).toBe(404);
    expect((await admin.request('GET', path('00000000-0000-4000-8000-000000000000'))).statusCode).toBe(404);
    expect((await admin.request('GET', path(ids.foreign))).statusCode).toBe(404);
    expect(
      (await foreign.request('PUT', `/api/customers/${ids.a}/credit-rating`, { rating: 'A', reason: 'x' }))
        .statusCode,
    ).toBe(404);
  });

  it('lists only customers in scope', async () => {
    const mine = await owner.request('GET', '/api/credit-ratings?asOf=2026-11-22');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json<{ items: unknown[] }>().items).toEqual([
      expect.objectContaining({ code: 'A', computed: 'C', override: null, effective: 'C' }),
    ]);
    const all = await finance.request('GET', '/api/credit-ratings?asOf=2026-11-22');
    expect(all.json<{ items: { code: string }[] }>().items.map((item) => item.code)).toEqual(['A', 'B']);
  });
});

describe('rating overrides', () => {
  it('lets finance override with a reason, audited before and after, and clear it again', async () => {
    const put = await finance.request('PUT', `/api/customers/${ids.a}/credit-rating`, {
      rating: 'B',
      reason: '  Group company; parent guarantees payment  ',
    });
    expect(put.statusCode, put.body).toBe(200);
    const view = put.json<CreditRatingView>();
    expect(view).toMatchObject({
      computed: 'C',
      effective: 'B',
      override: {
        rating: 'B',
        reason: 'Group company; parent guarantees payment',
        setByUserId: finance.userId,
      },
    });
    const second = await finance.request('PUT', `/api/customers/${ids.a}/credit-rating`, {
      rating: 'D',
      reason: 'Litigation filed',
    });
    expect(second.json<CreditRatingView>().effective).toBe('D');
    expect((await behaviourOf(owner, ids.a)).rating).toMatchObject({
      computed: 'C',
      effective: 'D',
      override: { rating: 'D', reason: 'Litigation filed' },
    });

    const cleared = await admin.request('DELETE', `/api/customers/${ids.a}/credit-rating`);
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json<CreditRatingView>()).toMatchObject({ computed: 'C', override: null, effective: 'C' });
    // Clearing again changes nothing and records nothing.
    expect((await admin.request('DELETE', `/api/customers/${ids.a}/credit-rating`)).statusCode).toBe(200);

    const audit = await t.db.tenant(admin.tenantId, (tx) =>
      tx
        .selectFrom('audit_log')
        .select(['action', 'before', 'after', 'actor_user_id'])
        .where('entity_type', '=', 'customer')
        .where('entity_id', '=', ids.a)
        .where('action', 'like', 'customer.credit_rating%')
        .orderBy('id')
        .execute(),
    );
    expect(audit.map((entry) => entry.action)).toEqual([
      'customer.credit_rating_overridden',
      'customer.credit_rating_overridden',
      'customer.credit_rating_override_cleared',
    ]);
    expect(audit[0]?.before).toBeNull();
    expect(audit[0]?.after).toMatchObject({
      rating: 'B',
      reason: 'Group company; parent guarantees payment',
    });
    expect(audit[1]?.before).toMatchObject({ rating: 'B' });
    expect(audit[1]?.after).toMatchObject({ rating: 'D', reason: 'Litigation filed' });
    expect(audit[2]?.before).toMatchObject({ rating: 'D' });
    expect(audit[2]?.after).toBeNull();
    expect(audit[2]?.actor_user_id).toBe(admin.userId);
  });

  it('refuses sales roles and a blank reason', async () => {
    const body = { rating: 'A', reason: 'Good customer' };
    expect((await manager.request('PUT', `/api/customers/${ids.a}/credit-rating`, body)).statusCode).toBe(
      403,
    );
    expect((await owner.request('PUT', `/api/customers/${ids.a}/credit-rating`, body)).statusCode).toBe(403);
    expect((await owner.request('DELETE', `/api/customers/${ids.a}/credit-rating`)).statusCode).toBe(403);
    const blank = await finance.request('PUT', `/api/customers/${ids.a}/credit-rating`, {
      rating: 'A',
      reason: '  ',
    });
    expect(blank.statusCode).toBe(400);
    const bad = await finance.request('PUT', `/api/customers/${ids.a}/credit-rating`, {
      rating: 'E',
      reason: 'x',
    });
    expect(bad.statusCode).toBe(400);
  });

  it('filters the list by the effective rating, overrides included', async () => {
    await finance.request('PUT', `/api/customers/${ids.b}/credit-rating`, { rating: 'A', reason: 'Prepays' });
    const listed = async (rating: string) =>
      (await finance.request('GET', `/api/credit-ratings?asOf=2026-11-22&rating=${rating}`))
        .json<{ items: { code: string }[] }>()
        .items.map((item) => item.code);
    expect(await listed('A')).toEqual(['B']);
    expect(await listed('C')).toEqual(['A']);
    expect(await listed('unrated')).toEqual([]);
    await finance.request('DELETE', `/api/customers/${ids.b}/credit-rating`);
    expect(await listed('unrated')).toEqual(['B']);
  });
});

describe('statement count', () => {
  it('is the same for 3 and 40 customers, in the batch function and the list', async () => {
    const counts: number[][] = [];
    for (const size of [3, 40]) {
      const org = await signUp(t.app);
      const customerIds: string[] = [];
      for (let index = 0; index < size; index += 1) {
        const customerId = await seedCustomer(t, org.tenantId, {
          code: `Q-${String(index).padStart(3, '0')}`,
        });
        customerIds.push(customerId);
        await seedInvoice(t, org.tenantId, {
          customerId,
          totalMinor: 1_000n,
          invoiceDate: '2026-08-01',
          dueDate: '2026-08-31',
        });
      }
      const asOf = calendarDateOrThrow('2026-11-22');
      const batch = countingDb(t.db);
      const ratings = await batch.db.tenant(org.tenantId, (tx) =>
        effectiveRatings(tx, org.tenantId, customerIds, asOf),
      );
      expect(ratings.size).toBe(size);
      const list = countingDb(t.db);
      const page = await listCreditRatings({ db: list.db, clock: t.clock }, adminActorOf(org), {
        rating: 'unrated',
        limit: 200,
      });
      expect(page.items).toHaveLength(size);
      counts.push([batch.count(), list.count()]);
    }
    // Batch: payments, open items, overrides. List: today, the customers, and the batch's three.
    expect(counts).toEqual([
      [3, 5],
      [3, 5],
    ]);
  });
});
