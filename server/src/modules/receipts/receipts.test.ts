import type { CustomerBalanceView, CustomerLedger, ReceiptDetail } from '@huikuan/core/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { invoiceBalancesAsOf } from './balances';
import { newKey, postReceipt, seedCreditNote, seedCustomer, seedInvoice, withKey } from './test-fixtures';

let t: TestApp;
let admin: Client;
let finance: Client;
let sales1: Client;
let sales2: Client;

beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  admin = await signUp(t.app);
  finance = await addUser(admin, 'finance');
  sales1 = await addUser(admin, 'salesperson');
  sales2 = await addUser(admin, 'salesperson');
});

afterAll(async () => {
  await t.close();
});

async function openOf(invoiceId: string, asOf = '2026-11-22'): Promise<bigint | undefined> {
  const balances = await t.db.tenant(admin.tenantId, (tx) =>
    invoiceBalancesAsOf(tx, admin.tenantId, [invoiceId], asOf),
  );
  return balances.get(invoiceId)?.openMinor;
}

async function balanceOf(client: Client, customerId: string, asOf: string) {
  const response = await client.request('GET', `/api/customers/${customerId}/balance?asOf=${asOf}`);
  expect(response.statusCode).toBe(200);
  return response.json<CustomerBalanceView>().balances;
}

async function allocate(client: Client, receiptId: string, body: object, key = newKey()) {
  return client.request('POST', `/api/receipts/${receiptId}/allocations`, body, withKey(key));
}

describe('a ¥10,000.00 receipt split over three invoices', () => {
  let customerId: string;
  let invoiceA: string;
  let invoiceB: string;
  let invoiceC: string;
  let receiptId: string;

  beforeAll(async () => {
    customerId = await seedCustomer(t, admin.tenantId, { code: 'SPLIT-1' });
    invoiceA = await seedInvoice(t, admin.tenantId, {
      customerId,
      totalMinor: 500_000n,
      invoiceDate: '2026-11-01',
    });
    invoiceB = await seedInvoice(t, admin.tenantId, {
      customerId,
      totalMinor: 333_333n,
      invoiceDate: '2026-11-02',
    });
    invoiceC = await seedInvoice(t, admin.tenantId, {
      customerId,
      totalMinor: 500_000n,
      invoiceDate: '2026-11-03',
    });
    receiptId = await postReceipt(finance, { customerId, receivedOn: '2026-11-10', amount: '10000.00' });
  });

  it('splits 3,333.33 / 3,333.33 / the rest exactly and leaves nothing unapplied', async () => {
    const response = await allocate(finance, receiptId, {
      allocatedOn: '2026-11-15',
      lines: [
        { invoiceId: invoiceA, amount: '3333.33' },
        { invoiceId: invoiceB, amount: '3333.33' },
        { invoiceId: invoiceC, amount: '3333.34' },
      ],
    });
    expect(response.statusCode).toBe(200);
    const receipt = response.json<ReceiptDetail>();
    expect(receipt).toMatchObject({ status: 'confirmed', allocated: '10000.00', unapplied: '0.00' });
    const byInvoice = new Map(receipt.allocations.map((a) => [a.invoiceId, a.amount]));
    expect([invoiceA, invoiceB, invoiceC].map((id) => byInvoice.get(id))).toEqual([
      '3333.33',
      '3333.33',
      '3333.34',
    ]);
    expect(await openOf(invoiceA)).toBe(166_667n);
    expect(await openOf(invoiceB)).toBe(0n);
    expect(await openOf(invoiceC)).toBe(166_666n);
  });

  it('answers balances as of dates before and after the receipt and the allocation', async () => {
    expect(await balanceOf(finance, customerId, '2026-11-09')).toEqual([
      { currency: 'CNY', openInvoices: '13333.33', unappliedCredit: '0.00', balance: '13333.33' },
    ]);
    expect(await balanceOf(finance, customerId, '2026-11-14')).toEqual([
      { currency: 'CNY', openInvoices: '13333.33', unappliedCredit: '10000.00', balance: '3333.33' },
    ]);
    expect(await balanceOf(finance, customerId, '2026-11-15')).toEqual([
      { currency: 'CNY', openInvoices: '3333.33', unappliedCredit: '0.00', balance: '3333.33' },
    ]);
    expect(await openOf(invoiceB, '2026-11-14')).toBe(333_333n);
  });

  it('refuses a single cent more than the receipt holds', async () => {
    const response = await allocate(finance, receiptId, { lines: [{ invoiceId: invoiceA, amount: '0.01' }] });
    expect(response.statusCode).toBe(409);
  });

  it('reverses one allocation once, making its amount unapplied again from that date', async () => {
    const receipt = (await finance.request('GET', `/api/receipts/${receiptId}`)).json<ReceiptDetail>();
    const toB = receipt.allocations.find((a) => a.invoiceId === invoiceB);
    const body = { reversedOn: '2026-11-20', reason: 'wrong invoice' };
    const reversed = await finance.request('POST', `/api/allocations/${toB?.id}/reverse`, body, withKey());
    expect(reversed.statusCode).toBe(200);
    expect(reversed.json<ReceiptDetail>()).toMatchObject({ allocated: '6666.67', unapplied: '3333.33' });
    expect(await openOf(invoiceB)).toBe(333_333n);
    expect(await openOf(invoiceB, '2026-11-19')).toBe(0n);
    const again = await finance.request('POST', `/api/allocations/${toB?.id}/reverse`, body, withKey());
    expect(again.statusCode).toBe(409);
    expect(await balanceOf(finance, customerId, '2026-11-20')).toEqual([
      { currency: 'CNY', openInvoices: '6666.66', unappliedCredit: '3333.33', balance: '3333.33' },
    ]);
  });

  it('rejects allocations before the receipt date, to another customer or in the future', async () => {
    const other = await seedCustomer(t, admin.tenantId, { code: 'SPLIT-OTHER' });
    const foreign = await seedInvoice(t, admin.tenantId, {
      customerId: other,
      totalMinor: 100n,
      invoiceDate: '2026-11-01',
    });
    const early = await allocate(finance, receiptId, {
      allocatedOn: '2026-11-09',
      lines: [{ invoiceId: invoiceB, amount: '1.00' }],
    });
    expect(early.statusCode).toBe(400);
    const wrong = await allocate(finance, receiptId, { lines: [{ invoiceId: foreign, amount: '1.00' }] });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json<{ error: { issues: { path: string }[] } }>().error.issues[0]?.path).toBe(
      'lines.0.invoiceId',
    );
    const future = await allocate(finance, receiptId, {
      allocatedOn: '2026-12-01',
      lines: [{ invoiceId: invoiceB, amount: '1.00' }],
    });
    expect(future.statusCode).toBe(400);
    const zero = await allocate(finance, receiptId, { lines: [{ invoiceId: invoiceB, amount: '0.00' }] });
    expect(zero.statusCode).toBe(400);
    expect(zero.json<{ error: { issues: { path: string }[] } }>().error.issues[0]?.path).toBe(
      'lines.0.amount',
    );
  });

  it('shows the ledger with a running balance that ends on the balance as of the end date', async () => {
    const response = await finance.request('GET', `/api/customers/${customerId}/ledger?to=2026-11-22`);
    expect(response.statusCode).toBe(200);
    const ledger = response.json<CustomerLedger>();
    expect(ledger.entries.map((entry) => entry.kind)).toEqual([
      'invoice',
      'invoice',
      'invoice',
      'receipt',
      'allocation',
      'allocation',
      'allocation',
      'allocation_reversal',
    ]);
    expect(ledger.entries.map((entry) => entry.runningBalance)).toEqual([
      '5000.00',
      '8333.33',
      '13333.33',
      '3333.33',
      '3333.33',
      '3333.33',
      '3333.33',
      '3333.33',
    ]);
    expect(ledger.closing).toEqual([{ currency: 'CNY', balance: '3333.33' }]);
    const window = await finance.request(
      'GET',
      `/api/customers/${customerId}/ledger?from=2026-11-10&to=2026-11-15`,
    );
    const part = window.json<CustomerLedger>();
    expect(part.opening).toEqual([{ currency: 'CNY', balance: '13333.33' }]);
    expect(part.entries).toHaveLength(4);
    expect(part.closing).toEqual([{ currency: 'CNY', balance: '3333.33' }]);
  });

  it('reverses the receipt with its remaining allocations; earlier balances stay as they were', async () => {
    const response = await finance.request(
      'POST',
      `/api/receipts/${receiptId}/reverse`,
      { reversedOn: '2026-11-21', reason: 'cheque bounced' },
      withKey(),
    );
    expect(response.statusCode).toBe(200);
    const receipt = response.json<ReceiptDetail>();
    expect(receipt).toMatchObject({ status: 'reversed', allocated: '0.00', unapplied: '0.00' });
    expect(receipt.allocations.filter((a) => a.reversesAllocationId !== null)).toHaveLength(3);
    expect(await openOf(invoiceA)).toBe(500_000n);
    expect(await balanceOf(finance, customerId, '2026-11-21')).toEqual([
      { currency: 'CNY', openInvoices: '13333.33', unappliedCredit: '0.00', balance: '13333.33' },
    ]);
    expect(await balanceOf(finance, customerId, '2026-11-15')).toEqual([
      { currency: 'CNY', openInvoices: '3333.33', unappliedCredit: '0.00', balance: '3333.33' },
    ]);
    const again = await finance.request(
      'POST',
      `/api/receipts/${receiptId}/reverse`,
      { reason: 'again' },
      withKey(),
    );
    expect(again.statusCode).toBe(409);
  });
});

describe('overpayment and credit notes', () => {
  it('keeps what no invoice takes as unapplied credit and applies it to a later invoice', async () => {
    const customerId = await seedCustomer(t, admin.tenantId, { code: 'OVER-1' });
    const first = await seedInvoice(t, admin.tenantId, {
      customerId,
      totalMinor: 10_000n,
      invoiceDate: '2026-10-01',
      dueDate: '2026-10-31',
    });
    const credited = await seedInvoice(t, admin.tenantId, {
      customerId,
      totalMinor: 6_170n,
      invoiceDate: '2026-10-02',
      dueDate: '2026-10-20',
    });
    await seedCreditNote(t, admin.tenantId, {
      invoiceId: credited,
      amountMinor: 6_169n,
      issuedOn: '2026-10-05',
    });
    const receiptId = await postReceipt(finance, { customerId, receivedOn: '2026-11-01', amount: '150.07' });
    const auto = await finance.request('POST', `/api/receipts/${receiptId}/auto-allocate`, {}, withKey());
    expect(auto.statusCode).toBe(200);
    const receipt = auto.json<ReceiptDetail>();
    // Oldest due first: the credited invoice (due 10-20, open 0.01), then the first (due 10-31, open 100.00).
    const pairs = receipt.allocations.map((a) => [a.invoiceId, a.amount]);
    expect(pairs.sort((a, b) => (a[1] ?? '').length - (b[1] ?? '').length)).toEqual([
      [credited, '0.01'],
      [first, '100.00'],
    ]);
    expect(receipt.unapplied).toBe('50.06');
    expect(await balanceOf(finance, customerId, '2026-11-22')).toEqual([
      { currency: 'CNY', openInvoices: '0.00', unappliedCredit: '50.06', balance: '-50.06' },
    ]);
    const later = await seedInvoice(t, admin.tenantId, {
      customerId,
      totalMinor: 3_333n,
      invoiceDate: '2026-11-20',
    });
    const applied = await allocate(finance, receiptId, { lines: [{ invoiceId: later, amount: '33.33' }] });
    expect(applied.json<ReceiptDetail>().unapplied).toBe('16.73');
    expect(await balanceOf(finance, customerId, '2026-11-22')).toEqual([
      { currency: 'CNY', openInvoices: '0.00', unappliedCredit: '16.73', balance: '-16.73' },
    ]);
    const more = await allocate(finance, receiptId, { lines: [{ invoiceId: first, amount: '0.01' }] });
    expect(more.statusCode).toBe(409);
  });
});

describe('receipt lifecycle and idempotency', () => {
  it('edits and deletes a pending receipt; a confirmed one is locked', async () => {
    const customerId = await seedCustomer(t, admin.tenantId, { code: 'LIFE-1', ownerUserId: sales1.userId });
    const id = await postReceipt(sales1, { customerId, receivedOn: '2026-11-20', amount: '94' }, false);
    const edited = await sales1.request('PATCH', `/api/receipts/${id}`, {
      amount: '61.7',
      payerName: '张三',
    });
    expect(edited.json<ReceiptDetail>()).toMatchObject({
      amount: '61.70',
      payerName: '张三',
      status: 'pending',
    });
    const byOther = await sales2.request('PATCH', `/api/receipts/${id}`, { amount: '1.00' });
    expect(byOther.statusCode).toBe(404);
    const salesConfirm = await sales1.request('POST', `/api/receipts/${id}/confirm`, undefined, withKey());
    expect(salesConfirm.statusCode).toBe(403);
    const confirmed = await finance.request('POST', `/api/receipts/${id}/confirm`, undefined, withKey());
    expect(confirmed.json<ReceiptDetail>()).toMatchObject({ status: 'confirmed', unapplied: '61.70' });
    expect((await sales1.request('PATCH', `/api/receipts/${id}`, { amount: '1.00' })).statusCode).toBe(409);
    expect((await finance.request('DELETE', `/api/receipts/${id}`)).statusCode).toBe(409);
    const pending = await postReceipt(
      sales1,
      { customerId, receivedOn: '2026-11-20', amount: '1.00' },
      false,
    );
    expect((await sales1.request('DELETE', `/api/receipts/${pending}`)).statusCode).toBe(200);
    expect((await sales1.request('GET', `/api/receipts/${pending}`)).statusCode).toBe(404);
  });

  it('takes a retried request once, and refuses the same key with other parameters', async () => {
    const customerId = await seedCustomer(t, admin.tenantId, { code: 'IDEM-1' });
    const key = newKey();
    const body = {
      customerId,
      receivedOn: '2026-11-21',
      amount: '1000000.07',
      currency: 'CNY',
      method: 'cash',
    };
    const first = await finance.request('POST', '/api/receipts', body, withKey(key));
    const second = await finance.request('POST', '/api/receipts', body, withKey(key));
    expect(first.statusCode).toBe(201);
    expect(second.json<ReceiptDetail>().id).toBe(first.json<ReceiptDetail>().id);
    const list = await finance.request('GET', `/api/receipts?customerId=${customerId}`);
    expect(list.json<{ items: unknown[] }>().items).toHaveLength(1);
    const changed = await finance.request(
      'POST',
      '/api/receipts',
      { ...body, amount: '1000000.08' },
      withKey(key),
    );
    expect(changed.statusCode).toBe(409);
    expect(changed.json<{ error: { code: string } }>().error.code).toBe('idempotency_conflict');
    const missing = await finance.request('POST', '/api/receipts', body);
    expect(missing.statusCode).toBe(400);
  });

  it('lists with filters and keyset pages', async () => {
    const customerId = await seedCustomer(t, admin.tenantId, { code: 'LIST-1' });
    for (const day of ['01', '02', '03']) {
      await postReceipt(finance, { customerId, receivedOn: `2026-11-${day}`, amount: '33.33' });
    }
    await postReceipt(
      finance,
      { customerId, receivedOn: '2026-11-04', amount: '0.01', method: 'alipay' },
      false,
    );
    const page1 = await finance.request('GET', `/api/receipts?customerId=${customerId}&limit=2`);
    const first = page1.json<{ items: ReceiptDetail[]; nextCursor: string }>();
    expect(first.items.map((r) => r.receivedOn)).toEqual(['2026-11-04', '2026-11-03']);
    const page2 = await finance.request(
      'GET',
      `/api/receipts?customerId=${customerId}&limit=2&cursor=${first.nextCursor}`,
    );
    expect(page2.json<{ items: ReceiptDetail[] }>().items.map((r) => r.receivedOn)).toEqual([
      '2026-11-02',
      '2026-11-01',
    ]);
    const unallocated = await finance.request(
      'GET',
      `/api/receipts?customerId=${customerId}&unallocatedOnly=true`,
    );
    expect(unallocated.json<{ items: unknown[] }>().items).toHaveLength(3);
    const alipay = await finance.request(
      'GET',
      `/api/receipts?customerId=${customerId}&method=alipay&status=pending`,
    );
    expect(alipay.json<{ items: ReceiptDetail[] }>().items.map((r) => r.amount)).toEqual(['0.01']);
    const ranged = await finance.request(
      'GET',
      `/api/receipts?customerId=${customerId}&receivedFrom=2026-11-02&receivedTo=2026-11-03`,
    );
    expect(ranged.json<{ items: unknown[] }>().items).toHaveLength(2);
  });
});

describe('claims (回款认领)', () => {
  let customerId: string;
  let invoiceId: string;

  beforeAll(async () => {
    customerId = await seedCustomer(t, admin.tenantId, { code: 'CLAIM-1', ownerUserId: sales1.userId });
    invoiceId = await seedInvoice(t, admin.tenantId, {
      customerId,
      totalMinor: 60_000_000n,
      invoiceDate: '2026-11-01',
    });
  });

  it('goes from the pool to a salesperson’s claim to finance’s confirmation with the split allocated', async () => {
    expect(
      (
        await sales1.request(
          'POST',
          '/api/receipts',
          {
            receivedOn: '2026-11-18',
            amount: '1.00',
            currency: 'CNY',
            method: 'bank_transfer',
          },
          withKey(),
        )
      ).statusCode,
    ).toBe(400);
    const receiptId = await postReceipt(finance, {
      customerId: null,
      receivedOn: '2026-11-18',
      amount: '1000000.07',
      payerName: '某某贸易有限公司',
    });
    const pool = await sales1.request('GET', '/api/receipts?pool=true');
    expect(pool.json<{ items: ReceiptDetail[] }>().items.map((r) => r.id)).toContain(receiptId);
    const tooMuch = await sales1.request('POST', `/api/receipts/${receiptId}/claims`, {
      customerId,
      evidence: 'remittance advice',
      split: [{ invoiceId, amount: '1000000.08' }],
    });
    expect(tooMuch.statusCode).toBe(409);
    const notMine = await sales2.request('POST', `/api/receipts/${receiptId}/claims`, {
      customerId,
      evidence: 'mine',
    });
    expect(notMine.statusCode).toBe(404);
    const claim = await sales1.request('POST', `/api/receipts/${receiptId}/claims`, {
      customerId,
      evidence: 'remittance advice from the customer',
      split: [{ invoiceId, amount: '600000.00' }],
    });
    expect(claim.statusCode).toBe(201);
    const claimId = claim.json<{ id: string }>().id;
    const second = await sales1.request('POST', `/api/receipts/${receiptId}/claims`, {
      customerId,
      evidence: 'x',
    });
    expect(second.statusCode).toBe(409);
    expect(
      (await sales1.request('POST', `/api/receipt-claims/${claimId}/confirm`, {}, withKey())).statusCode,
    ).toBe(403);
    const confirmed = await finance.request('POST', `/api/receipt-claims/${claimId}/confirm`, {}, withKey());
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({
      status: 'confirmed',
      split: [{ invoiceId, amount: '600000.00' }],
    });
    const receipt = (await sales1.request('GET', `/api/receipts/${receiptId}`)).json<ReceiptDetail>();
    expect(receipt).toMatchObject({ customerId, allocated: '600000.00', unapplied: '400000.07' });
    expect(await balanceOf(sales1, customerId, '2026-11-22')).toEqual([
      { currency: 'CNY', openInvoices: '0.00', unappliedCredit: '400000.07', balance: '-400000.07' },
    ]);
    expect((await sales2.request('GET', `/api/receipts/${receiptId}`)).statusCode).toBe(404);
    expect((await sales2.request('GET', `/api/receipt-claims/${claimId}`)).statusCode).toBe(404);
    const claims = await sales1.request('GET', '/api/receipt-claims?status=confirmed');
    expect(claims.json<{ items: { id: string }[] }>().items.map((c) => c.id)).toContain(claimId);
  });

  it('returns a rejected claim’s receipt to the pool', async () => {
    const receiptId = await postReceipt(finance, {
      customerId: null,
      receivedOn: '2026-11-19',
      amount: '0.01',
    });
    const claim = await sales1.request('POST', `/api/receipts/${receiptId}/claims`, {
      customerId,
      evidence: 'maybe',
    });
    const claimId = claim.json<{ id: string }>().id;
    const rejected = await finance.request('POST', `/api/receipt-claims/${claimId}/reject`, {
      comment: 'not theirs',
    });
    expect(rejected.json()).toMatchObject({ status: 'rejected', decisionComment: 'not theirs' });
    const receipt = (await sales2.request('GET', `/api/receipts/${receiptId}`)).json<ReceiptDetail>();
    expect(receipt.customerId).toBeNull();
    const again = await sales1.request('POST', `/api/receipts/${receiptId}/claims`, {
      customerId,
      evidence: 'again',
    });
    expect(again.statusCode).toBe(201);
  });
});

describe('offsets (三角债) and goods settlements (以货抵债) through approval', () => {
  it('books nothing until approved, then a confirmed receipt allocated to the invoice', async () => {
    const customerId = await seedCustomer(t, admin.tenantId, {
      code: 'OFFSET-1',
      ownerUserId: sales1.userId,
    });
    const invoiceId = await seedInvoice(t, admin.tenantId, {
      customerId,
      totalMinor: 100_000n,
      invoiceDate: '2026-11-01',
    });
    const first = await sales1.request('POST', `/api/invoices/${invoiceId}/offset-requests`, {
      amount: '600.00',
      reason: 'they owe our supplier',
      counterparty: '乙公司',
    });
    expect(first.statusCode).toBe(201);
    const second = await sales1.request('POST', `/api/invoices/${invoiceId}/goods-settlement-requests`, {
      amount: '500.00',
      reason: 'stock instead of cash',
      goodsDescription: '10 pallets',
    });
    expect(second.statusCode).toBe(201);
    const tooBig = await sales1.request('POST', `/api/invoices/${invoiceId}/offset-requests`, {
      amount: '1000.01',
      reason: 'x',
      counterparty: 'y',
    });
    expect(tooBig.statusCode).toBe(409);
    expect(await openOf(invoiceId)).toBe(100_000n);
    const approve = (id: string) =>
      finance.request('POST', `/api/approvals/${id}/decision`, { decision: 'approve' });
    expect((await approve(first.json<{ id: string }>().id)).statusCode).toBe(200);
    expect(await openOf(invoiceId)).toBe(40_000n);
    const conflict = await approve(second.json<{ id: string }>().id);
    expect(conflict.statusCode).toBe(409);
    const still = await finance.request('GET', `/api/approvals/${second.json<{ id: string }>().id}`);
    expect(still.json()).toMatchObject({ status: 'pending' });
    const offsets = await finance.request('GET', `/api/receipts?customerId=${customerId}&method=offset`);
    expect(offsets.json<{ items: ReceiptDetail[] }>().items).toMatchObject([
      { amount: '600.00', allocated: '600.00', status: 'confirmed' },
    ]);
  });
});

describe('scope and tenancy', () => {
  it('answers 404 for another salesperson’s records and for every id of another organization', async () => {
    const customerId = await seedCustomer(t, admin.tenantId, { code: 'SCOPE-1', ownerUserId: sales1.userId });
    const invoiceId = await seedInvoice(t, admin.tenantId, {
      customerId,
      totalMinor: 10_000n,
      invoiceDate: '2026-11-01',
    });
    const receiptId = await postReceipt(finance, { customerId, receivedOn: '2026-11-02', amount: '50.00' });
    const allocated = await allocate(finance, receiptId, { lines: [{ invoiceId, amount: '10.00' }] });
    const allocationId = allocated.json<ReceiptDetail>().allocations[0]?.id ?? '';
    const poolId = await postReceipt(finance, { customerId: null, receivedOn: '2026-11-02', amount: '5.00' });
    const claim = await sales1.request('POST', `/api/receipts/${poolId}/claims`, {
      customerId,
      evidence: 'e',
    });
    const claimId = claim.json<{ id: string }>().id;

    expect((await sales2.request('GET', `/api/receipts/${receiptId}`)).statusCode).toBe(404);
    expect((await sales2.request('GET', `/api/customers/${customerId}/balance`)).statusCode).toBe(404);
    expect((await sales2.request('GET', `/api/customers/${customerId}/ledger`)).statusCode).toBe(404);
    expect(
      (
        await sales2.request('POST', `/api/invoices/${invoiceId}/offset-requests`, {
          amount: '1.00',
          reason: 'r',
          counterparty: 'c',
        })
      ).statusCode,
    ).toBe(404);
    const sales2List = await sales2.request('GET', '/api/balances/customers');
    expect(
      sales2List.json<{ items: { customerId: string }[] }>().items.map((c) => c.customerId),
    ).not.toContain(customerId);
    expect((await sales2.request('GET', `/api/receipts/${poolId}`)).statusCode).toBe(200);

    const outsider = await signUp(t.app);
    const key = withKey();
    const calls: [string, string, object | undefined][] = [
      ['GET', `/api/receipts/${receiptId}`, undefined],
      ['PATCH', `/api/receipts/${receiptId}`, { notes: 'x' }],
      ['DELETE', `/api/receipts/${receiptId}`, undefined],
      ['POST', `/api/receipts/${receiptId}/confirm`, undefined],
      ['POST', `/api/receipts/${receiptId}/reverse`, { reason: 'x' }],
      ['POST', `/api/receipts/${receiptId}/allocations`, { lines: [{ invoiceId, amount: '1.00' }] }],
      ['POST', `/api/receipts/${receiptId}/auto-allocate`, {}],
      ['POST', `/api/allocations/${allocationId}/reverse`, { reason: 'x' }],
      ['POST', `/api/receipts/${poolId}/claims`, { customerId, evidence: 'x' }],
      ['GET', `/api/receipt-claims/${claimId}`, undefined],
      ['POST', `/api/receipt-claims/${claimId}/confirm`, {}],
      ['POST', `/api/receipt-claims/${claimId}/reject`, { comment: 'x' }],
      ['GET', `/api/customers/${customerId}/balance`, undefined],
      ['GET', `/api/customers/${customerId}/ledger`, undefined],
      [
        'POST',
        `/api/invoices/${invoiceId}/offset-requests`,
        { amount: '1.00', reason: 'r', counterparty: 'c' },
      ],
      [
        'POST',
        `/api/invoices/${invoiceId}/goods-settlement-requests`,
        { amount: '1.00', reason: 'r', goodsDescription: 'g' },
      ],
    ];
    for (const [method, url, body] of calls) {
      const response = await outsider.request(method as 'GET', url, body, {
        headers: { ...key.headers, 'idempotency-key': newKey() },
      });
      expect({ url, method, status: response.statusCode }).toEqual({ url, method, status: 404 });
    }
    const sales2Calls: [string, string, object | undefined][] = [
      ['POST', `/api/receipts/${receiptId}/claims`, { customerId, evidence: 'x' }],
      ['PATCH', `/api/receipts/${receiptId}`, { notes: 'x' }],
    ];
    for (const [method, url, body] of sales2Calls) {
      const response = await sales2.request(method as 'GET', url, body, withKey());
      expect({ url, status: response.statusCode }).toEqual({ url, status: 404 });
    }
  });
});
