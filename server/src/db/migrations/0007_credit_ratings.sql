-- Credit rating overrides (信用等级, domain.md §1; issue 4 item 4). The rating itself is computed from payment
-- behaviour whenever it is read (core/src/credit-rating.ts) and never stored: it would go stale with every receipt.
-- What is stored is the manual override finance sets, with its reason; clearing it deletes the row. Every set and
-- clear is audited with before and after, so the row holds only the current override and the audit log its history.

CREATE TABLE credit_rating_overrides (
  tenant_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  rating text NOT NULL CHECK (rating IN ('A', 'B', 'C', 'D')),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  set_by_user_id uuid,
  set_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, customer_id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, set_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE
);

GRANT SELECT, INSERT, UPDATE, DELETE ON credit_rating_overrides TO huikuan_app;

SELECT huikuan_tenant_policy('credit_rating_overrides');
