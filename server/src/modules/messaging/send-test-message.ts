import type { OutboundMessageDetail, SendTestMessageRequest } from '@huikuan/core/contracts';
import { recordAudit } from '../../platform/audit';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { deliverDueMessages } from './deliver-messages';
import { enqueueMessage } from './enqueue-message';
import { getMessage } from './message-log';
import { testMessage } from './templates';

const CHANNEL_LABELS = {
  email: { 'zh-CN': '邮件', en: 'email' },
  sms: { 'zh-CN': '短信', en: 'SMS' },
  wecom: { 'zh-CN': '企业微信', en: 'WeCom' },
  dingtalk: { 'zh-CN': '钉钉', en: 'DingTalk' },
  feishu: { 'zh-CN': '飞书', en: 'Feishu' },
  in_app: { 'zh-CN': '站内提醒', en: 'in-app' },
} as const;

/**
 * 发送测试消息: goes through the outbox and the worker like any message, so a test proves the real path, and is
 * sent at once so the admin sees the channel's answer. Email goes to the admin unless another address is given;
 * SMS needs a number; robots post to their group; in-app goes to the admin's own bell.
 */
export async function sendTestMessage(
  deps: AppDeps,
  actor: Actor,
  body: SendTestMessageRequest,
): Promise<OutboundMessageDetail> {
  if (actor.role !== 'admin') throw new AppError('forbidden');
  if (body.channel === 'sms' && !body.recipient) {
    throw new AppError('validation_failed', {}, [
      { path: 'recipient', message: 'A mobile number is required' },
    ]);
  }
  const messageId = await deps.db.tenant(actor.tenantId, async (tx) => {
    const organization = await tx
      .selectFrom('organizations')
      .select(['name', 'locale'])
      .where('tenant_id', '=', actor.tenantId)
      .executeTakeFirstOrThrow();
    const admin = actor.userId
      ? await tx
          .selectFrom('users')
          .select('email')
          .where('tenant_id', '=', actor.tenantId)
          .where('id', '=', actor.userId)
          .executeTakeFirst()
      : undefined;
    const locale = organization.locale === 'en' ? 'en' : 'zh-CN';
    const composed = testMessage(locale, organization.name, CHANNEL_LABELS[body.channel][locale]);
    const recipient =
      body.channel === 'in_app'
        ? (actor.userId ?? '')
        : body.channel === 'email'
          ? (body.recipient ?? admin?.email ?? '')
          : body.recipient;
    const enqueued = await enqueueMessage(tx, {
      tenantId: actor.tenantId,
      customerId: null,
      channel: body.channel,
      ...(recipient === undefined ? {} : { recipient }),
      subject: composed.subject,
      bodyText: composed.bodyText,
      template: { key: 'test', params: composed.templateParams },
      source: { kind: 'test', id: null },
      createdByUserId: actor.userId,
    });
    await recordAudit(tx, actor, {
      action: 'message.test',
      entityType: 'outbound_message',
      entityId: enqueued.messageId,
      after: { channel: body.channel, recipient: recipient ?? null },
    });
    return enqueued.messageId;
  });
  await deliverDueMessages(deps, deps.clock.now(), { tenantId: actor.tenantId, messageIds: [messageId] });
  return getMessage(deps, actor, messageId);
}
