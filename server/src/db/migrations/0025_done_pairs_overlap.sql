-- A later run's done steps appended without taking each customer's row apart (issue 5; bench/README.md).
--
-- 0024's upsert refuses a step recorded twice by expanding both the customer's row and the new groups into (step,
-- invoice) pairs and joining them. A daily run appends a group or two to each of about 2,000 customers, and each
-- expansion of a row of about 110 pairs (a window sum and a series per group) cost about 0.23 ms: about 1 s of
-- PostgreSQL's time for the benchmark's next day (pg_stat_statements, track = all), against 0.4 s for the first run's
-- 10,400 plain inserts. The check now looks each new invoice up in the row's invoice ids (array_positions) and
-- compares the step of the group at each position found: a few lookups per new pair instead of every pair.

-- Whether any (step, invoice) pair of the new groups is already among the row's.
CREATE FUNCTION huikuan_done_pairs_overlap(uuid[], integer[], uuid[], uuid[], integer[], uuid[]) RETURNS boolean
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
DECLARE
  done_steps uuid[] := $1;
  done_invoices uuid[] := $3;
  new_steps uuid[] := $4;
  new_counts integer[] := $5;
  new_invoices uuid[] := $6;
  -- Where each of the row's groups ends in its invoice ids (1-based, inclusive).
  done_ends integer[] := '{}';
  total integer := 0;
  new_at integer := 0;
  g integer;
  k integer;
  d integer;
  p integer;
BEGIN
  FOR g IN 1 .. coalesce(array_length($2, 1), 0) LOOP
    total := total + $2[g];
    done_ends := done_ends || total;
  END LOOP;
  FOR g IN 1 .. coalesce(array_length(new_steps, 1), 0) LOOP
    FOR k IN new_at + 1 .. new_at + new_counts[g] LOOP
      FOREACH p IN ARRAY array_positions(done_invoices, new_invoices[k]) LOOP
        d := 1;
        WHILE done_ends[d] < p LOOP
          d := d + 1;
        END LOOP;
        IF done_steps[d] = new_steps[g] THEN
          RETURN true;
        END IF;
      END LOOP;
    END LOOP;
    new_at := new_at + new_counts[g];
  END LOOP;
  RETURN false;
END
$$;

CREATE OR REPLACE FUNCTION huikuan_dunning_group_done_steps() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
DECLARE
  customer_count integer;
  marked_count integer;
BEGIN
  -- Every batch of a first run is customers without a row: a plain INSERT (0023, 0024).
  BEGIN
    INSERT INTO dunning_customer_done_steps (tenant_id, customer_id, step_ids, invoice_counts, invoice_ids)
    SELECT a.tenant_id, a.customer_id, array_agg(a.step_id ORDER BY a.id),
      array_agg(cardinality(a.invoice_ids) ORDER BY a.id), huikuan_uuid_array_cat(a.invoice_ids ORDER BY a.id)
    FROM added a
    GROUP BY a.tenant_id, a.customer_id
    ORDER BY a.tenant_id, a.customer_id;
    RETURN NULL;
  EXCEPTION WHEN unique_violation THEN
    NULL;
  END;
  WITH per_customer AS (
    SELECT a.tenant_id, a.customer_id, array_agg(a.step_id ORDER BY a.id) AS step_ids,
      array_agg(cardinality(a.invoice_ids) ORDER BY a.id) AS invoice_counts,
      huikuan_uuid_array_cat(a.invoice_ids ORDER BY a.id) AS invoice_ids
    FROM added a
    GROUP BY a.tenant_id, a.customer_id
  ), marked AS (
    INSERT INTO dunning_customer_done_steps AS d (tenant_id, customer_id, step_ids, invoice_counts, invoice_ids)
    SELECT tenant_id, customer_id, step_ids, invoice_counts, invoice_ids FROM per_customer
    ORDER BY tenant_id, customer_id
    ON CONFLICT (tenant_id, customer_id) DO UPDATE SET step_ids = d.step_ids || EXCLUDED.step_ids,
      invoice_counts = d.invoice_counts || EXCLUDED.invoice_counts,
      invoice_ids = d.invoice_ids || EXCLUDED.invoice_ids
      WHERE NOT huikuan_done_pairs_overlap(d.step_ids, d.invoice_counts, d.invoice_ids, EXCLUDED.step_ids,
        EXCLUDED.invoice_counts, EXCLUDED.invoice_ids)
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM per_customer), (SELECT count(*) FROM marked) INTO customer_count, marked_count;
  IF marked_count <> customer_count THEN
    RAISE EXCEPTION 'a dunning step is already recorded for one of these invoices'
      USING ERRCODE = 'unique_violation';
  END IF;
  RETURN NULL;
END
$$;
