import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
});
afterAll(() => t.close());

const key = () => ({ headers: { 'idempotency-key': randomUUID() } });

/** A customer owned by `owner`, with one issued ¥500.00 invoice; returns the invoice id. */
async function invoiceFor(admin: Client, owner: Client): Promise<{ customerId: string; invoiceId: string }> {
  const code = `C-${randomUUID().slice(0, 8)}`;
  const customer = await admin.request('POST', '/api/customers', {
    code,
    name: code,
    ownerUserId: owner.userId,
  });
  expect(customer.statusCode, customer.body).toBe(201);
  const invoice = await admin.request('POST', '/api/invoices', {
    customerId: customer.json().id,
    number: `INV-${code}`,
    invoiceDate: '2026-11-01',
    amount: '500.00',
  });
  expect(invoice.statusCode, invoice.body).toBe(201);
  expect(
    (await admin.request('POST', `/api/invoices/${invoice.json().id}/issue`, {}, key())).statusCode,
  ).toBe(200);
  return { customerId: customer.json().id, invoiceId: invoice.json().id };
}

describe('approvals', () => {
  it('takes effect only when a permitted role other than the requester approves', async () => {
    const admin = await signUp(t.app);
    const sales = await addUser(admin, 'salesperson');
    const finance = await addUser(admin, 'finance');
    const executive = await addUser(admin, 'executive');
    const { invoiceId } = await invoiceFor(admin, sales);
    const waiver = await sales.request('POST', `/api/invoices/${invoiceId}/waivers`, {
      amount: '12.34',
      reason: '抹零',
    });
    expect(waiver.statusCode, waiver.body).toBe(201);
    const approvalId = waiver.json().id;

    const decide = (client: Client) =>
      client.request('POST', `/api/approvals/${approvalId}/decision`, {
        decision: 'approve',
        comment: '同意',
      });
    expect((await decide(sales)).statusCode).toBe(403);
    expect((await decide(executive)).statusCode).toBe(403);
    expect((await admin.request('GET', `/api/invoices/${invoiceId}`)).json().open).toBe('500.00');

    const approved = await decide(finance);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      status: 'approved',
      decidedByUserId: finance.userId,
      decisionComment: '同意',
    });
    expect((await admin.request('GET', `/api/invoices/${invoiceId}`)).json().open).toBe('487.66');
    expect((await decide(admin)).statusCode).toBe(409);

    const audit = await admin.request('GET', `/api/audit?entityType=approval&entityId=${approvalId}`);
    expect(audit.json().items.map((i: { action: string }) => i.action)).toEqual([
      'approval.approved',
      'approval.requested',
    ]);
  });

  it('lets the requester cancel a pending request, after which nothing happens', async () => {
    const admin = await signUp(t.app);
    const sales = await addUser(admin, 'salesperson');
    const { invoiceId } = await invoiceFor(admin, sales);
    const waiver = (
      await sales.request('POST', `/api/invoices/${invoiceId}/waivers`, { amount: '1.00', reason: 'x' })
    ).json();
    expect((await admin.request('POST', `/api/approvals/${waiver.id}/cancel`)).statusCode).toBe(403);
    const cancelled = await sales.request('POST', `/api/approvals/${waiver.id}/cancel`);
    expect(cancelled.json().status).toBe('cancelled');
    const late = await admin.request('POST', `/api/approvals/${waiver.id}/decision`, { decision: 'approve' });
    expect(late.statusCode).toBe(409);
    expect((await admin.request('GET', `/api/invoices/${invoiceId}`)).json().open).toBe('500.00');
  });

  it('shows salespeople only their own requests and those about their customers', async () => {
    const admin = await signUp(t.app);
    const li = await addUser(admin, 'salesperson');
    const wang = await addUser(admin, 'salesperson');
    const mine = await invoiceFor(admin, li);
    const theirs = await invoiceFor(admin, wang);
    await li.request('POST', `/api/invoices/${mine.invoiceId}/waivers`, { amount: '1.00', reason: 'x' });
    const other = (
      await wang.request('POST', `/api/invoices/${theirs.invoiceId}/waivers`, { amount: '2.00', reason: 'y' })
    ).json();
    const list = await li.request('GET', '/api/approvals?status=pending');
    expect(list.json().items.map((i: { amount: string }) => i.amount)).toEqual(['1.00']);
    expect((await li.request('GET', `/api/approvals/${other.id}`)).statusCode).toBe(404);
    const all = await admin.request('GET', '/api/approvals?status=pending&kind=discount_waiver');
    expect(all.json().items).toHaveLength(2);
  });
});
