-- The invoices a collection activity is about, one row per activity and write instead of one per invoice (issue 5:
-- a dunning run over 300,000 open items in ≤ 10 s, an organization's first run included; bench/README.md).
--
-- A first run links every open item to its customer's visit, litigation review and call task: 280,000 links for
-- visits alone at the benchmark's size, each a row under a three-column primary key (random uuids), about 4 s of
-- the run for visits and 3 s for litigation reviews. They are now stored as one array per activity and write (a
-- batch's links to one task: ~28 invoices for a customer of the benchmark), and collection_activity_invoices keeps
-- meaning what every reader sees — one row per activity and invoice, no duplicates — as a view over them
-- (security_invoker: the sets' tenant policy applies to whoever reads the view).

CREATE TABLE collection_activity_invoice_sets (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  activity_id uuid NOT NULL,
  invoice_ids uuid[] NOT NULL CHECK (cardinality(invoice_ids) >= 1 AND array_position(invoice_ids, NULL) IS NULL),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX collection_activity_invoice_sets_activity_idx ON collection_activity_invoice_sets (tenant_id, activity_id);
CREATE TRIGGER collection_activity_invoice_sets_append_only BEFORE UPDATE OR DELETE ON collection_activity_invoice_sets
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();

INSERT INTO collection_activity_invoice_sets (tenant_id, activity_id, invoice_ids)
SELECT tenant_id, activity_id, array_agg(invoice_id ORDER BY invoice_id)
FROM collection_activity_invoices
GROUP BY tenant_id, activity_id;

DROP TABLE collection_activity_invoices;

-- An invoice a second step of the family links again to an open task (a later run) appears once.
CREATE VIEW collection_activity_invoices WITH (security_invoker = true) AS
SELECT DISTINCT s.tenant_id, s.activity_id, e.invoice_id
FROM collection_activity_invoice_sets s
CROSS JOIN LATERAL unnest(s.invoice_ids) AS e (invoice_id);

GRANT SELECT, INSERT ON collection_activity_invoice_sets TO huikuan_app;
GRANT SELECT ON collection_activity_invoices TO huikuan_app;
SELECT huikuan_tenant_policy('collection_activity_invoice_sets');
