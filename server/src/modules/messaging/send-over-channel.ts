import type { MessageChannel } from '@huikuan/core';
import type { Tx } from '../../platform/db';
import { messageIdFor, sendEmail } from '../../platform/email';
import type { ChannelRuntime } from './channel-runtime';
import { failure, type SendResult } from './channels/http';
import { sendDingtalk, sendFeishu, sendWecom } from './channels/robots';
import { aliyunSmsProvider, type SmsProvider } from './channels/sms';

/** One claimed message with what its channel needs, read before sending (outside any transaction while sending). */
export type OutgoingMessage = {
  id: string;
  channel: MessageChannel;
  recipient: string | null;
  recipientName: string | null;
  cc: string[];
  subject: string;
  bodyText: string;
  bodyHtml: string | null;
  templateKey: string | null;
  templateParams: Record<string, string>;
  attachments: { filename: string; contentType: string; content: Uint8Array }[];
};

export async function loadOutgoing(tx: Tx, tenantId: string, messageId: string): Promise<OutgoingMessage> {
  const row = await tx
    .selectFrom('outbound_messages')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', messageId)
    .executeTakeFirstOrThrow();
  const attachments = await tx
    .selectFrom('outbound_message_attachments')
    .select(['filename', 'content_type', 'content'])
    .where('tenant_id', '=', tenantId)
    .where('message_id', '=', messageId)
    .orderBy('position')
    .execute();
  return {
    id: row.id,
    channel: row.channel as MessageChannel,
    recipient: row.recipient,
    recipientName: row.recipient_name,
    cc: row.cc,
    subject: row.subject,
    bodyText: row.body_text,
    bodyHtml: row.body_html,
    templateKey: row.template_key,
    templateParams: (row.template_params ?? {}) as Record<string, string>,
    attachments: attachments.map((a) => ({
      filename: a.filename,
      contentType: a.content_type,
      content: a.content,
    })),
  };
}

/** The SMS provider for the organization's settings; one provider today (Aliyun), chosen by the settings. */
function smsProviderOf(settings: Extract<ChannelRuntime['sms'], { ok: true }>['value']): SmsProvider {
  switch (settings.provider) {
    case 'aliyun':
      return aliyunSmsProvider(settings.aliyun);
  }
}

async function sendSms(message: OutgoingMessage, runtime: ChannelRuntime, now: Date): Promise<SendResult> {
  if (!runtime.sms.ok) return failure(runtime.sms.reason);
  if (!message.recipient) return failure('recipient_missing: no phone number');
  const purpose = message.templateKey ?? 'default';
  const codes = runtime.sms.value.templateCodes;
  const templateCode = codes[purpose] ?? codes.default;
  if (!templateCode) {
    return failure(`channel_not_configured: no SMS template code for "${purpose}" and no default`);
  }
  return smsProviderOf(runtime.sms.value).send(
    {
      phoneNumber: message.recipient,
      templateCode,
      templateParams: message.templateParams,
      outId: message.id,
    },
    now,
  );
}

async function sendMail(message: OutgoingMessage, runtime: ChannelRuntime): Promise<SendResult> {
  if (!runtime.email.ok) return failure(runtime.email.reason);
  if (!message.recipient) return failure('recipient_missing: no email address');
  const smtp = runtime.email.value;
  const sent = await sendEmail(smtp, {
    from: smtp.from,
    to: { address: message.recipient, name: message.recipientName },
    cc: message.cc,
    subject: message.subject,
    text: message.bodyText,
    html: message.bodyHtml,
    attachments: message.attachments,
    messageId: messageIdFor(message.id, smtp.from),
  });
  return { ok: true, providerMessageId: sent.messageId };
}

export async function sendOverChannel(
  message: OutgoingMessage,
  runtime: ChannelRuntime,
  now: Date,
): Promise<SendResult> {
  if (message.channel === 'in_app') return failure('in-app messages are delivered in the database');
  if (!runtime.enabled.has(message.channel)) {
    return failure(`channel_disabled: the ${message.channel} channel is switched off in the settings`);
  }
  const robot = { subject: message.subject, bodyText: message.bodyText };
  switch (message.channel) {
    case 'email':
      return sendMail(message, runtime);
    case 'sms':
      return sendSms(message, runtime, now);
    case 'wecom':
      return runtime.wecom.ok
        ? sendWecom(runtime.wecom.value.webhookUrl, robot)
        : failure(runtime.wecom.reason);
    case 'dingtalk':
      return runtime.dingtalk.ok
        ? sendDingtalk(runtime.dingtalk.value.webhookUrl, runtime.dingtalk.value.secret, robot, now)
        : failure(runtime.dingtalk.reason);
    case 'feishu':
      return runtime.feishu.ok
        ? sendFeishu(runtime.feishu.value.webhookUrl, runtime.feishu.value.secret, robot, now)
        : failure(runtime.feishu.reason);
  }
}
