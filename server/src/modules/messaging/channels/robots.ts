import { createHmac } from 'node:crypto';
import { asRecord, failure, httpFailure, postJson, textOf, type HttpAnswer, type SendResult } from './http';

/**
 * Enterprise IM group robots (群机器人). Each posts JSON to the robot's webhook URL and answers 200 even when it
 * refuses, with the reason in the body: WeCom and DingTalk `{errcode, errmsg}`, Feishu `{code, msg}` (older
 * robots: `{StatusCode, StatusMessage}`). Anything but 0 is a failure carrying the vendor's message.
 */

export type RobotMessage = { subject: string; bodyText: string };

/** 企业微信群机器人: markdown, no signature (the webhook key is the credential). */
export async function sendWecom(webhookUrl: string, message: RobotMessage): Promise<SendResult> {
  const content = `**${message.subject}**\n\n${message.bodyText}`;
  const answer = await postJson(webhookUrl, { msgtype: 'markdown', markdown: { content } });
  return errcodeResult(answer);
}

/**
 * 钉钉自定义机器人 with 加签: sign = Base64(HmacSHA256(key = secret, message = timestamp + "\n" + secret)), the
 * timestamp in milliseconds; both go into the query string (URL-encoded).
 */
export function dingtalkSignature(timestampMs: number, secret: string): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

export async function sendDingtalk(
  webhookUrl: string,
  secret: string | null,
  message: RobotMessage,
  now: Date,
): Promise<SendResult> {
  const url = new URL(webhookUrl);
  if (secret) {
    const timestampMs = now.getTime();
    url.searchParams.set('timestamp', String(timestampMs));
    url.searchParams.set('sign', dingtalkSignature(timestampMs, secret));
  }
  // DingTalk's markdown needs a blank line to break a line.
  const text = `### ${message.subject}\n\n${message.bodyText.split('\n').join('\n\n')}`;
  const answer = await postJson(url.toString(), {
    msgtype: 'markdown',
    markdown: { title: message.subject, text },
  });
  return errcodeResult(answer);
}

/**
 * 飞书自定义机器人 with 签名校验: the string timestamp + "\n" + secret is the HMAC-SHA256 KEY, over an empty
 * message; Base64. The timestamp is in seconds; both go into the JSON body.
 */
export function feishuSignature(timestampSeconds: number, secret: string): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update(Buffer.alloc(0)).digest('base64');
}

export async function sendFeishu(
  webhookUrl: string,
  secret: string | null,
  message: RobotMessage,
  now: Date,
): Promise<SendResult> {
  const timestampSeconds = Math.floor(now.getTime() / 1000);
  const signature = secret
    ? { timestamp: String(timestampSeconds), sign: feishuSignature(timestampSeconds, secret) }
    : {};
  const answer = await postJson(webhookUrl, {
    ...signature,
    msg_type: 'text',
    content: { text: `${message.subject}\n\n${message.bodyText}` },
  });
  if (answer.status < 200 || answer.status >= 300) return httpFailure(answer);
  const body = asRecord(answer.json);
  const code = body.code ?? body.StatusCode;
  if (code === undefined) return failure(`Unexpected answer: ${answer.text}`);
  if (code !== 0) return failure(`${textOf(code)}: ${textOf(body.msg ?? body.StatusMessage)}`);
  return { ok: true, providerMessageId: null };
}

function errcodeResult(answer: HttpAnswer): SendResult {
  if (answer.status < 200 || answer.status >= 300) return httpFailure(answer);
  const body = asRecord(answer.json);
  if (body.errcode === undefined) return failure(`Unexpected answer: ${answer.text}`);
  if (body.errcode !== 0) return failure(`${textOf(body.errcode)}: ${textOf(body.errmsg)}`);
  return { ok: true, providerMessageId: null };
}
