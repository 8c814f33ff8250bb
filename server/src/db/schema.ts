import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the tables; the migrations folder is the truth, this file follows it. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export type OrganizationsTable = {
  tenant_id: Generated<string>;
  name: string;
  slug: string;
  base_currency: string;
  timezone: string;
  locale: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type TeamsTable = {
  tenant_id: string;
  id: Generated<string>;
  name: string;
  parent_id: string | null;
  manager_user_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type UsersTable = {
  tenant_id: string;
  id: Generated<string>;
  email: string;
  name: string;
  role: string;
  team_id: string | null;
  locale: string | null;
  password_hash: string;
  is_active: Generated<boolean>;
  failed_login_count: Generated<number>;
  locked_until: Timestamp | null;
  last_login_at: Timestamp | null;
  password_changed_at: UpdatedAt;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type SessionsTable = {
  tenant_id: string;
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
};

export type InvitationsTable = {
  tenant_id: string;
  id: Generated<string>;
  email: string;
  role: string;
  team_id: string | null;
  token_hash: string;
  invited_by_user_id: string;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  accepted_user_id: string | null;
  revoked_at: Timestamp | null;
  created_at: CreatedAt;
};

export type ApiTokensTable = {
  tenant_id: string;
  id: Generated<string>;
  name: string;
  scopes: string[];
  prefix: string;
  secret_hash: string;
  created_by_user_id: string;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  created_at: CreatedAt;
};

export type AuditLogTable = {
  tenant_id: string;
  id: ColumnType<bigint, never, never>;
  at: CreatedAt;
  actor_user_id: string | null;
  actor_token_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  before: ColumnType<unknown, string | null, never>;
  after: ColumnType<unknown, string | null, never>;
  request_id: string | null;
  ip: string | null;
};

export type DB = {
  organizations: OrganizationsTable;
  teams: TeamsTable;
  users: UsersTable;
  sessions: SessionsTable;
  invitations: InvitationsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
};
