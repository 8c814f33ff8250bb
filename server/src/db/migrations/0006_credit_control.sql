-- Credit control (信用控制, domain.md §1, §6): credit limits, the organization's hold rules, the recorded hold state
-- and its history, approved overrides (停止供货 lifted by finance) and disputes (争议).
--
-- Exposure and hold causes are never stored as truth: they are evaluated from the ledger whenever a write needs
-- them. What is stored is the last evaluated hold state per customer, so a change (placed, released, causes changed)
-- can be recorded once as an event, whoever notices it first (a write, a view, a list or the daily sweep).

-- No row means the defaults in core/src/credit.ts (warning at 80% of the limit, hold past 90 days overdue, hold on
-- any open dispute); a row is written when an admin or finance user changes them (audited).
CREATE TABLE credit_settings (
  tenant_id uuid NOT NULL REFERENCES organizations (tenant_id) DEFERRABLE,
  warning_bp integer NOT NULL CHECK (warning_bp BETWEEN 1 AND 10000),
  overdue_hold_days integer NOT NULL CHECK (overdue_hold_days BETWEEN 0 AND 3650),
  -- Open disputes above this hold the customer; 0 = any open dispute. In dispute_hold_currency (the base currency).
  dispute_hold_threshold_minor bigint NOT NULL CHECK (dispute_hold_threshold_minor >= 0),
  dispute_hold_currency char(3) NOT NULL,
  updated_by_user_id uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id),
  FOREIGN KEY (tenant_id, updated_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE
);

-- 信用额度: one limit per customer, in the customer's currency when it was set. No row = no limit.
CREATE TABLE customer_credit_limits (
  tenant_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  limit_minor bigint NOT NULL CHECK (limit_minor >= 0),
  currency char(3) NOT NULL,
  updated_by_user_id uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, customer_id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, updated_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE
);

-- The hold state as last evaluated. A customer never on hold has no row; a released one keeps its row with no causes.
CREATE TABLE credit_hold_states (
  tenant_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  causes text[] NOT NULL CHECK (causes <@ ARRAY['over_limit', 'overdue', 'dispute']::text[]),
  -- When the current hold began (null while not on hold).
  hold_since timestamptz,
  changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, customer_id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE,
  CHECK ((cardinality(causes) > 0) = (hold_since IS NOT NULL))
);

-- Every transition, with the numbers that caused it. Insert-only.
CREATE TABLE credit_hold_events (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  -- Order of recording: several events may share an instant (one transaction, or a clock that stands still).
  seq bigint GENERATED ALWAYS AS IDENTITY,
  customer_id uuid NOT NULL,
  event text NOT NULL CHECK (event IN ('placed', 'released', 'changed')),
  causes text[] NOT NULL,
  previous_causes text[] NOT NULL,
  exposure_minor bigint NOT NULL,
  limit_minor bigint,
  currency char(3) NOT NULL,
  oldest_overdue_days integer,
  open_disputes_minor bigint NOT NULL,
  source text NOT NULL CHECK (source IN ('write', 'refused_write', 'view', 'list', 'sweep')),
  evaluated_on date NOT NULL,
  actor_user_id uuid,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE
);
CREATE INDEX credit_hold_events_customer_idx ON credit_hold_events (tenant_id, customer_id, seq);
CREATE TRIGGER credit_hold_events_append_only BEFORE UPDATE OR DELETE ON credit_hold_events
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();

-- An approved credit_override approval: while valid_until has not passed, the customer's limit is raised by
-- amount_minor and overdue and dispute holds are lifted. Written only by the approval's effect.
CREATE TABLE credit_overrides (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  approval_request_id uuid NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
  currency char(3) NOT NULL,
  valid_until date NOT NULL,
  reason text NOT NULL,
  requested_by_user_id uuid NOT NULL,
  approved_by_user_id uuid,
  approved_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, approval_request_id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, approval_request_id) REFERENCES approval_requests (tenant_id, id) DEFERRABLE
);
CREATE INDEX credit_overrides_customer_idx ON credit_overrides (tenant_id, customer_id, valid_until);
CREATE TRIGGER credit_overrides_append_only BEFORE UPDATE OR DELETE ON credit_overrides
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();

-- 争议: a customer disputes (part of) an invoice. Open disputes above the threshold hold the customer.
CREATE TABLE disputes (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  invoice_id uuid,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency char(3) NOT NULL,
  reason_code text NOT NULL CHECK (reason_code IN ('quality', 'quantity', 'price', 'delivery', 'contract_terms',
    'duplicate_billing', 'other')),
  description text,
  owner_user_id uuid,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved_valid', 'resolved_invalid', 'withdrawn')),
  opened_on date NOT NULL,
  resolved_on date,
  resolution_note text,
  created_by_user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, owner_user_id) REFERENCES users (tenant_id, id) DEFERRABLE,
  CHECK ((status = 'open') = (resolved_on IS NULL)),
  CHECK (resolved_on IS NULL OR resolved_on >= opened_on)
);
CREATE INDEX disputes_customer_idx ON disputes (tenant_id, customer_id, status);
CREATE INDEX disputes_invoice_idx ON disputes (tenant_id, invoice_id);

GRANT SELECT, INSERT, UPDATE ON credit_settings, customer_credit_limits, credit_hold_states, disputes TO huikuan_app;
GRANT DELETE ON customer_credit_limits TO huikuan_app;
GRANT SELECT, INSERT ON credit_hold_events, credit_overrides TO huikuan_app;

SELECT huikuan_tenant_policy(t) FROM unnest(ARRAY['credit_settings', 'customer_credit_limits', 'credit_hold_states',
  'credit_hold_events', 'credit_overrides', 'disputes']) AS t;
