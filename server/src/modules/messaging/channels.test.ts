import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, nextAttemptAfterFailure } from './backoff';
import { sendDingtalk, sendFeishu, sendWecom } from './channels/robots';
import { aliyunSignature, aliyunSmsProvider } from './channels/sms';
import { normalizePhone } from './recipients';
import { groupedAmount } from './templates';
import { startHttpReceiver, type HttpReceiver } from './test-support';

/**
 * Each channel against a real local HTTP receiver that checks the request the way the vendor does. The receivers
 * compute signatures here with node:crypto, independently of the code under test.
 */

let receiver: HttpReceiver;
const now = new Date('2026-11-22T02:00:00.000Z');

beforeAll(async () => {
  receiver = await startHttpReceiver();
});
afterAll(() => receiver.close());
beforeEach(() => {
  receiver.requests.length = 0;
});

const message = { subject: '催收提醒：甲公司 发票 INV-1', bodyText: '尚有 1,234.50 CNY 未收。\n请跟进。' };

/** RFC 3986 as Aliyun describes it: encodeURIComponent leaves !'()* alone, Aliyun does not. */
function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

describe('Aliyun SMS (Dysmsapi SendSms)', () => {
  it('signs the published example exactly as Alibaba Cloud documents it', () => {
    // The example of Alibaba Cloud's SMS signature documentation: AccessKeySecret "testSecret".
    const params = {
      AccessKeyId: 'testId',
      Action: 'SendSms',
      Format: 'XML',
      OutId: '123',
      PhoneNumbers: '15300000001',
      RegionId: 'cn-hangzhou',
      SignName: '阿里云短信测试专用',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
      SignatureVersion: '1.0',
      TemplateCode: 'SMS_71390007',
      TemplateParam: '{"customer":"test"}',
      Timestamp: '2017-07-12T02:42:19Z',
      Version: '2017-05-25',
    };
    expect(aliyunSignature('GET', params, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });

  it('sends a signed POST form that the receiver verifies, and reads the BizId', async () => {
    const secret = 'k3y+S/ecret=';
    receiver.answer = (request) => {
      const form = new URLSearchParams(request.body);
      const signature = form.get('Signature') ?? '';
      const entries = [...form.entries()].filter(([name]) => name !== 'Signature');
      const canonical = entries
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, value]) => `${rfc3986(name)}=${rfc3986(value)}`)
        .join('&');
      const stringToSign = `POST&%2F&${rfc3986(canonical)}`;
      const expected = createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
      return signature === expected
        ? { body: { Code: 'OK', Message: 'OK', BizId: '900619746936498440^0', RequestId: 'R1' } }
        : { body: { Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched' } };
    };
    const provider = aliyunSmsProvider({
      accessKeyId: 'LTAI-test',
      accessKeySecret: secret,
      signName: '甲方公司',
      endpoint: `${receiver.url}/`,
    });
    const result = await provider.send(
      {
        phoneNumber: '13800138000',
        templateCode: 'SMS_123',
        templateParams: { customer: '乙 公司', amount: '1,234.50 CNY' },
        outId: 'msg-1',
      },
      now,
    );
    expect(result).toEqual({ ok: true, providerMessageId: '900619746936498440^0' });
    const form = new URLSearchParams(receiver.requests[0]?.body ?? '');
    expect(receiver.requests[0]?.method).toBe('POST');
    expect(
      Object.fromEntries(
        [...form.entries()].filter(([name]) => !['Signature', 'SignatureNonce'].includes(name)),
      ),
    ).toEqual({
      AccessKeyId: 'LTAI-test',
      Action: 'SendSms',
      Format: 'JSON',
      OutId: 'msg-1',
      PhoneNumbers: '13800138000',
      RegionId: 'cn-hangzhou',
      SignName: '甲方公司',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      TemplateCode: 'SMS_123',
      TemplateParam: '{"customer":"乙 公司","amount":"1,234.50 CNY"}',
      Timestamp: '2026-11-22T02:00:00Z',
      Version: '2017-05-25',
    });
    // A space is %20 on the wire, never '+', as the signature rules require.
    expect(receiver.requests[0]?.body).toContain('%E4%B9%99%20%E5%85%AC%E5%8F%B8');
  });

  it('fails with the provider’s code and message when it refuses', async () => {
    receiver.answer = () => ({ body: { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发号码天级流控' } });
    const provider = aliyunSmsProvider({
      accessKeyId: 'id',
      accessKeySecret: 'secret',
      signName: '甲方',
      endpoint: receiver.url,
    });
    const result = await provider.send(
      { phoneNumber: '13800138000', templateCode: 'SMS_1', templateParams: {}, outId: 'x' },
      now,
    );
    expect(result).toEqual({ ok: false, error: 'isv.BUSINESS_LIMIT_CONTROL: 触发号码天级流控' });
  });
});

describe('DingTalk robot (加签)', () => {
  const secret = 'SECa1b2c3d4e5f6';

  it('puts timestamp (ms) and the URL-encoded HmacSHA256 sign into the query', async () => {
    receiver.answer = (request) => {
      const url = new URL(request.url, receiver.url);
      const timestamp = url.searchParams.get('timestamp') ?? '';
      const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
      return url.searchParams.get('sign') === expected
        ? { body: { errcode: 0, errmsg: 'ok' } }
        : { body: { errcode: 310000, errmsg: 'sign not match' } };
    };
    const result = await sendDingtalk(`${receiver.url}/robot/send?access_token=abc`, secret, message, now);
    expect(result).toEqual({ ok: true, providerMessageId: null });
    const request = receiver.requests[0];
    const url = new URL(request?.url ?? '', receiver.url);
    expect(url.searchParams.get('access_token')).toBe('abc');
    expect(url.searchParams.get('timestamp')).toBe(String(now.getTime()));
    // The base64 sign is URL-encoded: no raw '+', '/' or '=' in the query string.
    expect(request?.url.split('sign=')[1]).not.toMatch(/[+/=]/);
    const body = JSON.parse(request?.body ?? '{}') as {
      msgtype: string;
      markdown: { title: string; text: string };
    };
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.title).toBe(message.subject);
    expect(body.markdown.text).toBe(`### ${message.subject}\n\n尚有 1,234.50 CNY 未收。\n\n请跟进。`);
  });

  it('fails with DingTalk’s errcode and errmsg', async () => {
    receiver.answer = () => ({ body: { errcode: 310000, errmsg: 'sign not match' } });
    const result = await sendDingtalk(`${receiver.url}/robot/send?access_token=abc`, 'wrong', message, now);
    expect(result).toEqual({ ok: false, error: '310000: sign not match' });
  });
});

describe('Feishu robot (签名校验)', () => {
  const secret = 'feishu-secret-9';

  it('signs with timestamp (s) + "\\n" + secret as the HMAC key over an empty message, in the body', async () => {
    receiver.answer = (request) => {
      const body = JSON.parse(request.body) as { timestamp: string; sign: string };
      const expected = createHmac('sha256', `${body.timestamp}\n${secret}`).update('').digest('base64');
      return body.sign === expected
        ? { body: { code: 0, msg: 'success', data: {} } }
        : {
            body: {
              code: 19021,
              msg: 'sign match fail or timestamp is not within one hour from current time',
            },
          };
    };
    const result = await sendFeishu(`${receiver.url}/open-apis/bot/v2/hook/x`, secret, message, now);
    expect(result).toEqual({ ok: true, providerMessageId: null });
    const body = JSON.parse(receiver.requests[0]?.body ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({
      timestamp: String(Math.floor(now.getTime() / 1000)),
      msg_type: 'text',
      content: { text: `${message.subject}\n\n${message.bodyText}` },
    });
  });

  it('fails with Feishu’s code and message', async () => {
    receiver.answer = () => ({ body: { code: 19021, msg: 'sign match fail' } });
    const result = await sendFeishu(`${receiver.url}/hook`, 'wrong', message, now);
    expect(result).toEqual({ ok: false, error: '19021: sign match fail' });
  });
});

describe('WeCom robot', () => {
  it('posts markdown and reads errcode', async () => {
    receiver.answer = () => ({ body: { errcode: 0, errmsg: 'ok' } });
    expect(await sendWecom(`${receiver.url}/cgi-bin/webhook/send?key=k`, message)).toEqual({
      ok: true,
      providerMessageId: null,
    });
    expect(JSON.parse(receiver.requests[0]?.body ?? '{}')).toEqual({
      msgtype: 'markdown',
      markdown: { content: `**${message.subject}**\n\n${message.bodyText}` },
    });
    receiver.answer = () => ({ body: { errcode: 93000, errmsg: 'invalid webhook url' } });
    expect(await sendWecom(`${receiver.url}/x`, message)).toEqual({
      ok: false,
      error: '93000: invalid webhook url',
    });
  });

  it('treats an HTTP error or a non-JSON answer as a failure', async () => {
    receiver.answer = () => ({ status: 502, body: 'Bad Gateway' });
    expect(await sendWecom(`${receiver.url}/x`, message)).toEqual({
      ok: false,
      error: 'HTTP 502: Bad Gateway',
    });
  });
});

describe('small rules', () => {
  it('backs off 1 min, 5 min, 30 min, 2 h, 12 h, then gives up at the 6th failure', () => {
    const minutes = [1, 2, 3, 4, 5].map(
      (attempts) => ((nextAttemptAfterFailure(attempts, now)?.getTime() ?? 0) - now.getTime()) / 60_000,
    );
    expect(minutes).toEqual([1, 5, 30, 120, 720]);
    expect(MAX_ATTEMPTS).toBe(6);
    expect(nextAttemptAfterFailure(6, now)).toBeNull();
  });

  it('normalises mobile numbers the way the SMS provider wants them', () => {
    expect(normalizePhone('+86 138-0013-8000')).toBe('13800138000');
    expect(normalizePhone('008613800138000')).toBe('13800138000');
    expect(normalizePhone('+852 6123 4567')).toBe('85261234567');
    expect(normalizePhone('010-12345678')).toBeNull();
    expect(normalizePhone('12345')).toBeNull();
  });

  it('groups amounts from the exact decimal string', () => {
    expect(groupedAmount(123456789n, 'CNY')).toBe('1,234,567.89');
    expect(groupedAmount(5n, 'CNY')).toBe('0.05');
    expect(groupedAmount(1234n, 'JPY')).toBe('1,234');
  });
});
