-- Indexes for aging, provision, balances and KPIs over a million invoices (issue 4; bench/README.md has the numbers).
--
-- Every report sums credit notes and allocations per invoice up to a date and joins the sums to the issued invoices.
-- With these covering indexes each side is an index-only scan in invoice order (tenant_id, then id), so the planner
-- can stream GROUP BY and merge joins instead of hashing a million rows; no heap page is read for the sums.
-- Index-only scans need an up-to-date visibility map: PostgreSQL's autovacuum keeps it for these insert-mostly
-- tables; PGlite has no autovacuum and falls back to plain scans until a VACUUM.

-- Issued invoices with the columns the reports read (aging, provision, KPIs, the ledger check).
CREATE INDEX invoices_ledger_idx ON invoices (tenant_id, id)
  INCLUDE (customer_id, currency, invoice_date, due_date, total_minor) WHERE status = 'issued';

-- Allocations per invoice up to a date; supersedes allocations_invoice_idx (same key, now covering the amount).
CREATE INDEX allocations_invoice_sum_idx ON allocations (tenant_id, invoice_id, allocated_on) INCLUDE (amount_minor);
DROP INDEX allocations_invoice_idx;

-- Allocations per receipt (unapplied credit, receipt headroom); supersedes allocations_receipt_idx.
CREATE INDEX allocations_receipt_sum_idx ON allocations (tenant_id, receipt_id)
  INCLUDE (allocated_on, amount_minor, invoice_id, write_off_id);
DROP INDEX allocations_receipt_idx;

-- Posted credit notes (and write-offs) per invoice up to a date.
CREATE INDEX credit_notes_invoice_sum_idx ON credit_notes (tenant_id, invoice_id)
  INCLUDE (issued_on, amount_minor) WHERE status = 'posted';

-- KPIs: what was invoiced, allocated and credited inside a period, by date.
CREATE INDEX invoices_date_idx ON invoices (tenant_id, invoice_date)
  INCLUDE (id, customer_id, currency, due_date, total_minor) WHERE status = 'issued';
CREATE INDEX allocations_date_idx ON allocations (tenant_id, allocated_on)
  INCLUDE (invoice_id, amount_minor) WHERE invoice_id IS NOT NULL;
