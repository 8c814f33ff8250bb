import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp, UpdatedAt } from '../schema';

/** Kysely's view of the tables of migration 0012, channels, the message outbox and in-app notifications. */

type Json = ColumnType<unknown, string, string>;

export type MessageChannelSettingsTable = {
  tenant_id: string;
  enabled_channels: Generated<string[]>;
  internal_im_channel: string | null;
  smtp_host: string | null;
  smtp_port: number | null;
  smtp_secure: Generated<boolean>;
  smtp_user: string | null;
  smtp_password_enc: string | null;
  smtp_from: string | null;
  wecom_webhook_url_enc: string | null;
  dingtalk_webhook_url_enc: string | null;
  dingtalk_secret_enc: string | null;
  feishu_webhook_url_enc: string | null;
  feishu_secret_enc: string | null;
  sms_provider: string | null;
  sms_access_key_id: string | null;
  sms_access_key_secret_enc: string | null;
  sms_sign_name: string | null;
  sms_template_codes: ColumnType<Record<string, string>, string | undefined, string>;
  sms_endpoint: string | null;
  secret_hints: ColumnType<Record<string, string>, string | undefined, string>;
  updated_by_user_id: string | null;
  updated_at: UpdatedAt;
};

export type OutboundMessagesTable = {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string | null;
  invoice_id: string | null;
  channel: string;
  recipient: string | null;
  recipient_name: string | null;
  cc: Generated<string[]>;
  subject: string;
  body_text: string;
  body_html: string | null;
  template_key: string | null;
  template_params: Json | null;
  source_kind: string;
  source_id: string | null;
  status: string;
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  claimed_at: Timestamp | null;
  last_error: string | null;
  provider_message_id: string | null;
  created_by_user_id: string | null;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
  updated_at: UpdatedAt;
};

export type OutboundMessageAttachmentsTable = {
  tenant_id: string;
  id: Generated<string>;
  message_id: string;
  position: number;
  filename: string;
  content_type: string;
  size_bytes: number;
  content: Buffer | Uint8Array;
};

export type OutboundMessageAttemptsTable = {
  tenant_id: string;
  id: Generated<string>;
  message_id: string;
  seq: ColumnType<bigint, never, never>;
  started_at: Timestamp;
  finished_at: Timestamp;
  outcome: string;
  error: string | null;
  provider_message_id: string | null;
};

export type NotificationsTable = {
  tenant_id: string;
  id: Generated<string>;
  user_id: string;
  title: string;
  body: string;
  link: string | null;
  customer_id: string | null;
  message_id: string | null;
  created_at: CreatedAt;
  read_at: Timestamp | null;
};

export type MessagingTables = {
  message_channel_settings: MessageChannelSettingsTable;
  outbound_messages: OutboundMessagesTable;
  outbound_message_attachments: OutboundMessageAttachmentsTable;
  outbound_message_attempts: OutboundMessageAttemptsTable;
  notifications: NotificationsTable;
};
