-- Dunning runs at 300,000 open items (issue 5: ≤ 10 s on PostgreSQL; bench/README.md has the numbers).
--
-- A run needs, for every open item, the ladder steps already done for it. Reading them from dunning_actions meant a
-- lookup and an aggregate over every action row of every open invoice (about four per item after a catch-up run):
-- the bulk of a daily run that fires nothing. dunning_done_steps keeps the answer, one row per invoice with the ids
-- of its done steps, so a run reads one compact row per item with the open items.
--
-- It is a derivative of dunning_actions (append-only, PRIMARY KEY per invoice and step) that only this statement-level
-- trigger writes, in the transaction of the INSERT it follows: a run's batch and its done marks commit or roll back
-- together, so the kill test's guarantee (a kill loses at most the batch in flight, a restart never duplicates) is
-- the same as before. The step ids are the same as the actions' (not "latest offset per family"), so the catch-up
-- rule of core/src/dunning.ts decides exactly as it did: a policy change or a policy switch sees the same done steps.
-- One statement per INSERT (a transition table), not one per action row: a catch-up run inserts a million actions.

CREATE TABLE dunning_done_steps (
  tenant_id uuid NOT NULL,
  invoice_id uuid NOT NULL,
  step_ids uuid[] NOT NULL,
  PRIMARY KEY (tenant_id, invoice_id)
);

CREATE FUNCTION huikuan_dunning_done_steps() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  INSERT INTO dunning_done_steps AS d (tenant_id, invoice_id, step_ids)
  SELECT a.tenant_id, a.invoice_id, array_agg(a.step_id) FROM added a GROUP BY a.tenant_id, a.invoice_id
  ON CONFLICT (tenant_id, invoice_id) DO UPDATE SET step_ids = d.step_ids || EXCLUDED.step_ids;
  RETURN NULL;
END
$$;
CREATE TRIGGER dunning_actions_done_steps AFTER INSERT ON dunning_actions
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION huikuan_dunning_done_steps();

INSERT INTO dunning_done_steps (tenant_id, invoice_id, step_ids)
SELECT a.tenant_id, a.invoice_id, array_agg(a.step_id) FROM dunning_actions a GROUP BY a.tenant_id, a.invoice_id;

-- dunning_actions keeps its tenant in the key and under the tenant policy (RLS: WITH CHECK tenant_id = the session's
-- tenant), but no longer checks it against organizations row by row: a catch-up run inserts a million actions, and
-- that check was a lookup per row (about 5 s of the benchmark's first run) on a row that every action of the run
-- shares and that is never deleted. 0011 already left out the per-row keys to invoices, customers, steps and runs
-- for the same reason.
ALTER TABLE dunning_actions DROP CONSTRAINT dunning_actions_tenant_id_fkey;

-- The app role reads; the trigger (running as the owner) writes.
GRANT SELECT ON dunning_done_steps TO huikuan_app;
SELECT huikuan_tenant_policy('dunning_done_steps');
