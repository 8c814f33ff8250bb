import { createHmac, randomUUID } from 'node:crypto';
import { asRecord, failure, httpFailure, httpRequest, textOf, type SendResult } from './http';

/**
 * SMS goes through a provider adapter. Chinese carriers only deliver texts from approved templates (模板) under an
 * approved signature (签名), so a message is a template code plus its variables, never free text; the free text
 * of the message is kept for the log.
 */
export type SmsRequest = {
  phoneNumber: string;
  templateCode: string;
  templateParams: Record<string, string>;
  /** Echoed back by the provider in delivery reports; our outbox id. */
  outId: string;
};

export type SmsProvider = { send(request: SmsRequest, now: Date): Promise<SendResult> };

export type AliyunSmsSettings = {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  /** Default https://dysmsapi.aliyuncs.com/; configurable (a regional endpoint, or a local server in tests). */
  endpoint: string | null;
};

export const ALIYUN_SMS_DEFAULT_ENDPOINT = 'https://dysmsapi.aliyuncs.com/';

/**
 * RFC 3986 percent-encoding as Aliyun's RPC signature wants it: everything but A–Z a–z 0–9 - _ . ~ is encoded,
 * a space is %20 (not +), UTF-8 bytes as %XY.
 */
export function aliyunPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Aliyun RPC signature v1.0: sort the parameters by name, percent-encode names and values, join with & and =,
 * StringToSign = METHOD + "&" + encode("/") + "&" + encode(that query); Signature = Base64(HMAC-SHA1(key =
 * AccessKeySecret + "&", StringToSign)).
 */
export function aliyunSignature(
  method: 'GET' | 'POST',
  params: Record<string, string>,
  secret: string,
): string {
  const canonical = Object.keys(params)
    .sort()
    .map((name) => `${aliyunPercentEncode(name)}=${aliyunPercentEncode(params[name] ?? '')}`)
    .join('&');
  const stringToSign = `${method}&${aliyunPercentEncode('/')}&${aliyunPercentEncode(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
}

/** 'YYYY-MM-DDTHH:mm:ssZ' in UTC, as the RPC API's Timestamp wants it (no milliseconds). */
function rpcTimestamp(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** 阿里云短信服务 Dysmsapi SendSms (2017-05-25), signed POST form; the answer's Code is "OK" on success. */
export function aliyunSmsProvider(settings: AliyunSmsSettings): SmsProvider {
  return {
    async send(request, now) {
      const params: Record<string, string> = {
        AccessKeyId: settings.accessKeyId,
        Action: 'SendSms',
        Format: 'JSON',
        OutId: request.outId,
        PhoneNumbers: request.phoneNumber,
        RegionId: 'cn-hangzhou',
        SignName: settings.signName,
        SignatureMethod: 'HMAC-SHA1',
        SignatureNonce: randomUUID(),
        SignatureVersion: '1.0',
        TemplateCode: request.templateCode,
        TemplateParam: JSON.stringify(request.templateParams),
        Timestamp: rpcTimestamp(now),
        Version: '2017-05-25',
      };
      const signature = aliyunSignature('POST', params, settings.accessKeySecret);
      const body = Object.entries({ ...params, Signature: signature })
        .map(([name, value]) => `${aliyunPercentEncode(name)}=${aliyunPercentEncode(value)}`)
        .join('&');
      const answer = await httpRequest(settings.endpoint ?? ALIYUN_SMS_DEFAULT_ENDPOINT, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body,
      });
      const json = asRecord(answer.json);
      if (typeof json.Code !== 'string') return httpFailure(answer);
      if (json.Code !== 'OK') return failure(`${json.Code}: ${textOf(json.Message)}`);
      return { ok: true, providerMessageId: typeof json.BizId === 'string' ? json.BizId : null };
    },
  };
}
