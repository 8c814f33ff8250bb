-- Imports from the web app: saved column mappings (导入模板) and import jobs, which run in the background and
-- report their progress. The ledger rows an import writes live in the ledger tables; a job keeps only its outcome.

CREATE TABLE import_presets (
  tenant_id uuid NOT NULL REFERENCES organizations (tenant_id) DEFERRABLE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('customers', 'contracts', 'invoices', 'receipts')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- Field name → column header, e.g. {"number": "发票号码"}.
  mapping jsonb NOT NULL DEFAULT '{}',
  date_format text NOT NULL DEFAULT 'YYYY-MM-DD',
  encoding text NOT NULL DEFAULT 'auto' CHECK (encoding IN ('auto', 'utf-8', 'gbk', 'gb18030')),
  decimal_separator text NOT NULL DEFAULT '.' CHECK (decimal_separator IN ('.', ',')),
  created_by_user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, kind, name),
  FOREIGN KEY (tenant_id, created_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE
);

CREATE TABLE import_jobs (
  tenant_id uuid NOT NULL REFERENCES organizations (tenant_id) DEFERRABLE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('customers', 'contracts', 'invoices', 'receipts')),
  file_name text NOT NULL,
  is_dry_run boolean NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  phase text CHECK (phase IN ('parse', 'validate', 'write')),
  done_count integer NOT NULL DEFAULT 0 CHECK (done_count >= 0),
  total_count integer NOT NULL DEFAULT 0 CHECK (total_count >= 0),
  summary jsonb,
  -- The first 1,000 errors; error_count counts them all.
  errors jsonb NOT NULL DEFAULT '[]',
  error_count integer NOT NULL DEFAULT 0 CHECK (error_count >= 0),
  -- Why a job could not run at all (status 'failed'); row errors are in `errors`.
  failure text,
  created_by_user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, created_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE
);
CREATE INDEX import_jobs_recent_idx ON import_jobs (tenant_id, created_at DESC, id DESC);

GRANT SELECT, INSERT, UPDATE, DELETE ON import_presets TO huikuan_app;
GRANT SELECT, INSERT, UPDATE ON import_jobs TO huikuan_app;

SELECT huikuan_tenant_policy(t) FROM unnest(ARRAY['import_presets', 'import_jobs']) AS t;
