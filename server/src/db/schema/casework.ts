import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the tables of migration 0014, promises to pay, disputes, activities, delinquency types, playbooks and the worklist. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string | undefined, string>;
type Money = bigint;
type BusinessDate = string;

export type CollectionActivitiesTable = {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  kind: string;
  task_type: string | null;
  title: string;
  body: string | null;
  call_outcome: string | null;
  contact_name: string | null;
  next_step: string | null;
  next_step_on: BusinessDate | null;
  planned_on: BusinessDate | null;
  expected_amount_minor: Money | null;
  currency: string | null;
  visit_result: string | null;
  occurred_on: BusinessDate | null;
  assignee_user_id: string | null;
  assignee_role: string | null;
  due_on: BusinessDate | null;
  done_at: Timestamp | null;
  done_by_user_id: string | null;
  done_note: string | null;
  parent_activity_id: string | null;
  dunning_action_id: string | null;
  created_by_user_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

/** A view (migration 0018): one row per activity and invoice, from the sets below. Read it; write the sets. */
export type CollectionActivityInvoicesTable = { tenant_id: string; activity_id: string; invoice_id: string };

/** The invoices one write linked to an activity (insert them as `arrayLiteral(ids)::uuid[]`). */
export type CollectionActivityInvoiceSetsTable = {
  tenant_id: string;
  id: Generated<string>;
  activity_id: string;
  /** A run's action group whose invoices these are (migration 0026); null when invoice_ids lists them. */
  group_id: ColumnType<string | null, string | null | undefined, never>;
  invoice_ids: ColumnType<string[] | null, string, never>;
  created_at: Generated<Date>;
};

export type PromisesToPayTable = {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  currency: string;
  total_minor: Money;
  grace_days: number;
  status: Generated<string>;
  settled_on: BusinessDate | null;
  promised_on: BusinessDate;
  note: string | null;
  activity_id: string | null;
  recorded_by_user_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type PromiseInstalmentsTable = {
  tenant_id: string;
  promise_id: string;
  seq: number;
  due_on: BusinessDate;
  amount_minor: Money;
};

export type PromiseInvoicesTable = { tenant_id: string; promise_id: string; invoice_id: string };

export type PromiseEventsTable = {
  tenant_id: string;
  id: Generated<string>;
  seq: Generated<string>;
  promise_id: string;
  status: string;
  previous_status: string | null;
  effective_on: BusinessDate;
  note: string | null;
  actor_user_id: string | null;
  occurred_at: CreatedAt;
};

/** The columns migration 0014 adds to `disputes` (0006); Kysely merges them with the base table's type. */
export type DisputeV2Columns = {
  credit_note_id: string | null;
  approval_request_id: string | null;
  activity_id: string | null;
  resolved_by_user_id: string | null;
};

export type DisputeEventsTable = {
  tenant_id: string;
  id: Generated<string>;
  seq: Generated<string>;
  dispute_id: string;
  event: string;
  owner_user_id: string | null;
  note: string | null;
  actor_user_id: string | null;
  occurred_at: CreatedAt;
};

export type CollectionCasesTable = {
  tenant_id: string;
  customer_id: string;
  assigned_collector_user_id: string | null;
  delinquency_type: string | null;
  attitude: string | null;
  snoozed_until: BusinessDate | null;
  updated_by_user_id: string | null;
  is_active: Generated<boolean>;
  collector_user_id: string | null;
  team_id: string | null;
  currency: string | null;
  open_minor: Generated<Money>;
  overdue_minor: Generated<Money>;
  disputed_minor: Generated<Money>;
  other_currencies: Generated<string[]>;
  max_days_overdue: Generated<number>;
  overdue_invoice_count: Generated<number>;
  score: Generated<number>;
  reasons: ColumnType<unknown, string | undefined, string>;
  approach: Generated<string>;
  approach_reasons: Generated<string[]>;
  rating: string | null;
  broken_promise_count: Generated<number>;
  has_broken_promise: Generated<boolean>;
  open_promise_until: BusinessDate | null;
  last_contact_on: BusinessDate | null;
  next_activity_id: string | null;
  next_activity_kind: string | null;
  next_activity_title: string | null;
  next_activity_due_on: BusinessDate | null;
  suggested_step: Generated<string>;
  as_of: BusinessDate | null;
  refreshed_at: Timestamp | null;
  updated_at: UpdatedAt;
};

export type CollectionCaseRefreshesTable = {
  tenant_id: string;
  as_of: BusinessDate;
  case_count: number;
  refreshed_at: UpdatedAt;
};

export type CollectionPlaybooksTable = {
  tenant_id: string;
  content: Json;
  updated_by_user_id: string | null;
  updated_at: UpdatedAt;
};

export type CaseworkTables = {
  collection_activities: CollectionActivitiesTable;
  collection_activity_invoices: CollectionActivityInvoicesTable;
  collection_activity_invoice_sets: CollectionActivityInvoiceSetsTable;
  promises_to_pay: PromisesToPayTable;
  promise_instalments: PromiseInstalmentsTable;
  promise_invoices: PromiseInvoicesTable;
  promise_events: PromiseEventsTable;
  /** Intersected with the 0006 `disputes` type in schema.ts's DB: adds the v2 columns. */
  disputes: DisputeV2Columns;
  dispute_events: DisputeEventsTable;
  collection_cases: CollectionCasesTable;
  collection_case_refreshes: CollectionCaseRefreshesTable;
  collection_playbooks: CollectionPlaybooksTable;
};
