-- Platform: organizations (tenants), teams, users, sessions, invitations, API tokens and the audit log.
--
-- Every tenant table carries tenant_id and it leads every primary and foreign key, so the schema can later be
-- distributed by tenant. Row-level security is the second wall behind the application's own scoping: tenant work
-- runs under huikuan_app (NOSUPERUSER NOBYPASSRLS) with the tenant set per transaction, and finds nothing when the
-- tenant is not set.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'huikuan_app') THEN
    CREATE ROLE huikuan_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
END
$$;

-- The connecting user must be able to SET ROLE huikuan_app (a superuser can already).
DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'huikuan_app', 'MEMBER') THEN
    EXECUTE format('GRANT huikuan_app TO %I', current_user);
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO huikuan_app;

-- The tenant of the current transaction, or NULL when none was set (which matches no row: fail closed).
CREATE FUNCTION huikuan_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('huikuan.tenant_id', true), '')::uuid $$;

-- Append-only tables raise on UPDATE and DELETE, whoever asks.
CREATE FUNCTION huikuan_forbid_change() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  RAISE EXCEPTION 'huikuan: % is append-only; % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TABLE organizations (
  tenant_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$'),
  base_currency char(3) NOT NULL DEFAULT 'CNY',
  timezone text NOT NULL DEFAULT 'Asia/Shanghai',
  locale text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE teams (
  tenant_id uuid NOT NULL REFERENCES organizations (tenant_id) DEFERRABLE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  parent_id uuid,
  manager_user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, name),
  FOREIGN KEY (tenant_id, parent_id) REFERENCES teams (tenant_id, id) DEFERRABLE,
  CHECK (parent_id IS DISTINCT FROM id)
);

CREATE TABLE users (
  tenant_id uuid NOT NULL REFERENCES organizations (tenant_id) DEFERRABLE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  email text NOT NULL CHECK (email = lower(email) AND position('@' IN email) > 1),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  role text NOT NULL CHECK (role IN ('admin', 'sales_manager', 'salesperson', 'finance', 'legal', 'executive')),
  team_id uuid,
  locale text CHECK (locale IN ('zh-CN', 'en')),
  password_hash text NOT NULL,
  is_active boolean NOT NULL DEFAULT true,
  failed_login_count integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  last_login_at timestamptz,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, email),
  FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id) DEFERRABLE
);

ALTER TABLE teams
  ADD FOREIGN KEY (tenant_id, manager_user_id) REFERENCES users (tenant_id, id) DEFERRABLE;

CREATE INDEX users_team_idx ON users (tenant_id, team_id);

CREATE TABLE sessions (
  tenant_id uuid NOT NULL REFERENCES organizations (tenant_id) DEFERRABLE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  token_hash text NOT NULL UNIQUE,
  csrf_token text NOT NULL,
  ip text,
  user_agent text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) DEFERRABLE
);

CREATE TABLE invitations (
  tenant_id uuid NOT NULL REFERENCES organizations (tenant_id) DEFERRABLE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  email text NOT NULL CHECK (email = lower(email)),
  role text NOT NULL CHECK (role IN ('admin', 'sales_manager', 'salesperson', 'finance', 'legal', 'executive')),
  team_id uuid,
  token_hash text NOT NULL UNIQUE,
  invited_by_user_id uuid NOT NULL,
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_user_id uuid,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, invited_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE,
  FOREIGN KEY (tenant_id, accepted_user_id) REFERENCES users (tenant_id, id) DEFERRABLE
);

CREATE TABLE api_tokens (
  tenant_id uuid NOT NULL REFERENCES organizations (tenant_id) DEFERRABLE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  scopes text[] NOT NULL CHECK (scopes <@ ARRAY['read', 'write']::text[] AND cardinality(scopes) > 0),
  prefix text NOT NULL,
  secret_hash text NOT NULL UNIQUE,
  created_by_user_id uuid NOT NULL,
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, created_by_user_id) REFERENCES users (tenant_id, id) DEFERRABLE
);

CREATE TABLE audit_log (
  tenant_id uuid NOT NULL REFERENCES organizations (tenant_id) DEFERRABLE,
  id bigint GENERATED ALWAYS AS IDENTITY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_user_id uuid,
  actor_token_id uuid,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text NOT NULL,
  before jsonb,
  after jsonb,
  request_id text,
  ip text,
  PRIMARY KEY (tenant_id, id)
);

CREATE INDEX audit_log_entity_idx ON audit_log (tenant_id, entity_type, entity_id, id DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (tenant_id, actor_user_id, id DESC);
CREATE INDEX audit_log_at_idx ON audit_log (tenant_id, at DESC);

CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION huikuan_forbid_change();

-- Grants: the application role reads and writes tenant tables; the audit log only takes inserts.
GRANT SELECT, INSERT, UPDATE, DELETE ON organizations, teams, users, sessions, invitations, api_tokens TO huikuan_app;
GRANT SELECT, INSERT ON audit_log TO huikuan_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO huikuan_app;

ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON organizations TO huikuan_app
  USING (tenant_id = huikuan_current_tenant()) WITH CHECK (tenant_id = huikuan_current_tenant());

ALTER TABLE teams ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON teams TO huikuan_app
  USING (tenant_id = huikuan_current_tenant()) WITH CHECK (tenant_id = huikuan_current_tenant());

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON users TO huikuan_app
  USING (tenant_id = huikuan_current_tenant()) WITH CHECK (tenant_id = huikuan_current_tenant());

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sessions TO huikuan_app
  USING (tenant_id = huikuan_current_tenant()) WITH CHECK (tenant_id = huikuan_current_tenant());

ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invitations TO huikuan_app
  USING (tenant_id = huikuan_current_tenant()) WITH CHECK (tenant_id = huikuan_current_tenant());

ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_tokens TO huikuan_app
  USING (tenant_id = huikuan_current_tenant()) WITH CHECK (tenant_id = huikuan_current_tenant());

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_log TO huikuan_app
  USING (tenant_id = huikuan_current_tenant()) WITH CHECK (tenant_id = huikuan_current_tenant());
