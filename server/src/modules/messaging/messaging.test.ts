import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import type { CalendarDate, DunningStepKind, MessageChannel } from '@huikuan/core';
import type { ChannelSettings, OutboundMessageDetail } from '@huikuan/core/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { loadConfig } from '../../platform/config';
import type { Tx } from '../../platform/db';
import { batchStepExecutorOf, stepExecutorOf, type DunningActionContext } from '../dunning/step-registry';
import { countingDb } from '../../../test/support/statement-count';
import { testEngine } from '../../../test/support/test-db';
import { startJobQueue } from '../../platform/jobs';
import { DELIVERY_JOB } from './delivery-job';
import { seedInvoice } from '../receipts/test-fixtures';
import { deliverDueMessages, enqueueMessage, listCustomerMessages, registerMessagingStepExecutors } from '.';
import type { EnqueueMessageInput } from './enqueue-message';
import { SECRET_KEY_ENV } from './secret-box';
import {
  decodeHeader,
  leafParts,
  parseEntity,
  partBytes,
  startHttpReceiver,
  startSmtpReceiver,
  type HttpReceiver,
  type ReceivedRequest,
  type SmtpReceiver,
} from './test-support';

/**
 * The outbox end to end on a real database, a real SMTP server and a real HTTP receiver for the robots and the SMS
 * provider. The ledger (today is 2026-11-22 on the test clock):
 *   C-1 甲方贸易有限公司, owned by the salesperson `seller`: contacts 王五 (key person, wangwu@buyer.test) added
 *       first, then 李四 (finance_initiator, lisi@buyer.test, +86 138 0013 8000) — reminders go to 李四.
 *       INV-2026-001: 12,345.50 CNY due 2026-10-31, so 22 days overdue.
 *   C-2 乙方, owned by `otherSeller`, no contacts.
 */

const previousKey = process.env[SECRET_KEY_ENV];
process.env[SECRET_KEY_ENV] = 'messaging-test-key-0123456789abcdef';

const SMTP_USER = 'mailer';
const SMTP_PASSWORD = 'p@ss 密码';
const DINGTALK_SECRET = 'SECdingtalk-42';
const FEISHU_SECRET = 'feishu-secret-7';
const SMS_SECRET = 'sms+secret/9=';
const T0 = new Date('2026-11-22T02:00:00.000Z');

let t: TestApp;
let admin: Client;
let finance: Client;
let seller: Client;
let otherSeller: Client;
let foreign: Client;
let smtp: SmtpReceiver;
let receiver: HttpReceiver;
const ids = { customer: '', bare: '', invoice: '' };
const deps = () => ({ db: t.db, config: loadConfig({}, { dataDir: os.tmpdir() }) });

async function ok<T>(response: Promise<{ statusCode: number; body: string; json(): unknown }>): Promise<T> {
  const settled = await response;
  if (settled.statusCode >= 300) throw new Error(`${settled.statusCode} ${settled.body}`);
  return settled.json() as T;
}

function enqueue(input: Omit<EnqueueMessageInput, 'tenantId'>) {
  return t.db.tenant(admin.tenantId, (tx) => enqueueMessage(tx, { tenantId: admin.tenantId, ...input }));
}

function message(id: string, client: Client = admin) {
  return ok<OutboundMessageDetail>(client.request('GET', `/api/messages/${id}`));
}

const rfc3986 = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The vendors' checks, written here with node:crypto, independently of the code under test. */
function vendorAnswer(request: ReceivedRequest): { status?: number; body: unknown } {
  const url = new URL(request.url, receiver.url);
  if (url.pathname.startsWith('/dingtalk')) {
    const timestamp = url.searchParams.get('timestamp') ?? '';
    const sign = createHmac('sha256', DINGTALK_SECRET)
      .update(`${timestamp}\n${DINGTALK_SECRET}`)
      .digest('base64');
    return url.searchParams.get('sign') === sign
      ? { body: { errcode: 0, errmsg: 'ok' } }
      : { body: { errcode: 310000, errmsg: 'sign not match' } };
  }
  if (url.pathname.startsWith('/feishu')) {
    const body = JSON.parse(request.body) as { timestamp: string; sign: string };
    const sign = createHmac('sha256', `${body.timestamp}\n${FEISHU_SECRET}`).update('').digest('base64');
    return body.sign === sign
      ? { body: { code: 0, msg: 'success' } }
      : { body: { code: 19021, msg: 'sign fail' } };
  }
  if (url.pathname.startsWith('/wecom')) {
    return url.searchParams.get('key') === 'wk1'
      ? { body: { errcode: 0, errmsg: 'ok' } }
      : { body: { errcode: 93000, errmsg: 'invalid webhook url' } };
  }
  if (url.pathname.startsWith('/sms')) {
    const form = new URLSearchParams(request.body);
    const canonical = [...form.entries()]
      .filter(([name]) => name !== 'Signature')
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, value]) => `${rfc3986(name)}=${rfc3986(value)}`)
      .join('&');
    const signature = createHmac('sha1', `${SMS_SECRET}&`)
      .update(`POST&%2F&${rfc3986(canonical)}`)
      .digest('base64');
    return form.get('Signature') === signature
      ? { body: { Code: 'OK', Message: 'OK', BizId: 'biz-1' } }
      : { body: { Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched' } };
  }
  return { status: 404, body: 'no such robot' };
}

const requestsTo = (prefix: string) => receiver.requests.filter((r) => r.url.startsWith(prefix));

beforeAll(async () => {
  registerMessagingStepExecutors();
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  admin = await signUp(t.app);
  finance = await addUser(admin, 'finance');
  seller = await addUser(admin, 'salesperson', { email: 'seller@seller.test', name: '张销售' });
  otherSeller = await addUser(admin, 'salesperson');
  foreign = await signUp(t.app);
  smtp = await startSmtpReceiver({ user: SMTP_USER, pass: SMTP_PASSWORD });
  receiver = await startHttpReceiver();
  receiver.answer = vendorAnswer;
  ids.customer = (
    await ok<{ id: string }>(
      admin.request('POST', '/api/customers', {
        code: 'C-1',
        name: '甲方贸易有限公司',
        ownerUserId: seller.userId,
      }),
    )
  ).id;
  const contacts = `/api/customers/${ids.customer}/contacts`;
  await ok(
    admin.request('POST', contacts, { name: '王五', email: 'wangwu@buyer.test', roles: ['key_person'] }),
  );
  await ok(
    admin.request('POST', contacts, {
      name: '李四',
      email: 'lisi@buyer.test',
      phone: '+86 138 0013 8000',
      roles: ['finance_initiator'],
    }),
  );
  ids.bare = (
    await ok<{ id: string }>(
      admin.request('POST', '/api/customers', { code: 'C-2', name: '乙方', ownerUserId: otherSeller.userId }),
    )
  ).id;
  ids.invoice = await seedInvoice(t, admin.tenantId, {
    customerId: ids.customer,
    totalMinor: 1_234_550n,
    invoiceDate: '2026-10-01',
    dueDate: '2026-10-31',
    number: 'INV-2026-001',
  });
}, 60_000);

afterAll(async () => {
  await smtp.close();
  await receiver.close();
  await t.close();
  if (previousKey === undefined) delete process.env[SECRET_KEY_ENV];
  else process.env[SECRET_KEY_ENV] = previousKey;
});

const fullSettings = () => ({
  enabledChannels: ['email', 'sms', 'wecom', 'dingtalk', 'feishu'],
  email: {
    host: '127.0.0.1',
    port: smtp.port,
    secure: false,
    user: SMTP_USER,
    from: '应收账款 <ar@seller.test>',
    password: SMTP_PASSWORD,
  },
  wecom: { webhookUrl: `${receiver.url}/wecom/send?key=wk1` },
  dingtalk: {
    webhookUrl: `${receiver.url}/dingtalk/robot/send?access_token=tok123`,
    secret: DINGTALK_SECRET,
  },
  feishu: { webhookUrl: `${receiver.url}/feishu/hook/abc`, secret: FEISHU_SECRET },
  sms: {
    provider: 'aliyun',
    accessKeyId: 'LTAI5test',
    accessKeySecret: SMS_SECRET,
    signName: '甲方',
    templateCodes: { customer_reminder: 'SMS_100', default: 'SMS_999' },
    endpoint: `${receiver.url}/sms/`,
  },
});

describe('channel settings', () => {
  it('keeps secrets write-only: sealed at rest, never answered, audited without their values', async () => {
    const saved = await ok<ChannelSettings>(admin.request('PUT', '/api/messaging/settings', fullSettings()));
    const secrets = [SMTP_PASSWORD, 'tok123', DINGTALK_SECRET, FEISHU_SECRET, SMS_SECRET, 'key=wk1'];
    for (const secret of secrets) expect(JSON.stringify(saved)).not.toContain(secret);
    expect(saved.email).toMatchObject({
      host: '127.0.0.1',
      user: SMTP_USER,
      hasPassword: true,
      isConfigured: true,
    });
    expect(saved.dingtalk).toEqual({
      webhookUrlHint: `${new URL(receiver.url).host} …k123`,
      hasSecret: true,
      isConfigured: true,
    });
    expect(saved.sms).toMatchObject({ provider: 'aliyun', hasAccessKeySecret: true, isConfigured: true });

    const row = await t.db.system((tx) =>
      tx
        .selectFrom('message_channel_settings')
        .selectAll()
        .where('tenant_id', '=', admin.tenantId)
        .executeTakeFirstOrThrow(),
    );
    const stored = JSON.stringify(row);
    for (const secret of secrets) expect(stored).not.toContain(secret);
    expect(row.smtp_password_enc).toMatch(/^v1:/);

    const audit = await ok<{ items: unknown[] }>(
      admin.request('GET', '/api/audit?action=messaging_settings.update'),
    );
    expect(audit.items).toHaveLength(1);
    const entry = JSON.stringify(audit.items[0]);
    for (const secret of secrets) expect(entry).not.toContain(secret);
    expect(entry).toContain('email.password:set');
  });

  it('keeps a secret that a later save leaves out, and clears it on null', async () => {
    const { password: _password, ...emailWithoutPassword } = fullSettings().email;
    const kept = await ok<ChannelSettings>(
      admin.request('PUT', '/api/messaging/settings', { email: emailWithoutPassword }),
    );
    expect(kept.email.hasPassword).toBe(true);
    const cleared = await ok<ChannelSettings>(
      admin.request('PUT', '/api/messaging/settings', { feishu: { webhookUrl: null, secret: null } }),
    );
    expect(cleared.feishu).toEqual({ webhookUrlHint: null, hasSecret: false, isConfigured: false });
    await ok(admin.request('PUT', '/api/messaging/settings', { feishu: fullSettings().feishu }));
  });

  it('lets only admins change settings; finance may read them, salespeople neither', async () => {
    expect(
      (await finance.request('PUT', '/api/messaging/settings', { enabledChannels: [] })).statusCode,
    ).toBe(403);
    expect((await finance.request('GET', '/api/messaging/settings')).statusCode).toBe(200);
    expect((await seller.request('GET', '/api/messaging/settings')).statusCode).toBe(403);
    const bad = await admin.request('PUT', '/api/messaging/settings', {
      dingtalk: { webhookUrl: 'not a url' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('dingtalk.webhookUrl');
  });
});

describe('email', () => {
  it('sends to the finance contact with the owner in Cc and the letter PDF attached', async () => {
    const pdf = randomBytes(3000);
    const mailsBefore = smtp.mails.length;
    const { messageId } = await enqueue({
      customerId: ids.customer,
      invoiceId: ids.invoice,
      channel: 'email',
      ccOwner: true,
      subject: '催款函：INV-2026-001',
      bodyText: '请见附件。',
      bodyHtml: '<p>请见附件。</p>',
      attachments: [
        { filename: 'dunning-letter-INV-2026-001.pdf', contentType: 'application/pdf', content: pdf },
      ],
      source: { kind: 'letter', id: randomUUID() },
    });
    // Nothing leaves inside the transaction: the mail goes when the worker runs.
    expect(smtp.mails.length).toBe(mailsBefore);
    const report = await deliverDueMessages(deps(), T0, { tenantId: admin.tenantId });
    expect(report).toEqual({ claimed: 1, sent: 1, failed: 0, dead: 0, interrupted: 0 });

    const mail = smtp.mails.at(-1);
    expect(mail?.user).toBe(SMTP_USER);
    expect(mail?.to.sort()).toEqual(['lisi@buyer.test', 'seller@seller.test']);
    const entity = parseEntity(mail?.raw ?? '');
    expect(decodeHeader(entity.headers.to ?? '')).toBe('李四 <lisi@buyer.test>');
    expect(entity.headers.cc).toBe('seller@seller.test');
    expect(decodeHeader(entity.headers.subject ?? '')).toBe('催款函：INV-2026-001');
    expect(decodeHeader(entity.headers.from ?? '')).toBe('应收账款 <ar@seller.test>');
    expect(entity.headers['message-id']).toBe(`<${messageId}@seller.test>`);
    const parts = leafParts(entity);
    const attachment = parts.find((part) => part.headers['content-disposition']?.startsWith('attachment'));
    expect(attachment?.headers['content-disposition']).toBe(
      'attachment; filename=dunning-letter-INV-2026-001.pdf',
    );
    expect(attachment?.headers['content-type']).toBe('application/pdf; name=dunning-letter-INV-2026-001.pdf');
    expect(partBytes(attachment ?? { headers: {}, body: '' }).equals(pdf)).toBe(true);
    const text = parts.find((part) => part.headers['content-type']?.startsWith('text/plain'));
    expect(partBytes(text ?? { headers: {}, body: '' }).toString('utf8')).toBe('请见附件。');

    const logged = await message(messageId);
    expect(logged).toMatchObject({
      status: 'sent',
      recipient: 'lisi@buyer.test',
      recipientName: '李四',
      cc: ['seller@seller.test'],
      providerMessageId: `<${messageId}@seller.test>`,
      attachments: [
        { filename: 'dunning-letter-INV-2026-001.pdf', contentType: 'application/pdf', sizeBytes: 3000 },
      ],
    });
    expect(logged.attemptLog.map((attempt) => attempt.outcome)).toEqual(['sent']);
    // Sent when the SMTP server accepted it: the run's time plus however long the conversation took.
    const sentAtMs = Date.parse(logged.sentAt ?? '');
    expect(sentAtMs - T0.getTime()).toBeGreaterThanOrEqual(0);
    expect(sentAtMs - T0.getTime()).toBeLessThan(30_000);
  });

  it('enqueues what one letter sends on one channel once, however often it is asked', async () => {
    const source = { kind: 'letter' as const, id: randomUUID() };
    const input = {
      customerId: ids.customer,
      channel: 'email' as const,
      subject: 's',
      bodyText: 'b',
      source,
    };
    const first = await enqueue(input);
    const second = await enqueue(input);
    expect(second.messageId).toBe(first.messageId);
    const rows = await t.db.tenant(admin.tenantId, (tx) =>
      tx.selectFrom('outbound_messages').select('id').where('source_id', '=', source.id).execute(),
    );
    expect(rows).toHaveLength(1);
    await ok(admin.request('POST', `/api/messages/${first.messageId}/dismiss`));
  });

  it('stores any text as given: quotes, backslashes, braces, commas and line breaks', async () => {
    const source = { kind: 'letter' as const, id: randomUUID() };
    const subject = '催款 "第 1 次", {NULL} \\ 到期';
    const bodyText = 'Line 1\n"quoted" \\path\\ {a,b}\r\nNULL';
    const bodyHtml = '<p class="x">{}</p>';
    const { messageId } = await enqueue({
      customerId: ids.customer,
      channel: 'email',
      subject,
      bodyText,
      bodyHtml,
      source,
    });
    const stored = await t.db.tenant(admin.tenantId, (tx) =>
      tx
        .selectFrom('outbound_messages')
        .select(['subject', 'body_text', 'body_html', 'template_key', 'source_id'])
        .where('id', '=', messageId)
        .executeTakeFirstOrThrow(),
    );
    expect(stored).toEqual({
      subject,
      body_text: bodyText,
      body_html: bodyHtml,
      template_key: null,
      source_id: source.id,
    });
    await ok(admin.request('POST', `/api/messages/${messageId}/dismiss`));
  });

  it('records a message with no recipient as failed with the reason, and sends it once the contact is fixed', async () => {
    const { messageId, status } = await enqueue({
      customerId: ids.bare,
      channel: 'email',
      subject: '付款提醒',
      bodyText: '请付款',
      source: { kind: 'manual', id: null },
    });
    expect(status).toBe('failed');
    expect((await deliverDueMessages(deps(), T0, { tenantId: admin.tenantId })).claimed).toBe(0);
    const problems = await ok<{ items: { id: string; lastError: string }[] }>(
      admin.request('GET', '/api/messages?status=problem'),
    );
    expect(problems.items.find((item) => item.id === messageId)?.lastError).toBe(
      'recipient_missing: the customer has no contact with an email address',
    );

    await ok(
      admin.request('POST', `/api/customers/${ids.bare}/contacts`, { name: '赵六', email: 'zhao@yi.test' }),
    );
    const resent = await ok<OutboundMessageDetail>(
      admin.request('POST', `/api/messages/${messageId}/resend`),
    );
    expect(resent).toMatchObject({ status: 'sent', recipient: 'zhao@yi.test', lastError: null });
    expect(smtp.mails.at(-1)?.to).toEqual(['zhao@yi.test']);
    const audit = await ok<{ items: { entityId: string }[] }>(
      admin.request('GET', '/api/audit?action=message.resend'),
    );
    expect(audit.items.map((item) => item.entityId)).toContain(messageId);
  });

  it('retries with backoff (1 min, 5 min, 30 min, 2 h, 12 h) and gives up after the sixth failure', async () => {
    smtp.refuseWith = 'Mailbox busy, try later';
    const { messageId } = await enqueue({
      customerId: ids.customer,
      channel: 'email',
      subject: '重试',
      bodyText: '重试',
      source: { kind: 'manual', id: null },
    });
    const run = (at: Date) => deliverDueMessages(deps(), at, { tenantId: admin.tenantId });
    const minutes = (base: Date, count: number) => new Date(base.getTime() + count * 60_000);

    let at = T0;
    expect(await run(at)).toMatchObject({ claimed: 1, failed: 1 });
    const afterFirst = await message(messageId);
    expect(afterFirst).toMatchObject({
      status: 'failed',
      attempts: 1,
      nextAttemptAt: minutes(at, 1).toISOString(),
    });
    expect(afterFirst.lastError).toContain('Mailbox busy, try later');
    expect((await run(minutes(at, 0.5))).claimed).toBe(0);

    for (const [delay, next] of [
      [1, 5],
      [5, 30],
      [30, 120],
      [120, 720],
    ] as const) {
      at = minutes(at, delay);
      expect(await run(at)).toMatchObject({ claimed: 1, failed: 1 });
      expect((await message(messageId)).nextAttemptAt).toBe(minutes(at, next).toISOString());
    }
    at = minutes(at, 720);
    expect(await run(at)).toMatchObject({ claimed: 1, dead: 1 });
    const dead = await message(messageId);
    expect(dead).toMatchObject({ status: 'dead', attempts: 6, nextAttemptAt: null });
    expect(dead.attemptLog.map((attempt) => attempt.outcome)).toEqual(Array(6).fill('failed'));
    expect((await run(minutes(at, 10_000))).claimed).toBe(0);

    smtp.refuseWith = null;
    const resent = await ok<OutboundMessageDetail>(
      admin.request('POST', `/api/messages/${messageId}/resend`),
    );
    expect(resent).toMatchObject({ status: 'sent', attempts: 1 });
    expect(resent.attemptLog).toHaveLength(7);
  });

  it('marks a message the worker stopped sending as unknown, never sending it again by itself', async () => {
    const { messageId } = await enqueue({
      customerId: ids.customer,
      channel: 'email',
      subject: '中断',
      bodyText: '中断',
      source: { kind: 'manual', id: null },
    });
    // A worker claimed it at T0 and died before the SMTP answer (the process was killed).
    await t.db.system((tx) =>
      tx
        .updateTable('outbound_messages')
        .set({ status: 'sending', claimed_at: T0, attempts: 1 })
        .where('id', '=', messageId)
        .execute(),
    );
    const mails = smtp.mails.length;
    const soon = new Date(T0.getTime() + 5 * 60_000);
    expect(await deliverDueMessages(deps(), soon, { tenantId: admin.tenantId })).toMatchObject({
      claimed: 0,
      interrupted: 0,
    });
    expect((await message(messageId)).status).toBe('sending');
    const later = new Date(T0.getTime() + 11 * 60_000);
    expect(await deliverDueMessages(deps(), later, { tenantId: admin.tenantId })).toMatchObject({
      claimed: 0,
      interrupted: 1,
    });
    const unknown = await message(messageId);
    expect(unknown.status).toBe('unknown');
    expect(unknown.lastError).toMatch(/^interrupted/);
    expect(unknown.attemptLog.map((attempt) => attempt.outcome)).toEqual(['unknown']);
    expect(smtp.mails.length).toBe(mails);

    const dismissed = await ok<OutboundMessageDetail>(
      admin.request('POST', `/api/messages/${messageId}/dismiss`),
    );
    expect(dismissed.status).toBe('dismissed');
    expect(await deliverDueMessages(deps(), later, { tenantId: admin.tenantId })).toMatchObject({
      claimed: 0,
    });
    expect(smtp.mails.length).toBe(mails);
    const again = await admin.request('POST', `/api/messages/${messageId}/dismiss`);
    expect(again.statusCode).toBe(409);
  });
  it('says so when the server’s key changed and a stored secret cannot be opened', async () => {
    const { messageId } = await enqueue({
      customerId: ids.customer,
      channel: 'email',
      subject: '换了密钥',
      bodyText: '换了密钥',
      source: { kind: 'manual', id: null },
    });
    const key = process.env[SECRET_KEY_ENV];
    process.env[SECRET_KEY_ENV] = 'a-different-key-for-this-server-99';
    try {
      expect(await deliverDueMessages(deps(), T0, { tenantId: admin.tenantId })).toMatchObject({ failed: 1 });
    } finally {
      process.env[SECRET_KEY_ENV] = key;
    }
    expect((await message(messageId)).lastError).toBe(
      "channel_not_configured: the stored email.password cannot be opened with this server's key; enter it again",
    );
    await ok(admin.request('POST', `/api/messages/${messageId}/dismiss`));
  });
});

describe('robots and SMS', () => {
  it('delivers an admin’s test message to each robot, signed as the vendor checks', async () => {
    for (const [channel, prefix] of [
      ['dingtalk', '/dingtalk'],
      ['feishu', '/feishu'],
      ['wecom', '/wecom'],
    ] as const) {
      const before = requestsTo(prefix).length;
      const sent = await ok<OutboundMessageDetail>(admin.request('POST', '/api/messaging/test', { channel }));
      expect(sent, channel).toMatchObject({ channel, status: 'sent', sourceKind: 'test', lastError: null });
      expect(requestsTo(prefix).length, channel).toBe(before + 1);
    }
    const feishu = JSON.parse(requestsTo('/feishu').at(-1)?.body ?? '{}') as { content: { text: string } };
    expect(feishu.content.text).toContain('测试消息（飞书）');
  });

  it('records the vendor’s refusal as a failed message that will be retried', async () => {
    await ok(
      admin.request('PUT', '/api/messaging/settings', {
        wecom: { webhookUrl: `${receiver.url}/wecom/send?key=old` },
      }),
    );
    const failed = await ok<OutboundMessageDetail>(
      admin.request('POST', '/api/messaging/test', { channel: 'wecom' }),
    );
    expect(failed).toMatchObject({ status: 'failed', lastError: '93000: invalid webhook url', attempts: 1 });
    expect(failed.nextAttemptAt).not.toBeNull();
    await ok(admin.request('PUT', '/api/messaging/settings', { wecom: fullSettings().wecom }));
  });

  it('refuses to send on a channel that is switched off, saying so', async () => {
    await ok(admin.request('PUT', '/api/messaging/settings', { enabledChannels: ['email'] }));
    const refused = await ok<OutboundMessageDetail>(
      admin.request('POST', '/api/messaging/test', { channel: 'feishu' }),
    );
    expect(refused.lastError).toBe('channel_disabled: the feishu channel is switched off in the settings');
    await ok(
      admin.request('PUT', '/api/messaging/settings', { enabledChannels: fullSettings().enabledChannels }),
    );
  });

  it('sends an email test to the admin and an SMS test to the number given', async () => {
    const email = await ok<OutboundMessageDetail>(
      admin.request('POST', '/api/messaging/test', { channel: 'email' }),
    );
    expect(email).toMatchObject({ status: 'sent', recipient: admin.session?.user.email });
    const sms = await ok<OutboundMessageDetail>(
      admin.request('POST', '/api/messaging/test', { channel: 'sms', recipient: '+86 139 0000 0001' }),
    );
    expect(sms).toMatchObject({ status: 'sent', recipient: '13900000001', providerMessageId: 'biz-1' });
    const form = new URLSearchParams(requestsTo('/sms').at(-1)?.body ?? '');
    expect(form.get('TemplateCode')).toBe('SMS_999');
    const missing = await admin.request('POST', '/api/messaging/test', { channel: 'sms' });
    expect(missing.statusCode).toBe(400);
  });
});

function contextFor(
  tx: Tx,
  kind: DunningStepKind,
  channel: MessageChannel | null,
  actionId: string,
): DunningActionContext {
  return {
    tx,
    tenantId: admin.tenantId,
    runId: randomUUID(),
    actionId,
    asOf: '2026-11-22' as CalendarDate,
    step: { kind, channel, offsetDays: 1, templateKey: null, requiresApproval: false },
    invoice: {
      id: ids.invoice,
      number: 'INV-2026-001',
      customerId: ids.customer,
      dueDate: '2026-10-31' as CalendarDate,
      chasedMinor: 1_234_550n,
      currency: 'CNY',
      daysOverdue: 22,
    },
    customer: { id: ids.customer, name: '甲方贸易有限公司', ownerUserId: seller.userId },
  };
}

async function runStep(kind: DunningStepKind, channel: MessageChannel | null, actionId = randomUUID()) {
  const executor = stepExecutorOf(kind);
  if (!executor) throw new Error(`no executor for ${kind}`);
  return t.db.tenant(admin.tenantId, (tx) => executor(contextFor(tx, kind, channel, actionId)));
}

describe('dunning steps', () => {
  it('customer_reminder: the zh reminder by email to the contact, owner copied, once per action', async () => {
    const actionId = randomUUID();
    const first = await runStep('customer_reminder', 'email', actionId);
    const second = await runStep('customer_reminder', 'email', actionId);
    expect(first).toMatchObject({ outcome: 'queued' });
    expect(second.refId).toBe(first.refId);
    const queued = await message(first.refId ?? '');
    expect(queued).toMatchObject({
      channel: 'email',
      status: 'queued',
      recipient: 'lisi@buyer.test',
      cc: ['seller@seller.test'],
      invoiceNumber: 'INV-2026-001',
      sourceKind: 'dunning_action',
      sourceId: actionId,
      subject: '付款提醒：发票 INV-2026-001 已逾期',
    });
    expect(queued.bodyText).toBe(
      [
        '甲方贸易有限公司：您好！',
        '',
        '贵司发票 INV-2026-001 尚有 12,345.50 CNY 未付，已于 2026-10-31 到期，已逾期 22 天。请安排付款；如已付款，请忽略本提醒。',
        '',
        admin.session?.organization.name,
      ].join('\n'),
    );
    await deliverDueMessages(deps(), T0, { tenantId: admin.tenantId });
    expect((await message(first.refId ?? '')).status).toBe('sent');
  });

  it('customer_reminder by SMS: the contact’s mobile, the purpose’s template and its variables', async () => {
    const outcome = await runStep('customer_reminder', 'sms');
    await deliverDueMessages(deps(), T0, { tenantId: admin.tenantId });
    expect(await message(outcome.refId ?? '')).toMatchObject({ status: 'sent', recipient: '13800138000' });
    const form = new URLSearchParams(requestsTo('/sms').at(-1)?.body ?? '');
    expect(form.get('PhoneNumbers')).toBe('13800138000');
    expect(form.get('TemplateCode')).toBe('SMS_100');
    expect(JSON.parse(form.get('TemplateParam') ?? '{}')).toEqual({
      customer: '甲方贸易有限公司',
      invoice: 'INV-2026-001',
      amount: '12,345.50 CNY',
      dueDate: '2026-10-31',
      days: '22',
    });
  });

  it('owner_reminder: the owner’s bell, and the internal robot when one is set', async () => {
    await ok(admin.request('PUT', '/api/messaging/settings', { internalImChannel: 'dingtalk' }));
    const before = requestsTo('/dingtalk').length;
    const outcome = await runStep('owner_reminder', null);
    expect(outcome.outcome).toBe('queued');
    expect(await ok(seller.request('GET', '/api/notifications/unread-count'))).toEqual({ unread: 1 });
    const bell = await ok<{ items: { id: string; title: string; body: string; link: string }[] }>(
      seller.request('GET', '/api/notifications'),
    );
    expect(bell.items[0]).toMatchObject({
      title: '催收提醒：甲方贸易有限公司 发票 INV-2026-001',
      body: '客户 甲方贸易有限公司 的发票 INV-2026-001 尚有 12,345.50 CNY 未收，已于 2026-10-31 到期，已逾期 22 天。请跟进收款。',
      link: `/invoices/${ids.invoice}`,
    });
    const notificationId = bell.items[0]?.id ?? '';
    expect((await otherSeller.request('POST', `/api/notifications/${notificationId}/read`)).statusCode).toBe(
      404,
    );
    expect((await otherSeller.request('GET', '/api/notifications')).json()).toEqual({
      items: [],
      nextCursor: null,
    });
    await ok(seller.request('POST', `/api/notifications/${notificationId}/read`));
    expect(await ok(seller.request('GET', '/api/notifications/unread-count'))).toEqual({ unread: 0 });

    await deliverDueMessages(deps(), T0, { tenantId: admin.tenantId });
    expect(requestsTo('/dingtalk').length).toBe(before + 1);
    const posted = JSON.parse(requestsTo('/dingtalk').at(-1)?.body ?? '{}') as {
      markdown: { title: string };
    };
    expect(posted.markdown.title).toBe('催收提醒：甲方贸易有限公司 发票 INV-2026-001');
  });

  it('overdue_notice: by email, in English for an English-speaking organization', async () => {
    await t.db.system((tx) =>
      tx.updateTable('organizations').set({ locale: 'en' }).where('tenant_id', '=', admin.tenantId).execute(),
    );
    const outcome = await runStep('overdue_notice', null);
    await t.db.system((tx) =>
      tx
        .updateTable('organizations')
        .set({ locale: 'zh-CN' })
        .where('tenant_id', '=', admin.tenantId)
        .execute(),
    );
    const notice = await message(outcome.refId ?? '');
    expect(notice).toMatchObject({
      channel: 'email',
      recipient: 'lisi@buyer.test',
      subject: 'Overdue notice: invoice INV-2026-001 is 22 days overdue',
    });
    expect(notice.bodyText).toContain('12,345.50 CNY remains unpaid, 22 days overdue');
  });
});

describe('the message log', () => {
  it('shows each person only the messages of customers in their record scope', async () => {
    const mine = await ok<{ items: { customerId: string | null }[] }>(
      seller.request('GET', '/api/messages?limit=200'),
    );
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((item) => item.customerId === ids.customer)).toBe(true);
    const theirs = await ok<{ items: { id: string }[] }>(
      admin.request('GET', `/api/messages?customerId=${ids.bare}`),
    );
    const theirId = theirs.items[0]?.id ?? '';
    expect((await seller.request('GET', `/api/messages/${theirId}`)).statusCode).toBe(404);
    expect((await seller.request('POST', `/api/messages/${theirId}/resend`)).statusCode).toBe(404);
    expect((await foreign.request('GET', `/api/messages/${theirId}`)).statusCode).toBe(404);
    const all = await ok<{ items: { sourceKind: string }[] }>(
      finance.request('GET', '/api/messages?limit=200'),
    );
    expect(all.items.some((item) => item.sourceKind === 'test')).toBe(true);
  });

  it('filters by status and channel and pages without repeats', async () => {
    const sms = await ok<{ items: { channel: string }[] }>(admin.request('GET', '/api/messages?channel=sms'));
    expect(sms.items.length).toBe(2);
    expect(sms.items.every((item) => item.channel === 'sms')).toBe(true);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page: { items: { id: string }[]; nextCursor: string | null } = await ok(
        admin.request('GET', `/api/messages?limit=3${query}`),
      );
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    const all = await ok<{ items: { id: string }[] }>(admin.request('GET', '/api/messages?limit=200'));
    expect(seen).toEqual(all.items.map((item) => item.id));
  });

  it('gives the customer timeline every message about one customer', async () => {
    const timeline = await t.db.tenant(admin.tenantId, (tx) =>
      listCustomerMessages(tx, admin.tenantId, ids.bare),
    );
    expect(timeline.map((item) => [item.channel, item.status, item.recipient])).toEqual([
      ['email', 'sent', 'zhao@yi.test'],
    ]);
  });

  it('lets admins and finance deliver now, not salespeople', async () => {
    expect((await seller.request('POST', '/api/messages/deliver')).statusCode).toBe(403);
    // The overdue notice above is still queued: "deliver now" sends it.
    const report = await ok(finance.request('POST', '/api/messages/deliver'));
    expect(report).toEqual({ claimed: 1, sent: 1, failed: 0, dead: 0, interrupted: 0 });
    expect(smtp.mails.at(-1)?.to.sort()).toEqual(['lisi@buyer.test', 'seller@seller.test']);
  });
});

describe('at the scale of a dunning run', () => {
  it('enqueues a run’s reminders in the same number of statements for 5 actions as for 60', async () => {
    const batch = batchStepExecutorOf('customer_reminder');
    if (!batch) throw new Error('no batch executor for customer_reminder');
    const statementsFor = async (size: number) => {
      const counting = countingDb(t.db);
      const outcomes = await counting.db.tenant(admin.tenantId, (tx) =>
        batch(Array.from({ length: size }, () => contextFor(tx, 'customer_reminder', 'email', randomUUID()))),
      );
      expect(outcomes).toHaveLength(size);
      expect(new Set(outcomes.map((outcome) => outcome.refId)).size).toBe(size);
      expect(outcomes.every((outcome) => outcome.outcome === 'queued')).toBe(true);
      return counting.count();
    };
    expect(await statementsFor(60)).toBe(await statementsFor(5));
  });

  it('never sends one message twice when two workers run at once', async () => {
    const queued = await t.db.tenant(admin.tenantId, (tx) =>
      tx.selectFrom('outbound_messages').select('id').where('status', '=', 'queued').execute(),
    );
    expect(queued.length).toBe(65);
    const mailsBefore = smtp.mails.length;
    const reports = await Promise.all([
      deliverDueMessages(deps(), T0, { tenantId: admin.tenantId, batchSize: 40 }),
      deliverDueMessages(deps(), T0, { tenantId: admin.tenantId, batchSize: 40 }),
    ]);
    const claimed = reports.reduce((sum, report) => sum + report.claimed, 0);
    const delivered = smtp.mails.slice(mailsBefore);
    const messageIds = delivered.map((mail) => parseEntity(mail.raw).headers['message-id']);
    expect(new Set(messageIds).size).toBe(messageIds.length);
    expect(delivered.length).toBe(claimed);
    // Whatever the first two runs left (each takes at most 40), a third takes; nothing is sent twice.
    const rest = await deliverDueMessages(deps(), T0, { tenantId: admin.tenantId });
    expect(claimed + rest.claimed).toBe(65);
    expect(smtp.mails.length - mailsBefore).toBe(65);
  });
});

describe('the delivery worker on the job queue', () => {
  it.runIf(testEngine === 'pglite')(
    'delivers through pg-boss when the server’s queue runs the job',
    async () => {
      const { messageId } = await enqueue({
        customerId: ids.customer,
        channel: 'email',
        subject: '队列投递',
        bodyText: '由任务队列发送',
        source: { kind: 'manual', id: null },
      });
      const queue = await startJobQueue({ db: t.db, clock: t.clock, config: deps().config, version: 'test' });
      try {
        await queue.send(DELIVERY_JOB);
        const deadline = Date.now() + 20_000;
        while ((await message(messageId)).status !== 'sent' && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      } finally {
        await queue.stop();
      }
      expect((await message(messageId)).status).toBe('sent');
      expect(decodeHeader(parseEntity(smtp.mails.at(-1)?.raw ?? '').headers.subject ?? '')).toBe('队列投递');
    },
  );
});
