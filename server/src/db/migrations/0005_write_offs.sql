-- Write-offs (坏账核销) and their recovery, and the approval kind for credit-hold overrides (domain.md §5, §8).
--
-- A write-off is a posted reduction of an invoice like a credit note, so every balance, aging and KPI query that
-- already subtracts posted credit notes treats it right; `kind` tells the two apart for reports (a credit note
-- reduces revenue, a write-off is charged to the bad-debt provision). Written-off money that is paid later is not
-- put back on the invoice: the receipt is applied to the write-off itself by an allocation that names it
-- (`write_off_id`), which uses up the receipt like any allocation and leaves the invoice closed.

ALTER TABLE credit_notes
  ADD COLUMN kind text NOT NULL DEFAULT 'credit_note' CHECK (kind IN ('credit_note', 'write_off'));
CREATE INDEX credit_notes_write_offs_idx ON credit_notes (tenant_id, issued_on) WHERE kind = 'write_off';

ALTER TABLE allocations ADD COLUMN write_off_id uuid;
ALTER TABLE allocations
  ADD FOREIGN KEY (tenant_id, write_off_id) REFERENCES credit_notes (tenant_id, id) DEFERRABLE;
ALTER TABLE allocations DROP CONSTRAINT allocations_check;
-- An allocation applies money to exactly one kind of target: an invoice (optionally naming its plan node), a plan
-- node alone (a prepayment), or a write-off (a recovery).
ALTER TABLE allocations ADD CONSTRAINT allocations_target_check CHECK (
  (write_off_id IS NULL AND (invoice_id IS NOT NULL OR plan_node_id IS NOT NULL))
  OR (write_off_id IS NOT NULL AND invoice_id IS NULL AND plan_node_id IS NULL));
CREATE INDEX allocations_write_off_idx ON allocations (tenant_id, write_off_id) WHERE write_off_id IS NOT NULL;

-- The commit-time check learns the third target: a write-off never recovers more than was written off.
CREATE OR REPLACE FUNCTION huikuan_allocation_invariants() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  receipt_amount bigint;
  receipt_applied bigint;
  invoice_total bigint;
  invoice_reduced bigint;
  written_off bigint;
  recovered bigint;
BEGIN
  SELECT amount_minor INTO receipt_amount FROM receipts WHERE tenant_id = NEW.tenant_id AND id = NEW.receipt_id;
  SELECT coalesce(sum(amount_minor), 0) INTO receipt_applied FROM allocations
    WHERE tenant_id = NEW.tenant_id AND receipt_id = NEW.receipt_id;
  IF receipt_applied > receipt_amount OR receipt_applied < 0 THEN
    RAISE EXCEPTION 'huikuan: receipt % would have % allocated of %', NEW.receipt_id, receipt_applied, receipt_amount
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.invoice_id IS NOT NULL THEN
    SELECT total_minor INTO invoice_total FROM invoices WHERE tenant_id = NEW.tenant_id AND id = NEW.invoice_id;
    SELECT coalesce((SELECT sum(amount_minor) FROM allocations
                      WHERE tenant_id = NEW.tenant_id AND invoice_id = NEW.invoice_id), 0)
         + coalesce((SELECT sum(amount_minor) FROM credit_notes
                      WHERE tenant_id = NEW.tenant_id AND invoice_id = NEW.invoice_id AND status = 'posted'), 0)
      INTO invoice_reduced;
    IF invoice_reduced > invoice_total OR invoice_reduced < 0 THEN
      RAISE EXCEPTION 'huikuan: invoice % would be settled % of %', NEW.invoice_id, invoice_reduced, invoice_total
        USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  IF NEW.write_off_id IS NOT NULL THEN
    SELECT amount_minor INTO written_off FROM credit_notes
      WHERE tenant_id = NEW.tenant_id AND id = NEW.write_off_id AND kind = 'write_off' AND status = 'posted';
    SELECT coalesce(sum(amount_minor), 0) INTO recovered FROM allocations
      WHERE tenant_id = NEW.tenant_id AND write_off_id = NEW.write_off_id;
    IF written_off IS NULL OR recovered > written_off OR recovered < 0 THEN
      RAISE EXCEPTION 'huikuan: write-off % would have % recovered of %', NEW.write_off_id, recovered, written_off
        USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  RETURN NULL;
END
$$;

-- 停止供货 overrides: a customer on credit hold gets new contracts or invoices only through an approved request.
ALTER TABLE approval_requests DROP CONSTRAINT approval_requests_kind_check;
ALTER TABLE approval_requests ADD CONSTRAINT approval_requests_kind_check CHECK (
  kind IN ('write_off', 'discount_waiver', 'offset', 'goods_settlement', 'credit_note', 'credit_override'));
