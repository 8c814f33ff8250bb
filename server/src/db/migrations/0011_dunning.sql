-- Dunning (渐进的收款程序, domain.md §6, issue 5 items 1–2): policies are ordered ladders of steps at N days from an
-- invoice's due date; assignments choose a policy per customer, credit rating or customer segment; runs evaluate every
-- open item as of a date and record one action per (invoice, step), which is what makes reruns and restarts safe.

CREATE TABLE dunning_policies (
  tenant_id uuid NOT NULL REFERENCES organizations (tenant_id) DEFERRABLE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  description text CHECK (description IS NULL OR length(description) <= 500),
  -- The policy of every customer no assignment names. Exactly one per organization (the partial unique index below;
  -- the application never leaves an organization without one).
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, name)
);
CREATE UNIQUE INDEX dunning_policies_one_default ON dunning_policies (tenant_id) WHERE is_default;

-- The rungs of a ladder. A step that actions point at is never deleted: removing it from a policy retires it
-- (retired_at), so its history stays readable and an edit of the other steps never re-fires anything.
CREATE TABLE dunning_policy_steps (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  policy_id uuid NOT NULL,
  seq integer NOT NULL CHECK (seq >= 0),
  kind text NOT NULL CHECK (kind IN ('customer_reminder', 'owner_reminder', 'overdue_notice', 'call_task',
    'visit_task', 'dunning_letter', 'lawyer_letter', 'litigation_review', 'credit_hold')),
  -- Days from the invoice's due date; negative = before it is due.
  offset_days integer NOT NULL CHECK (offset_days BETWEEN -365 AND 3650),
  channel text CHECK (channel IN ('email', 'sms', 'wecom', 'dingtalk', 'feishu', 'in_app')),
  template_key text CHECK (template_key IS NULL OR length(template_key) BETWEEN 1 AND 100),
  requires_approval boolean NOT NULL DEFAULT false,
  retired_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, policy_id) REFERENCES dunning_policies (tenant_id, id) DEFERRABLE,
  -- Messages and letters go out on a channel; tasks, reviews and holds have none.
  CHECK ((kind IN ('customer_reminder', 'owner_reminder', 'overdue_notice', 'dunning_letter', 'lawyer_letter'))
    = (channel IS NOT NULL))
);
CREATE INDEX dunning_policy_steps_policy_idx ON dunning_policy_steps (tenant_id, policy_id, seq);

-- Which policy applies: to one customer, to a credit rating (A–D, the effective rating) or to a customer segment.
-- Resolution order: customer > rating > segment > the default policy.
CREATE TABLE dunning_policy_assignments (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  policy_id uuid NOT NULL,
  customer_id uuid,
  rating text CHECK (rating IN ('A', 'B', 'C', 'D')),
  segment text CHECK (segment IS NULL OR length(segment) BETWEEN 1 AND 100),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, policy_id) REFERENCES dunning_policies (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE,
  CHECK (num_nonnulls(customer_id, rating, segment) = 1)
);
CREATE UNIQUE INDEX dunning_assignments_customer ON dunning_policy_assignments (tenant_id, customer_id)
  WHERE customer_id IS NOT NULL;
CREATE UNIQUE INDEX dunning_assignments_rating ON dunning_policy_assignments (tenant_id, rating)
  WHERE rating IS NOT NULL;
CREATE UNIQUE INDEX dunning_assignments_segment ON dunning_policy_assignments (tenant_id, segment)
  WHERE segment IS NOT NULL;
CREATE INDEX dunning_assignments_policy_idx ON dunning_policy_assignments (tenant_id, policy_id);

-- One run: an evaluation of every open item as of a date, by hand (API, CLI) or by the daily schedule. Progress is
-- written with each committed batch, so what a run shows as done is exactly what is recorded.
CREATE TABLE dunning_runs (
  tenant_id uuid NOT NULL REFERENCES organizations (tenant_id) DEFERRABLE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  as_of date NOT NULL,
  source text NOT NULL CHECK (source IN ('manual', 'schedule', 'cli')),
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
  started_by_user_id uuid,
  total_count integer NOT NULL DEFAULT 0,
  done_count integer NOT NULL DEFAULT 0,
  fired_count integer NOT NULL DEFAULT 0,
  paused_count integer NOT NULL DEFAULT 0,
  -- Fired actions per step kind: {"call_task": 12, …}.
  counts_by_kind jsonb NOT NULL DEFAULT '{}',
  -- Items whose step failed (the batch was retried item by item; these were left for the next run): at most 100.
  errors jsonb NOT NULL DEFAULT '[]',
  error_count integer NOT NULL DEFAULT 0,
  failure text,
  started_at timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, started_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE,
  CHECK (done_count <= total_count)
);
CREATE INDEX dunning_runs_started_idx ON dunning_runs (tenant_id, started_at DESC);

-- One ladder step done for one open item. UNIQUE (tenant, invoice, step): a rerun, a concurrent run or a restart after
-- a crash can never record (and so never send) it twice. The action's id is fixed before its step's executor runs
-- (executors use it as the idempotency key of what they write) and the row, with the executor's outcome, is written in
-- the same transaction right after; a concurrent run that got there first makes that INSERT fail, which rolls back
-- the executor's writes too. Insert-only.
--
-- No foreign keys besides the tenant's: a first run over 300,000 open items records about a million of these, and
-- each foreign-key check is a lookup per row (measured: five of them were most of a run's time). Every referenced row
-- was read by the engine in the same transaction that writes the action, and none of them can be deleted (invoices,
-- customers and runs are never deleted; steps are retired, not deleted, once used).
CREATE TABLE dunning_actions (
  tenant_id uuid NOT NULL REFERENCES organizations (tenant_id) DEFERRABLE,
  id uuid NOT NULL,
  run_id uuid NOT NULL,
  invoice_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  policy_id uuid NOT NULL,
  step_id uuid NOT NULL,
  kind text NOT NULL,
  channel text,
  offset_days integer NOT NULL,
  -- The invoice's due date and the day the step fell due (due date + offset).
  due_date date NOT NULL,
  step_due_on date NOT NULL,
  as_of date NOT NULL,
  days_overdue integer NOT NULL,
  chased_minor bigint NOT NULL CHECK (chased_minor > 0),
  currency char(3) NOT NULL,
  -- What the step's executor answered; 'recorded' when no module does this kind of step in the process that ran it.
  outcome text NOT NULL CHECK (outcome IN ('recorded', 'sent', 'queued', 'created', 'pending_approval', 'skipped')),
  ref_id text,
  detail text,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- The key is the step per invoice; `id` (the executors' idempotency key, e.g. an outbox message's source) is not
  -- indexed: one index less on a million-row first run, and nothing looks an action up by it on a hot path.
  PRIMARY KEY (tenant_id, invoice_id, step_id)
);
CREATE INDEX dunning_actions_customer_idx ON dunning_actions (tenant_id, customer_id, created_at DESC);
CREATE INDEX dunning_actions_run_idx ON dunning_actions (tenant_id, run_id);
CREATE TRIGGER dunning_actions_append_only BEFORE UPDATE OR DELETE ON dunning_actions
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();

-- 停止供货 placed by the ladder's credit_hold step. It holds the customer while its invoice is still open (evaluated
-- live, like every other hold cause), so paying the invoice releases it without anyone touching this row; finance may
-- also release it by hand (released_at). A credit override lifts it like the overdue cause. Written with its action in
-- one transaction (no per-row foreign keys, for the same reason as dunning_actions).
CREATE TABLE dunning_credit_holds (
  tenant_id uuid NOT NULL REFERENCES organizations (tenant_id) DEFERRABLE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  invoice_id uuid NOT NULL,
  action_id uuid NOT NULL,
  placed_on date NOT NULL,
  released_at timestamptz,
  released_by_user_id uuid,
  release_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, action_id),
  CHECK ((released_at IS NULL) = (release_reason IS NULL))
);
CREATE INDEX dunning_credit_holds_customer_idx ON dunning_credit_holds (tenant_id, customer_id)
  WHERE released_at IS NULL;

-- The credit module records 'dunning' as a hold cause beside its own.
ALTER TABLE credit_hold_states DROP CONSTRAINT credit_hold_states_causes_check;
ALTER TABLE credit_hold_states ADD CONSTRAINT credit_hold_states_causes_check
  CHECK (causes <@ ARRAY['over_limit', 'overdue', 'dispute', 'dunning']::text[]);

GRANT SELECT, INSERT, UPDATE, DELETE ON dunning_policies, dunning_policy_assignments, dunning_policy_steps TO huikuan_app;
GRANT SELECT, INSERT, UPDATE ON dunning_runs, dunning_credit_holds TO huikuan_app;
GRANT SELECT, INSERT ON dunning_actions TO huikuan_app;

SELECT huikuan_tenant_policy(t) FROM unnest(ARRAY['dunning_policies', 'dunning_policy_steps',
  'dunning_policy_assignments', 'dunning_runs', 'dunning_actions', 'dunning_credit_holds']) AS t;

-- Every organization starts with the ladder of issue 5: −3 reminder; +1 overdue notice; +7 call; +15 visit;
-- +30 dunning letter; +60 lawyer's letter (approved by legal); +90 litigation review and credit hold. Organizations
-- created later get it from the dunning module on first use (ensureDefaultPolicy), whichever way they were created.
INSERT INTO dunning_policies (tenant_id, name, description, is_default)
SELECT o.tenant_id, '标准催收程序', '默认：到期前 3 天提醒，逾期后逐级升级', true FROM organizations o
WHERE NOT EXISTS (SELECT 1 FROM dunning_policies p WHERE p.tenant_id = o.tenant_id AND p.is_default);

INSERT INTO dunning_policy_steps (tenant_id, policy_id, seq, kind, offset_days, channel, requires_approval)
SELECT p.tenant_id, p.id, s.seq, s.kind, s.offset_days, s.channel, s.requires_approval
FROM dunning_policies p
CROSS JOIN (VALUES
  (0, 'customer_reminder', -3, 'email', false),
  (1, 'overdue_notice', 1, 'email', false),
  (2, 'call_task', 7, NULL, false),
  (3, 'visit_task', 15, NULL, false),
  (4, 'dunning_letter', 30, 'email', false),
  (5, 'lawyer_letter', 60, 'email', true),
  (6, 'litigation_review', 90, NULL, false),
  (7, 'credit_hold', 90, NULL, false)
) AS s (seq, kind, offset_days, channel, requires_approval)
WHERE p.is_default AND NOT EXISTS (SELECT 1 FROM dunning_policy_steps x WHERE x.tenant_id = p.tenant_id
  AND x.policy_id = p.id);
