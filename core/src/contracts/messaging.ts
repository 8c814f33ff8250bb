import { z } from 'zod';
import { MESSAGE_CHANNELS } from '../dunning-steps';
import { instantSchema, pageOf, pageQuerySchema, uuidSchema } from './common';

/**
 * Messaging (催收提醒的发送渠道): the organization's channels, the message log (outbox) with each message's delivery
 * result, and in-app notifications. Secrets are write-only: settings answer whether one is set, never its value.
 */

export const messageChannelSchema = z.enum(MESSAGE_CHANNELS);

/** Channels that leave the system and need settings; in-app needs none. */
export const EXTERNAL_CHANNELS = ['email', 'sms', 'wecom', 'dingtalk', 'feishu'] as const;
export type ExternalChannel = (typeof EXTERNAL_CHANNELS)[number];
export const externalChannelSchema = z.enum(EXTERNAL_CHANNELS);

export const IM_CHANNELS = ['wecom', 'dingtalk', 'feishu'] as const;
export type ImChannel = (typeof IM_CHANNELS)[number];
export const imChannelSchema = z.enum(IM_CHANNELS);

/**
 * queued → sending → sent; a failed attempt goes back to failed with a next attempt (backoff) or, after the last
 * one, to dead. unknown: the worker stopped while sending, so nobody can tell whether it arrived; a person resends
 * or dismisses it. dismissed: a person decided not to send it.
 */
export const MESSAGE_STATUSES = [
  'queued',
  'sending',
  'sent',
  'failed',
  'dead',
  'unknown',
  'dismissed',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
export const messageStatusSchema = z.enum(MESSAGE_STATUSES);

export const MESSAGE_SOURCE_KINDS = ['dunning_action', 'letter', 'statement', 'manual', 'test'] as const;
export type MessageSourceKind = (typeof MESSAGE_SOURCE_KINDS)[number];

export const SMS_PROVIDERS = ['aliyun'] as const;

/** Secrets: a string sets it, null or '' clears it, leaving the field out keeps what is stored. */
const secretInput = z.string().trim().max(2000).nullable().optional();
const webhookUrlInput = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => value === '' || /^https?:\/\/[^\s]+$/i.test(value), 'Expected an http(s) URL')
  .nullable()
  .optional();
const optionalText = (max: number) => z.string().trim().max(max).nullable();

export const emailSettingsSchema = z.object({
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  secure: z.boolean(),
  user: z.string().nullable(),
  from: z.string().nullable(),
  hasPassword: z.boolean(),
  isConfigured: z.boolean(),
});

export const robotSettingsSchema = z.object({
  /** The webhook's host and last characters, e.g. "oapi.dingtalk.com …c0ffee"; the URL itself is a secret. */
  webhookUrlHint: z.string().nullable(),
  hasSecret: z.boolean(),
  isConfigured: z.boolean(),
});

export const smsSettingsSchema = z.object({
  provider: z.enum(SMS_PROVIDERS).nullable(),
  accessKeyId: z.string().nullable(),
  hasAccessKeySecret: z.boolean(),
  signName: z.string().nullable(),
  /** Approved template codes by purpose: customer_reminder, overdue_notice, owner_reminder, test, default. */
  templateCodes: z.record(z.string(), z.string()),
  endpoint: z.string().nullable(),
  isConfigured: z.boolean(),
});

export const channelSettingsSchema = z.object({
  enabledChannels: z.array(externalChannelSchema),
  internalImChannel: imChannelSchema.nullable(),
  email: emailSettingsSchema,
  wecom: robotSettingsSchema,
  dingtalk: robotSettingsSchema,
  feishu: robotSettingsSchema,
  sms: smsSettingsSchema,
  updatedAt: instantSchema.nullable(),
});
export type ChannelSettings = z.infer<typeof channelSettingsSchema>;

export const SMS_TEMPLATE_PURPOSES = [
  'customer_reminder',
  'overdue_notice',
  'owner_reminder',
  'test',
  'default',
] as const;

export const updateChannelSettingsRequestSchema = z.object({
  enabledChannels: z.array(externalChannelSchema).max(5).optional(),
  internalImChannel: imChannelSchema.nullable().optional(),
  email: z
    .object({
      host: optionalText(253),
      port: z.number().int().min(1).max(65535).nullable(),
      secure: z.boolean(),
      user: optionalText(254),
      from: optionalText(320).refine(
        (value) => value === null || value === '' || value.includes('@'),
        'Expected a sender address such as 应收 <ar@example.com>',
      ),
      password: secretInput,
    })
    .optional(),
  wecom: z.object({ webhookUrl: webhookUrlInput }).optional(),
  dingtalk: z.object({ webhookUrl: webhookUrlInput, secret: secretInput }).optional(),
  feishu: z.object({ webhookUrl: webhookUrlInput, secret: secretInput }).optional(),
  sms: z
    .object({
      provider: z.enum(SMS_PROVIDERS).nullable(),
      accessKeyId: optionalText(200),
      accessKeySecret: secretInput,
      signName: optionalText(100),
      templateCodes: z
        .partialRecord(z.enum(SMS_TEMPLATE_PURPOSES), z.string().trim().min(1).max(100))
        .default({}),
      endpoint: webhookUrlInput,
    })
    .optional(),
});
export type UpdateChannelSettingsRequest = z.infer<typeof updateChannelSettingsRequestSchema>;

export const messageAttachmentSchema = z.object({
  id: uuidSchema,
  filename: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
});

export const messageAttemptSchema = z.object({
  startedAt: instantSchema,
  finishedAt: instantSchema,
  outcome: z.enum(['sent', 'failed', 'unknown']),
  error: z.string().nullable(),
  providerMessageId: z.string().nullable(),
});

export const outboundMessageSchema = z.object({
  id: uuidSchema,
  customerId: uuidSchema.nullable(),
  customerName: z.string().nullable(),
  invoiceId: uuidSchema.nullable(),
  invoiceNumber: z.string().nullable(),
  channel: messageChannelSchema,
  recipient: z.string().nullable(),
  recipientName: z.string().nullable(),
  cc: z.array(z.string()),
  subject: z.string(),
  bodyText: z.string(),
  sourceKind: z.enum(MESSAGE_SOURCE_KINDS),
  sourceId: uuidSchema.nullable(),
  status: messageStatusSchema,
  attempts: z.number().int(),
  nextAttemptAt: instantSchema.nullable(),
  lastError: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  createdAt: instantSchema,
  sentAt: instantSchema.nullable(),
  attachments: z.array(messageAttachmentSchema),
});
export type OutboundMessage = z.infer<typeof outboundMessageSchema>;

export const outboundMessageDetailSchema = outboundMessageSchema.extend({
  bodyHtml: z.string().nullable(),
  attemptLog: z.array(messageAttemptSchema),
});
export type OutboundMessageDetail = z.infer<typeof outboundMessageDetailSchema>;

/** `problem` = everything that needs a person: failed, dead and unknown. */
export const messageStatusFilterSchema = z.enum([...MESSAGE_STATUSES, 'problem']);
export type MessageStatusFilter = z.infer<typeof messageStatusFilterSchema>;

export const messageListQuerySchema = pageQuerySchema.extend({
  status: messageStatusFilterSchema.optional(),
  channel: messageChannelSchema.optional(),
  customerId: uuidSchema.optional(),
});
export type MessageListQuery = z.infer<typeof messageListQuerySchema>;
export const outboundMessagePageSchema = pageOf(outboundMessageSchema);

export const sendTestMessageRequestSchema = z.object({
  channel: messageChannelSchema,
  /** An email address or phone number for email and SMS; robots post to their group; in-app goes to you. */
  recipient: z.string().trim().min(1).max(254).optional(),
});
export type SendTestMessageRequest = z.infer<typeof sendTestMessageRequestSchema>;

export const deliveryReportSchema = z.object({
  claimed: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  dead: z.number().int(),
  /** Messages found stuck in "sending" (the worker stopped mid-send) and marked unknown. */
  interrupted: z.number().int(),
});
export type DeliveryReport = z.infer<typeof deliveryReportSchema>;

export const notificationSchema = z.object({
  id: uuidSchema,
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  customerId: uuidSchema.nullable(),
  createdAt: instantSchema,
  readAt: instantSchema.nullable(),
});
export type Notification = z.infer<typeof notificationSchema>;
export const notificationListQuerySchema = pageQuerySchema.extend({
  unreadOnly: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
});
export const notificationPageSchema = pageOf(notificationSchema);
export const unreadCountSchema = z.object({ unread: z.number().int() });
