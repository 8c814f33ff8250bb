-- Casework (催收工作, domain.md §6; seeds 001 and 003): activities (calls, visits, letters, notes, tasks), promises to
-- pay (承诺付款) with their instalments and history, disputes v2 (owner, history, resolution through a credit note),
-- the collection case per customer (delinquency type, attitude, collector, snooze, and the precomputed worklist row)
-- and the organization's playbook.

-- ── Activities ─────────────────────────────────────────────────────────────────────────────────────────────────
-- One table for everything a collector does or has to do with a customer. A call or note is done when written; a
-- visit is planned (planned_on, due_on) and done when its result is recorded; a task (call, visit confirmation,
-- litigation review, follow-up) is done when ticked. Tasks may be for a role (legal) instead of a person.
CREATE TABLE collection_activities (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('call', 'visit', 'letter', 'note', 'task')),
  task_type text CHECK (task_type IN ('call', 'visit_confirmation', 'litigation_review', 'follow_up')),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  body text CHECK (body IS NULL OR length(body) <= 4000),
  call_outcome text CHECK (call_outcome IN ('promised', 'will_check', 'disputed', 'refused', 'no_answer',
    'wrong_contact', 'left_message')),
  contact_name text CHECK (contact_name IS NULL OR length(contact_name) <= 200),
  next_step text CHECK (next_step IS NULL OR length(next_step) <= 500),
  next_step_on date,
  planned_on date,
  expected_amount_minor bigint CHECK (expected_amount_minor > 0),
  currency char(3),
  visit_result text CHECK (visit_result IN ('collected', 'promised', 'disputed', 'refused', 'not_met',
    'rescheduled')),
  -- The business day it happened (calls, notes, visit results); null while only planned.
  occurred_on date,
  assignee_user_id uuid,
  assignee_role text CHECK (assignee_role IN ('legal', 'finance')),
  due_on date,
  done_at timestamptz,
  done_by_user_id uuid,
  done_note text CHECK (done_note IS NULL OR length(done_note) <= 4000),
  -- A visit's confirmation task points at its visit; a follow-up at the call that asked for it.
  parent_activity_id uuid,
  -- The dunning action (ladder step) that created it: the executor's idempotency key.
  dunning_action_id uuid,
  created_by_user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, assignee_user_id) REFERENCES users (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, done_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, created_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, parent_activity_id) REFERENCES collection_activities (tenant_id, id) DEFERRABLE,
  CHECK ((kind = 'task') = (task_type IS NOT NULL)),
  CHECK (call_outcome IS NULL OR kind = 'call'),
  CHECK (visit_result IS NULL OR kind = 'visit'),
  CHECK (planned_on IS NULL OR kind = 'visit'),
  CHECK ((expected_amount_minor IS NULL) OR (currency IS NOT NULL))
);
CREATE INDEX collection_activities_customer_idx ON collection_activities (tenant_id, customer_id, created_at DESC);
-- Open work per person (my tasks) and per customer (the case's next activity).
CREATE INDEX collection_activities_open_assignee_idx ON collection_activities (tenant_id, assignee_user_id, due_on)
  WHERE done_at IS NULL AND due_on IS NOT NULL;
CREATE INDEX collection_activities_open_customer_idx ON collection_activities (tenant_id, customer_id, due_on)
  WHERE done_at IS NULL AND due_on IS NOT NULL;
CREATE UNIQUE INDEX collection_activities_action_idx
  ON collection_activities (tenant_id, dunning_action_id, kind, (coalesce(task_type, '')))
  WHERE dunning_action_id IS NOT NULL;

-- Which invoices an activity is about (none = the customer as a whole). Insert-only.
CREATE TABLE collection_activity_invoices (
  tenant_id uuid NOT NULL,
  activity_id uuid NOT NULL,
  invoice_id uuid NOT NULL,
  PRIMARY KEY (tenant_id, activity_id, invoice_id),
  FOREIGN KEY (tenant_id, activity_id) REFERENCES collection_activities (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) DEFERRABLE
);
CREATE TRIGGER collection_activity_invoices_append_only BEFORE UPDATE OR DELETE ON collection_activity_invoices
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();

-- ── Promises to pay ────────────────────────────────────────────────────────────────────────────────────────────
-- The status is evaluated (core/src/promises.ts) against the payments allocated to its invoices since it was made,
-- and stored with every transition in promise_events, so the worklist and payment behaviour read it directly.
CREATE TABLE promises_to_pay (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  currency char(3) NOT NULL,
  total_minor bigint NOT NULL CHECK (total_minor > 0),
  grace_days integer NOT NULL CHECK (grace_days BETWEEN 0 AND 60),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'kept', 'broken', 'cancelled')),
  -- Kept or broken on (the evaluation's day); the cancellation day for a cancelled one.
  settled_on date,
  -- The day it was made: payments count from here.
  promised_on date NOT NULL,
  note text CHECK (note IS NULL OR length(note) <= 4000),
  -- The call or visit it was made on.
  activity_id uuid,
  recorded_by_user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, activity_id) REFERENCES collection_activities (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, recorded_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE,
  CHECK ((status = 'open') = (settled_on IS NULL))
);
CREATE INDEX promises_to_pay_customer_idx ON promises_to_pay (tenant_id, customer_id, status);
CREATE INDEX promises_to_pay_open_idx ON promises_to_pay (tenant_id) WHERE status = 'open';

CREATE TABLE promise_instalments (
  tenant_id uuid NOT NULL,
  promise_id uuid NOT NULL,
  seq integer NOT NULL CHECK (seq >= 1),
  due_on date NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  PRIMARY KEY (tenant_id, promise_id, seq),
  UNIQUE (tenant_id, promise_id, due_on),
  FOREIGN KEY (tenant_id, promise_id) REFERENCES promises_to_pay (tenant_id, id) DEFERRABLE
);
CREATE TRIGGER promise_instalments_append_only BEFORE UPDATE OR DELETE ON promise_instalments
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();

-- The invoices a promise covers; none = every invoice of the customer in the promise's currency.
CREATE TABLE promise_invoices (
  tenant_id uuid NOT NULL,
  promise_id uuid NOT NULL,
  invoice_id uuid NOT NULL,
  PRIMARY KEY (tenant_id, promise_id, invoice_id),
  FOREIGN KEY (tenant_id, promise_id) REFERENCES promises_to_pay (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) DEFERRABLE
);
CREATE INDEX promise_invoices_invoice_idx ON promise_invoices (tenant_id, invoice_id);
CREATE TRIGGER promise_invoices_append_only BEFORE UPDATE OR DELETE ON promise_invoices
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();

CREATE TABLE promise_events (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  seq bigint GENERATED ALWAYS AS IDENTITY,
  promise_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'kept', 'broken', 'cancelled')),
  previous_status text CHECK (previous_status IN ('open', 'kept', 'broken', 'cancelled')),
  effective_on date NOT NULL,
  note text,
  actor_user_id uuid,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, promise_id) REFERENCES promises_to_pay (tenant_id, id) DEFERRABLE
);
CREATE INDEX promise_events_promise_idx ON promise_events (tenant_id, promise_id, seq);
CREATE TRIGGER promise_events_append_only BEFORE UPDATE OR DELETE ON promise_events
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();

-- ── Disputes v2 ────────────────────────────────────────────────────────────────────────────────────────────────
-- status keeps its meaning (open rows are what credit and aging read). A valid resolution raises a credit note for
-- approval and links it; an invalid one lets chasing resume. Every step is an event.
ALTER TABLE disputes
  ADD COLUMN credit_note_id uuid,
  ADD COLUMN approval_request_id uuid,
  ADD COLUMN activity_id uuid,
  ADD COLUMN resolved_by_user_id uuid,
  ADD FOREIGN KEY (tenant_id, credit_note_id) REFERENCES credit_notes (tenant_id, id) DEFERRABLE,
  ADD FOREIGN KEY (tenant_id, approval_request_id) REFERENCES approval_requests (tenant_id, id) DEFERRABLE,
  ADD FOREIGN KEY (tenant_id, activity_id) REFERENCES collection_activities (tenant_id, id) DEFERRABLE,
  ADD FOREIGN KEY (tenant_id, resolved_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE;
CREATE INDEX disputes_open_invoice_idx ON disputes (tenant_id, invoice_id) WHERE status = 'open';

CREATE TABLE dispute_events (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  seq bigint GENERATED ALWAYS AS IDENTITY,
  dispute_id uuid NOT NULL,
  event text NOT NULL CHECK (event IN ('opened', 'assigned', 'resolved_valid', 'resolved_invalid', 'withdrawn')),
  owner_user_id uuid,
  note text,
  actor_user_id uuid,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, dispute_id) REFERENCES disputes (tenant_id, id) DEFERRABLE
);
CREATE INDEX dispute_events_dispute_idx ON dispute_events (tenant_id, dispute_id, seq);
CREATE TRIGGER dispute_events_append_only BEFORE UPDATE OR DELETE ON dispute_events
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();

-- Disputes raised before this migration get their history from what the row says.
INSERT INTO dispute_events (tenant_id, dispute_id, event, owner_user_id, note, actor_user_id, occurred_at)
SELECT tenant_id, id, 'opened', owner_user_id, description, created_by_user_id, created_at FROM disputes;
INSERT INTO dispute_events (tenant_id, dispute_id, event, owner_user_id, note, actor_user_id, occurred_at)
SELECT tenant_id, id, status, owner_user_id, resolution_note, NULL, updated_at FROM disputes WHERE status <> 'open';

-- ── Collection cases: one per customer ─────────────────────────────────────────────────────────────────────────
-- What people set (collector, delinquency type, attitude, snooze) and the worklist row computed from the ledger,
-- promises, disputes and activities by one set-based refresh (after each dunning run, daily, and for one customer
-- whenever its promises, disputes or activities change). The worklist reads only this table and the customers.
CREATE TABLE collection_cases (
  tenant_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  assigned_collector_user_id uuid,
  delinquency_type text CHECK (delinquency_type IN ('weak_collection', 'contract_dispute', 'overstock',
    'poor_business', 'cash_flow', 'intentional', 'accident')),
  attitude text CHECK (attitude IN ('cooperative', 'evasive', 'hostile')),
  snoozed_until date,
  updated_by_user_id uuid,
  -- ── computed ──
  is_active boolean NOT NULL DEFAULT false,
  -- The assigned collector, else the customer's owner (copied so the index below can serve "my cases").
  collector_user_id uuid,
  team_id uuid,
  currency char(3),
  open_minor bigint NOT NULL DEFAULT 0,
  overdue_minor bigint NOT NULL DEFAULT 0,
  disputed_minor bigint NOT NULL DEFAULT 0,
  other_currencies text[] NOT NULL DEFAULT '{}',
  max_days_overdue integer NOT NULL DEFAULT 0,
  overdue_invoice_count integer NOT NULL DEFAULT 0,
  score integer NOT NULL DEFAULT 0 CHECK (score BETWEEN 0 AND 100),
  reasons jsonb NOT NULL DEFAULT '[]',
  approach text NOT NULL DEFAULT 'soft' CHECK (approach IN ('soft', 'hard')),
  approach_reasons text[] NOT NULL DEFAULT '{}',
  rating text CHECK (rating IN ('A', 'B', 'C', 'D')),
  broken_promise_count integer NOT NULL DEFAULT 0,
  has_broken_promise boolean NOT NULL DEFAULT false,
  open_promise_until date,
  last_contact_on date,
  next_activity_id uuid,
  next_activity_kind text,
  next_activity_title text,
  next_activity_due_on date,
  suggested_step text NOT NULL DEFAULT 'none',
  as_of date,
  refreshed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, customer_id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, assigned_collector_user_id) REFERENCES users (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, updated_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE
);
CREATE INDEX collection_cases_collector_idx ON collection_cases (tenant_id, collector_user_id, score DESC, customer_id)
  WHERE is_active;
CREATE INDEX collection_cases_team_idx ON collection_cases (tenant_id, team_id, score DESC, customer_id)
  WHERE is_active;
CREATE INDEX collection_cases_score_idx ON collection_cases (tenant_id, score DESC, customer_id) WHERE is_active;

-- When the organization's cases were last refreshed as a whole.
CREATE TABLE collection_case_refreshes (
  tenant_id uuid NOT NULL REFERENCES organizations (tenant_id) DEFERRABLE,
  as_of date NOT NULL,
  case_count integer NOT NULL,
  refreshed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id)
);

-- ── Playbooks ──────────────────────────────────────────────────────────────────────────────────────────────────
-- No row = the defaults of core/src/playbooks.ts. The document is validated by the contract before it is stored.
CREATE TABLE collection_playbooks (
  tenant_id uuid NOT NULL REFERENCES organizations (tenant_id) DEFERRABLE,
  content jsonb NOT NULL,
  updated_by_user_id uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id),
  FOREIGN KEY (tenant_id, updated_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE
);

GRANT SELECT, INSERT, UPDATE ON collection_activities, promises_to_pay, collection_cases, collection_case_refreshes,
  collection_playbooks TO huikuan_app;
GRANT DELETE ON collection_playbooks TO huikuan_app;
GRANT SELECT, INSERT ON collection_activity_invoices, promise_instalments, promise_invoices, promise_events,
  dispute_events TO huikuan_app;

SELECT huikuan_tenant_policy(t) FROM unnest(ARRAY['collection_activities', 'collection_activity_invoices',
  'promises_to_pay', 'promise_instalments', 'promise_invoices', 'promise_events', 'dispute_events',
  'collection_cases', 'collection_case_refreshes', 'collection_playbooks']) AS t;
