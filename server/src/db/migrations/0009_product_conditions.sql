-- Product condition of a receivable (正常/不正常产品欠款, seed 004): debts for goods that are defective, discontinued
-- or otherwise not normal are chased and provided for differently, so aging can split by it. The condition is not a
-- property of the issued (immutable) invoice but an assessment that changes over time: each row records the condition
-- from a date on, append-only; the latest row dated on or before a date wins, and no row means normal.

CREATE TABLE invoice_conditions (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  invoice_id uuid NOT NULL,
  condition text NOT NULL CHECK (condition IN ('normal', 'abnormal')),
  effective_on date NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  noted_by_user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, noted_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE
);
CREATE INDEX invoice_conditions_invoice_idx ON invoice_conditions (tenant_id, invoice_id, effective_on DESC, created_at DESC);

CREATE TRIGGER invoice_conditions_append_only BEFORE UPDATE OR DELETE ON invoice_conditions
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();

GRANT SELECT, INSERT ON invoice_conditions TO huikuan_app;

SELECT huikuan_tenant_policy('invoice_conditions');
