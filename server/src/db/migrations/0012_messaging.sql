-- Messaging (domain.md §6): the organization's delivery channels, the outbox of every message sent to a customer or a
-- user (email, SMS, WeCom/DingTalk/Feishu group robots, in-app), its delivery attempts, and in-app notifications.
--
-- Messages are written in the transaction of whatever decided to send them (a dunning step, a letter, a person) and
-- delivered after that commits, by a worker that claims due rows. So a rolled-back decision never sends, and a crash
-- between "decided" and "sent" leaves a queued row instead of a lost message.

-- One row per organization. Secrets (passwords, access-key secrets, robot webhook URLs, which carry their access
-- token, and signing secrets) are stored encrypted with AES-256-GCM under a key derived from HUIKUAN_SECRET_KEY (see
-- server/src/modules/messaging/secret-box.ts) and are never returned by the API: a database dump or backup alone
-- does not hand out the organization's SMTP password or robot tokens.
CREATE TABLE message_channel_settings (
  tenant_id uuid NOT NULL REFERENCES organizations (tenant_id) DEFERRABLE,
  -- Channels an admin switched on; a configured but disabled channel keeps its settings and sends nothing.
  enabled_channels text[] NOT NULL DEFAULT '{}'
    CHECK (enabled_channels <@ ARRAY['email', 'sms', 'wecom', 'dingtalk', 'feishu']::text[]),
  -- The group robot that also receives owner reminders (内部提醒), if any.
  internal_im_channel text CHECK (internal_im_channel IN ('wecom', 'dingtalk', 'feishu')),
  smtp_host text CHECK (length(smtp_host) BETWEEN 1 AND 253),
  smtp_port integer CHECK (smtp_port BETWEEN 1 AND 65535),
  -- true: TLS from the first byte (port 465); false: plain, upgraded by STARTTLS when the server offers it.
  smtp_secure boolean NOT NULL DEFAULT false,
  smtp_user text,
  smtp_password_enc text,
  smtp_from text,
  wecom_webhook_url_enc text,
  dingtalk_webhook_url_enc text,
  dingtalk_secret_enc text,
  feishu_webhook_url_enc text,
  feishu_secret_enc text,
  sms_provider text CHECK (sms_provider IN ('aliyun')),
  sms_access_key_id text,
  sms_access_key_secret_enc text,
  sms_sign_name text,
  -- Approved template codes by purpose ({"customer_reminder": "SMS_123", "default": "SMS_456"}).
  sms_template_codes jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(sms_template_codes) = 'object'),
  sms_endpoint text,
  -- What the settings page shows of a write-only secret: "set", and for webhook URLs the host and last characters.
  secret_hints jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(secret_hints) = 'object'),
  updated_by_user_id uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id),
  FOREIGN KEY (tenant_id, updated_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE
);

-- The outbox and the message log in one: what was sent (or is to be sent), to whom, why, and how it went.
CREATE TABLE outbound_messages (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid,
  invoice_id uuid,
  channel text NOT NULL CHECK (channel IN ('email', 'sms', 'wecom', 'dingtalk', 'feishu', 'in_app')),
  -- An email address, a phone number, a user id (in-app), or null for a group robot. Null for email, SMS and
  -- in-app means no recipient could be found: the message is failed with that reason until someone resends it.
  recipient text,
  recipient_name text,
  cc text[] NOT NULL DEFAULT '{}',
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 500),
  body_text text NOT NULL CHECK (length(body_text) <= 100000),
  body_html text CHECK (length(body_html) <= 500000),
  -- For template-based channels (SMS): which template and its variables.
  template_key text,
  template_params jsonb,
  source_kind text NOT NULL
    CHECK (source_kind IN ('dunning_action', 'letter', 'statement', 'manual', 'test')),
  source_id uuid,
  status text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'dead', 'unknown', 'dismissed')),
  -- Attempts since it was (re)queued; the backoff and the give-up point count from here.
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- When a failed message is tried again (backoff); null when it waits for a person. Queued messages are due at once.
  next_attempt_at timestamptz,
  -- When the worker took it; a row left 'sending' long after this was interrupted mid-send.
  claimed_at timestamptz,
  last_error text,
  provider_message_id text,
  created_by_user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, created_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE,
  CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
  CHECK (status <> 'sending' OR claimed_at IS NOT NULL),
  CHECK (status = 'failed' OR next_attempt_at IS NULL)
);
-- What one source (a dunning action, a letter, a statement) sends on one channel is enqueued once, so a retried
-- step never queues a second copy.
CREATE UNIQUE INDEX outbound_messages_source_idx ON outbound_messages (tenant_id, source_kind, source_id, channel)
  WHERE source_id IS NOT NULL AND source_kind IN ('dunning_action', 'letter', 'statement');
-- The worker's scans across organizations: only rows waiting to be sent.
CREATE INDEX outbound_messages_queued_idx ON outbound_messages (created_at) WHERE status = 'queued';
CREATE INDEX outbound_messages_retry_idx ON outbound_messages (next_attempt_at)
  WHERE status = 'failed' AND next_attempt_at IS NOT NULL;
CREATE INDEX outbound_messages_sending_idx ON outbound_messages (claimed_at) WHERE status = 'sending';
CREATE INDEX outbound_messages_log_idx ON outbound_messages (tenant_id, created_at DESC, id DESC);
CREATE INDEX outbound_messages_customer_idx ON outbound_messages (tenant_id, customer_id, created_at DESC);

-- What was sent stays what the log shows: the content of a message never changes after it is written; only its
-- delivery state moves, and a missing recipient may be filled in once when someone resends it.
CREATE FUNCTION huikuan_outbound_message_immutable() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF NEW.tenant_id IS DISTINCT FROM OLD.tenant_id OR NEW.id IS DISTINCT FROM OLD.id
    OR NEW.channel IS DISTINCT FROM OLD.channel OR NEW.subject IS DISTINCT FROM OLD.subject
    OR NEW.body_text IS DISTINCT FROM OLD.body_text OR NEW.body_html IS DISTINCT FROM OLD.body_html
    OR NEW.source_kind IS DISTINCT FROM OLD.source_kind OR NEW.source_id IS DISTINCT FROM OLD.source_id
    OR NEW.customer_id IS DISTINCT FROM OLD.customer_id OR NEW.invoice_id IS DISTINCT FROM OLD.invoice_id
    OR NEW.template_key IS DISTINCT FROM OLD.template_key
    OR NEW.template_params IS DISTINCT FROM OLD.template_params
    OR NEW.created_at IS DISTINCT FROM OLD.created_at
    OR (OLD.recipient IS NOT NULL AND NEW.recipient IS DISTINCT FROM OLD.recipient) THEN
    RAISE EXCEPTION 'huikuan: the content of an outbound message cannot change' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER outbound_messages_immutable BEFORE UPDATE ON outbound_messages
  FOR EACH ROW EXECUTE FUNCTION huikuan_outbound_message_immutable();

-- Attachments (a letter's PDF, a statement) travel with the message; their bytes are kept so the log can show what
-- was sent. Insert-only.
CREATE TABLE outbound_message_attachments (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  message_id uuid NOT NULL,
  position integer NOT NULL CHECK (position >= 0),
  filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
  content_type text NOT NULL,
  size_bytes integer NOT NULL CHECK (size_bytes BETWEEN 0 AND 20971520),
  content bytea NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, message_id, position),
  FOREIGN KEY (tenant_id, message_id) REFERENCES outbound_messages (tenant_id, id) DEFERRABLE
);
CREATE TRIGGER outbound_message_attachments_append_only BEFORE UPDATE OR DELETE ON outbound_message_attachments
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();

-- Every finished delivery attempt and what the channel answered. Insert-only.
CREATE TABLE outbound_message_attempts (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  message_id uuid NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  -- unknown: the worker stopped while sending; whether the channel delivered it cannot be known.
  outcome text NOT NULL CHECK (outcome IN ('sent', 'failed', 'unknown')),
  error text,
  provider_message_id text,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, message_id) REFERENCES outbound_messages (tenant_id, id) DEFERRABLE
);
CREATE INDEX outbound_message_attempts_message_idx ON outbound_message_attempts (tenant_id, message_id, seq);
CREATE TRIGGER outbound_message_attempts_append_only BEFORE UPDATE OR DELETE ON outbound_message_attempts
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();

-- In-app notifications (站内提醒) for one user: owner reminders land here by default.
CREATE TABLE notifications (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  body text NOT NULL CHECK (length(body) <= 100000),
  -- A path inside the web app, e.g. /customers/<id>.
  link text CHECK (link LIKE '/%'),
  customer_id uuid,
  message_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, message_id) REFERENCES outbound_messages (tenant_id, id) DEFERRABLE
);
CREATE INDEX notifications_user_idx ON notifications (tenant_id, user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (tenant_id, user_id) WHERE read_at IS NULL;

GRANT SELECT, INSERT, UPDATE ON message_channel_settings, outbound_messages TO huikuan_app;
GRANT SELECT, INSERT ON outbound_message_attachments, outbound_message_attempts TO huikuan_app;
-- A notification's only change is being read.
GRANT SELECT, INSERT ON notifications TO huikuan_app;
GRANT UPDATE (read_at) ON notifications TO huikuan_app;

SELECT huikuan_tenant_policy(t) FROM unnest(ARRAY['message_channel_settings', 'outbound_messages',
  'outbound_message_attachments', 'outbound_message_attempts', 'notifications']) AS t;
