-- Per-invoice settled amounts kept by the ledger's own triggers (issue 4: aging, dashboard, KPIs and credit at a
-- million invoices; bench/README.md has the numbers).
--
-- Until now every report derived each invoice's open amount from the documents (allocations, credit notes, voids)
-- at the requested date: about a microsecond per joined row, seconds per report at a million invoices. These
-- tables keep the result of that derivation instead, as of "all time" (every document counted, whatever its date):
--
-- - invoice_settlements: one row per issued invoice with what reports read (customer, contract, plan node,
--   currency, dates, total) and what was settled (allocations, posted credit notes and write-offs) and its void
--   date; open_minor is computed from them. A report as of today reads the open rows through a partial index; a
--   report as of an earlier date subtracts what was dated after it (indexes by date below).
-- - customer_open_balances: per customer and currency, the open total, the number of open items and the oldest
--   open due date, accumulated by a trigger on invoice_settlements from each row's change. Reports check the sum
--   of their buckets against it on every run: a second accumulation, not the rows they bucketed.
-- - contract_invoiced / plan_node_invoiced: issued, unvoided invoice totals per contract and plan node (credit
--   exposure's uninvoiced contract amounts).
--
-- The documents stay the only truth: these tables are a derivative that nobody writes but the triggers
-- (SECURITY DEFINER functions owned by the migrating role; the app role may only read them), and
-- `huikuan ledger verify` and the ledger property test compare them with the derivation from the documents.
-- Posted documents are append-only as before. Every write that changes an invoice's settled amount already locks
-- the invoice (and the customer), so a row here is only ever contended by writes that were serialised anyway; the
-- per-customer accumulation is no hotter than the customer row those writes lock.

CREATE TABLE invoice_settlements (
  tenant_id uuid NOT NULL,
  invoice_id uuid NOT NULL,
  -- A compact key for in-process caches (modules/aging/ledger-cache.ts): never changes once assigned.
  seq bigint GENERATED ALWAYS AS IDENTITY,
  customer_id uuid NOT NULL,
  contract_id uuid,
  plan_node_id uuid,
  currency char(3) NOT NULL,
  invoice_date date NOT NULL,
  due_date date NOT NULL,
  total_minor bigint NOT NULL,
  -- Σ allocations to the invoice (reversals are negative rows), whatever their date.
  allocated_minor bigint NOT NULL DEFAULT 0,
  -- Σ posted credit notes of both kinds (credit_note, write_off), whatever their date.
  credited_minor bigint NOT NULL DEFAULT 0,
  voided_on date,
  open_minor bigint GENERATED ALWAYS AS (
    CASE WHEN voided_on IS NULL THEN total_minor - allocated_minor - credited_minor ELSE 0 END) STORED,
  -- The transaction that last changed the row: a cache asks for the rows changed since its last snapshot's xmin.
  changed_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  PRIMARY KEY (tenant_id, invoice_id),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) DEFERRABLE
);
-- Today's open items, covering what aging, the dashboard and the credit position read (index-only scans).
CREATE INDEX invoice_settlements_open_idx ON invoice_settlements (tenant_id, customer_id, due_date)
  INCLUDE (currency, open_minor, invoice_date, contract_id, plan_node_id) WHERE open_minor <> 0;
-- Open items dated after a date (the ledger check as of an earlier date leaves them out).
CREATE INDEX invoice_settlements_open_date_idx ON invoice_settlements (tenant_id, invoice_date)
  INCLUDE (customer_id, currency, open_minor) WHERE open_minor <> 0;
CREATE INDEX invoice_settlements_changes_idx ON invoice_settlements (tenant_id, changed_xid);

CREATE TABLE customer_open_balances (
  tenant_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  currency char(3) NOT NULL,
  open_minor bigint NOT NULL DEFAULT 0,
  open_items integer NOT NULL DEFAULT 0,
  oldest_open_due date,
  PRIMARY KEY (tenant_id, customer_id, currency),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE
);

CREATE TABLE contract_invoiced (
  tenant_id uuid NOT NULL,
  contract_id uuid NOT NULL,
  invoiced_minor bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, contract_id),
  FOREIGN KEY (tenant_id, contract_id) REFERENCES contracts (tenant_id, id) DEFERRABLE
);

CREATE TABLE plan_node_invoiced (
  tenant_id uuid NOT NULL,
  plan_node_id uuid NOT NULL,
  invoiced_minor bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, plan_node_id),
  FOREIGN KEY (tenant_id, plan_node_id) REFERENCES payment_plan_nodes (tenant_id, id) DEFERRABLE
);

-- What happened after a date, for reports as of an earlier date: allocations by date exist (0008,
-- allocations_date_idx); credit notes, voids and issued invoices by date follow.
CREATE INDEX credit_notes_posted_date_idx ON credit_notes (tenant_id, issued_on)
  INCLUDE (invoice_id, amount_minor, kind) WHERE status = 'posted';
CREATE INDEX invoice_voids_date_idx ON invoice_voids (tenant_id, voided_on) INCLUDE (invoice_id);

-- ── Maintenance ─────────────────────────────────────────────────────────────────────────────────────────────────

-- The per-customer accumulation and the contract totals follow each invoice_settlements row's change.
CREATE FUNCTION huikuan_settlement_rollup() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
DECLARE
  old_open bigint := CASE WHEN TG_OP = 'UPDATE' THEN OLD.open_minor ELSE 0 END;
  old_live bigint := CASE WHEN TG_OP = 'UPDATE' AND OLD.voided_on IS NULL THEN OLD.total_minor ELSE 0 END;
  new_live bigint := CASE WHEN NEW.voided_on IS NULL THEN NEW.total_minor ELSE 0 END;
BEGIN
  IF NEW.open_minor <> old_open OR TG_OP = 'INSERT' THEN
    INSERT INTO customer_open_balances AS b (tenant_id, customer_id, currency, open_minor, open_items)
    VALUES (NEW.tenant_id, NEW.customer_id, NEW.currency, NEW.open_minor - old_open,
            (NEW.open_minor <> 0)::int - (old_open <> 0)::int)
    ON CONFLICT (tenant_id, customer_id, currency) DO UPDATE
      SET open_minor = b.open_minor + EXCLUDED.open_minor, open_items = b.open_items + EXCLUDED.open_items;
    IF (NEW.open_minor <> 0) <> (old_open <> 0) THEN
      UPDATE customer_open_balances b SET oldest_open_due = (
        SELECT min(s.due_date) FROM invoice_settlements s
        WHERE s.tenant_id = NEW.tenant_id AND s.customer_id = NEW.customer_id AND s.currency = NEW.currency
          AND s.open_minor <> 0)
      WHERE b.tenant_id = NEW.tenant_id AND b.customer_id = NEW.customer_id AND b.currency = NEW.currency;
    END IF;
  END IF;
  IF new_live <> old_live THEN
    IF NEW.contract_id IS NOT NULL THEN
      INSERT INTO contract_invoiced AS c (tenant_id, contract_id, invoiced_minor)
      VALUES (NEW.tenant_id, NEW.contract_id, new_live - old_live)
      ON CONFLICT (tenant_id, contract_id) DO UPDATE SET invoiced_minor = c.invoiced_minor + EXCLUDED.invoiced_minor;
    END IF;
    IF NEW.plan_node_id IS NOT NULL THEN
      INSERT INTO plan_node_invoiced AS n (tenant_id, plan_node_id, invoiced_minor)
      VALUES (NEW.tenant_id, NEW.plan_node_id, new_live - old_live)
      ON CONFLICT (tenant_id, plan_node_id) DO UPDATE SET invoiced_minor = n.invoiced_minor + EXCLUDED.invoiced_minor;
    END IF;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER invoice_settlements_rollup AFTER INSERT OR UPDATE ON invoice_settlements
  FOR EACH ROW EXECUTE FUNCTION huikuan_settlement_rollup();
-- The rows change only through the triggers below: never deleted, never re-keyed.
CREATE FUNCTION huikuan_settlement_guard() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW.tenant_id <> OLD.tenant_id OR NEW.invoice_id <> OLD.invoice_id
     OR NEW.customer_id <> OLD.customer_id OR NEW.currency <> OLD.currency OR NEW.total_minor <> OLD.total_minor
     OR NEW.contract_id IS DISTINCT FROM OLD.contract_id OR NEW.plan_node_id IS DISTINCT FROM OLD.plan_node_id THEN
    RAISE EXCEPTION 'huikuan: invoice_settlements rows follow their invoice; % is not allowed', TG_OP
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER invoice_settlements_guard BEFORE UPDATE OR DELETE ON invoice_settlements
  FOR EACH ROW EXECUTE FUNCTION huikuan_settlement_guard();

-- An invoice gets its row when it is issued (inserted issued, or a draft updated to issued), with whatever already
-- points at it.
CREATE FUNCTION huikuan_settlement_on_issue() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  IF NEW.status = 'issued' AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'issued') THEN
    INSERT INTO invoice_settlements (tenant_id, invoice_id, customer_id, contract_id, plan_node_id, currency,
      invoice_date, due_date, total_minor, allocated_minor, credited_minor, voided_on)
    VALUES (NEW.tenant_id, NEW.id, NEW.customer_id, NEW.contract_id, NEW.plan_node_id, NEW.currency,
      NEW.invoice_date, NEW.due_date, NEW.total_minor,
      coalesce((SELECT sum(a.amount_minor) FROM allocations a
                WHERE a.tenant_id = NEW.tenant_id AND a.invoice_id = NEW.id), 0),
      coalesce((SELECT sum(cn.amount_minor) FROM credit_notes cn
                WHERE cn.tenant_id = NEW.tenant_id AND cn.invoice_id = NEW.id AND cn.status = 'posted'), 0),
      (SELECT v.voided_on FROM invoice_voids v WHERE v.tenant_id = NEW.tenant_id AND v.invoice_id = NEW.id));
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER invoices_settlement AFTER INSERT OR UPDATE OF status ON invoices
  FOR EACH ROW EXECUTE FUNCTION huikuan_settlement_on_issue();

CREATE FUNCTION huikuan_settlement_on_allocation() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  UPDATE invoice_settlements SET allocated_minor = allocated_minor + NEW.amount_minor,
    changed_xid = pg_current_xact_id()
  WHERE tenant_id = NEW.tenant_id AND invoice_id = NEW.invoice_id;
  RETURN NULL;
END
$$;
CREATE TRIGGER allocations_settlement AFTER INSERT ON allocations
  FOR EACH ROW WHEN (NEW.invoice_id IS NOT NULL) EXECUTE FUNCTION huikuan_settlement_on_allocation();

-- A credit note counts while posted (pending and rejected ones reduce nothing); any change of status, amount or
-- invoice moves its amount accordingly.
CREATE FUNCTION huikuan_settlement_on_credit_note() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'posted' THEN
    UPDATE invoice_settlements SET credited_minor = credited_minor - OLD.amount_minor,
      changed_xid = pg_current_xact_id()
    WHERE tenant_id = OLD.tenant_id AND invoice_id = OLD.invoice_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'posted' THEN
    UPDATE invoice_settlements SET credited_minor = credited_minor + NEW.amount_minor,
      changed_xid = pg_current_xact_id()
    WHERE tenant_id = NEW.tenant_id AND invoice_id = NEW.invoice_id;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER credit_notes_settlement AFTER INSERT OR UPDATE OR DELETE ON credit_notes
  FOR EACH ROW EXECUTE FUNCTION huikuan_settlement_on_credit_note();

CREATE FUNCTION huikuan_settlement_on_void() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  UPDATE invoice_settlements SET voided_on = NEW.voided_on, changed_xid = pg_current_xact_id()
  WHERE tenant_id = NEW.tenant_id AND invoice_id = NEW.invoice_id;
  RETURN NULL;
END
$$;
CREATE TRIGGER invoice_voids_settlement AFTER INSERT ON invoice_voids
  FOR EACH ROW EXECUTE FUNCTION huikuan_settlement_on_void();

-- Brings one tenant's rows (or every tenant's, NULL) in line with the documents, set-based: the backfill below, and
-- bulk loads that bypass triggers (the benchmark's generator). Rows are upserted, never deleted, so `seq` stays.
CREATE FUNCTION huikuan_rebuild_settlements(for_tenant uuid) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  ALTER TABLE invoice_settlements DISABLE TRIGGER invoice_settlements_rollup;
  INSERT INTO invoice_settlements AS s (tenant_id, invoice_id, customer_id, contract_id, plan_node_id, currency,
    invoice_date, due_date, total_minor, allocated_minor, credited_minor, voided_on)
  SELECT i.tenant_id, i.id, i.customer_id, i.contract_id, i.plan_node_id, i.currency, i.invoice_date, i.due_date,
    i.total_minor, coalesce(al.amount, 0), coalesce(cr.amount, 0), v.voided_on
  FROM invoices i
  LEFT JOIN (SELECT a.tenant_id, a.invoice_id, sum(a.amount_minor) AS amount FROM allocations a
             WHERE a.invoice_id IS NOT NULL AND (for_tenant IS NULL OR a.tenant_id = for_tenant)
             GROUP BY 1, 2) al ON al.tenant_id = i.tenant_id AND al.invoice_id = i.id
  LEFT JOIN (SELECT cn.tenant_id, cn.invoice_id, sum(cn.amount_minor) AS amount FROM credit_notes cn
             WHERE cn.status = 'posted' AND (for_tenant IS NULL OR cn.tenant_id = for_tenant)
             GROUP BY 1, 2) cr ON cr.tenant_id = i.tenant_id AND cr.invoice_id = i.id
  LEFT JOIN invoice_voids v ON v.tenant_id = i.tenant_id AND v.invoice_id = i.id
  WHERE i.status = 'issued' AND (for_tenant IS NULL OR i.tenant_id = for_tenant)
  ON CONFLICT (tenant_id, invoice_id) DO UPDATE
    SET allocated_minor = EXCLUDED.allocated_minor, credited_minor = EXCLUDED.credited_minor,
      voided_on = EXCLUDED.voided_on, changed_xid = pg_current_xact_id()
    WHERE (s.allocated_minor, s.credited_minor, s.voided_on)
      IS DISTINCT FROM (EXCLUDED.allocated_minor, EXCLUDED.credited_minor, EXCLUDED.voided_on);
  ALTER TABLE invoice_settlements ENABLE TRIGGER invoice_settlements_rollup;
  DELETE FROM customer_open_balances WHERE for_tenant IS NULL OR tenant_id = for_tenant;
  DELETE FROM contract_invoiced WHERE for_tenant IS NULL OR tenant_id = for_tenant;
  DELETE FROM plan_node_invoiced WHERE for_tenant IS NULL OR tenant_id = for_tenant;
  INSERT INTO customer_open_balances (tenant_id, customer_id, currency, open_minor, open_items, oldest_open_due)
  SELECT s.tenant_id, s.customer_id, s.currency, sum(s.open_minor), count(*) FILTER (WHERE s.open_minor <> 0),
    min(s.due_date) FILTER (WHERE s.open_minor <> 0)
  FROM invoice_settlements s WHERE for_tenant IS NULL OR s.tenant_id = for_tenant
  GROUP BY 1, 2, 3;
  INSERT INTO contract_invoiced (tenant_id, contract_id, invoiced_minor)
  SELECT s.tenant_id, s.contract_id, sum(s.total_minor) FROM invoice_settlements s
  WHERE s.contract_id IS NOT NULL AND s.voided_on IS NULL AND (for_tenant IS NULL OR s.tenant_id = for_tenant)
  GROUP BY 1, 2;
  INSERT INTO plan_node_invoiced (tenant_id, plan_node_id, invoiced_minor)
  SELECT s.tenant_id, s.plan_node_id, sum(s.total_minor) FROM invoice_settlements s
  WHERE s.plan_node_id IS NOT NULL AND s.voided_on IS NULL AND (for_tenant IS NULL OR s.tenant_id = for_tenant)
  GROUP BY 1, 2;
END
$$;

SELECT huikuan_rebuild_settlements(NULL);

-- The app role reads; the triggers (running as the owner) write.
GRANT SELECT ON invoice_settlements, customer_open_balances, contract_invoiced, plan_node_invoiced TO huikuan_app;
REVOKE EXECUTE ON FUNCTION huikuan_rebuild_settlements(uuid) FROM PUBLIC;

SELECT huikuan_tenant_policy(t) FROM unnest(ARRAY['invoice_settlements', 'customer_open_balances',
  'contract_invoiced', 'plan_node_invoiced']) AS t;
