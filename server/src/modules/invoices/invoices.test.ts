import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { idempotencyKey, insertAllocatedReceipt, insertCustomer } from './test-fixtures';

// The test clock stands at 2026-11-22T02:00Z: today is 2026-11-22 in Asia/Shanghai.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
});
afterAll(() => t.close());

let counter = 0;
function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

async function customerOf(client: Client, ownerUserId: string | null, paymentTermsDays = 30) {
  return insertCustomer(t, client.tenantId, { code: unique('C'), ownerUserId, paymentTermsDays });
}

async function draft(client: Client, body: Record<string, unknown>) {
  const response = await client.request('POST', '/api/invoices', { number: unique('INV'), ...body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function issue(client: Client, invoiceId: string) {
  const response = await client.request('POST', `/api/invoices/${invoiceId}/issue`, {}, idempotencyKey());
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function issued(client: Client, customerId: string, amount: string, invoiceDate = '2026-11-01') {
  const invoice = await draft(client, { customerId, invoiceDate, amount });
  return issue(client, invoice.id);
}

describe('invoice drafts', () => {
  it('computes VAT per line with awkward quantities and takes the due date from the terms', async () => {
    const admin = await signUp(t.app);
    const customerId = await customerOf(admin, admin.userId, 30);
    const invoice = await draft(admin, {
      customerId,
      invoiceDate: '2026-11-01',
      lines: [
        { description: '服务费', quantity: '3', unitPrice: '33.33', taxRateBp: 1300 },
        { description: '螺丝', quantity: '1.2345', unitPrice: '0.07', taxRateBp: 600 },
        { description: '设备', quantity: '2.5', unitPrice: '1000000.07', taxRateBp: 900 },
      ],
    });
    // 3 × 33.33 = 99.99, VAT 13 % = 12.9987 → 13.00; 1.2345 × 0.07 = 0.086415 → 0.09, VAT 6 % = 0.0054 → 0.01;
    // 2.5 × 1,000,000.07 = 2,500,000.175 → 2,500,000.18, VAT 9 % = 225,000.0162 → 225,000.02.
    expect(invoice.lines.map((l: { amount: string; tax: string }) => [l.amount, l.tax])).toEqual([
      ['99.99', '13.00'],
      ['0.09', '0.01'],
      ['2500000.18', '225000.02'],
    ]);
    expect(invoice).toMatchObject({
      subtotal: '2500100.26',
      tax: '225013.03',
      total: '2725113.29',
      currency: 'CNY',
      dueDate: '2026-12-01',
      status: 'draft',
      postingStatus: 'draft',
      open: null,
    });
    expect(invoice.lines[1].quantity).toBe('1.2345');

    const contract = await admin.request('POST', '/api/contracts', {
      number: unique('HT'),
      customerId,
      amount: '1000.00',
      signedOn: '2026-10-01',
      paymentTermsDays: 45,
      planNodes: [{ name: '首付', amount: '300.00', dueTrigger: 'on_signing' }],
    });
    const onContract = await draft(admin, {
      customerId,
      contractId: contract.json().id,
      planNodeId: contract.json().planNodes[0].id,
      invoiceDate: '2026-11-01',
      amount: '300.00',
    });
    expect(onContract).toMatchObject({ dueDate: '2026-12-16', total: '300.00', tax: '0.00' });

    const badPrice = await admin.request('POST', '/api/invoices', {
      number: unique('INV'),
      customerId,
      invoiceDate: '2026-11-01',
      lines: [
        { description: 'a', quantity: '1', unitPrice: '1.00', taxRateBp: 0 },
        { description: 'b', quantity: '1', unitPrice: '1.001', taxRateBp: 0 },
      ],
    });
    expect(badPrice.statusCode).toBe(400);
    expect(badPrice.json().error.issues[0].path).toBe('lines.1.unitPrice');
    const badQuantity = await admin.request('POST', '/api/invoices', {
      number: unique('INV'),
      customerId,
      invoiceDate: '2026-11-01',
      lines: [{ description: 'a', quantity: '0.00001', unitPrice: '1.00', taxRateBp: 0 }],
    });
    expect(badQuantity.statusCode).toBe(400);
    const duplicate = await admin.request('POST', '/api/invoices', {
      number: invoice.number,
      customerId,
      invoiceDate: '2026-11-01',
      amount: '1.00',
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.message).toContain(invoice.number);
  });

  it('edits and deletes a draft, then refuses any change once issued, in the API and in the database', async () => {
    const admin = await signUp(t.app);
    const customerId = await customerOf(admin, admin.userId);
    const invoice = await draft(admin, { customerId, invoiceDate: '2026-11-01', amount: '100.00' });
    const edited = await admin.request('PATCH', `/api/invoices/${invoice.id}`, {
      amount: '500.07',
      invoiceDate: '2026-11-05',
      notes: '改过',
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({
      total: '500.07',
      invoiceDate: '2026-11-05',
      dueDate: '2026-12-05',
      notes: '改过',
    });

    const posted = await issue(admin, invoice.id);
    expect(posted).toMatchObject({
      status: 'issued',
      postingStatus: 'issued',
      open: '500.07',
      issuedByUserId: admin.userId,
    });
    const patch = await admin.request('PATCH', `/api/invoices/${invoice.id}`, { amount: '1.00' });
    expect(patch.statusCode).toBe(409);
    expect((await admin.request('DELETE', `/api/invoices/${invoice.id}`)).statusCode).toBe(409);
    await expect(
      t.db.tenant(admin.tenantId, (tx) =>
        tx
          .updateTable('invoices')
          .set({ total_minor: 1n, subtotal_minor: 1n })
          .where('id', '=', invoice.id)
          .execute(),
      ),
    ).rejects.toThrow(/cannot be changed/);
    await expect(
      t.db.tenant(admin.tenantId, (tx) =>
        tx
          .updateTable('invoice_lines')
          .set({ amount_minor: 1n })
          .where('invoice_id', '=', invoice.id)
          .execute(),
      ),
    ).rejects.toThrow(/cannot change/);

    const other = await draft(admin, { customerId, invoiceDate: '2026-11-01', amount: '1.00' });
    expect((await admin.request('DELETE', `/api/invoices/${other.id}`)).statusCode).toBe(200);
    expect((await admin.request('GET', `/api/invoices/${other.id}`)).statusCode).toBe(404);
  });

  it('issues once per idempotency key and refuses the key with other parameters', async () => {
    const admin = await signUp(t.app);
    const customerId = await customerOf(admin, admin.userId);
    const invoice = await draft(admin, { customerId, invoiceDate: '2026-11-01', amount: '0.01' });
    const missing = await admin.request('POST', `/api/invoices/${invoice.id}/issue`, {});
    expect(missing.statusCode).toBe(400);
    const key = idempotencyKey();
    const first = await admin.request('POST', `/api/invoices/${invoice.id}/issue`, {}, key);
    const retry = await admin.request('POST', `/api/invoices/${invoice.id}/issue`, {}, key);
    expect(first.statusCode).toBe(200);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
    const otherBody = await admin.request(
      'POST',
      `/api/invoices/${invoice.id}/issue`,
      { invoiceRequestId: '00000000-0000-4000-8000-000000000000' },
      key,
    );
    expect(otherBody.statusCode).toBe(409);
    expect(otherBody.json().error.code).toBe('idempotency_conflict');
    const otherKey = await admin.request('POST', `/api/invoices/${invoice.id}/issue`, {}, idempotencyKey());
    expect(otherKey.statusCode).toBe(409);
    const audit = (await admin.request('GET', `/api/audit?entityId=${invoice.id}`)).json();
    expect(audit.items.filter((e: { action: string }) => e.action === 'invoice.issued')).toHaveLength(1);
  });
});

describe('voids and credit notes', () => {
  it('voids only an issued invoice with nothing allocated or credited', async () => {
    const admin = await signUp(t.app);
    const customerId = await customerOf(admin, admin.userId);
    const body = { reason: '开错客户' };
    const draftOnly = await draft(admin, { customerId, invoiceDate: '2026-11-01', amount: '1.00' });
    expect(
      (await admin.request('POST', `/api/invoices/${draftOnly.id}/void`, body, idempotencyKey())).statusCode,
    ).toBe(409);

    const paid = await issued(admin, customerId, '100.00');
    await insertAllocatedReceipt(t, admin.tenantId, {
      customerId,
      invoiceId: paid.id,
      amountMinor: 1n,
      allocatedOn: '2026-11-10',
    });
    expect(
      (await admin.request('POST', `/api/invoices/${paid.id}/void`, body, idempotencyKey())).statusCode,
    ).toBe(409);

    const credited = await issued(admin, customerId, '100.00');
    const note = await admin.request(
      'POST',
      `/api/invoices/${credited.id}/credit-notes`,
      { number: unique('CN'), amount: '0.01', reason: '折让' },
      idempotencyKey(),
    );
    expect(note.statusCode).toBe(201);
    expect(
      (await admin.request('POST', `/api/invoices/${credited.id}/void`, body, idempotencyKey())).statusCode,
    ).toBe(409);

    const clean = await issued(admin, customerId, '100.00');
    const key = idempotencyKey();
    const voided = await admin.request(
      'POST',
      `/api/invoices/${clean.id}/void`,
      { ...body, voidedOn: '2026-11-20' },
      key,
    );
    expect(voided.statusCode, voided.body).toBe(200);
    expect(voided.json()).toMatchObject({
      status: 'void',
      open: '0.00',
      void: { voidedOn: '2026-11-20', reason: '开错客户' },
    });
    const replay = await admin.request(
      'POST',
      `/api/invoices/${clean.id}/void`,
      { ...body, voidedOn: '2026-11-20' },
      key,
    );
    expect(replay.json()).toEqual(voided.json());
    expect(
      (await admin.request('POST', `/api/invoices/${clean.id}/void`, body, idempotencyKey())).statusCode,
    ).toBe(409);
    const before = (await admin.request('GET', `/api/invoices/${clean.id}?asOf=2026-11-19`)).json();
    expect(before).toMatchObject({ status: 'issued', open: '100.00', isOverdue: false });
  });

  it('posts a credit note up to the threshold at once, makes a larger one wait for approval, and never over-reduces', async () => {
    const admin = await signUp(t.app);
    const seller = await addUser(admin, 'salesperson');
    const finance = await addUser(admin, 'finance');
    const customerId = await customerOf(admin, seller.userId);
    const small = await issued(seller, customerId, '20000.00');
    // The default threshold is ¥10,000.00: exactly that much posts at once.
    const atThreshold = await seller.request(
      'POST',
      `/api/invoices/${small.id}/credit-notes`,
      { number: 'CN-1', amount: '10000.00', reason: '退货' },
      idempotencyKey(),
    );
    expect(atThreshold.statusCode, atThreshold.body).toBe(201);
    expect(atThreshold.json()).toMatchObject({
      status: 'posted',
      amount: '10000.00',
      issuedOn: '2026-11-22',
    });
    const tooMuch = await seller.request(
      'POST',
      `/api/invoices/${small.id}/credit-notes`,
      { number: 'CN-2', amount: '10000.01', reason: '退货' },
      idempotencyKey(),
    );
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json().error.message).toBe(
      '10000.01 is more than the open balance 10000.00 of invoice ' + small.number,
    );
    expect((await seller.request('GET', `/api/invoices/${small.id}`)).json()).toMatchObject({
      open: '10000.00',
      credited: '10000.00',
      status: 'partially_paid',
    });

    const large = await issued(seller, customerId, '50000.00');
    const pending = await seller.request(
      'POST',
      `/api/invoices/${large.id}/credit-notes`,
      { number: 'CN-3', amount: '12000.00', reason: '质量折让' },
      idempotencyKey(),
    );
    expect(pending.json()).toMatchObject({ status: 'pending_approval' });
    const approvalId = pending.json().approvalRequestId;
    expect((await seller.request('GET', `/api/invoices/${large.id}`)).json().open).toBe('50000.00');
    const own = await seller.request('POST', `/api/approvals/${approvalId}/decision`, {
      decision: 'approve',
    });
    expect(own.statusCode).toBe(403);
    const approved = await finance.request('POST', `/api/approvals/${approvalId}/decision`, {
      decision: 'approve',
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const after = (await seller.request('GET', `/api/invoices/${large.id}`)).json();
    expect(after.open).toBe('38000.00');
    expect(after.creditNotes[0]).toMatchObject({ number: 'CN-3', status: 'posted' });

    // A pending note that no longer fits when approved is refused, and nothing changes.
    const shrinking = await issued(seller, customerId, '20000.00');
    const waiting = await seller.request(
      'POST',
      `/api/invoices/${shrinking.id}/credit-notes`,
      { number: 'CN-4', amount: '15000.00', reason: '折让' },
      idempotencyKey(),
    );
    await insertAllocatedReceipt(t, admin.tenantId, {
      customerId,
      invoiceId: shrinking.id,
      amountMinor: 1_000_000n,
      allocatedOn: '2026-11-21',
    });
    const late = await finance.request(
      'POST',
      `/api/approvals/${waiting.json().approvalRequestId}/decision`,
      {
        decision: 'approve',
      },
    );
    expect(late.statusCode).toBe(409);
    const rejected = await finance.request(
      'POST',
      `/api/approvals/${waiting.json().approvalRequestId}/decision`,
      {
        decision: 'reject',
        comment: '金额超出',
      },
    );
    expect(rejected.statusCode).toBe(200);
    const final = (await seller.request('GET', `/api/invoices/${shrinking.id}`)).json();
    expect(final).toMatchObject({ open: '10000.00', status: 'partially_paid' });
    expect(final.creditNotes[0].status).toBe('rejected');
  });

  it('lets parallel credit notes take off no more than is open', async () => {
    const admin = await signUp(t.app);
    const customerId = await customerOf(admin, admin.userId);
    const invoice = await issued(admin, customerId, '100.00');
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        admin.request(
          'POST',
          `/api/invoices/${invoice.id}/credit-notes`,
          { number: `PAR-${invoice.number}-${index}`, amount: '30.00', reason: '并发' },
          idempotencyKey(),
        ),
      ),
    );
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([201, 201, 201, 409, 409, 409]);
    const after = (await admin.request('GET', `/api/invoices/${invoice.id}`)).json();
    expect(after).toMatchObject({ open: '10.00', credited: '90.00' });
  });

  it('waives part of an invoice only through an approval, which posts a numbered credit note', async () => {
    const admin = await signUp(t.app);
    const manager = await addUser(admin, 'sales_manager');
    const otherManager = await addUser(admin, 'sales_manager');
    // The manager decides for customers in their scope; this one is theirs.
    const customerId = await customerOf(admin, manager.userId);
    const invoice = await issued(admin, customerId, '1000000.07');
    const request = await admin.request('POST', `/api/invoices/${invoice.id}/waivers`, {
      amount: '0.07',
      reason: '抹零',
    });
    expect(request.statusCode, request.body).toBe(201);
    expect(request.json()).toMatchObject({ kind: 'discount_waiver', status: 'pending', amount: '0.07' });
    expect((await admin.request('GET', `/api/invoices/${invoice.id}`)).json().open).toBe('1000000.07');
    const outOfScope = await otherManager.request('POST', `/api/approvals/${request.json().id}/decision`, {
      decision: 'approve',
    });
    expect(outOfScope.statusCode).toBe(404);
    const decided = await manager.request('POST', `/api/approvals/${request.json().id}/decision`, {
      decision: 'approve',
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const after = (await admin.request('GET', `/api/invoices/${invoice.id}`)).json();
    expect(after.open).toBe('1000000.00');
    expect(after.creditNotes[0]).toMatchObject({
      number: `WV-${invoice.number}-1`,
      amount: '0.07',
      status: 'posted',
    });
    const tooMuch = await admin.request('POST', `/api/invoices/${invoice.id}/waivers`, {
      amount: '1000000.01',
      reason: 'x',
    });
    expect(tooMuch.statusCode).toBe(409);
  });
});

describe('invoice lists, balances and scope', () => {
  it('pages with open balances as of today and filters by status, overdue and due dates', async () => {
    const admin = await signUp(t.app);
    const customerId = await customerOf(admin, admin.userId, 10);
    const a = await issued(admin, customerId, '33.33', '2026-10-01'); // due 10-11, overdue
    const b = await issued(admin, customerId, '1000000.07', '2026-11-02'); // due 11-12, partly paid
    const c = await issued(admin, customerId, '0.01', '2026-11-20'); // due 11-30
    const d = await draft(admin, { customerId, invoiceDate: '2026-11-21', amount: '5.00' });
    await insertAllocatedReceipt(t, admin.tenantId, {
      customerId,
      invoiceId: b.id,
      amountMinor: 7n,
      allocatedOn: '2026-11-15',
    });
    await insertAllocatedReceipt(t, admin.tenantId, {
      customerId,
      invoiceId: a.id,
      amountMinor: 3333n,
      allocatedOn: '2026-11-23',
    });

    const first = (await admin.request('GET', '/api/invoices?limit=3')).json();
    expect(first.items.map((i: { id: string }) => i.id)).toEqual([d.id, c.id, b.id]);
    expect(first.items.map((i: { open: string | null }) => i.open)).toEqual([null, '0.01', '1000000.00']);
    expect(first.items[2]).toMatchObject({ status: 'partially_paid', allocated: '0.07', isOverdue: true });
    const second = (await admin.request('GET', `/api/invoices?limit=3&cursor=${first.nextCursor}`)).json();
    // a's payment is dated tomorrow: today it is still fully open and overdue.
    expect(
      second.items.map((i: { number: string; open: string; status: string }) => [i.number, i.open, i.status]),
    ).toEqual([[a.number, '33.33', 'issued']]);
    expect(second.nextCursor).toBeNull();

    const overdue = (await admin.request('GET', '/api/invoices?overdue=true')).json();
    expect(overdue.items.map((i: { id: string }) => i.id)).toEqual([b.id, a.id]);
    const drafts = (await admin.request('GET', '/api/invoices?status=draft')).json();
    expect(drafts.items.map((i: { id: string }) => i.id)).toEqual([d.id]);
    const dueWindow = (
      await admin.request('GET', '/api/invoices?dueFrom=2026-11-12&dueTo=2026-11-30')
    ).json();
    expect(dueWindow.items.map((i: { id: string }) => i.id)).toEqual([c.id, b.id]);
    const search = (await admin.request('GET', `/api/invoices?search=${b.number}`)).json();
    expect(search.items.map((i: { id: string }) => i.id)).toEqual([b.id]);
    const later = (await admin.request('GET', `/api/invoices/${a.id}?asOf=2026-11-23`)).json();
    expect(later).toMatchObject({ status: 'paid', open: '0.00', isOverdue: false });
  });

  it("hides another salesperson's customer's invoices behind 404s", async () => {
    const admin = await signUp(t.app);
    const seller = await addUser(admin, 'salesperson');
    const other = await addUser(admin, 'salesperson');
    const theirs = await customerOf(admin, other.userId);
    const invoice = await issued(other, theirs, '10.00');
    expect((await seller.request('GET', `/api/invoices/${invoice.id}`)).statusCode).toBe(404);
    expect((await seller.request('GET', '/api/invoices')).json().items).toEqual([]);
    expect((await other.request('GET', '/api/invoices')).json().items).toHaveLength(1);
    const credit = await seller.request(
      'POST',
      `/api/invoices/${invoice.id}/credit-notes`,
      { number: unique('CN'), amount: '1.00', reason: 'x' },
      idempotencyKey(),
    );
    expect(credit.statusCode).toBe(404);
    const create = await seller.request('POST', '/api/invoices', {
      number: unique('INV'),
      customerId: theirs,
      invoiceDate: '2026-11-01',
      amount: '1.00',
    });
    expect(create.statusCode).toBe(404);
  });

  it("answers 404 on every invoice route given another organization's IDs", async () => {
    const a = await signUp(t.app);
    const b = await signUp(t.app);
    const customerId = await customerOf(b, b.userId);
    const draftInvoice = await draft(b, { customerId, invoiceDate: '2026-11-01', amount: '10.00' });
    const posted = await issued(b, customerId, '10.00');
    const request = (
      await b.request('POST', '/api/invoice-requests', { customerId, amount: '10.00' })
    ).json();
    const attachment = (
      await b.request('POST', `/api/invoices/${posted.id}/attachments`, {
        fileName: 'sign.pdf',
        contentType: 'application/pdf',
        contentBase64: Buffer.from('%PDF-1.4').toString('base64'),
      })
    ).json();
    const attempts: [Parameters<Client['request']>[0], string, unknown?][] = [
      ['GET', `/api/invoices/${posted.id}`],
      ['PATCH', `/api/invoices/${draftInvoice.id}`, { notes: 'x' }],
      ['DELETE', `/api/invoices/${draftInvoice.id}`],
      ['POST', `/api/invoices/${draftInvoice.id}/issue`, {}],
      ['POST', `/api/invoices/${posted.id}/void`, { reason: 'x' }],
      ['POST', `/api/invoices/${posted.id}/credit-notes`, { number: 'X-1', amount: '1.00', reason: 'x' }],
      ['POST', `/api/invoices/${posted.id}/waivers`, { amount: '1.00', reason: 'x' }],
      ['GET', `/api/invoices/${posted.id}/attachments`],
      ['POST', `/api/invoices/${posted.id}/attachments`, { fileName: 'a.txt', contentBase64: '' }],
      ['GET', `/api/invoices/${posted.id}/attachments/${attachment.id}/content`],
      ['GET', `/api/invoice-requests/${request.id}`],
      ['POST', `/api/invoice-requests/${request.id}/decision`, { decision: 'approve' }],
    ];
    for (const [method, url, body] of attempts) {
      const response = await a.request(method, url, body, idempotencyKey());
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
    expect((await a.request('GET', `/api/invoices?customerId=${customerId}`)).json().items).toEqual([]);
    expect((await a.request('GET', '/api/invoice-requests')).json().items).toEqual([]);
  });
});

describe('invoice requests and sign-off documents', () => {
  it('lets sales ask, finance approve, and the issued invoice fulfil the request', async () => {
    const admin = await signUp(t.app);
    const seller = await addUser(admin, 'salesperson');
    const finance = await addUser(admin, 'finance');
    const customerId = await customerOf(admin, seller.userId);
    const raised = await seller.request('POST', '/api/invoice-requests', {
      customerId,
      amount: '8888.88',
      notes: '首期',
    });
    expect(raised.statusCode, raised.body).toBe(201);
    const requestId = raised.json().id;
    expect(raised.json()).toMatchObject({ status: 'pending', amount: '8888.88', currency: 'CNY' });
    expect(
      (await seller.request('POST', `/api/invoice-requests/${requestId}/decision`, { decision: 'approve' }))
        .statusCode,
    ).toBe(403);
    const early = await finance.request('POST', '/api/invoices', {
      number: unique('INV'),
      customerId,
      invoiceDate: '2026-11-22',
      amount: '8888.88',
      invoiceRequestId: requestId,
    });
    expect(early.statusCode).toBe(409);
    const approved = await finance.request('POST', `/api/invoice-requests/${requestId}/decision`, {
      decision: 'approve',
      comment: '同意',
    });
    expect(approved.json()).toMatchObject({ status: 'approved', decidedByUserId: finance.userId });
    const invoice = await draft(finance, {
      customerId,
      invoiceDate: '2026-11-22',
      amount: '8888.88',
      invoiceRequestId: requestId,
    });
    await issue(finance, invoice.id);
    const fulfilled = (await seller.request('GET', `/api/invoice-requests/${requestId}`)).json();
    expect(fulfilled).toMatchObject({ status: 'issued', invoiceId: invoice.id });
    const list = (await seller.request('GET', '/api/invoice-requests?status=issued')).json();
    expect(list.items.map((r: { id: string }) => r.id)).toEqual([requestId]);
    const rejectedOne = (
      await seller.request('POST', '/api/invoice-requests', { customerId, amount: '1.00' })
    ).json();
    const rejected = await finance.request('POST', `/api/invoice-requests/${rejectedOne.id}/decision`, {
      decision: 'reject',
      comment: '合同未签',
    });
    expect(rejected.json()).toMatchObject({ status: 'rejected', decisionComment: '合同未签' });
  });

  it('attaches a sign-off document to an invoice and serves it back', async () => {
    const admin = await signUp(t.app);
    const customerId = await customerOf(admin, admin.userId);
    const invoice = await issued(admin, customerId, '10.00');
    const content = Buffer.from('签收单 signed');
    const added = await admin.request('POST', `/api/invoices/${invoice.id}/attachments`, {
      fileName: '签收单.pdf',
      contentType: 'application/pdf',
      contentBase64: content.toString('base64'),
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ kind: 'sign_off', entityType: 'invoice', entityId: invoice.id });
    const list = (await admin.request('GET', `/api/invoices/${invoice.id}/attachments`)).json();
    expect(list.items).toHaveLength(1);
    const file = await admin.request(
      'GET',
      `/api/invoices/${invoice.id}/attachments/${added.json().id}/content`,
    );
    expect(file.rawPayload.equals(content)).toBe(true);
  });
});

describe('database guard', () => {
  it('keeps issued invoices immutable even for a raw delete', async () => {
    const admin = await signUp(t.app);
    const customerId = await customerOf(admin, admin.userId);
    const invoice = await issued(admin, customerId, '1.00');
    await expect(
      t.db.tenant(admin.tenantId, (tx) => sql`DELETE FROM invoices WHERE id = ${invoice.id}`.execute(tx)),
    ).rejects.toThrow(/cannot be deleted/);
  });
});
