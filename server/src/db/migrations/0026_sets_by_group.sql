-- A run's holds and task links name their action group instead of repeating its members (issue 5; bench/README.md).
--
-- A run's actions are grouped per customer and step (dunning_action_groups, 0017), and the group already lists its
-- invoices; its actions' ids follow from the group's (the first 24 characters of its id, then the position in 12 hex
-- digits, as dunning_actions computes them). Yet a hold set listed every action id (259,000 in the benchmark's first
-- run: the run built an action object per invoice only for that), and a ladder task's link set every invoice again
-- (547,000 for visits, reviews and calls). Rows written by a run now store the group's id, and the views compute the
-- action ids from it and read the task's invoices from the group; rows for actions without such a group (one step
-- executed alone) and links made by hand still list them. A row has exactly one of the two.

ALTER TABLE dunning_credit_hold_sets ADD COLUMN group_id uuid;
ALTER TABLE dunning_credit_hold_sets ALTER COLUMN action_ids DROP NOT NULL;
ALTER TABLE dunning_credit_hold_sets DROP CONSTRAINT dunning_credit_hold_sets_check;
ALTER TABLE dunning_credit_hold_sets ADD CONSTRAINT dunning_credit_hold_sets_members_check
  CHECK (cardinality(invoice_ids) >= 1 AND (action_ids IS NULL) <> (group_id IS NULL)
    AND coalesce(cardinality(action_ids) = cardinality(invoice_ids), true));

-- The invoices stay in the hold set: the credit check reads them whenever an order or invoice is written.
CREATE OR REPLACE VIEW dunning_credit_holds WITH (security_invoker = true) AS
SELECT h.tenant_id, h.id, h.customer_id, e.invoice_id,
  coalesce(e.action_id, (left(h.group_id::text, 24) || lpad(to_hex(e.n), 12, '0'))::uuid) AS action_id,
  h.placed_on, h.released_at, h.released_by_user_id, h.release_reason, h.created_at
FROM dunning_credit_hold_sets h
CROSS JOIN LATERAL unnest(h.invoice_ids, h.action_ids) WITH ORDINALITY AS e (invoice_id, action_id, n);

ALTER TABLE collection_activity_invoice_sets ADD COLUMN group_id uuid;
ALTER TABLE collection_activity_invoice_sets ALTER COLUMN invoice_ids DROP NOT NULL;
ALTER TABLE collection_activity_invoice_sets ADD CONSTRAINT collection_activity_invoice_sets_members_check
  CHECK ((invoice_ids IS NULL) <> (group_id IS NULL));

CREATE OR REPLACE VIEW collection_activity_invoices WITH (security_invoker = true) AS
SELECT DISTINCT s.tenant_id, s.activity_id, e.invoice_id
FROM collection_activity_invoice_sets s
LEFT JOIN dunning_action_groups g ON s.group_id IS NOT NULL AND g.tenant_id = s.tenant_id AND g.id = s.group_id
CROSS JOIN LATERAL unnest(coalesce(s.invoice_ids, g.invoice_ids)) AS e (invoice_id);
