-- Aging settings per organization (账龄分析, domain.md §5): bucket bounds, the seed's class thresholds (003) and the
-- bad-debt provision matrix (坏账准备). No row means the defaults in core/src/aging.ts; a row is written only when
-- an admin or finance user changes them (audited).

CREATE TABLE aging_settings (
  tenant_id uuid NOT NULL REFERENCES organizations (tenant_id) DEFERRABLE,
  -- Upper bounds in days past due, e.g. {0,30,60,90,180,365,730}: not_due, 1-30, …, over_730.
  bucket_bounds_days integer[] NOT NULL CHECK (cardinality(bucket_bounds_days) BETWEEN 1 AND 20
    AND bucket_bounds_days[1] = 0),
  -- Upper bounds of not_yet_due, in_collection, doubtful and bad; dead is everything older.
  class_bounds_days integer[] NOT NULL CHECK (cardinality(class_bounds_days) = 4 AND class_bounds_days[1] = 0),
  -- Class → rate in basis points, e.g. {"not_yet_due": 0, "in_collection": 500, …}.
  provision_bp jsonb NOT NULL,
  updated_by_user_id uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id),
  FOREIGN KEY (tenant_id, updated_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE
);

GRANT SELECT, INSERT, UPDATE ON aging_settings TO huikuan_app;

SELECT huikuan_tenant_policy('aging_settings');
