import type { ColumnType, Generated } from 'kysely';
import type { SettlementTables } from './schema/settlements';
import type { DunningTables } from './schema/dunning';
import type { MessagingTables } from './schema/messaging';
import type { LetterTables } from './schema/letters';
import type { CaseworkTables } from './schema/casework';
import type { IncentiveTables } from './schema/incentives';

/** Kysely's view of the tables; the migrations folder is the truth, this file follows it. */

export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export type OrganizationsTable = {
  tenant_id: Generated<string>;
  name: string;
  slug: string;
  base_currency: string;
  timezone: string;
  locale: string;
  credit_note_approval_threshold_minor: Generated<bigint>;
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

export type Money = bigint;
export type BusinessDate = string;

export type CustomersTable = {
  tenant_id: string;
  id: Generated<string>;
  code: string;
  name: string;
  short_name: string | null;
  owner_user_id: string | null;
  team_id: string | null;
  segment: string | null;
  tags: Generated<string[]>;
  payment_terms_days: Generated<number>;
  currency: string;
  unified_credit_code: string | null;
  founded_on: BusinessDate | null;
  registered_address: string | null;
  office_address: string | null;
  phone: string | null;
  website: string | null;
  legal_representative: string | null;
  registered_capital_minor: Money | null;
  registered_capital_currency: string | null;
  industry: string | null;
  company_size: string | null;
  financial_condition: string | null;
  notes: string | null;
  invoice_requirements: string | null;
  books_closing_day: number | null;
  payment_bank: string | null;
  transfer_cycle_days: number | null;
  funds_situation: string | null;
  is_active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type CustomerContactsTable = {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  name: string;
  title: string | null;
  phone: string | null;
  email: string | null;
  im_handle: string | null;
  roles: Generated<string[]>;
  notes: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type CustomerBankAccountsTable = {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  bank_name: string;
  account_name: string;
  account_number: string;
  created_at: CreatedAt;
};

export type CustomerLitigationsTable = {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  case_number: string | null;
  court: string | null;
  filed_on: BusinessDate | null;
  party_role: string | null;
  status: string | null;
  summary: string;
  created_at: CreatedAt;
};

export type AttachmentsTable = {
  tenant_id: string;
  id: Generated<string>;
  entity_type: string;
  entity_id: string;
  kind: Generated<string>;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  content: Buffer | Uint8Array;
  uploaded_by_user_id: string | null;
  created_at: CreatedAt;
};

export type ContractsTable = {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  number: string;
  title: string | null;
  owner_user_id: string | null;
  team_id: string | null;
  amount_minor: Money;
  currency: string;
  signed_on: BusinessDate;
  payment_terms_days: number;
  payment_terms_text: string | null;
  status: Generated<string>;
  notes: string | null;
  created_by_user_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type PaymentPlanNodesTable = {
  tenant_id: string;
  id: Generated<string>;
  contract_id: string;
  seq: number;
  name: string;
  amount_minor: Money;
  currency: string;
  percentage_bp: number | null;
  due_trigger: string;
  offset_days: Generated<number>;
  trigger_event_on: BusinessDate | null;
  due_date: BusinessDate | null;
  method: string | null;
  responsible_user_id: string | null;
  acceptor_name: string | null;
  acceptance_criteria: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type InvoicesTable = {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  contract_id: string | null;
  plan_node_id: string | null;
  number: string;
  invoice_date: BusinessDate;
  due_date: BusinessDate;
  currency: string;
  subtotal_minor: Money;
  tax_minor: Money;
  total_minor: Money;
  status: Generated<string>;
  issued_at: Timestamp | null;
  issued_by_user_id: string | null;
  notes: string | null;
  created_by_user_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type InvoiceLinesTable = {
  tenant_id: string;
  invoice_id: string;
  line_no: number;
  description: string;
  /** numeric(16,4), read and written as a decimal string. */
  quantity: string;
  unit_price_minor: Money;
  tax_rate_bp: number;
  amount_minor: Money;
  tax_minor: Money;
};

export type InvoiceVoidsTable = {
  tenant_id: string;
  invoice_id: string;
  voided_on: BusinessDate;
  reason: string;
  voided_by_user_id: string | null;
  created_at: CreatedAt;
};

export type CreditNotesTable = {
  tenant_id: string;
  id: Generated<string>;
  invoice_id: string;
  number: string;
  amount_minor: Money;
  currency: string;
  issued_on: BusinessDate;
  reason: string;
  status: string;
  approval_request_id: string | null;
  created_by_user_id: string | null;
  created_at: CreatedAt;
  /** 'credit_note' or 'write_off' (坏账核销, charged to the provision). */
  kind: Generated<string>;
};

export type InvoiceRequestsTable = {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  contract_id: string | null;
  plan_node_id: string | null;
  amount_minor: Money;
  currency: string;
  notes: string | null;
  status: Generated<string>;
  invoice_id: string | null;
  requested_by_user_id: string;
  decided_by_user_id: string | null;
  decided_at: Timestamp | null;
  decision_comment: string | null;
  created_at: CreatedAt;
};

export type ReceiptsTable = {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string | null;
  received_on: BusinessDate;
  amount_minor: Money;
  currency: string;
  method: string;
  payer_name: string | null;
  payer_account: string | null;
  bank_reference: string | null;
  notes: string | null;
  status: Generated<string>;
  confirmed_by_user_id: string | null;
  confirmed_at: Timestamp | null;
  created_by_user_id: string | null;
  created_at: CreatedAt;
};

export type ReceiptReversalsTable = {
  tenant_id: string;
  receipt_id: string;
  reversed_on: BusinessDate;
  reason: string;
  reversed_by_user_id: string | null;
  created_at: CreatedAt;
};

export type AllocationsTable = {
  tenant_id: string;
  id: Generated<string>;
  receipt_id: string;
  invoice_id: string | null;
  plan_node_id: string | null;
  amount_minor: Money;
  currency: string;
  allocated_on: BusinessDate;
  reverses_allocation_id: string | null;
  reason: string | null;
  created_by_user_id: string | null;
  created_at: CreatedAt;
  /** Set on a recovery: the write-off (a credit note of kind write_off) this receipt money pays. */
  write_off_id: Generated<string | null>;
};

export type ApprovalRequestsTable = {
  tenant_id: string;
  id: Generated<string>;
  kind: string;
  status: Generated<string>;
  subject_type: string;
  subject_id: string;
  customer_id: string | null;
  amount_minor: Money | null;
  currency: string | null;
  payload: ColumnType<unknown, string | undefined, string>;
  reason: string;
  requested_by_user_id: string;
  decided_by_user_id: string | null;
  decided_at: Timestamp | null;
  decision_comment: string | null;
  created_at: CreatedAt;
};

export type ReceiptClaimsTable = {
  tenant_id: string;
  id: Generated<string>;
  receipt_id: string;
  customer_id: string;
  claimant_user_id: string;
  evidence: string | null;
  proposed_split: ColumnType<unknown, string | undefined, string>;
  status: Generated<string>;
  decided_by_user_id: string | null;
  decided_at: Timestamp | null;
  decision_comment: string | null;
  created_at: CreatedAt;
};

export type IdempotencyKeysTable = {
  tenant_id: string;
  key: string;
  operation: string;
  request_hash: string;
  response_status: number | null;
  response_body: ColumnType<unknown, string | null | undefined, string | null>;
  created_at: CreatedAt;
};

export type ImportPresetsTable = {
  tenant_id: string;
  id: Generated<string>;
  kind: string;
  name: string;
  mapping: ColumnType<unknown, string | undefined, string>;
  date_format: Generated<string>;
  encoding: Generated<string>;
  decimal_separator: Generated<string>;
  created_by_user_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type ImportJobsTable = {
  tenant_id: string;
  id: Generated<string>;
  kind: string;
  file_name: string;
  is_dry_run: boolean;
  status: Generated<string>;
  phase: string | null;
  done_count: Generated<number>;
  total_count: Generated<number>;
  summary: ColumnType<unknown, string | null | undefined, string | null>;
  errors: ColumnType<unknown, string | undefined, string>;
  error_count: Generated<number>;
  failure: string | null;
  created_by_user_id: string | null;
  created_at: CreatedAt;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
};

export type AgingSettingsTable = {
  tenant_id: string;
  bucket_bounds_days: number[];
  class_bounds_days: number[];
  provision_bp: ColumnType<unknown, string, string>;
  updated_by_user_id: string | null;
  updated_at: UpdatedAt;
};

/** 0007: a manual credit rating and its reason; the computed rating is never stored. */
export type CreditRatingOverridesTable = {
  tenant_id: string;
  customer_id: string;
  rating: string;
  reason: string;
  set_by_user_id: string | null;
  set_at: ColumnType<Date, Date | string | undefined, Date | string>;
};

export type CreditSettingsTable = {
  tenant_id: string;
  warning_bp: number;
  overdue_hold_days: number;
  dispute_hold_threshold_minor: Money;
  dispute_hold_currency: string;
  updated_by_user_id: string | null;
  updated_at: UpdatedAt;
};

export type CustomerCreditLimitsTable = {
  tenant_id: string;
  customer_id: string;
  limit_minor: Money;
  currency: string;
  updated_by_user_id: string | null;
  updated_at: UpdatedAt;
};

export type CreditHoldStatesTable = {
  tenant_id: string;
  customer_id: string;
  causes: string[];
  hold_since: Timestamp | null;
  changed_at: UpdatedAt;
};

export type CreditHoldEventsTable = {
  tenant_id: string;
  id: Generated<string>;
  seq: ColumnType<bigint, never, never>;
  customer_id: string;
  event: string;
  causes: string[];
  previous_causes: string[];
  exposure_minor: Money;
  limit_minor: Money | null;
  currency: string;
  oldest_overdue_days: number | null;
  open_disputes_minor: Money;
  source: string;
  evaluated_on: BusinessDate;
  actor_user_id: string | null;
  occurred_at: CreatedAt;
};

export type CreditOverridesTable = {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  approval_request_id: string;
  amount_minor: Money;
  currency: string;
  valid_until: BusinessDate;
  reason: string;
  requested_by_user_id: string;
  approved_by_user_id: string | null;
  approved_at: CreatedAt;
};

export type DisputesTable = {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  invoice_id: string | null;
  amount_minor: Money;
  currency: string;
  reason_code: string;
  description: string | null;
  owner_user_id: string | null;
  status: Generated<string>;
  opened_on: BusinessDate;
  resolved_on: BusinessDate | null;
  resolution_note: string | null;
  created_by_user_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

/** 0009: a debt's product condition (正常/不正常) from a date on; append-only, the latest row wins. */
export type InvoiceConditionsTable = {
  tenant_id: string;
  id: Generated<string>;
  invoice_id: string;
  condition: string;
  effective_on: BusinessDate;
  reason: string;
  noted_by_user_id: string | null;
  created_at: CreatedAt;
};

/** The tables of migrations 0001–0009; later areas keep their table types in `schema/<area>.ts`. */
export type CoreTables = {
  customers: CustomersTable;
  customer_contacts: CustomerContactsTable;
  customer_bank_accounts: CustomerBankAccountsTable;
  customer_litigations: CustomerLitigationsTable;
  attachments: AttachmentsTable;
  contracts: ContractsTable;
  payment_plan_nodes: PaymentPlanNodesTable;
  invoices: InvoicesTable;
  invoice_lines: InvoiceLinesTable;
  invoice_voids: InvoiceVoidsTable;
  credit_notes: CreditNotesTable;
  invoice_requests: InvoiceRequestsTable;
  receipts: ReceiptsTable;
  receipt_reversals: ReceiptReversalsTable;
  allocations: AllocationsTable;
  approval_requests: ApprovalRequestsTable;
  receipt_claims: ReceiptClaimsTable;
  idempotency_keys: IdempotencyKeysTable;
  import_presets: ImportPresetsTable;
  import_jobs: ImportJobsTable;
  organizations: OrganizationsTable;
  teams: TeamsTable;
  users: UsersTable;
  sessions: SessionsTable;
  invitations: InvitationsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  aging_settings: AgingSettingsTable;
  credit_rating_overrides: CreditRatingOverridesTable;
  credit_settings: CreditSettingsTable;
  customer_credit_limits: CustomerCreditLimitsTable;
  credit_hold_states: CreditHoldStatesTable;
  credit_hold_events: CreditHoldEventsTable;
  credit_overrides: CreditOverridesTable;
  disputes: DisputesTable;
  invoice_conditions: InvoiceConditionsTable;
};

export type DB = CoreTables &
  SettlementTables &
  DunningTables &
  MessagingTables &
  LetterTables &
  CaseworkTables &
  IncentiveTables;
