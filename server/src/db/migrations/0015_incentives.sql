-- Targets, incentives and evaluation (目标化、激励、评估, domain.md §7, issue 6).
--
-- - collection_targets (+ lines): a target per period (month YYYY-MM, quarter YYYY-Qn, year YYYY) for the
--   organization, a team or a salesperson, of cash collected (回款) or of sales (invoiced, the other axis of the four
--   attitudes); split down by weights (parent_id names the target it came from); optionally by item class and by
--   vintage with weights; whether last period's shortfall is carried in. Plans, so they can be edited.
-- - commission_rule_sets: the commission rules, versioned by the month they take effect; append-only, so what was in
--   force for a past month can always be read again.
-- - commission_statements (+ lines): a salesperson's monthly statement, stored only when finance approves and locks
--   it. Locked = append-only: the stored lines (with the names and numbers shown) are what the statement is from then
--   on, whatever changes later; a later reversal lands as a clawback line in the statement of its own month. A source
--   (an allocation, a bonus, a penalty, a clawback) is in at most one locked statement, across all salespeople.
-- - debt_cause_assessments: whether a debt was not caused by sales (e.g. a product failure), from a date on,
--   append-only like invoice_conditions; commissions read the assessment in force on the day the money came.
-- - review_notes: a manager's review of a salesperson or a customer case (评估与指导), append-only.
-- - customer_incentives: a discount or service offered to a customer for early payment, which exists only through
--   an approved request of the new approval kind customer_incentive.

CREATE TABLE incentive_settings (
  tenant_id uuid PRIMARY KEY REFERENCES organizations (tenant_id) DEFERRABLE,
  accountability_mode boolean NOT NULL DEFAULT false,
  key_customer_tag text NOT NULL DEFAULT '重点' CHECK (length(key_customer_tag) BETWEEN 1 AND 50),
  updated_by_user_id uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, updated_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE
);

CREATE TABLE commission_rule_sets (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  effective_from text NOT NULL CHECK (effective_from ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  rules jsonb NOT NULL,
  note text CHECK (length(note) <= 500),
  created_by_user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, created_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE
);
CREATE INDEX commission_rule_sets_from_idx ON commission_rule_sets (tenant_id, effective_from, created_at);

CREATE TABLE collection_targets (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  period text NOT NULL CHECK (period ~ '^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$'),
  period_from date NOT NULL,
  period_to date NOT NULL,
  measure text NOT NULL DEFAULT 'collection' CHECK (measure IN ('collection', 'sales')),
  level text NOT NULL CHECK (level IN ('organization', 'team', 'salesperson')),
  team_id uuid,
  user_id uuid,
  parent_id uuid,
  currency char(3) NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
  carry_shortfall boolean NOT NULL DEFAULT false,
  created_by_user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK (period_from <= period_to),
  CHECK ((level = 'organization' AND team_id IS NULL AND user_id IS NULL)
      OR (level = 'team' AND team_id IS NOT NULL AND user_id IS NULL)
      OR (level = 'salesperson' AND user_id IS NOT NULL AND team_id IS NULL)),
  FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, parent_id) REFERENCES collection_targets (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, created_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE
);
-- One target per subject, period and measure (the organization's subject is the nil uuid).
CREATE UNIQUE INDEX collection_targets_subject_idx ON collection_targets (
  tenant_id, period, measure, level, coalesce(team_id, user_id, '00000000-0000-0000-0000-000000000000'::uuid));
CREATE INDEX collection_targets_parent_idx ON collection_targets (tenant_id, parent_id);

CREATE TABLE collection_target_lines (
  tenant_id uuid NOT NULL,
  target_id uuid NOT NULL,
  dimension text NOT NULL CHECK (dimension IN ('class', 'vintage')),
  key text NOT NULL CHECK ((dimension = 'class' AND key IN ('normal', 'abnormal', 'key', 'non_key'))
                        OR (dimension = 'vintage' AND key ~ '^\d{4}$')),
  weight integer NOT NULL CHECK (weight BETWEEN 0 AND 1000),
  amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
  PRIMARY KEY (tenant_id, target_id, dimension, key),
  FOREIGN KEY (tenant_id, target_id) REFERENCES collection_targets (tenant_id, id) ON DELETE CASCADE DEFERRABLE
);

CREATE TABLE commission_statements (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  salesperson_user_id uuid NOT NULL,
  period text NOT NULL CHECK (period ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  salesperson_name text NOT NULL,
  rule_set_id uuid,
  rules jsonb NOT NULL,
  locked_by_user_id uuid NOT NULL,
  locked_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, salesperson_user_id, period),
  FOREIGN KEY (tenant_id, salesperson_user_id) REFERENCES users (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, rule_set_id) REFERENCES commission_rule_sets (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, locked_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE
);

CREATE TABLE commission_statement_lines (
  tenant_id uuid NOT NULL,
  statement_id uuid NOT NULL,
  line_no integer NOT NULL CHECK (line_no >= 1),
  salesperson_user_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('cash', 'bonus', 'penalty')),
  source_id text NOT NULL,
  reasons text[] NOT NULL,
  invoice_id uuid,
  invoice_number text,
  customer_code text,
  customer_name text,
  on_date date NOT NULL,
  due_date date,
  days_late integer,
  age_days integer,
  currency char(3) NOT NULL,
  base_minor bigint NOT NULL,
  rate_numerator bigint NOT NULL,
  commission_minor bigint NOT NULL,
  PRIMARY KEY (tenant_id, statement_id, line_no),
  -- A collection, bonus, penalty or clawback is paid in one locked statement at most.
  UNIQUE (tenant_id, source_id),
  FOREIGN KEY (tenant_id, statement_id) REFERENCES commission_statements (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) DEFERRABLE
);
CREATE INDEX commission_statement_lines_invoice_idx ON commission_statement_lines (tenant_id, invoice_id);

CREATE TABLE debt_cause_assessments (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  invoice_id uuid NOT NULL,
  is_not_sales_caused boolean NOT NULL,
  effective_on date NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  noted_by_user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, noted_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE
);
CREATE INDEX debt_cause_assessments_invoice_idx
  ON debt_cause_assessments (tenant_id, invoice_id, effective_on DESC, created_at DESC);

CREATE TABLE review_notes (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  subject_user_id uuid,
  customer_id uuid,
  period text,
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
  author_user_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK ((subject_user_id IS NULL) <> (customer_id IS NULL)),
  FOREIGN KEY (tenant_id, subject_user_id) REFERENCES users (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, author_user_id) REFERENCES users (tenant_id, id) DEFERRABLE
);
CREATE INDEX review_notes_user_idx ON review_notes (tenant_id, subject_user_id, created_at);
CREATE INDEX review_notes_customer_idx ON review_notes (tenant_id, customer_id, created_at);

CREATE TABLE customer_incentives (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  invoice_id uuid,
  kind text NOT NULL CHECK (kind IN ('discount', 'service')),
  amount_minor bigint CHECK (amount_minor > 0),
  currency char(3),
  description text,
  pay_by date NOT NULL,
  approval_request_id uuid NOT NULL,
  requested_by_user_id uuid NOT NULL,
  approved_by_user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, approval_request_id),
  CHECK (kind <> 'discount' OR (amount_minor IS NOT NULL AND currency IS NOT NULL)),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, approval_request_id) REFERENCES approval_requests (tenant_id, id) DEFERRABLE
);
CREATE INDEX customer_incentives_customer_idx ON customer_incentives (tenant_id, customer_id);

CREATE TRIGGER commission_rule_sets_append_only BEFORE UPDATE OR DELETE ON commission_rule_sets
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();
CREATE TRIGGER commission_statements_append_only BEFORE UPDATE OR DELETE ON commission_statements
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();
CREATE TRIGGER commission_statement_lines_append_only BEFORE UPDATE OR DELETE ON commission_statement_lines
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();
CREATE TRIGGER debt_cause_assessments_append_only BEFORE UPDATE OR DELETE ON debt_cause_assessments
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();
CREATE TRIGGER review_notes_append_only BEFORE UPDATE OR DELETE ON review_notes
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();
CREATE TRIGGER customer_incentives_append_only BEFORE UPDATE OR DELETE ON customer_incentives
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();

GRANT SELECT, INSERT, UPDATE ON incentive_settings TO huikuan_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON collection_targets, collection_target_lines TO huikuan_app;
GRANT SELECT, INSERT ON commission_rule_sets, commission_statements, commission_statement_lines,
  debt_cause_assessments, review_notes, customer_incentives TO huikuan_app;

SELECT huikuan_tenant_policy(t) FROM unnest(ARRAY['incentive_settings', 'commission_rule_sets', 'collection_targets',
  'collection_target_lines', 'commission_statements', 'commission_statement_lines', 'debt_cause_assessments',
  'review_notes', 'customer_incentives']) AS t;

-- 客户激励: a discount or service for early payment exists only once approved (customer_incentive).
ALTER TABLE approval_requests DROP CONSTRAINT approval_requests_kind_check;
ALTER TABLE approval_requests ADD CONSTRAINT approval_requests_kind_check CHECK (
  kind IN ('write_off', 'discount_waiver', 'offset', 'goods_settlement', 'credit_note', 'credit_override',
    'lawyer_letter', 'customer_incentive'));
