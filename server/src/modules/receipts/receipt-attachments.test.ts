import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
});
afterAll(() => t.close());

async function receiptOf(admin: Client, owner: Client): Promise<string> {
  const code = `C-${randomUUID().slice(0, 8)}`;
  const customer = await admin.request('POST', '/api/customers', {
    code,
    name: code,
    ownerUserId: owner.userId,
  });
  const receipt = await admin.request(
    'POST',
    '/api/receipts',
    {
      customerId: customer.json().id,
      receivedOn: '2026-11-02',
      amount: '88.88',
      currency: 'CNY',
      method: 'bank_transfer',
    },
    { headers: { 'idempotency-key': randomUUID() } },
  );
  expect(receipt.statusCode, receipt.body).toBe(201);
  return receipt.json().id;
}

describe('receipt attachments', () => {
  it('keeps a bank slip on the receipt, byte for byte, with its Chinese file name', async () => {
    const admin = await signUp(t.app);
    const receiptId = await receiptOf(admin, admin);
    const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x10, 0x80]);
    const uploaded = await admin.request('POST', `/api/receipts/${receiptId}/attachments`, {
      fileName: '工行回单 2026-11-02.pdf',
      contentType: 'application/pdf',
      contentBase64: bytes.toString('base64'),
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    expect(uploaded.json()).toMatchObject({
      kind: 'remittance',
      fileName: '工行回单 2026-11-02.pdf',
      sizeBytes: 8,
    });
    const list = await admin.request('GET', `/api/receipts/${receiptId}/attachments`);
    expect(list.json().items.map((a: { id: string }) => a.id)).toEqual([uploaded.json().id]);
    const download = await admin.request(
      'GET',
      `/api/receipts/${receiptId}/attachments/${uploaded.json().id}/content`,
    );
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(bytes)).toBe(true);
    expect(download.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('工行回单 2026-11-02.pdf')}`,
    );
    expect(download.headers['content-security-policy']).toContain('sandbox');
  });

  it('hides another salesperson’s receipt attachments and refuses files attached elsewhere', async () => {
    const admin = await signUp(t.app);
    const li = await addUser(admin, 'salesperson');
    const wang = await addUser(admin, 'salesperson');
    const liReceipt = await receiptOf(admin, li);
    const wangReceipt = await receiptOf(admin, wang);
    const slip = await admin.request('POST', `/api/receipts/${liReceipt}/attachments`, {
      fileName: 'slip.txt',
      contentBase64: Buffer.from('hi').toString('base64'),
    });
    expect((await wang.request('GET', `/api/receipts/${liReceipt}/attachments`)).statusCode).toBe(404);
    const viaOther = await admin.request(
      'GET',
      `/api/receipts/${wangReceipt}/attachments/${slip.json().id}/content`,
    );
    expect(viaOther.statusCode).toBe(404);
    const upload = await wang.request('POST', `/api/receipts/${liReceipt}/attachments`, {
      fileName: 'x.txt',
      contentBase64: '',
    });
    expect(upload.statusCode).toBe(404);
  });
});
