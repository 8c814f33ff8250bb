import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalendarDate } from '@huikuan/core';
import type { Letter, LetterDetail, LetterPreview, StatementRun } from '@huikuan/core/contracts';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { toAuditJson } from '../../platform/audit';
import { runAsGroups } from '../dunning/group-test-support';
import {
  groupStepExecutorOf,
  stepExecutorOf,
  type ChasedItem,
  type DunningActionContext,
  type DunningActionOutcome,
} from '../dunning/step-registry';
import { countingDb } from '../../../test/support/statement-count';
import { postReceipt, seedCustomer, seedInvoice, withKey } from '../receipts/test-fixtures';
import { Command } from 'commander';
import { registerStatementCommands, sendStatementsFromCli } from '../../cli/statements';
import { registerLetterStepExecutors } from './index';
import { renderPendingLetters, renderTick } from './pending-letters';
import { previousMonth } from './statement-jobs';

/**
 * The hand ledger (CNY; today is 2026-11-22 on the test clock, Asia/Shanghai):
 *   L-1 华东机械有限公司 (the salesperson's), contact 李会计 <ap@huadong.test>:
 *     I1 10,000.00 invoiced 2026-08-01, due 2026-09-01 (82 days overdue);
 *     I2  3,000.00 invoiced 2026-09-15, due 2026-10-15 (38 days overdue); 654.33 received 2026-11-05 → open 2,345.67;
 *     I3  5,000.00 invoiced 2026-11-10, due 2026-12-31 (not due).
 *   Overdue: 12,345.67 (壹万贰仟叁佰肆拾伍元陆角柒分). Open in all: 17,345.67 (壹万柒仟叁佰肆拾伍元陆角柒分).
 *   Balance on 2026-10-31: 13,000.00. November: −654.33 on 11-05, +5,000.00 on 11-10 → 17,345.67.
 *   L-2 (paid up): one invoice of 100.00 on 2026-10-01, paid in full on 2026-10-02.
 */
let t: TestApp;
let admin: Client;
let finance: Client;
let legal: Client;
let salesperson: Client;
let otherSeller: Client;
let foreign: Client;
const ids = { l1: '', l2: '', i1: '', i2: '', i3: '' };

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'huikuan-letters-'));
let fileCount = 0;

/** The PDF's text as pdftotext reads it, and the same without any white space (a long amount may wrap). */
function pdfText(pdf: Buffer): { layout: string; compact: string } {
  fileCount += 1;
  const file = path.join(tmp, `${fileCount}.pdf`);
  fs.writeFileSync(file, pdf);
  const layout = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  return { layout, compact: layout.replace(/\s+/g, '') };
}

function pdfImageCount(pdf: Buffer): number {
  fileCount += 1;
  const file = path.join(tmp, `${fileCount}.pdf`);
  fs.writeFileSync(file, pdf);
  const list = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' });
  return list.split('\n').filter((line) => /^\s*\d+\s+\d+\s+image\b/.test(line)).length;
}

async function ok<T>(response: Promise<{ statusCode: number; body: string; json(): unknown }>): Promise<T> {
  const settled = await response;
  if (settled.statusCode >= 300) throw new Error(`${settled.statusCode} ${settled.body}`);
  return settled.json() as T;
}

async function downloadPdf(client: Client, letterId: string): Promise<Buffer> {
  const response = await client.request('GET', `/api/letters/${letterId}/pdf`);
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe('application/pdf');
  return response.rawPayload;
}

/** A tiny valid PNG (1×1, red). */
const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  admin = await signUp(t.app);
  finance = await addUser(admin, 'finance');
  legal = await addUser(admin, 'legal');
  salesperson = await addUser(admin, 'salesperson');
  otherSeller = await addUser(admin, 'salesperson');
  foreign = await signUp(t.app);
  registerLetterStepExecutors();
  const tenantId = admin.tenantId;
  ids.l1 = await seedCustomer(t, tenantId, { code: 'L-1', ownerUserId: salesperson.userId });
  ids.l2 = await seedCustomer(t, tenantId, { code: 'L-2', ownerUserId: salesperson.userId });
  await t.db.tenant(tenantId, async (tx) => {
    await tx.updateTable('customers').set({ name: '华东机械有限公司' }).where('id', '=', ids.l1).execute();
    await tx
      .insertInto('customer_contacts')
      .values({ tenant_id: tenantId, customer_id: ids.l1, name: '李会计', email: 'ap@huadong.test' })
      .execute();
  });
  const invoice = (
    number: string,
    totalMinor: bigint,
    invoiceDate: string,
    dueDate: string,
    customerId = ids.l1,
  ) => seedInvoice(t, tenantId, { customerId, totalMinor, invoiceDate, dueDate, number });
  ids.i1 = await invoice('I1', 1_000_000n, '2026-08-01', '2026-09-01');
  ids.i2 = await invoice('I2', 300_000n, '2026-09-15', '2026-10-15');
  ids.i3 = await invoice('I3', 500_000n, '2026-11-10', '2026-12-31');
  const paidUp = await invoice('P1', 10_000n, '2026-10-01', '2026-10-01', ids.l2);
  const receipt = await postReceipt(finance, {
    customerId: ids.l1,
    receivedOn: '2026-11-05',
    amount: '654.33',
  });
  await ok(
    finance.request(
      'POST',
      `/api/receipts/${receipt}/allocations`,
      { lines: [{ invoiceId: ids.i2, amount: '654.33' }] },
      withKey(),
    ),
  );
  const payment = await postReceipt(finance, {
    customerId: ids.l2,
    receivedOn: '2026-10-02',
    amount: '100.00',
  });
  await ok(
    finance.request(
      'POST',
      `/api/receipts/${payment}/allocations`,
      { lines: [{ invoiceId: paidUp, amount: '100.00' }] },
      withKey(),
    ),
  );
}, 120_000);

afterAll(async () => {
  await t.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('letterhead and seal', () => {
  it('is kept by finance and admins only, and audited', async () => {
    const denied = await salesperson.request('PUT', '/api/letterhead', { legalName: 'x' });
    expect(denied.statusCode).toBe(403);
    const saved = await ok<{ legalName: string; isConfigured: boolean }>(
      finance.request('PUT', '/api/letterhead', {
        legalName: '回款演示机械有限公司',
        address: '上海市浦东新区世纪大道 100 号',
        phone: '021-5555 0000',
        email: 'AR@Demo.test',
        taxId: '91310000MA1K000000',
        bankName: '招商银行上海分行',
        bankAccount: '6214 8888 0000 1234',
        signatory: '王律师',
      }),
    );
    expect(saved).toMatchObject({
      legalName: '回款演示机械有限公司',
      isConfigured: true,
      email: 'ar@demo.test',
    });
    const audit = await ok<{ items: { action: string }[] }>(
      admin.request('GET', '/api/audit?entityType=letterhead'),
    );
    expect(audit.items.map((entry) => entry.action)).toContain('letterhead.saved');
  });

  it('names the field when the letterhead is incomplete', async () => {
    const response = await finance.request('PUT', '/api/letterhead', {
      legalName: '',
      email: 'not-an-email',
    });
    expect(response.statusCode).toBe(400);
    const paths = response.json<{ error: { issues: { path: string }[] } }>().error.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['legalName', 'email']));
  });

  it('takes a PNG or JPEG seal by its magic bytes and refuses anything else', async () => {
    const upload = (bytes: Buffer) =>
      finance.request('PUT', '/api/letterhead/seal', { contentBase64: bytes.toString('base64') });
    const svg = await upload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'));
    expect(svg.statusCode).toBe(400);
    expect(svg.json().error.issues[0]).toMatchObject({
      path: 'contentBase64',
      message: 'Must be a PNG or JPEG image',
    });
    const gif = await upload(Buffer.from('GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;'));
    expect(gif.statusCode).toBe(400);
    const tooBig = await upload(Buffer.concat([PNG_1X1, Buffer.alloc(530 * 1024)]));
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.json().error.issues[0].path).toBe('contentBase64');
    const png = await ok<{ seal: { contentType: string; sizeBytes: number } }>(upload(PNG_1X1));
    expect(png.seal).toEqual({ contentType: 'image/png', sizeBytes: PNG_1X1.byteLength });
    const image = await finance.request('GET', '/api/letterhead/seal');
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.rawPayload.equals(PNG_1X1)).toBe(true);
  });
});

describe('templates', () => {
  it('refuses an unknown placeholder, naming it and where it is', async () => {
    const response = await finance.request('PUT', '/api/letter-templates/dunning_letter?locale=zh-CN', {
      title: '催款函',
      salutation: '{{customer.name}}：',
      paragraphs: ['欠款 {{total.figures}}', '请于 {{due.date}} 前付款'],
      closing: '此致\n敬礼！',
      signature: '{{company.name}}',
      deadlineDays: 10,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues).toEqual([
      expect.objectContaining({ path: 'paragraphs.1', message: 'Unknown placeholder {{due.date}}' }),
    ]);
  });

  it('saves an organization’s wording, previews it live, and resets to the built-in one', async () => {
    const wording = {
      title: '欠款催收通知',
      salutation: '{{customer.name}}（{{customer.code}}）：',
      paragraphs: [
        '截至 {{asOf}}，贵公司逾期欠款 {{total.figures}}，大写 {{total.capital}}。',
        '请于 {{deadline}} 前付清。',
      ],
      closing: '特此通知。',
      signature: '{{company.name}}\n应收账款部',
      deadlineDays: 5,
    };
    expect(
      (await salesperson.request('PUT', '/api/letter-templates/dunning_letter?locale=zh-CN', wording))
        .statusCode,
    ).toBe(403);
    const saved = await ok<{ isCustomized: boolean }>(
      finance.request('PUT', '/api/letter-templates/dunning_letter?locale=zh-CN', wording),
    );
    expect(saved.isCustomized).toBe(true);
    const sample = await ok<LetterPreview>(
      salesperson.request('POST', '/api/letter-templates/preview', {
        kind: 'dunning_letter',
        locale: 'zh-CN',
        template: wording,
      }),
    );
    expect(sample.title).toBe('欠款催收通知');
    expect(sample.text).toContain('示例客户有限公司（C-0001）：');
    const real = await ok<LetterPreview>(
      salesperson.request('POST', '/api/letter-templates/preview', {
        kind: 'dunning_letter',
        locale: 'zh-CN',
        template: wording,
        customerId: ids.l1,
      }),
    );
    expect(real.text).toContain(
      '截至 2026-11-22，贵公司逾期欠款 人民币 12,345.67 元，大写 人民币壹万贰仟叁佰肆拾伍元陆角柒分。',
    );
    expect(real.text).toContain('请于 2026-11-27 前付清。');
    expect(real.html).toContain('<img class="seal"');
    const other = await otherSeller.request('POST', '/api/letter-templates/preview', {
      kind: 'dunning_letter',
      locale: 'zh-CN',
      template: wording,
      customerId: ids.l1,
    });
    expect(other.statusCode).toBe(404);
    const pdf = await finance.request('POST', '/api/letter-templates/preview/pdf', {
      kind: 'dunning_letter',
      locale: 'zh-CN',
      template: wording,
    });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdfText(pdf.rawPayload).compact).toContain('欠款催收通知');

    const reset = await ok<{ isCustomized: boolean; template: { title: string } }>(
      finance.request('DELETE', '/api/letter-templates/dunning_letter?locale=zh-CN'),
    );
    expect(reset).toMatchObject({ isCustomized: false, template: { title: '催款函' } });
    const list = await ok<{ items: { kind: string; locale: string }[] }>(
      salesperson.request('GET', '/api/letter-templates'),
    );
    expect(list.items).toHaveLength(10);
  });
});

describe('generating letters', () => {
  let dunningLetter: Letter;

  it('renders a 催款函 over the overdue items, with 大写金额, the customer’s name and the seal, and archives it', async () => {
    const preview = await ok<LetterPreview>(
      salesperson.request('POST', `/api/customers/${ids.l1}/letters/preview`, { kind: 'dunning_letter' }),
    );
    expect(preview.title).toBe('催款函');
    const key = withKey();
    const created = await salesperson.request(
      'POST',
      `/api/customers/${ids.l1}/letters`,
      { kind: 'dunning_letter' },
      key,
    );
    expect(created.statusCode).toBe(201);
    dunningLetter = created.json<Letter>();
    expect(dunningLetter).toMatchObject({
      kind: 'dunning_letter',
      customerId: ids.l1,
      asOf: '2026-11-22',
      locale: 'zh-CN',
      source: 'manual',
      createdByUserId: salesperson.userId,
      messageId: null,
    });
    expect(new Set(dunningLetter.invoiceIds)).toEqual(new Set([ids.i1, ids.i2]));
    const pdf = await downloadPdf(salesperson, dunningLetter.id);
    expect(pdf.byteLength).toBe(dunningLetter.pdfBytes);
    const text = pdfText(pdf);
    expect(text.compact).toContain('华东机械有限公司');
    expect(text.compact).toContain('人民币壹万贰仟叁佰肆拾伍元陆角柒分');
    expect(text.compact).toContain('人民币12,345.67元');
    expect(text.compact).toContain('最长已逾期82天');
    expect(text.layout).toMatch(/I1\s+2026-08-01\s+2026-09-01\s+82\s+10,000\.00\s+10,000\.00/);
    expect(text.layout).toMatch(/I2\s+2026-09-15\s+2026-10-15\s+38\s+3,000\.00\s+2,345\.67/);
    expect(text.layout).not.toMatch(/\bI3\b/);
    expect(text.compact).toContain('回款演示机械有限公司');
    expect(text.compact).toContain('账号：6214888800001234');
    expect(pdfImageCount(pdf)).toBe(1);
    // The same key replays the letter it made instead of writing a second one.
    const replay = await salesperson.request(
      'POST',
      `/api/customers/${ids.l1}/letters`,
      { kind: 'dunning_letter' },
      key,
    );
    expect(replay.statusCode).toBe(200);
    expect(replay.json<Letter>().id).toBe(dunningLetter.id);
  });

  it('keeps the archived letter as it was, even after the ledger and the wording change', async () => {
    const before = await downloadPdf(finance, dunningLetter.id);
    await ok(
      finance.request('PUT', '/api/letter-templates/dunning_letter?locale=zh-CN', {
        title: '新的标题',
        salutation: '{{customer.name}}：',
        paragraphs: ['x'],
        closing: '',
        signature: '{{company.name}}',
        deadlineDays: 1,
      }),
    );
    const again = await downloadPdf(finance, dunningLetter.id);
    expect(createHash('sha256').update(again).digest('hex')).toBe(
      createHash('sha256').update(before).digest('hex'),
    );
    const detail = await ok<LetterDetail>(finance.request('GET', `/api/letters/${dunningLetter.id}`));
    expect(detail.title).toBe('催款函');
    expect(detail.text).toContain('人民币壹万贰仟叁佰肆拾伍元陆角柒分');
    await ok(finance.request('DELETE', '/api/letter-templates/dunning_letter?locale=zh-CN'));
    const archive = await t.db
      .tenant(admin.tenantId, (tx) =>
        tx.updateTable('letters').set({ title: 'tampered' }).where('id', '=', dunningLetter.id).execute(),
      )
      .catch((error: unknown) => error);
    expect(String(archive)).toMatch(/permission denied|append-only/);
  });

  it('writes a payment reminder over every open item, in English with amounts in words', async () => {
    const letter = await ok<Letter>(
      salesperson.request('POST', `/api/customers/${ids.l1}/letters`, {
        kind: 'payment_reminder',
        locale: 'en',
      }),
    );
    const text = pdfText(await downloadPdf(salesperson, letter.id));
    expect(text.layout).toContain('Payment reminder');
    expect(text.layout).toContain('Dear 华东机械有限公司,');
    expect(text.compact).toContain('seventeenthousandthreehundredforty-fiveyuanandsixty-sevenfen');
    expect(text.compact).toContain('CNY17,345.67');
    expect(text.layout).toMatch(/\bI3\b/);
  });

  it('writes a 对账单 for a period from the customer ledger, with running balances', async () => {
    const letter = await ok<Letter>(
      salesperson.request('POST', `/api/customers/${ids.l1}/letters`, {
        kind: 'statement',
        asOf: '2026-11-22',
        periodFrom: '2026-11-01',
      }),
    );
    expect(letter).toMatchObject({
      kind: 'statement',
      periodFrom: '2026-11-01',
      asOf: '2026-11-22',
      invoiceIds: [],
    });
    const text = pdfText(await downloadPdf(salesperson, letter.id));
    expect(text.layout).toMatch(/2026-11-01\s+期初余额\s+13,000\.00/);
    expect(text.layout).toMatch(/2026-11-05\s+收款\s+654\.33\s+12,345\.67/);
    expect(text.layout).toMatch(/2026-11-10\s+开票\s+I3\s+5,000\.00\s+17,345\.67/);
    expect(text.layout).toMatch(/2026-11-22\s+期末余额\s+17,345\.67/);
    expect(text.compact).toContain('期末余额：人民币17,345.67元（大写：人民币壹万柒仟叁佰肆拾伍元陆角柒分）');
  });

  it('writes a 对账函 with the balance to confirm and a reply slip with both answers', async () => {
    const letter = await ok<Letter>(
      finance.request('POST', `/api/customers/${ids.l1}/letters`, { kind: 'balance_confirmation' }),
    );
    const text = pdfText(await downloadPdf(finance, letter.id));
    expect(text.compact).toContain('对账函（欠款征询函）');
    expect(text.layout).toMatch(/CNY\s+17,345\.67\s+0\.00\s+17,345\.67/);
    expect(text.compact).toContain('人民币壹万柒仟叁佰肆拾伍元陆角柒分');
    expect(text.compact).toContain('回执');
    expect(text.compact).toContain('1.信息证明无误。');
    expect(text.compact).toContain('2.信息不符');
    expect(text.compact).toContain('需加说明事项');
    expect(text.compact).toContain('（公司盖章）');
  });

  it('e-mails the PDF through the outbox when asked, in the same transaction as the archive', async () => {
    const letter = await ok<Letter>(
      finance.request('POST', `/api/customers/${ids.l1}/letters`, { kind: 'statement', isEmailed: true }),
    );
    expect(letter.messageId).not.toBeNull();
    const message = await t.db.tenant(admin.tenantId, (tx) =>
      tx
        .selectFrom('outbound_messages as m')
        .innerJoin('outbound_message_attachments as a', (join) =>
          join.onRef('a.tenant_id', '=', 'm.tenant_id').onRef('a.message_id', '=', 'm.id'),
        )
        .select([
          'm.recipient',
          'm.channel',
          'm.source_kind',
          'm.source_id',
          'm.subject',
          'a.filename',
          'a.content',
        ])
        .where('m.id', '=', letter.messageId ?? '')
        .executeTakeFirstOrThrow(),
    );
    expect(message).toMatchObject({
      recipient: 'ap@huadong.test',
      channel: 'email',
      source_kind: 'statement',
      source_id: letter.id,
      subject: '对账单',
      filename: '对账单-L-1-2026-11-22.pdf',
    });
    const archived = await downloadPdf(finance, letter.id);
    expect(Buffer.from(message.content).equals(archived)).toBe(true);
  });

  it('refuses bad requests with the field named', async () => {
    const otherCustomersInvoice = await salesperson.request(
      'POST',
      `/api/customers/${ids.l2}/letters/preview`,
      {
        kind: 'dunning_letter',
        invoiceIds: [ids.i1],
      },
    );
    expect(otherCustomersInvoice.statusCode).toBe(400);
    expect(otherCustomersInvoice.json().error.issues[0].path).toBe('invoiceIds');
    const badPeriod = await salesperson.request('POST', `/api/customers/${ids.l1}/letters/preview`, {
      kind: 'statement',
      asOf: '2026-11-01',
      periodFrom: '2026-11-02',
    });
    expect(badPeriod.statusCode).toBe(400);
    expect(badPeriod.json().error.issues[0].path).toBe('periodFrom');
    const badKind = await salesperson.request('POST', `/api/customers/${ids.l1}/letters/preview`, {
      kind: 'poem',
    });
    expect(badKind.statusCode).toBe(400);
  });

  it('leaves 律师函 by hand to legal and admins', async () => {
    const bySeller = await salesperson.request('POST', `/api/customers/${ids.l1}/letters`, {
      kind: 'lawyer_letter',
    });
    expect(bySeller.statusCode).toBe(403);
    const byLegal = await legal.request('POST', `/api/customers/${ids.l1}/letters`, {
      kind: 'lawyer_letter',
    });
    expect(byLegal.statusCode).toBe(201);
  });

  it('lists a customer’s letters in scope only; out of scope and other organizations get 404', async () => {
    const list = await ok<{ items: Letter[] }>(
      salesperson.request('GET', `/api/customers/${ids.l1}/letters`),
    );
    expect(list.items.length).toBeGreaterThanOrEqual(6);
    expect(list.items[list.items.length - 1]?.id).toBe(dunningLetter.id);
    for (const client of [otherSeller, foreign]) {
      expect((await client.request('GET', `/api/customers/${ids.l1}/letters`)).statusCode).toBe(404);
      expect((await client.request('GET', `/api/letters/${dunningLetter.id}`)).statusCode).toBe(404);
      expect((await client.request('GET', `/api/letters/${dunningLetter.id}/pdf`)).statusCode).toBe(404);
      expect(
        (await client.request('POST', `/api/customers/${ids.l1}/letters`, { kind: 'dunning_letter' }))
          .statusCode,
      ).toBe(404);
    }
  });
});

describe('ladder steps', () => {
  function context(
    tx: DunningActionContext['tx'],
    runId: string,
    invoice: { id: string; number: string; dueDate: string },
    kind: 'dunning_letter' | 'lawyer_letter',
    offsetDays: number,
  ): DunningActionContext {
    return {
      tx,
      tenantId: admin.tenantId,
      runId,
      actionId: randomUUID(),
      asOf: '2026-11-22' as CalendarDate,
      step: {
        kind,
        channel: 'email',
        offsetDays,
        templateKey: null,
        requiresApproval: kind === 'lawyer_letter',
      },
      invoice: {
        id: invoice.id,
        number: invoice.number,
        customerId: ids.l1,
        dueDate: invoice.dueDate as CalendarDate,
        chasedMinor: 1n,
        currency: 'CNY',
        daysOverdue: 1,
      },
      customer: { id: ids.l1, name: '华东机械有限公司', ownerUserId: salesperson.userId },
    };
  }
  const i1 = () => ({ id: ids.i1, number: 'I1', dueDate: '2026-09-01' });
  const i2 = () => ({ id: ids.i2, number: 'I2', dueDate: '2026-10-15' });

  async function letterCount(sourceKeyPrefix: string): Promise<number> {
    const rows = await t.db.tenant(admin.tenantId, (tx) =>
      tx.selectFrom('letters').select('id').where('source_key', 'like', `${sourceKeyPrefix}%`).execute(),
    );
    return rows.length;
  }

  async function pendingCount(sourceKeyPrefix: string): Promise<number> {
    const rows = await t.db.tenant(admin.tenantId, (tx) =>
      sql<{ n: number }>`SELECT count(*)::int AS n FROM pending_dunning_letters
        WHERE source_key LIKE ${`${sourceKeyPrefix}%`}`.execute(tx),
    );
    return rows.rows[0]?.n ?? 0;
  }

  it('sends one 催款函 per customer per step per run, however many of its items reach the step', async () => {
    const execute = stepExecutorOf('dunning_letter');
    if (!execute) throw new Error('dunning_letter executor not registered');
    const runId = randomUUID();
    const first = await t.db.tenant(admin.tenantId, (tx) =>
      execute(context(tx, runId, i1(), 'dunning_letter', 30)),
    );
    const second = await t.db.tenant(admin.tenantId, (tx) =>
      execute(context(tx, runId, i2(), 'dunning_letter', 30)),
    );
    expect(first.outcome).toBe('queued');
    expect(second).toMatchObject({ outcome: 'queued', refId: first.refId });
    // The step only asks for the letter; it is drawn after the run's transaction commits.
    expect(await letterCount(`dunning:${runId}:`)).toBe(0);
    expect(await pendingCount(`dunning:${runId}:`)).toBe(1);
    expect(await renderPendingLetters(t.db, admin.tenantId)).toEqual({
      rendered: 1,
      notNeeded: 0,
      failed: 0,
    });
    expect(await letterCount(`dunning:${runId}:`)).toBe(1);
    expect(await pendingCount(`dunning:${runId}:`)).toBe(0);
    const letter = await ok<LetterDetail>(finance.request('GET', `/api/letters/${first.refId}`));
    expect(letter).toMatchObject({ kind: 'dunning_letter', source: 'dunning_action', createdByUserId: null });
    expect(new Set(letter.invoiceIds)).toEqual(new Set([ids.i1, ids.i2]));
    expect(letter.text).toContain('人民币壹万贰仟叁佰肆拾伍元陆角柒分');
    const text = pdfText(await downloadPdf(finance, letter.id));
    expect(text.compact).toContain('催款函');
    expect(text.compact).toContain('人民币壹万贰仟叁佰肆拾伍元陆角柒分');
    const messages = await t.db.tenant(admin.tenantId, (tx) =>
      tx
        .selectFrom('outbound_messages')
        .select(['id', 'recipient'])
        .where('source_id', '=', letter.id)
        .execute(),
    );
    expect(messages).toEqual([{ id: letter.messageId, recipient: 'ap@huadong.test' }]);
    // A rollback after the step leaves nothing behind, not even a letter to render.
    const rolledBack = randomUUID();
    await t.db
      .tenant(admin.tenantId, async (tx) => {
        await execute(context(tx, rolledBack, i1(), 'dunning_letter', 30));
        throw new Error('crash after the step');
      })
      .catch(() => undefined);
    expect(await pendingCount(`dunning:${rolledBack}:`)).toBe(0);
    expect(await renderPendingLetters(t.db, admin.tenantId)).toEqual({
      rendered: 0,
      notNeeded: 0,
      failed: 0,
    });
    expect(await letterCount(`dunning:${rolledBack}:`)).toBe(0);
    // The next run writes its own letter.
    await t.db.tenant(admin.tenantId, (tx) => execute(context(tx, randomUUID(), i1(), 'dunning_letter', 30)));
    await renderPendingLetters(t.db, admin.tenantId);
    expect(await letterCount('dunning:')).toBe(2);
  });

  it('renders a letter exactly once when the process died between the run and the rendering', async () => {
    const execute = stepExecutorOf('dunning_letter');
    if (!execute) throw new Error('dunning_letter executor not registered');
    const runId = randomUUID();
    // The run's batch commits its pending letter; then the process dies before its follow-up renders anything.
    const asked = await t.db.tenant(admin.tenantId, (tx) =>
      execute(context(tx, runId, i1(), 'dunning_letter', 30)),
    );
    expect(await pendingCount(`dunning:${runId}:`)).toBe(1);
    // After the restart the job's tick and a run's follow-up both pick it up, at the same time.
    const [tick, followUp] = await Promise.all([
      renderTick({ db: t.db }).then(() => null),
      renderPendingLetters(t.db, admin.tenantId),
    ]);
    expect(tick).toBeNull();
    expect(followUp.failed).toBe(0);
    expect(await letterCount(`dunning:${runId}:`)).toBe(1);
    expect(await pendingCount(`dunning:${runId}:`)).toBe(0);
    const letter = await ok<LetterDetail>(finance.request('GET', `/api/letters/${asked.refId}`));
    expect(letter.kind).toBe('dunning_letter');
    const messages = await t.db.tenant(admin.tenantId, (tx) =>
      tx.selectFrom('outbound_messages').select('id').where('source_id', '=', letter.id).execute(),
    );
    expect(messages).toHaveLength(1);
    // A pass later finds nothing left to do.
    expect(await renderPendingLetters(t.db, admin.tenantId)).toEqual({
      rendered: 0,
      notNeeded: 0,
      failed: 0,
    });
    expect(await letterCount(`dunning:${runId}:`)).toBe(1);
  });

  it('asks legal to approve a 律师函, and sends it only once approved', async () => {
    const execute = stepExecutorOf('lawyer_letter');
    if (!execute) throw new Error('lawyer_letter executor not registered');
    const runId = randomUUID();
    const outcome = await t.db.tenant(admin.tenantId, (tx) =>
      execute(context(tx, runId, i1(), 'lawyer_letter', 60)),
    );
    const again = await t.db.tenant(admin.tenantId, (tx) =>
      execute(context(tx, runId, i2(), 'lawyer_letter', 60)),
    );
    expect(outcome.outcome).toBe('pending_approval');
    expect(again.refId).toBe(outcome.refId);
    // The request's audit entry is the request as stored, its payload included (the executor audits from the text
    // it wrote, not from the row read back).
    const requestId = outcome.refId ?? '';
    const [request, audit] = await t.db.tenant(admin.tenantId, async (tx) => [
      await tx
        .selectFrom('approval_requests')
        .selectAll()
        .where('id', '=', requestId)
        .executeTakeFirstOrThrow(),
      await tx
        .selectFrom('audit_log')
        .select('after')
        .where('entity_id', '=', requestId)
        .where('action', '=', 'approval.requested')
        .executeTakeFirstOrThrow(),
    ]);
    expect(Object.keys(request.payload as object).sort()).toEqual([
      'actionId',
      'asOf',
      'invoiceNumbers',
      'locale',
      'maxDaysOverdue',
      'runId',
      'sourceKey',
    ]);
    expect((request.payload as { invoiceNumbers: string[] }).invoiceNumbers).toEqual(['I1', 'I2']);
    expect(audit.after).toEqual(toAuditJson(request));
    const approval = await ok<{ kind: string; status: string; amount: string; requestedByUserId: string }>(
      legal.request('GET', `/api/approvals/${outcome.refId}`),
    );
    expect(approval).toMatchObject({
      kind: 'lawyer_letter',
      status: 'pending',
      amount: '12345.67',
      requestedByUserId: salesperson.userId,
    });
    expect(await letterCount(`approval:${outcome.refId}`)).toBe(0);
    for (const client of [salesperson, finance]) {
      const denied = await client.request('POST', `/api/approvals/${outcome.refId}/decision`, {
        decision: 'approve',
      });
      expect(denied.statusCode).toBe(403);
    }
    await ok(legal.request('POST', `/api/approvals/${outcome.refId}/decision`, { decision: 'approve' }));
    const letters = await ok<{ items: Letter[] }>(legal.request('GET', `/api/customers/${ids.l1}/letters`));
    const sent = letters.items.find((letter) => letter.source === 'approval');
    expect(sent).toMatchObject({
      kind: 'lawyer_letter',
      sourceRef: outcome.refId,
      createdByUserId: legal.userId,
    });
    expect(sent?.messageId).not.toBeNull();
    const text = pdfText(await downloadPdf(legal, sent?.id ?? ''));
    expect(text.compact).toContain('律师函');
    expect(text.compact).toContain('华东机械有限公司');
    expect(text.compact).toContain('人民币壹万贰仟叁佰肆拾伍元陆角柒分');
    expect(text.compact).toContain('王律师');
  });

  /** L-1's chased overdue items as a run's snapshot has them (I3 is not due yet). */
  const snapshotItems = (): ChasedItem[] => [
    {
      invoiceId: ids.i1,
      number: 'I1',
      dueDate: '2026-09-01' as CalendarDate,
      currency: 'CNY',
      chasedMinor: 1_000_000n,
      daysOverdue: 82,
    },
    {
      invoiceId: ids.i2,
      number: 'I2',
      dueDate: '2026-10-15' as CalendarDate,
      currency: 'CNY',
      chasedMinor: 234_567n,
      daysOverdue: 38,
    },
  ];

  async function lawyerPayloads(approvalIds: readonly string[]) {
    const rows = await t.db.tenant(admin.tenantId, (tx) =>
      tx
        .selectFrom('approval_requests')
        .select(['id', 'payload', 'amount_minor', 'reason', 'requested_by_user_id'])
        .where('id', 'in', [...approvalIds])
        .execute(),
    );
    return rows.map((row) => {
      const payload = row.payload as { invoiceNumbers: string[]; maxDaysOverdue: number };
      return {
        invoiceNumbers: [...payload.invoiceNumbers].sort(),
        maxDaysOverdue: payload.maxDaysOverdue,
        amountMinor: row.amount_minor,
        reason: row.reason,
        requester: row.requested_by_user_id,
      };
    });
  }

  it('does for a run’s groups what the single steps do one by one, for 律师函 requests and 催款函', async () => {
    for (const kind of ['lawyer_letter', 'dunning_letter'] as const) {
      const single = stepExecutorOf(kind);
      const group = groupStepExecutorOf(kind);
      if (!single || !group) throw new Error(`${kind} executors not registered`);
      const offset = kind === 'lawyer_letter' ? 60 : 30;
      const singleRun = randomUUID();
      const one = await t.db.tenant(admin.tenantId, async (tx) => [
        await single(context(tx, singleRun, i1(), kind, offset)),
        await single(context(tx, singleRun, i2(), kind, offset)),
      ]);
      const batchRun = randomUUID();
      const many = await t.db.tenant(admin.tenantId, (tx) =>
        runAsGroups(
          group,
          [i1(), i2()].map((invoice) => ({
            ...context(tx, batchRun, invoice, kind, offset),
            customerItems: snapshotItems,
          })),
        ),
      );
      const shape = (outcomes: DunningActionOutcome[]) =>
        outcomes.map((outcome) => ({ ...outcome, refId: outcome.refId === outcomes[0]?.refId }));
      expect(shape(many)).toEqual(shape(one));
      expect(many[0]?.refId).not.toBe(one[0]?.refId);
      if (kind === 'lawyer_letter') {
        // The ledger read by the single step and the run's snapshot lent to the batch say the same.
        const [fromLedger, fromSnapshot] = await Promise.all(
          [one, many].map((outcomes) => lawyerPayloads([outcomes[0]?.refId ?? ''])),
        );
        expect(fromSnapshot).toEqual(fromLedger);
        expect(fromLedger?.[0]).toMatchObject({
          invoiceNumbers: ['I1', 'I2'],
          maxDaysOverdue: 82,
          amountMinor: 1_234_567n,
        });
      }
    }
  });

  it('files 律师函 requests and asks for 催款函 in as many statements for 60 actions as for 5', async () => {
    for (const kind of ['lawyer_letter', 'dunning_letter'] as const) {
      const group = groupStepExecutorOf(kind);
      if (!group) throw new Error(`no group executor for ${kind}`);
      const statementsFor = async (size: number) => {
        const counting = countingDb(t.db);
        // Each action its own run: as many requests or letters as actions, the most a batch can make.
        const outcomes = await counting.db.tenant(admin.tenantId, (tx) =>
          runAsGroups(
            group,
            Array.from({ length: size }, (_, index) => ({
              ...context(tx, randomUUID(), index % 2 === 0 ? i1() : i2(), kind, 60),
              customerItems: snapshotItems,
            })),
          ),
        );
        expect(outcomes).toHaveLength(size);
        expect(new Set(outcomes.map((outcome) => outcome.refId)).size).toBe(size);
        expect(
          outcomes.every(
            (outcome) => outcome.outcome === (kind === 'lawyer_letter' ? 'pending_approval' : 'queued'),
          ),
        ).toBe(true);
        return counting.count();
      };
      expect(await statementsFor(60)).toBe(await statementsFor(5));
    }
    await t.db.tenant(admin.tenantId, (tx) => sql`DELETE FROM pending_dunning_letters`.execute(tx));
  });
});

describe('monthly statements', () => {
  it('sends October’s statement to every customer with a balance, once', async () => {
    const dry = await ok<StatementRun>(
      finance.request('POST', '/api/statements/monthly', { month: '2026-10', isDryRun: true }),
    );
    expect(dry).toMatchObject({ month: '2026-10', asOf: '2026-10-31', isDryRun: true, skipped: [] });
    expect(dry.sent).toEqual([{ customerId: ids.l1, code: 'L-1', letterId: null }]);
    expect(
      await t.db.tenant(admin.tenantId, (tx) =>
        tx.selectFrom('letters').select('id').where('source', '=', 'scheduled_statement').execute(),
      ),
    ).toEqual([]);

    const run = await ok<StatementRun>(
      finance.request('POST', '/api/statements/monthly', { month: '2026-10' }),
    );
    expect(run.sent).toHaveLength(1);
    const letterId = run.sent[0]?.letterId ?? '';
    const letter = await ok<LetterDetail>(finance.request('GET', `/api/letters/${letterId}`));
    expect(letter).toMatchObject({
      kind: 'statement',
      periodFrom: '2026-10-01',
      asOf: '2026-10-31',
      sourceRef: '2026-10',
    });
    const text = pdfText(await downloadPdf(finance, letterId));
    expect(text.layout).toMatch(/2026-10-01\s+期初余额\s+13,000\.00/);
    expect(text.layout).toMatch(/2026-10-31\s+期末余额\s+13,000\.00/);
    expect(text.compact).toContain('人民币壹万叁仟元整');

    const rerun = await ok<StatementRun>(
      finance.request('POST', '/api/statements/monthly', { month: '2026-10' }),
    );
    expect(rerun.sent).toEqual([]);
    expect(rerun.skipped).toEqual([{ customerId: ids.l1, code: 'L-1', reason: 'already_sent' }]);
    expect(
      (await salesperson.request('POST', '/api/statements/monthly', { month: '2026-10' })).statusCode,
    ).toBe(403);
  });

  it('runs from the CLI for an organization and month, and checks its options', async () => {
    const slug = admin.session?.organization.slug ?? '';
    const dry = await sendStatementsFromCli(t.db, {
      organizationSlug: slug,
      month: '2026-09',
      isDryRun: true,
    });
    expect(dry.sent).toEqual([{ customerId: ids.l1, code: 'L-1', letterId: null }]);
    const run = await sendStatementsFromCli(t.db, {
      organizationSlug: slug,
      month: '2026-09',
      isDryRun: false,
    });
    expect(run).toMatchObject({ month: '2026-09', asOf: '2026-09-30', skipped: [] });
    const text = pdfText(await downloadPdf(finance, run.sent[0]?.letterId ?? ''));
    expect(text.layout).toMatch(/2026-09-15\s+开票\s+I2\s+3,000\.00\s+13,000\.00/);
    const program = new Command('huikuan').exitOverride();
    registerStatementCommands(program, {}, () => undefined);
    await expect(
      program.parseAsync(['statements', 'send', '--org', slug, '--month', '2026-13'], { from: 'user' }),
    ).rejects.toThrow(/invalid --month "2026-13"/);
  });

  it('schedules last month on the 1st, in the organization’s own calendar', () => {
    expect(previousMonth('2026-12-01' as CalendarDate)).toBe('2026-11');
    expect(previousMonth('2027-01-01' as CalendarDate)).toBe('2026-12');
    expect(previousMonth('2026-03-15' as CalendarDate)).toBe('2026-02');
  });
});
