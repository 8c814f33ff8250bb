-- Letters and statements (domain.md §6; issue 5 item 4): the organization's letterhead and seal, its wording per
-- letter kind and language, and the archive of every letter generated (催款函, 律师函, 对账单, 对账函 …) with the
-- exact PDF bytes, so what was sent can always be shown again.

-- 信头: one per organization. No row = letters carry the organization's name only.
CREATE TABLE letterheads (
  tenant_id uuid NOT NULL REFERENCES organizations (tenant_id) DEFERRABLE,
  legal_name text NOT NULL CHECK (length(legal_name) BETWEEN 1 AND 200),
  address text CHECK (length(address) <= 300),
  phone text CHECK (length(phone) <= 60),
  email text CHECK (length(email) <= 254),
  tax_id text CHECK (length(tax_id) <= 40),
  bank_name text CHECK (length(bank_name) <= 120),
  bank_account text CHECK (length(bank_account) <= 60),
  signatory text CHECK (length(signatory) <= 120),
  -- The seal (公章) image printed over the signature. The application checks the magic bytes; the database keeps
  -- the size and the type honest as a second line.
  seal_content_type text CHECK (seal_content_type IN ('image/png', 'image/jpeg')),
  seal_image bytea CHECK (octet_length(seal_image) BETWEEN 8 AND 524288),
  updated_by_user_id uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id),
  FOREIGN KEY (tenant_id, updated_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE,
  CHECK ((seal_image IS NULL) = (seal_content_type IS NULL))
);

-- An organization's own wording for one kind and language; no row = the built-in wording (core/src/letters.ts).
-- Blocks: {title, salutation, paragraphs[], closing, signature, deadlineDays}; placeholders checked on save.
CREATE TABLE letter_templates (
  tenant_id uuid NOT NULL,
  kind text NOT NULL
    CHECK (kind IN ('payment_reminder', 'dunning_letter', 'lawyer_letter', 'statement', 'balance_confirmation')),
  locale text NOT NULL CHECK (locale IN ('zh-CN', 'en')),
  blocks jsonb NOT NULL CHECK (jsonb_typeof(blocks) = 'object'),
  updated_by_user_id uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, kind, locale),
  FOREIGN KEY (tenant_id) REFERENCES organizations (tenant_id) DEFERRABLE,
  FOREIGN KEY (tenant_id, updated_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE
);

-- The archive: every letter as it was rendered. Insert-only. source_key makes generation idempotent: one letter per
-- customer per dunning step per run ('dunning:<run>:<customer>:<offset>'), per approved 律师函 ('approval:<id>'),
-- per customer and month for scheduled statements ('statement:<customer>:<YYYY-MM>'), per request for manual ones.
CREATE TABLE letters (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  kind text NOT NULL
    CHECK (kind IN ('payment_reminder', 'dunning_letter', 'lawyer_letter', 'statement', 'balance_confirmation')),
  customer_id uuid NOT NULL,
  invoice_ids uuid[] NOT NULL DEFAULT '{}',
  as_of date NOT NULL,
  period_from date,
  locale text NOT NULL CHECK (locale IN ('zh-CN', 'en')),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  pdf bytea NOT NULL,
  pdf_sha256 text NOT NULL,
  html text NOT NULL,
  body_text text NOT NULL,
  source text NOT NULL CHECK (source IN ('manual', 'dunning_action', 'approval', 'scheduled_statement')),
  source_key text NOT NULL CHECK (length(source_key) BETWEEN 1 AND 200),
  -- The dunning action that made it (the first, when several items of one customer fell due together).
  dunning_action_id uuid,
  approval_request_id uuid,
  -- The outbox message that e-mails it, when one was queued in the same transaction.
  message_id uuid,
  created_by_user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, source_key),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, approval_request_id) REFERENCES approval_requests (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, created_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE,
  CHECK (period_from IS NULL OR period_from <= as_of),
  CHECK ((source = 'dunning_action') = (dunning_action_id IS NOT NULL)),
  CHECK ((source = 'approval') = (approval_request_id IS NOT NULL))
);
CREATE INDEX letters_customer_idx ON letters (tenant_id, customer_id, created_at DESC);
CREATE TRIGGER letters_append_only BEFORE UPDATE OR DELETE ON letters
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();

-- 律师函 needs legal's approval before it goes out.
ALTER TABLE approval_requests DROP CONSTRAINT approval_requests_kind_check;
ALTER TABLE approval_requests ADD CONSTRAINT approval_requests_kind_check CHECK (
  kind IN ('write_off', 'discount_waiver', 'offset', 'goods_settlement', 'credit_note', 'credit_override',
    'lawyer_letter'));

GRANT SELECT, INSERT, UPDATE ON letterheads TO huikuan_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON letter_templates TO huikuan_app;
GRANT SELECT, INSERT ON letters TO huikuan_app;

SELECT huikuan_tenant_policy(t) FROM unnest(ARRAY['letterheads', 'letter_templates', 'letters']) AS t;
