import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the tables of migration 0011, dunning policies, ladders, runs and their actions (催收程序). */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string | undefined, string>;

export type DunningPoliciesTable = {
  tenant_id: string;
  id: Generated<string>;
  name: string;
  description: string | null;
  is_default: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type DunningPolicyStepsTable = {
  tenant_id: string;
  id: Generated<string>;
  policy_id: string;
  seq: number;
  kind: string;
  offset_days: number;
  channel: string | null;
  template_key: string | null;
  requires_approval: Generated<boolean>;
  retired_at: Timestamp | null;
  created_at: CreatedAt;
};

export type DunningPolicyAssignmentsTable = {
  tenant_id: string;
  id: Generated<string>;
  policy_id: string;
  customer_id: string | null;
  rating: string | null;
  segment: string | null;
  created_at: CreatedAt;
};

export type DunningRunsTable = {
  tenant_id: string;
  id: Generated<string>;
  as_of: string;
  source: string;
  status: Generated<string>;
  started_by_user_id: string | null;
  total_count: Generated<number>;
  done_count: Generated<number>;
  fired_count: Generated<number>;
  paused_count: Generated<number>;
  counts_by_kind: Json;
  errors: Json;
  error_count: Generated<number>;
  failure: string | null;
  started_at: CreatedAt;
  heartbeat_at: UpdatedAt;
  finished_at: Timestamp | null;
};

export type DunningActionsTable = {
  tenant_id: string;
  id: Generated<string>;
  run_id: string;
  invoice_id: string;
  customer_id: string;
  policy_id: string;
  step_id: string;
  kind: string;
  channel: string | null;
  offset_days: number;
  due_date: string;
  step_due_on: string;
  as_of: string;
  days_overdue: number;
  chased_minor: bigint;
  currency: string;
  outcome: Generated<string>;
  ref_id: string | null;
  detail: string | null;
  created_at: CreatedAt;
};

export type DunningCreditHoldsTable = {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  invoice_id: string;
  action_id: string;
  placed_on: string;
  released_at: Timestamp | null;
  released_by_user_id: string | null;
  release_reason: string | null;
  created_at: CreatedAt;
};

/**
 * Migration 0024: the steps done per customer, as the groups that recorded them (a step id and a count of invoice ids
 * each), kept by a trigger on dunning_action_groups (the app only reads it).
 */
export type DunningCustomerDoneStepsTable = {
  tenant_id: string;
  customer_id: string;
  step_ids: string[];
  invoice_counts: number[];
  invoice_ids: string[];
};

export type DunningTables = {
  dunning_policies: DunningPoliciesTable;
  dunning_policy_steps: DunningPolicyStepsTable;
  dunning_policy_assignments: DunningPolicyAssignmentsTable;
  dunning_runs: DunningRunsTable;
  dunning_actions: DunningActionsTable;
  dunning_credit_holds: DunningCreditHoldsTable;
  dunning_customer_done_steps: DunningCustomerDoneStepsTable;
};
