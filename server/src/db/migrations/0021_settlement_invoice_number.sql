-- The invoice number kept with the settled amounts (issue 5: a dunning run over 300,000 open items in ≤ 10 s).
-- Every dunning run starts from one statement over the open items, and it joined all of the organization's invoices
-- (520,000 in the benchmark) only for their numbers: a third of that statement (measured: 0.71 s with the join, 0.37 s
-- without), and the run waits for it before anything else. An issued invoice's number never changes (the ledger's
-- guard on invoices), so it is copied once, when the row is made, and the guard below refuses to change it here.
ALTER TABLE invoice_settlements ADD COLUMN number text;
UPDATE invoice_settlements s SET number = i.number
FROM invoices i WHERE i.tenant_id = s.tenant_id AND i.id = s.invoice_id;
ALTER TABLE invoice_settlements ALTER COLUMN number SET NOT NULL;

CREATE OR REPLACE FUNCTION huikuan_settlement_guard() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW.tenant_id <> OLD.tenant_id OR NEW.invoice_id <> OLD.invoice_id
     OR NEW.customer_id <> OLD.customer_id OR NEW.currency <> OLD.currency OR NEW.total_minor <> OLD.total_minor
     OR NEW.number <> OLD.number
     OR NEW.contract_id IS DISTINCT FROM OLD.contract_id OR NEW.plan_node_id IS DISTINCT FROM OLD.plan_node_id THEN
    RAISE EXCEPTION 'huikuan: invoice_settlements rows follow their invoice; % is not allowed', TG_OP
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION huikuan_settlement_on_issue() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  IF NEW.status = 'issued' AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'issued') THEN
    INSERT INTO invoice_settlements (tenant_id, invoice_id, number, customer_id, contract_id, plan_node_id, currency,
      invoice_date, due_date, total_minor, allocated_minor, credited_minor, voided_on)
    VALUES (NEW.tenant_id, NEW.id, NEW.number, NEW.customer_id, NEW.contract_id, NEW.plan_node_id, NEW.currency,
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

CREATE OR REPLACE FUNCTION huikuan_rebuild_settlements(for_tenant uuid) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  ALTER TABLE invoice_settlements DISABLE TRIGGER invoice_settlements_rollup;
  INSERT INTO invoice_settlements AS s (tenant_id, invoice_id, number, customer_id, contract_id, plan_node_id,
    currency, invoice_date, due_date, total_minor, allocated_minor, credited_minor, voided_on)
  SELECT i.tenant_id, i.id, i.number, i.customer_id, i.contract_id, i.plan_node_id, i.currency, i.invoice_date,
    i.due_date, i.total_minor, coalesce(al.amount, 0), coalesce(cr.amount, 0), v.voided_on
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

-- The done-steps trigger (0017) groups a batch's actions per invoice with array_agg: a catch-up batch of 5,000
-- invoices took more than the default 4 MB and spilled to disk (measured: 34.5 ms per batch, 30.7 ms in memory).
ALTER FUNCTION huikuan_dunning_group_done_steps() SET work_mem = '64MB';
