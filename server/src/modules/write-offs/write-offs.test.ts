import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgingReport, CustomerBalanceView, ProvisionReport, WriteOff } from '@huikuan/core/contracts';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { postReceipt, seedCustomer, seedInvoice, withKey } from '../receipts/test-fixtures';

/**
 * The hand ledger (CNY; today is 2026-11-22 on the test clock):
 *   W-1 (the salesperson's): I1 1,000.00 invoiced 2024-01-01 due 2024-01-31 (over 730 days late: 死账);
 *                             I2 200.00 invoiced 2026-11-01 due 2026-12-01 (not due).
 *   Write off 600.00 of I1 (the salesperson asks, finance approves): I1 open 400.00, customer open 600.00.
 *   A receipt of 250.00 on 2026-11-20: 100.00 recovers the write-off, 150.00 stays unapplied.
 */
let t: TestApp;
let admin: Client;
let finance: Client;
let salesperson: Client;
let otherSeller: Client;
let foreign: Client;
const ids = { w1: '', i1: '', i2: '', approval: '', writeOff: '', receipt: '' };

async function ok<T>(response: Promise<{ statusCode: number; body: string; json(): unknown }>): Promise<T> {
  const settled = await response;
  if (settled.statusCode >= 300) throw new Error(`${settled.statusCode} ${settled.body}`);
  return settled.json() as T;
}

async function balance(client: Client, customerId: string): Promise<CustomerBalanceView> {
  return ok<CustomerBalanceView>(client.request('GET', `/api/customers/${customerId}/balance`));
}

async function writeOff(client: Client, writeOffId: string): Promise<WriteOff> {
  return ok<WriteOff>(client.request('GET', `/api/write-offs/${writeOffId}`));
}

async function recover(client: Client, writeOffId: string, body: Record<string, string>, key = withKey()) {
  return client.request('POST', `/api/write-offs/${writeOffId}/recoveries`, body, key);
}

beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  admin = await signUp(t.app);
  finance = await addUser(admin, 'finance');
  salesperson = await addUser(admin, 'salesperson');
  otherSeller = await addUser(admin, 'salesperson');
  foreign = await signUp(t.app);
  const tenantId = admin.tenantId;
  ids.w1 = await seedCustomer(t, tenantId, { code: 'W-1', ownerUserId: salesperson.userId });
  ids.i1 = await seedInvoice(t, tenantId, {
    customerId: ids.w1,
    totalMinor: 100_000n,
    invoiceDate: '2024-01-01',
    dueDate: '2024-01-31',
    number: 'I1',
  });
  ids.i2 = await seedInvoice(t, tenantId, {
    customerId: ids.w1,
    totalMinor: 20_000n,
    invoiceDate: '2026-11-01',
    dueDate: '2026-12-01',
    number: 'I2',
  });
}, 60_000);

afterAll(async () => {
  await t.close();
});

describe('write-offs', () => {
  it('changes nothing until approved, and never by the person who asked', async () => {
    const request = await salesperson.request('POST', `/api/invoices/${ids.i1}/write-offs`, {
      amount: '600.00',
      reason: '客户已注销，经诉讼无可执行财产',
    });
    expect(request.statusCode).toBe(201);
    expect(request.json()).toMatchObject({ kind: 'write_off', status: 'pending', amount: '600.00' });
    ids.approval = request.json<{ id: string }>().id;
    expect(request.json<{ payload: Record<string, unknown> }>().payload).toMatchObject({
      invoiceNumber: 'I1',
      daysOverdue: 1026,
    });
    expect((await balance(finance, ids.w1)).balances[0]).toMatchObject({ openInvoices: '1200.00' });

    const own = await salesperson.request('POST', `/api/approvals/${ids.approval}/decision`, {
      decision: 'approve',
    });
    expect(own.statusCode).toBe(403);
    const approved = await finance.request('POST', `/api/approvals/${ids.approval}/decision`, {
      decision: 'approve',
    });
    expect(approved.statusCode).toBe(200);

    const register = await ok<{ items: WriteOff[] }>(finance.request('GET', '/api/write-offs'));
    expect(register.items).toHaveLength(1);
    expect(register.items[0]).toMatchObject({
      number: 'WO-I1-1',
      invoiceNumber: 'I1',
      customerCode: 'W-1',
      writtenOffOn: '2026-11-22',
      amount: '600.00',
      recovered: '0.00',
      outstanding: '600.00',
    });
    ids.writeOff = register.items[0]?.id ?? '';
  });

  it('takes the written-off amount out of balances, aging and the provision', async () => {
    expect((await balance(finance, ids.w1)).balances[0]).toMatchObject({
      openInvoices: '600.00',
      unappliedCredit: '0.00',
      balance: '600.00',
    });
    const aging = await ok<AgingReport>(finance.request('GET', '/api/aging?by=customer'));
    const section = aging.currencies.find((s) => s.currency === 'CNY');
    expect(section?.totals).toMatchObject({ not_due: '200.00', over_730: '400.00' });
    const provision = await ok<ProvisionReport>(finance.request('GET', '/api/provision'));
    expect(JSON.stringify(provision)).toContain('"400.00"');
    const invoice = await ok<{ creditNotes: { number: string; kind: string }[]; balance: { open: string } }>(
      finance.request('GET', `/api/invoices/${ids.i1}`),
    );
    expect(invoice.creditNotes).toEqual([expect.objectContaining({ number: 'WO-I1-1', kind: 'write_off' })]);
  });

  it('refuses writing off more than is open, when approved after money came in', async () => {
    const tooMuch = await salesperson.request('POST', `/api/invoices/${ids.i1}/write-offs`, {
      amount: '400.01',
      reason: 'x',
    });
    expect(tooMuch.statusCode).toBe(409);
  });

  it('recovers written-off money from a later receipt without reopening the invoice', async () => {
    ids.receipt = await postReceipt(finance, {
      customerId: ids.w1,
      receivedOn: '2026-11-20',
      amount: '250.00',
    });
    const key = withKey();
    const first = await recover(finance, ids.writeOff, { receiptId: ids.receipt, amount: '100.00' }, key);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ recovered: '100.00', outstanding: '500.00' });
    // The same key again is the same recovery, not a second one.
    const retry = await recover(finance, ids.writeOff, { receiptId: ids.receipt, amount: '100.00' }, key);
    expect(retry.json()).toMatchObject({ recovered: '100.00' });

    // 1,200.00 invoiced − 600.00 written off = 600.00 open; 250.00 received − 100.00 recovered = 150.00 unapplied.
    expect((await balance(finance, ids.w1)).balances[0]).toMatchObject({
      openInvoices: '600.00',
      unappliedCredit: '150.00',
      balance: '450.00',
    });
    const receipt = await ok<{ unapplied: string; allocations: { writeOffNumber: string | null }[] }>(
      finance.request('GET', `/api/receipts/${ids.receipt}`),
    );
    expect(receipt.unapplied).toBe('150.00');
    expect(receipt.allocations.map((a) => a.writeOffNumber)).toEqual(['WO-I1-1']);
  });

  it('shows the write-off and the recovery on the customer ledger, ending on the balance', async () => {
    const ledger = await ok<{ entries: { kind: string; balanceEffect: string; runningBalance: string }[] }>(
      finance.request('GET', `/api/customers/${ids.w1}/ledger`),
    );
    const kinds = ledger.entries.map((entry) => `${entry.kind} ${entry.balanceEffect}`);
    expect(kinds).toEqual([
      'invoice 1000.00',
      'invoice 200.00',
      'receipt -250.00',
      'write_off -600.00',
      'write_off_recovery 100.00',
    ]);
    expect(ledger.entries.at(-1)?.runningBalance).toBe('450.00');
  });

  it('refuses recovering more than the receipt holds or than was written off', async () => {
    const overReceipt = await recover(finance, ids.writeOff, { receiptId: ids.receipt, amount: '150.01' });
    expect(overReceipt.statusCode).toBe(409);
    const big = await postReceipt(finance, {
      customerId: ids.w1,
      receivedOn: '2026-11-21',
      amount: '1000.00',
    });
    const overWriteOff = await recover(finance, ids.writeOff, { receiptId: big, amount: '500.01' });
    expect(overWriteOff.statusCode).toBe(409);
    expect(overWriteOff.json().error.params.detail).toContain('500.00 of WO-I1-1 is unrecovered');
    const early = await recover(finance, ids.writeOff, {
      receiptId: big,
      amount: '1.00',
      recoveredOn: '2026-11-20',
    });
    expect(early.statusCode).toBe(400);
    expect(JSON.stringify(early.json())).toContain('recoveredOn');
  });

  it('refuses a receipt of another customer, and salespeople may not record recoveries', async () => {
    const stranger = await seedCustomer(t, admin.tenantId, { code: 'W-2' });
    const theirs = await postReceipt(finance, {
      customerId: stranger,
      receivedOn: '2026-11-21',
      amount: '10.00',
    });
    const wrong = await recover(finance, ids.writeOff, { receiptId: theirs, amount: '1.00' });
    expect(wrong.statusCode).toBe(409);
    const seller = await recover(salesperson, ids.writeOff, { receiptId: ids.receipt, amount: '1.00' });
    expect(seller.statusCode).toBe(403);
  });

  it('writes the amount off again when the recovery is reversed', async () => {
    const receipt = await ok<{ allocations: { id: string; writeOffId: string | null }[] }>(
      finance.request('GET', `/api/receipts/${ids.receipt}`),
    );
    const recovery = receipt.allocations.find((a) => a.writeOffId === ids.writeOff);
    const reversed = await finance.request(
      'POST',
      `/api/allocations/${recovery?.id}/reverse`,
      { reason: '记错客户' },
      withKey(),
    );
    expect(reversed.statusCode, reversed.body).toBe(200);
    expect(await writeOff(finance, ids.writeOff)).toMatchObject({ recovered: '0.00', outstanding: '600.00' });
    expect((await balance(finance, ids.w1)).balances[0]).toMatchObject({ unappliedCredit: '1250.00' });
  });

  it('is scoped like the invoice: other salespeople and other organizations see nothing', async () => {
    expect((await otherSeller.request('GET', `/api/write-offs/${ids.writeOff}`)).statusCode).toBe(404);
    const list = await ok<{ items: WriteOff[] }>(otherSeller.request('GET', '/api/write-offs'));
    expect(list.items).toEqual([]);
    expect((await foreign.request('GET', `/api/write-offs/${ids.writeOff}`)).statusCode).toBe(404);
    const filtered = await ok<{ items: WriteOff[] }>(
      finance.request('GET', `/api/write-offs?outstandingOnly=true&from=2026-11-22&customerId=${ids.w1}`),
    );
    expect(filtered.items).toHaveLength(1);
    const none = await ok<{ items: WriteOff[] }>(finance.request('GET', '/api/write-offs?to=2026-11-21'));
    expect(none.items).toEqual([]);
  });

  it('audits the request, the posting and the recovery', async () => {
    const audit = await ok<{ items: { action: string }[] }>(admin.request('GET', '/api/audit?limit=200'));
    const actions = audit.items.map((item) => item.action);
    expect(actions).toEqual(
      expect.arrayContaining(['invoice.write_off_requested', 'write_off.posted', 'write_off.recovered']),
    );
  });
});
