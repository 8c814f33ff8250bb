-- The done steps kept per customer instead of per invoice (issue 5: a dunning run over 300,000 open items in ≤ 10 s,
-- an organization's first run included; bench/README.md has the numbers).
--
-- dunning_done_steps (0016, 0017, 0023) holds one row per invoice with its done steps. An organization's first run
-- writes 291,567 of them from 60,000 action groups: each group's invoices unnested (1.1 million pairs), aggregated
-- per invoice, sorted and inserted under the key, about 2.5 s of PostgreSQL's time; and every later run joins the
-- 290,000 open items to those rows again (0.8–1.0 s of its snapshot statement).
--
-- dunning_customer_done_steps holds one row per customer with the same pairs laid out as the groups that recorded
-- them: one step id and one count per group, and the groups' invoice ids one after another. A batch's groups are
-- appended as they are (no unnesting, no aggregation per invoice): about 10,400 rows for the first run. The snapshot
-- reads one row per customer next to its items, and the run takes the pairs apart per invoice.
--
-- It keeps what the per-invoice rows guaranteed. Only the trigger writes it, in the transaction of the groups' INSERT,
-- so a batch and its done marks commit or roll back together. A step recorded twice for an invoice is refused: when
-- a customer already has a row (a later run, or a concurrent run that got there first, once it commits) the upsert
-- appends only if none of the new pairs is in the row, and otherwise the statement fails with unique_violation and
-- the run redoes the batch item by item. Concurrent transactions marking one customer wait on its row.
--
-- A customer's row keeps the pairs of its settled invoices too (an invoice can open again when an allocation is
-- reversed, and a step done for it must stay done), so it grows with the customer's history: a run reads every pair
-- of each customer with open items. Per pair that is 16 bytes, read without a lookup.

-- The integers of an array added up (a row's counts must cover its invoice ids exactly).
CREATE FUNCTION huikuan_int_array_sum(integer[]) RETURNS bigint
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT coalesce(sum(n), 0) FROM unnest($1) AS n $$;

-- Arrays appended one after another, in the aggregate's order (uuid arrays: the groups' invoice ids).
CREATE AGGREGATE huikuan_uuid_array_cat(uuid[]) (SFUNC = array_cat, STYPE = uuid[]);

CREATE TABLE dunning_customer_done_steps (
  tenant_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  -- One element per recorded group: its step, and how many of invoice_ids are its invoices (in order).
  step_ids uuid[] NOT NULL,
  invoice_counts integer[] NOT NULL,
  invoice_ids uuid[] NOT NULL,
  PRIMARY KEY (tenant_id, customer_id),
  CONSTRAINT dunning_customer_done_steps_one_count_per_step CHECK (cardinality(step_ids) = cardinality(invoice_counts)),
  CONSTRAINT dunning_customer_done_steps_counts_positive CHECK (0 < ALL (invoice_counts)),
  CONSTRAINT dunning_customer_done_steps_counts_cover_invoices
    CHECK (huikuan_int_array_sum(invoice_counts) = cardinality(invoice_ids))
);
-- Random uuids do not compress: stored out of line as they are, without an attempt.
ALTER TABLE dunning_customer_done_steps ALTER COLUMN invoice_ids SET STORAGE EXTERNAL;

-- The (step, invoice) pairs of a row.
CREATE FUNCTION huikuan_done_pairs(uuid[], integer[], uuid[]) RETURNS TABLE (step_id uuid, invoice_id uuid)
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
  SELECT g.step_id, $3[p]
  FROM (
    SELECT s.step_id, s.n, sum(s.n) OVER (ORDER BY s.k) AS upto
    FROM unnest($1, $2) WITH ORDINALITY AS s (step_id, n, k)
  ) g
  CROSS JOIN LATERAL generate_series(g.upto - g.n + 1, g.upto) AS p
$$;

CREATE OR REPLACE FUNCTION huikuan_dunning_group_done_steps() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
DECLARE
  customer_count integer;
  marked_count integer;
BEGIN
  -- Every batch of a first run is customers without a row: a plain INSERT (0023's reasoning), in customer order so
  -- the key's pages are visited in order.
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
      WHERE NOT EXISTS (
        SELECT 1
        FROM huikuan_done_pairs(d.step_ids, d.invoice_counts, d.invoice_ids) AS done
        JOIN huikuan_done_pairs(EXCLUDED.step_ids, EXCLUDED.invoice_counts, EXCLUDED.invoice_ids) AS adding
          ON adding.step_id = done.step_id AND adding.invoice_id = done.invoice_id)
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

-- What was done so far, per customer: each invoice's steps become groups of one step for that customer's invoices.
INSERT INTO dunning_customer_done_steps (tenant_id, customer_id, step_ids, invoice_counts, invoice_ids)
SELECT g.tenant_id, g.customer_id, array_agg(g.step_id ORDER BY g.step_id), array_agg(cardinality(g.invoice_ids)
  ORDER BY g.step_id), huikuan_uuid_array_cat(g.invoice_ids ORDER BY g.step_id)
FROM (
  SELECT d.tenant_id, i.customer_id, s.step_id, array_agg(d.invoice_id ORDER BY d.invoice_id) AS invoice_ids
  FROM dunning_done_steps d
  JOIN invoices i ON i.tenant_id = d.tenant_id AND i.id = d.invoice_id
  CROSS JOIN LATERAL unnest(d.step_ids) AS s (step_id)
  GROUP BY d.tenant_id, i.customer_id, s.step_id
) g
GROUP BY g.tenant_id, g.customer_id;

DROP TABLE dunning_done_steps;

-- The app role reads; the trigger (running as the owner) writes.
GRANT SELECT ON dunning_customer_done_steps TO huikuan_app;
SELECT huikuan_tenant_policy('dunning_customer_done_steps');
