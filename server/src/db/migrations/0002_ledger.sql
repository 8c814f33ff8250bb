-- Receivables ledger: customers and their credit files, contracts with payment plans, invoices, credit notes,
-- receipts, allocations (核销), claims (回款认领), approvals and idempotency keys.
--
-- Money is bigint minor units beside a currency. Posted records are append-only: an issued invoice, a confirmed
-- receipt and every allocation never change; corrections are new rows (void, credit note, reversal) that point at
-- what they correct. Balances are derived from these rows as of any date.

CREATE FUNCTION huikuan_tenant_policy(table_name text) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', table_name);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %I TO huikuan_app USING (tenant_id = huikuan_current_tenant()) '
    'WITH CHECK (tenant_id = huikuan_current_tenant())', table_name);
END
$$;

CREATE TABLE customers (
  tenant_id uuid NOT NULL REFERENCES organizations (tenant_id) DEFERRABLE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  code text NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  short_name text,
  owner_user_id uuid,
  team_id uuid,
  segment text,
  tags text[] NOT NULL DEFAULT '{}',
  payment_terms_days integer NOT NULL DEFAULT 30 CHECK (payment_terms_days BETWEEN 0 AND 3650),
  currency char(3) NOT NULL,
  -- Credit file (信用档案), domain.md §1.
  unified_credit_code text,
  founded_on date,
  registered_address text,
  office_address text,
  phone text,
  website text,
  legal_representative text,
  registered_capital_minor bigint CHECK (registered_capital_minor >= 0),
  registered_capital_currency char(3),
  industry text,
  company_size text,
  financial_condition text,
  notes text,
  -- The "nine questions" on the customer's payment process (九问).
  invoice_requirements text,
  books_closing_day smallint CHECK (books_closing_day BETWEEN 1 AND 31),
  payment_bank text,
  transfer_cycle_days integer CHECK (transfer_cycle_days BETWEEN 0 AND 365),
  funds_situation text,
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code),
  FOREIGN KEY (tenant_id, owner_user_id) REFERENCES users (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id) DEFERRABLE,
  CHECK ((registered_capital_minor IS NULL) = (registered_capital_currency IS NULL))
);
CREATE INDEX customers_name_idx ON customers (tenant_id, name, id);
CREATE INDEX customers_owner_idx ON customers (tenant_id, owner_user_id);
CREATE INDEX customers_team_idx ON customers (tenant_id, team_id);

CREATE TABLE customer_contacts (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  title text,
  phone text,
  email text,
  im_handle text,
  -- Roles in the customer's payment process: who starts the payment, who approves it, key people, who accepts.
  roles text[] NOT NULL DEFAULT '{}'
    CHECK (roles <@ ARRAY['finance_initiator', 'approver', 'key_person', 'acceptor', 'other']::text[]),
  notes text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE
);
CREATE INDEX customer_contacts_customer_idx ON customer_contacts (tenant_id, customer_id);

CREATE TABLE customer_bank_accounts (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  bank_name text NOT NULL,
  account_name text NOT NULL,
  account_number text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, customer_id, account_number),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE
);
-- Bank matching looks payers up by account number.
CREATE INDEX customer_bank_accounts_number_idx ON customer_bank_accounts (tenant_id, account_number);

CREATE TABLE customer_litigations (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  case_number text,
  court text,
  filed_on date,
  party_role text CHECK (party_role IN ('plaintiff', 'defendant', 'third_party')),
  status text,
  summary text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE
);

CREATE TABLE attachments (
  tenant_id uuid NOT NULL REFERENCES organizations (tenant_id) DEFERRABLE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  entity_type text NOT NULL,
  entity_id uuid NOT NULL,
  kind text NOT NULL DEFAULT 'other'
    CHECK (kind IN ('business_licence', 'sign_off', 'contract', 'remittance', 'evidence', 'other')),
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  content_type text NOT NULL,
  size_bytes integer NOT NULL CHECK (size_bytes BETWEEN 0 AND 20971520),
  sha256 text NOT NULL,
  content bytea NOT NULL,
  uploaded_by_user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX attachments_entity_idx ON attachments (tenant_id, entity_type, entity_id);

CREATE TABLE contracts (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  number text NOT NULL CHECK (length(number) BETWEEN 1 AND 64),
  title text,
  owner_user_id uuid,
  team_id uuid,
  amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
  currency char(3) NOT NULL,
  signed_on date NOT NULL,
  payment_terms_days integer NOT NULL CHECK (payment_terms_days BETWEEN 0 AND 3650),
  payment_terms_text text,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed', 'cancelled')),
  notes text,
  created_by_user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, number),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, owner_user_id) REFERENCES users (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id) DEFERRABLE
);
CREATE INDEX contracts_customer_idx ON contracts (tenant_id, customer_id);

-- A payment plan node (回款节点): due on a fixed date, or N days after signing, delivery or acceptance.
CREATE TABLE payment_plan_nodes (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  contract_id uuid NOT NULL,
  seq integer NOT NULL CHECK (seq >= 1),
  name text NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency char(3) NOT NULL,
  percentage_bp integer CHECK (percentage_bp BETWEEN 1 AND 10000),
  due_trigger text NOT NULL CHECK (due_trigger IN ('fixed_date', 'on_signing', 'on_delivery', 'on_acceptance')),
  offset_days integer NOT NULL DEFAULT 0 CHECK (offset_days BETWEEN 0 AND 3650),
  -- The event's date (signing, delivery, acceptance) once it happened; the due date follows from it.
  trigger_event_on date,
  due_date date,
  method text,
  responsible_user_id uuid,
  acceptor_name text,
  acceptance_criteria text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, contract_id, seq),
  FOREIGN KEY (tenant_id, contract_id) REFERENCES contracts (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, responsible_user_id) REFERENCES users (tenant_id, id) DEFERRABLE,
  CHECK (due_trigger <> 'fixed_date' OR due_date IS NOT NULL)
);
CREATE INDEX payment_plan_nodes_due_idx ON payment_plan_nodes (tenant_id, due_date);

CREATE TABLE invoices (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  contract_id uuid,
  plan_node_id uuid,
  number text NOT NULL CHECK (length(number) BETWEEN 1 AND 64),
  invoice_date date NOT NULL,
  due_date date NOT NULL CHECK (due_date >= invoice_date),
  currency char(3) NOT NULL,
  subtotal_minor bigint NOT NULL CHECK (subtotal_minor >= 0),
  tax_minor bigint NOT NULL CHECK (tax_minor >= 0),
  total_minor bigint NOT NULL CHECK (total_minor = subtotal_minor + tax_minor),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued')),
  issued_at timestamptz,
  issued_by_user_id uuid,
  notes text,
  created_by_user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, number),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, contract_id) REFERENCES contracts (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, plan_node_id) REFERENCES payment_plan_nodes (tenant_id, id) DEFERRABLE,
  CHECK ((status = 'issued') = (issued_at IS NOT NULL))
);
CREATE INDEX invoices_customer_idx ON invoices (tenant_id, customer_id, due_date);
CREATE INDEX invoices_due_idx ON invoices (tenant_id, due_date) WHERE status = 'issued';
CREATE INDEX invoices_contract_idx ON invoices (tenant_id, contract_id);
CREATE INDEX invoices_node_idx ON invoices (tenant_id, plan_node_id);

CREATE TABLE invoice_lines (
  tenant_id uuid NOT NULL,
  invoice_id uuid NOT NULL,
  line_no integer NOT NULL CHECK (line_no >= 1),
  description text NOT NULL,
  quantity numeric(16, 4) NOT NULL CHECK (quantity >= 0),
  unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
  tax_rate_bp integer NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 10000),
  amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
  tax_minor bigint NOT NULL CHECK (tax_minor >= 0),
  PRIMARY KEY (tenant_id, invoice_id, line_no),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) DEFERRABLE
);

-- An issued invoice is posted: nothing about it changes any more. A mistake is corrected by a void or a credit note.
CREATE FUNCTION huikuan_invoice_posted_guard() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.status = 'issued' THEN
    RAISE EXCEPTION 'huikuan: issued invoice % cannot be deleted; void it or issue a credit note', OLD.number
      USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.status = 'issued' THEN
    RAISE EXCEPTION 'huikuan: issued invoice % cannot be changed; void it or issue a credit note', OLD.number
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER invoices_posted_guard BEFORE UPDATE OR DELETE ON invoices
  FOR EACH ROW EXECUTE FUNCTION huikuan_invoice_posted_guard();

CREATE FUNCTION huikuan_invoice_lines_guard() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  parent_status text;
  row_invoice uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.invoice_id ELSE NEW.invoice_id END;
  row_tenant uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
BEGIN
  SELECT status INTO parent_status FROM invoices WHERE tenant_id = row_tenant AND id = row_invoice;
  IF parent_status = 'issued' THEN
    RAISE EXCEPTION 'huikuan: lines of an issued invoice cannot change' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER invoice_lines_guard BEFORE INSERT OR UPDATE OR DELETE ON invoice_lines
  FOR EACH ROW EXECUTE FUNCTION huikuan_invoice_lines_guard();

-- Voiding reverses the whole invoice from a date on; only an invoice with nothing settled may be voided.
CREATE TABLE invoice_voids (
  tenant_id uuid NOT NULL,
  invoice_id uuid NOT NULL,
  voided_on date NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  voided_by_user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, invoice_id),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) DEFERRABLE
);

-- Credit notes (红字/贷项) reduce an invoice by a new record. Above the organization's threshold they wait for approval.
CREATE TABLE credit_notes (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  invoice_id uuid NOT NULL,
  number text NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency char(3) NOT NULL,
  issued_on date NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  status text NOT NULL CHECK (status IN ('pending_approval', 'posted', 'rejected')),
  approval_request_id uuid,
  created_by_user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, number),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) DEFERRABLE
);
CREATE INDEX credit_notes_invoice_idx ON credit_notes (tenant_id, invoice_id);

-- 开票申请: sales asks finance to invoice a contract or plan node.
CREATE TABLE invoice_requests (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  contract_id uuid,
  plan_node_id uuid,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency char(3) NOT NULL,
  notes text,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'issued')),
  invoice_id uuid,
  requested_by_user_id uuid NOT NULL,
  decided_by_user_id uuid,
  decided_at timestamptz,
  decision_comment text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, contract_id) REFERENCES contracts (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, plan_node_id) REFERENCES payment_plan_nodes (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) DEFERRABLE
);

-- A receipt (回款). Without a customer it sits in the claim pool until a salesperson claims it.
CREATE TABLE receipts (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid,
  received_on date NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency char(3) NOT NULL,
  -- offset (三角债) and goods_settlement (以货抵债) receipts are created only by an approved approval request.
  method text NOT NULL CHECK (method IN ('bank_transfer', 'wechat_pay', 'alipay', 'card_pos', 'cheque', 'cash', 'online',
    'prepayment_balance', 'offset', 'goods_settlement')),
  payer_name text,
  payer_account text,
  bank_reference text,
  notes text,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed')),
  confirmed_by_user_id uuid,
  confirmed_at timestamptz,
  created_by_user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE,
  CHECK ((status = 'confirmed') = (confirmed_at IS NOT NULL))
);
CREATE INDEX receipts_customer_idx ON receipts (tenant_id, customer_id, received_on);
CREATE INDEX receipts_unclaimed_idx ON receipts (tenant_id, received_on) WHERE customer_id IS NULL;

-- A confirmed receipt is locked: the only change left is naming the customer of a pooled receipt once.
CREATE FUNCTION huikuan_receipt_posted_guard() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.status = 'confirmed' THEN
    RAISE EXCEPTION 'huikuan: a confirmed receipt cannot be deleted; reverse it' USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.status = 'confirmed' AND NOT (
    OLD.customer_id IS NULL AND NEW.customer_id IS NOT NULL
    AND (to_jsonb(NEW) - 'customer_id') = (to_jsonb(OLD) - 'customer_id')
  ) THEN
    RAISE EXCEPTION 'huikuan: a confirmed receipt cannot be changed; reverse it' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER receipts_posted_guard BEFORE UPDATE OR DELETE ON receipts
  FOR EACH ROW EXECUTE FUNCTION huikuan_receipt_posted_guard();

CREATE TABLE receipt_reversals (
  tenant_id uuid NOT NULL,
  receipt_id uuid NOT NULL,
  reversed_on date NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  reversed_by_user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, receipt_id),
  FOREIGN KEY (tenant_id, receipt_id) REFERENCES receipts (tenant_id, id) DEFERRABLE
);

-- 核销: part of a receipt applied to an invoice and/or a plan node from a date on. Undoing one adds a negative row
-- that points at it; nothing is ever edited or deleted.
CREATE TABLE allocations (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  receipt_id uuid NOT NULL,
  invoice_id uuid,
  plan_node_id uuid,
  amount_minor bigint NOT NULL CHECK (amount_minor <> 0),
  currency char(3) NOT NULL,
  allocated_on date NOT NULL,
  reverses_allocation_id uuid,
  reason text,
  created_by_user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, reverses_allocation_id),
  FOREIGN KEY (tenant_id, receipt_id) REFERENCES receipts (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, plan_node_id) REFERENCES payment_plan_nodes (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, reverses_allocation_id) REFERENCES allocations (tenant_id, id) DEFERRABLE,
  CHECK (invoice_id IS NOT NULL OR plan_node_id IS NOT NULL),
  CHECK ((amount_minor > 0) = (reverses_allocation_id IS NULL))
);
CREATE INDEX allocations_receipt_idx ON allocations (tenant_id, receipt_id);
CREATE INDEX allocations_invoice_idx ON allocations (tenant_id, invoice_id, allocated_on);
CREATE INDEX allocations_node_idx ON allocations (tenant_id, plan_node_id);

CREATE TRIGGER allocations_append_only BEFORE UPDATE OR DELETE ON allocations
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();
CREATE TRIGGER invoice_voids_append_only BEFORE UPDATE OR DELETE ON invoice_voids
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();
CREATE TRIGGER receipt_reversals_append_only BEFORE UPDATE OR DELETE ON receipt_reversals
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();

-- The second check on every allocation, at commit: a receipt never gives out more than it holds (nor less than
-- nothing), and an invoice never receives more than it is open for. Use cases lock rows and check first; this
-- catches whatever a future code path forgets.
CREATE FUNCTION huikuan_allocation_invariants() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  receipt_amount bigint;
  receipt_applied bigint;
  invoice_total bigint;
  invoice_reduced bigint;
BEGIN
  SELECT amount_minor INTO receipt_amount FROM receipts WHERE tenant_id = NEW.tenant_id AND id = NEW.receipt_id;
  SELECT coalesce(sum(amount_minor), 0) INTO receipt_applied FROM allocations
    WHERE tenant_id = NEW.tenant_id AND receipt_id = NEW.receipt_id;
  IF receipt_applied > receipt_amount OR receipt_applied < 0 THEN
    RAISE EXCEPTION 'huikuan: receipt % would have % allocated of %', NEW.receipt_id, receipt_applied, receipt_amount
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.invoice_id IS NOT NULL THEN
    SELECT total_minor INTO invoice_total FROM invoices WHERE tenant_id = NEW.tenant_id AND id = NEW.invoice_id;
    SELECT coalesce((SELECT sum(amount_minor) FROM allocations
                      WHERE tenant_id = NEW.tenant_id AND invoice_id = NEW.invoice_id), 0)
         + coalesce((SELECT sum(amount_minor) FROM credit_notes
                      WHERE tenant_id = NEW.tenant_id AND invoice_id = NEW.invoice_id AND status = 'posted'), 0)
      INTO invoice_reduced;
    IF invoice_reduced > invoice_total OR invoice_reduced < 0 THEN
      RAISE EXCEPTION 'huikuan: invoice % would be settled % of %', NEW.invoice_id, invoice_reduced, invoice_total
        USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER allocations_invariants AFTER INSERT ON allocations
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION huikuan_allocation_invariants();

-- Approvals: write-offs, discounts and waivers (减免), offsets between customers (三角债), settlement in goods
-- (以货抵债) and large credit notes take effect only once approved.
CREATE TABLE approval_requests (
  tenant_id uuid NOT NULL REFERENCES organizations (tenant_id) DEFERRABLE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('write_off', 'discount_waiver', 'offset', 'goods_settlement', 'credit_note')),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled')),
  subject_type text NOT NULL,
  subject_id uuid NOT NULL,
  customer_id uuid,
  amount_minor bigint CHECK (amount_minor > 0),
  currency char(3),
  payload jsonb NOT NULL DEFAULT '{}',
  reason text NOT NULL,
  requested_by_user_id uuid NOT NULL,
  decided_by_user_id uuid,
  decided_at timestamptz,
  decision_comment text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, requested_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE,
  CHECK ((status IN ('approved', 'rejected')) = (decided_at IS NOT NULL))
);
CREATE INDEX approval_requests_status_idx ON approval_requests (tenant_id, status, created_at);

ALTER TABLE credit_notes
  ADD FOREIGN KEY (tenant_id, approval_request_id) REFERENCES approval_requests (tenant_id, id) DEFERRABLE;

-- 回款认领: a salesperson claims a pooled receipt with evidence and a proposed split; finance confirms or rejects.
CREATE TABLE receipt_claims (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  receipt_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  claimant_user_id uuid NOT NULL,
  evidence text,
  proposed_split jsonb NOT NULL DEFAULT '[]',
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'rejected')),
  decided_by_user_id uuid,
  decided_at timestamptz,
  decision_comment text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, receipt_id) REFERENCES receipts (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, claimant_user_id) REFERENCES users (tenant_id, id) DEFERRABLE
);
-- At most one claim per receipt may be pending or confirmed.
CREATE UNIQUE INDEX receipt_claims_live_idx ON receipt_claims (tenant_id, receipt_id) WHERE status <> 'rejected';

-- Every money-moving request carries an idempotency key: a retry returns the first answer; the same key with other
-- parameters is refused.
CREATE TABLE idempotency_keys (
  tenant_id uuid NOT NULL REFERENCES organizations (tenant_id) DEFERRABLE,
  key text NOT NULL CHECK (length(key) BETWEEN 8 AND 200),
  operation text NOT NULL,
  request_hash text NOT NULL,
  response_status integer,
  response_body jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, key)
);

ALTER TABLE organizations
  ADD COLUMN credit_note_approval_threshold_minor bigint NOT NULL DEFAULT 1000000
    CHECK (credit_note_approval_threshold_minor >= 0);

GRANT SELECT, INSERT, UPDATE, DELETE ON customers, customer_contacts, customer_bank_accounts, customer_litigations,
  attachments, contracts, payment_plan_nodes, invoices, invoice_lines, credit_notes, invoice_requests, receipts,
  approval_requests, receipt_claims, idempotency_keys TO huikuan_app;
GRANT SELECT, INSERT ON invoice_voids, receipt_reversals, allocations TO huikuan_app;

SELECT huikuan_tenant_policy(t) FROM unnest(ARRAY['customers', 'customer_contacts', 'customer_bank_accounts',
  'customer_litigations', 'attachments', 'contracts', 'payment_plan_nodes', 'invoices', 'invoice_lines', 'invoice_voids',
  'credit_notes', 'invoice_requests', 'receipts', 'receipt_reversals', 'allocations', 'approval_requests',
  'receipt_claims', 'idempotency_keys']) AS t;
