import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
});
afterAll(() => t.close());

async function post(client: Client, url: string, body: unknown) {
  const response = await client.request('POST', url, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function customerOf(client: Client, code = 'CF-1') {
  return post(client, '/api/customers', { code, name: `Customer ${code}` });
}

async function auditActions(admin: Client, entityType: string, entityId: string) {
  const response = await admin.request('GET', `/api/audit?entityType=${entityType}&entityId=${entityId}`);
  return response.json().items as { action: string; before: unknown; after: unknown }[];
}

describe('contacts', () => {
  it('adds, lists, updates and removes contacts with their payment-process roles, all audited', async () => {
    const admin = await signUp(t.app);
    const customer = await customerOf(admin);
    const base = `/api/customers/${customer.id}/contacts`;
    const finance = await post(admin, base, {
      name: '刘会计',
      roles: ['finance_initiator', 'key_person', 'finance_initiator'],
      phone: '021-5555 0101',
      email: 'liu@example.cn',
    });
    expect(finance).toMatchObject({
      name: '刘会计',
      roles: ['finance_initiator', 'key_person'],
      title: null,
    });
    await post(admin, base, { name: '陈总', roles: ['approver'], title: '总经理' });
    expect((await admin.request('POST', base, { name: 'X', roles: ['boss'] })).statusCode).toBe(400);

    const listed = (await admin.request('GET', base)).json().items;
    expect(listed.map((contact: { name: string }) => contact.name).sort()).toEqual(['刘会计', '陈总'].sort());

    const updated = await admin.request('PATCH', `${base}/${finance.id}`, {
      roles: ['acceptor'],
      phone: null,
    });
    expect(updated.json()).toMatchObject({ roles: ['acceptor'], phone: null, email: 'liu@example.cn' });
    const removed = await admin.request('DELETE', `${base}/${finance.id}`);
    expect(removed.json()).toEqual({ ok: true });
    expect((await admin.request('GET', base)).json().items).toHaveLength(1);
    expect((await admin.request('DELETE', `${base}/${finance.id}`)).statusCode).toBe(404);

    const audit = await auditActions(admin, 'customer_contact', finance.id);
    expect(audit.map((entry) => entry.action)).toEqual([
      'customer_contact.deleted',
      'customer_contact.updated',
      'customer_contact.created',
    ]);
    expect(audit[1]?.before).toMatchObject({ roles: ['finance_initiator', 'key_person'] });
    expect(audit[1]?.after).toMatchObject({ roles: ['acceptor'] });
    expect(audit[0]?.before).toMatchObject({ name: '刘会计' });
  });
});

describe('bank accounts and litigation records', () => {
  it('keeps account numbers unique per customer (spaces ignored) and removes accounts with an audit entry', async () => {
    const admin = await signUp(t.app);
    const customer = await customerOf(admin);
    const other = await customerOf(admin, 'CF-2');
    const base = `/api/customers/${customer.id}/bank-accounts`;
    const account = await post(admin, base, {
      bankName: '中国工商银行上海分行',
      accountName: '上海某某科技有限公司',
      accountNumber: '6222 0202 0001 2345',
    });
    expect(account.accountNumber).toBe('6222020200012345');
    const duplicate = await admin.request('POST', base, {
      bankName: 'ICBC',
      accountName: 'Same',
      accountNumber: '6222020200012345',
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.message).toContain('6222020200012345');
    await post(admin, `/api/customers/${other.id}/bank-accounts`, {
      bankName: 'ICBC',
      accountName: 'Other customer',
      accountNumber: '6222020200012345',
    });
    // The account belongs to the first customer; the second's URL does not reach it.
    expect(
      (await admin.request('DELETE', `/api/customers/${other.id}/bank-accounts/${account.id}`)).statusCode,
    ).toBe(404);
    expect((await admin.request('DELETE', `${base}/${account.id}`)).statusCode).toBe(200);
    expect((await admin.request('GET', base)).json().items).toEqual([]);
    const audit = await auditActions(admin, 'customer_bank_account', account.id);
    expect(audit.map((entry) => entry.action)).toEqual([
      'customer_bank_account.deleted',
      'customer_bank_account.created',
    ]);
  });

  it('records litigation, newest filing first', async () => {
    const admin = await signUp(t.app);
    const customer = await customerOf(admin);
    const base = `/api/customers/${customer.id}/litigations`;
    await post(admin, base, {
      summary: '买卖合同纠纷',
      filedOn: '2023-04-01',
      partyRole: 'defendant',
      court: '浦东法院',
    });
    await post(admin, base, {
      summary: '借款合同纠纷',
      filedOn: '2024-01-15',
      caseNumber: '(2024)沪0115民初123号',
    });
    await post(admin, base, { summary: '日期不详' });
    expect((await admin.request('POST', base, { summary: '' })).statusCode).toBe(400);
    expect((await admin.request('POST', base, { summary: 'x', filedOn: '2024-02-30' })).statusCode).toBe(400);
    const items = (await admin.request('GET', base)).json().items;
    expect(items.map((item: { filedOn: string | null }) => item.filedOn)).toEqual([
      '2024-01-15',
      '2023-04-01',
      null,
    ]);
    expect(items[1]).toMatchObject({ partyRole: 'defendant', court: '浦东法院' });
  });
});

describe('attachments', () => {
  it('stores the bytes exactly and returns them with the Chinese file name encoded per RFC 5987', async () => {
    const admin = await signUp(t.app);
    const customer = await customerOf(admin);
    const bytes = Buffer.concat([
      Buffer.from('%PDF-1.7\n'),
      randomBytes(70_001),
      Buffer.from([0, 255, 0x0d, 0x0a]),
    ]);
    const base = `/api/customers/${customer.id}/attachments`;
    const uploaded = await post(admin, base, {
      fileName: '营业执照 (副本).pdf',
      contentType: 'application/pdf',
      kind: 'business_licence',
      contentBase64: bytes.toString('base64'),
    });
    expect(uploaded).toMatchObject({
      entityType: 'customer',
      entityId: customer.id,
      kind: 'business_licence',
      fileName: '营业执照 (副本).pdf',
      sizeBytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      uploadedByUserId: admin.userId,
    });
    const list = (await admin.request('GET', base)).json().items;
    expect(list).toEqual([uploaded]);
    expect(list[0]).not.toHaveProperty('content');

    const download = await admin.request('GET', `${base}/${uploaded.id}/content`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="____ (__).pdf"; filename*=UTF-8''${encodeURIComponent('营业执照')}%20%28${encodeURIComponent('副本')}%29.pdf`,
    );
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(download.rawPayload, bytes)).toBe(0);

    const audit = await auditActions(admin, 'attachment', uploaded.id);
    expect(audit[0]?.action).toBe('attachment.created');
    expect(audit[0]?.after).not.toHaveProperty('content');
  });

  it('rejects invalid base64 and files over 10 MiB, and keeps path parts out of file names', async () => {
    const admin = await signUp(t.app);
    const customer = await customerOf(admin);
    const base = `/api/customers/${customer.id}/attachments`;
    const bad = await admin.request('POST', base, { fileName: 'a.txt', contentBase64: 'not base64!' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0].path).toBe('contentBase64');
    const tooBig = await admin.request('POST', base, {
      fileName: 'big.bin',
      contentBase64: Buffer.alloc(10 * 1024 * 1024 + 1).toString('base64'),
    });
    expect(tooBig.statusCode).toBe(400);
    const exact = await post(admin, base, {
      fileName: '../../etc/签收单.txt',
      contentBase64: Buffer.from('签收').toString('base64'),
    });
    expect(exact).toMatchObject({
      fileName: '签收单.txt',
      kind: 'other',
      contentType: 'application/octet-stream',
      sizeBytes: 6,
    });
    const empty = await post(admin, base, {
      fileName: 'empty.txt',
      contentType: 'text/plain',
      contentBase64: '',
    });
    expect(empty.sizeBytes).toBe(0);
  });
});

describe('isolation', () => {
  it('answers 404 on every customer route for another organization’s IDs and out-of-scope customers', async () => {
    const a = await signUp(t.app);
    const b = await signUp(t.app);
    const bCustomer = await customerOf(b, 'B-1');
    const bContact = await post(b, `/api/customers/${bCustomer.id}/contacts`, { name: 'B contact' });
    const bAccount = await post(b, `/api/customers/${bCustomer.id}/bank-accounts`, {
      bankName: 'B bank',
      accountName: 'B',
      accountNumber: '1',
    });
    const bFile = await post(b, `/api/customers/${bCustomer.id}/attachments`, {
      fileName: 'b.txt',
      contentBase64: Buffer.from('secret of B').toString('base64'),
    });
    const aCustomer = await customerOf(a, 'A-1');
    const seller = await addUser(a, 'salesperson');
    const foreign = bCustomer.id as string;
    const mine = aCustomer.id as string;

    const routes: [method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown][] = [
      ['GET', `/api/customers/${foreign}`],
      ['PATCH', `/api/customers/${foreign}`, { name: 'A was here' }],
      ['GET', `/api/customers/${foreign}/contacts`],
      ['POST', `/api/customers/${foreign}/contacts`, { name: 'A' }],
      ['PATCH', `/api/customers/${foreign}/contacts/${bContact.id}`, { name: 'A' }],
      ['DELETE', `/api/customers/${foreign}/contacts/${bContact.id}`],
      ['PATCH', `/api/customers/${mine}/contacts/${bContact.id}`, { name: 'A' }],
      ['DELETE', `/api/customers/${mine}/contacts/${bContact.id}`],
      ['GET', `/api/customers/${foreign}/bank-accounts`],
      [
        'POST',
        `/api/customers/${foreign}/bank-accounts`,
        { bankName: 'x', accountName: 'x', accountNumber: '2' },
      ],
      ['DELETE', `/api/customers/${foreign}/bank-accounts/${bAccount.id}`],
      ['DELETE', `/api/customers/${mine}/bank-accounts/${bAccount.id}`],
      ['GET', `/api/customers/${foreign}/litigations`],
      ['POST', `/api/customers/${foreign}/litigations`, { summary: 'x' }],
      ['GET', `/api/customers/${foreign}/attachments`],
      ['POST', `/api/customers/${foreign}/attachments`, { fileName: 'x', contentBase64: '' }],
      ['GET', `/api/customers/${foreign}/attachments/${bFile.id}/content`],
      ['GET', `/api/customers/${mine}/attachments/${bFile.id}/content`],
    ];
    for (const [method, url, body] of routes) {
      const response = await a.request(method, url, body);
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
    // A salesperson of A reaches none of A's customers they do not own, on any route.
    for (const [method, url, body] of routes.filter(([, url]) => url.includes(mine))) {
      const response = await seller.request(method, url, body);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
    }
    for (const [method, url, body] of routes.map(
      ([method, url, body]) => [method, url.replace(foreign, mine), body] as const,
    )) {
      if (url.includes(bContact.id) || url.includes(bAccount.id) || url.includes(bFile.id)) continue;
      const response = await seller.request(method, url, body);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
    }
    const bView = await b.request('GET', `/api/customers/${foreign}`);
    expect(bView.json().name).toBe('Customer B-1');
    expect((await b.request('GET', `/api/customers/${foreign}/contacts`)).json().items).toHaveLength(1);
  });
});
