-- Dunning catch-up runs (issue 5: a run over 300,000 open items in ≤ 10 s on PostgreSQL, including an
-- organization's first run; bench/README.md has the numbers).
--
-- A first run fires the latest due step of every family for every open item at once: 1.1 million actions at the
-- benchmark's size, and nearly all of them are one step for many invoices of one customer (a customer with 28 overdue
-- invoices gets one visit, one 律师函 request, one litigation review and one credit hold, each about 28 invoices).
-- Written one row per invoice and step, under a primary key of random uuids, those rows were most of the run
-- (measured: 9.5 s for the 1.1 M rows with the key, 3.1 s without any index, on the shared machine). They are now
-- stored one row per run, customer, step and currency, with the invoices' part in parallel arrays and the outcome
-- once for the group when its actions share it: about 60,000 rows for that run, and a group of one or two invoices
-- in a daily run.
--
-- dunning_actions keeps meaning what every reader sees — one row per invoice and step, same columns — as a view that
-- unnests the groups (security_invoker: the groups' tenant policy applies to whoever reads the view).

CREATE TABLE dunning_action_groups (
  tenant_id uuid NOT NULL,
  -- Random in its first 24 characters and zeros after: the n-th action's id (1-based) is those 24 characters and n
  -- in 12 hex digits, so a run makes one random id per group rather than per action (a catch-up batch: 20,000).
  id uuid NOT NULL,
  run_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  policy_id uuid NOT NULL,
  step_id uuid NOT NULL,
  kind text NOT NULL,
  channel text,
  offset_days integer NOT NULL,
  as_of date NOT NULL,
  currency char(3) NOT NULL,
  -- One element per action, in the same order: days overdue and the step's due day follow from the due date, the
  -- offset and as_of.
  invoice_ids uuid[] NOT NULL,
  due_dates date[] NOT NULL,
  chased_minor bigint[] NOT NULL,
  -- The actions' ids when they do not follow from the group's (actions recorded before this migration).
  action_ids uuid[],
  -- What the step's executor answered: for the first action and for all the others (one task, letter or request
  -- for the customer, which the others joined), or one per action (a message each) in outcomes/ref_ids/details.
  first_outcome text,
  first_ref_id text,
  first_detail text,
  other_outcome text,
  other_ref_id text,
  other_detail text,
  outcomes text[],
  ref_ids text[],
  details text[],
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK (cardinality(invoice_ids) >= 1 AND cardinality(due_dates) = cardinality(invoice_ids)
    AND cardinality(chased_minor) = cardinality(invoice_ids)
    AND coalesce(cardinality(action_ids) = cardinality(invoice_ids), true)),
  CHECK (0 < ALL (chased_minor)),
  CHECK ((first_outcome IS NULL) = (other_outcome IS NULL) AND (first_outcome IS NULL) <> (outcomes IS NULL)),
  CHECK (outcomes IS NULL OR (cardinality(outcomes) = cardinality(invoice_ids)
    AND cardinality(ref_ids) = cardinality(invoice_ids) AND cardinality(details) = cardinality(invoice_ids))),
  CHECK (first_outcome IN ('recorded', 'sent', 'queued', 'created', 'pending_approval', 'skipped')),
  CHECK (other_outcome IN ('recorded', 'sent', 'queued', 'created', 'pending_approval', 'skipped')),
  CHECK (outcomes <@ ARRAY['recorded', 'sent', 'queued', 'created', 'pending_approval', 'skipped'])
);
CREATE INDEX dunning_action_groups_customer_idx ON dunning_action_groups (tenant_id, customer_id, created_at DESC);
-- A run's actions (the run's page), and what a run already did for a customer (its 律师函 request).
CREATE INDEX dunning_action_groups_run_idx ON dunning_action_groups (tenant_id, run_id, customer_id);
CREATE TRIGGER dunning_action_groups_append_only BEFORE UPDATE OR DELETE ON dunning_action_groups
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();

-- The actions recorded so far, grouped the same way (rows of one batch share created_at), with their own ids.
INSERT INTO dunning_action_groups (tenant_id, id, run_id, customer_id, policy_id, step_id, kind, channel,
  offset_days, as_of, currency, invoice_ids, due_dates, chased_minor, action_ids, outcomes, ref_ids, details,
  created_at)
SELECT tenant_id, gen_random_uuid(), run_id, customer_id, policy_id, step_id, kind, channel, offset_days, as_of,
  currency, array_agg(invoice_id ORDER BY invoice_id), array_agg(due_date ORDER BY invoice_id),
  array_agg(chased_minor ORDER BY invoice_id), array_agg(id ORDER BY invoice_id), array_agg(outcome ORDER BY invoice_id),
  array_agg(ref_id ORDER BY invoice_id), array_agg(detail ORDER BY invoice_id), created_at
FROM dunning_actions
GROUP BY tenant_id, run_id, customer_id, policy_id, step_id, kind, channel, offset_days, as_of, currency, created_at;

DROP TABLE dunning_actions;
DROP FUNCTION huikuan_dunning_done_steps();

CREATE VIEW dunning_actions WITH (security_invoker = true) AS
SELECT g.tenant_id,
  coalesce(g.action_ids[e.n], (left(g.id::text, 24) || lpad(to_hex(e.n), 12, '0'))::uuid) AS id,
  g.run_id, e.invoice_id, g.customer_id, g.policy_id, g.step_id, g.kind, g.channel, g.offset_days, e.due_date,
  e.due_date + g.offset_days AS step_due_on, g.as_of, g.as_of - e.due_date AS days_overdue, e.chased_minor,
  g.currency,
  CASE WHEN g.outcomes IS NOT NULL THEN g.outcomes[e.n] WHEN e.n = 1 THEN g.first_outcome ELSE g.other_outcome END
    AS outcome,
  CASE WHEN g.outcomes IS NOT NULL THEN g.ref_ids[e.n] WHEN e.n = 1 THEN g.first_ref_id ELSE g.other_ref_id END
    AS ref_id,
  CASE WHEN g.outcomes IS NOT NULL THEN g.details[e.n] WHEN e.n = 1 THEN g.first_detail ELSE g.other_detail END
    AS detail,
  g.created_at
FROM dunning_action_groups g
CROSS JOIN LATERAL unnest(g.invoice_ids, g.due_dates, g.chased_minor) WITH ORDINALITY
  AS e (invoice_id, due_date, chased_minor, n);

-- The steps done per invoice (0016) now follow the groups, in the same transaction as their INSERT. dunning_actions'
-- primary key used to refuse a step recorded twice for one invoice (a concurrent run that got there first); the
-- done steps refuse it now: a step already in an invoice's row leaves that row unchanged, the count of marked
-- invoices falls short and the statement fails with unique_violation, so the batch rolls back and is redone item by
-- item exactly as before. A concurrent transaction marking the same invoice waits on its row and then sees its steps.
-- (One statement never names a step twice for an invoice: the engine checks that before it inserts.)
CREATE FUNCTION huikuan_dunning_group_done_steps() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
DECLARE
  invoice_count integer;
  marked_count integer;
BEGIN
  -- In invoice order: the key's pages are visited in order (measured: a third less than in arrival order).
  WITH per_invoice AS (
    SELECT a.tenant_id, e.invoice_id, array_agg(a.step_id) AS step_ids
    FROM added a CROSS JOIN LATERAL unnest(a.invoice_ids) AS e (invoice_id)
    GROUP BY a.tenant_id, e.invoice_id
  ), marked AS (
    INSERT INTO dunning_done_steps AS d (tenant_id, invoice_id, step_ids)
    SELECT tenant_id, invoice_id, step_ids FROM per_invoice ORDER BY tenant_id, invoice_id
    ON CONFLICT (tenant_id, invoice_id) DO UPDATE SET step_ids = d.step_ids || EXCLUDED.step_ids
      WHERE NOT d.step_ids && EXCLUDED.step_ids
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM per_invoice), (SELECT count(*) FROM marked) INTO invoice_count, marked_count;
  IF marked_count <> invoice_count THEN
    RAISE EXCEPTION 'a dunning step is already recorded for one of these invoices'
      USING ERRCODE = 'unique_violation';
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER dunning_action_groups_done_steps AFTER INSERT ON dunning_action_groups
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION huikuan_dunning_group_done_steps();

GRANT SELECT, INSERT ON dunning_action_groups TO huikuan_app;
GRANT SELECT ON dunning_actions TO huikuan_app;
SELECT huikuan_tenant_policy('dunning_action_groups');

-- 停止供货 placed by the ladder, the same way: one row per customer a batch holds, naming its invoices (259,000
-- holds on 6,000 customers in the benchmark's first run). dunning_credit_holds, what the credit module reads, is the
-- view of one row per invoice with the same columns; `id` is the row's that placed it.
CREATE TABLE dunning_credit_hold_sets (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  placed_on date NOT NULL,
  invoice_ids uuid[] NOT NULL,
  action_ids uuid[] NOT NULL,
  released_at timestamptz,
  released_by_user_id uuid,
  release_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK (cardinality(invoice_ids) >= 1 AND cardinality(action_ids) = cardinality(invoice_ids)),
  CHECK ((released_at IS NULL) = (release_reason IS NULL))
);
CREATE INDEX dunning_credit_hold_sets_customer_idx ON dunning_credit_hold_sets (tenant_id, customer_id)
  WHERE released_at IS NULL;

INSERT INTO dunning_credit_hold_sets (tenant_id, id, customer_id, placed_on, invoice_ids, action_ids, released_at,
  released_by_user_id, release_reason, created_at)
SELECT tenant_id, id, customer_id, placed_on, ARRAY[invoice_id], ARRAY[action_id], released_at, released_by_user_id,
  release_reason, created_at
FROM dunning_credit_holds;

DROP TABLE dunning_credit_holds;

CREATE VIEW dunning_credit_holds WITH (security_invoker = true) AS
SELECT h.tenant_id, h.id, h.customer_id, e.invoice_id, e.action_id, h.placed_on, h.released_at,
  h.released_by_user_id, h.release_reason, h.created_at
FROM dunning_credit_hold_sets h
CROSS JOIN LATERAL unnest(h.invoice_ids, h.action_ids) AS e (invoice_id, action_id);

GRANT SELECT, INSERT, UPDATE ON dunning_credit_hold_sets TO huikuan_app;
GRANT SELECT ON dunning_credit_holds TO huikuan_app;
SELECT huikuan_tenant_policy('dunning_credit_hold_sets');

-- 催款函 a run decided to send, rendered after its transaction commits. A PDF with an embedded CJK font takes tens of
-- milliseconds to draw; inside the run that was one per customer (10,400 in the benchmark's first run), holding the
-- run's transaction open. The run writes this row instead, with the id the letter will have in the archive (the
-- dunning action points at it); the letters module renders it, archives it under its source_key (unique, so at most
-- once) and deletes this row in one transaction. A crash in between leaves the row for the next render pass.
CREATE TABLE pending_dunning_letters (
  tenant_id uuid NOT NULL,
  letter_id uuid NOT NULL,
  source_key text NOT NULL CHECK (length(source_key) BETWEEN 1 AND 200),
  kind text NOT NULL
    CHECK (kind IN ('payment_reminder', 'dunning_letter', 'lawyer_letter', 'statement', 'balance_confirmation')),
  customer_id uuid NOT NULL,
  as_of date NOT NULL,
  locale text NOT NULL CHECK (locale IN ('zh-CN', 'en')),
  run_id uuid NOT NULL,
  dunning_action_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, letter_id),
  UNIQUE (tenant_id, source_key)
);

-- UPDATE for FOR UPDATE SKIP LOCKED: the renderer takes a row that no other worker holds; rows are never changed.
GRANT SELECT, INSERT, UPDATE, DELETE ON pending_dunning_letters TO huikuan_app;
SELECT huikuan_tenant_policy('pending_dunning_letters');

-- The ladder's call, visit and litigation-review tasks list the invoices they are about: one link per action (a
-- customer's 28 overdue invoices on its visit), 550,000 links in the benchmark's first run. Each link's foreign key
-- to invoices locked the invoice row (FOR KEY SHARE), writing to 290,000 invoice pages: the visits alone took 90 s.
-- The keys go, as 0011 and 0016 did for dunning_actions: the ladder links invoices and tasks it read or wrote in the
-- same transaction, the hand-made activities check theirs (customerInvoicesOrThrow), and neither invoices nor
-- activities are ever deleted.
ALTER TABLE collection_activity_invoices DROP CONSTRAINT collection_activity_invoices_tenant_id_invoice_id_fkey;
ALTER TABLE collection_activity_invoices DROP CONSTRAINT collection_activity_invoices_tenant_id_activity_id_fkey;

-- 律师函 requests the ladder filed, by key ('lawyer:<run>:<customer>:<step kind>:<offset>', one per customer per
-- step per run), so a customer whose items straddle two batches, or an item redone on its own, finds its request.
-- The key is also in the request's payload, but a lookup there cannot use an index under row-level security (`->>`
-- is not leakproof): it read every request of the tenant for each of a first run's 60 batches. Insert-only.
CREATE TABLE lawyer_letter_requests (
  tenant_id uuid NOT NULL,
  source_key text NOT NULL CHECK (length(source_key) BETWEEN 1 AND 200),
  approval_request_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, source_key)
);
CREATE TRIGGER lawyer_letter_requests_append_only BEFORE UPDATE OR DELETE ON lawyer_letter_requests
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();
-- Requests filed before: the key from their payload.
INSERT INTO lawyer_letter_requests (tenant_id, source_key, approval_request_id, created_at)
SELECT DISTINCT ON (tenant_id, payload->>'sourceKey') tenant_id, payload->>'sourceKey', id, created_at
FROM approval_requests WHERE kind = 'lawyer_letter' AND payload->>'sourceKey' IS NOT NULL
ORDER BY tenant_id, payload->>'sourceKey', created_at;
GRANT SELECT, INSERT ON lawyer_letter_requests TO huikuan_app;
SELECT huikuan_tenant_policy('lawyer_letter_requests');
