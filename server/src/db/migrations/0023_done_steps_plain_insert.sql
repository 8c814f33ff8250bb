-- The done steps (0017, 0021) marked by a plain INSERT when none of the statement's invoices has a row yet (issue 5:
-- a dunning run over 300,000 open items in ≤ 10 s, an organization's first run included; bench/README.md).
--
-- That is every batch of an organization's first run (291,567 invoices, none with a done step) and the newly
-- overdue invoices of a daily one. The upsert pays for its speculative insertion on every row, conflict or not:
-- measured with pg_stat_statements over a first run and its next day, alternated, the trigger took 2.53–2.68 s of
-- PostgreSQL's time this way against 3.07–3.27 s as an upsert always. When one of the invoices already has a row
-- (a later run; a concurrent run that got there first, once it commits) the plain INSERT fails with unique_violation,
-- its subtransaction rolls back, and the upsert below merges the steps or refuses a step recorded twice exactly as
-- before.
CREATE OR REPLACE FUNCTION huikuan_dunning_group_done_steps() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET work_mem = '64MB'
  AS $$
DECLARE
  invoice_count integer;
  marked_count integer;
BEGIN
  BEGIN
    -- In invoice order: the key's pages are visited in order (0017).
    INSERT INTO dunning_done_steps (tenant_id, invoice_id, step_ids)
    SELECT a.tenant_id, e.invoice_id, array_agg(a.step_id)
    FROM added a CROSS JOIN LATERAL unnest(a.invoice_ids) AS e (invoice_id)
    GROUP BY a.tenant_id, e.invoice_id
    ORDER BY a.tenant_id, e.invoice_id;
    RETURN NULL;
  EXCEPTION WHEN unique_violation THEN
    NULL;
  END;
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
