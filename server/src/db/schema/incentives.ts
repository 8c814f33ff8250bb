import type { ColumnType, Generated } from 'kysely';
import type { BusinessDate, CreatedAt, Money, Timestamp, UpdatedAt } from '../schema';

/** Kysely's view of the tables of migration 0015: targets, commission rules and statements, reviews, incentives. */

export type IncentiveSettingsTable = {
  tenant_id: string;
  accountability_mode: Generated<boolean>;
  key_customer_tag: Generated<string>;
  updated_by_user_id: string | null;
  updated_at: UpdatedAt;
};

export type CommissionRuleSetsTable = {
  tenant_id: string;
  id: Generated<string>;
  effective_from: string;
  rules: ColumnType<unknown, string, never>;
  note: string | null;
  created_by_user_id: string | null;
  created_at: CreatedAt;
};

export type CollectionTargetsTable = {
  tenant_id: string;
  id: Generated<string>;
  period: string;
  period_from: BusinessDate;
  period_to: BusinessDate;
  measure: string;
  level: string;
  team_id: string | null;
  user_id: string | null;
  parent_id: string | null;
  currency: string;
  amount_minor: Money;
  carry_shortfall: boolean;
  created_by_user_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
};

export type CollectionTargetLinesTable = {
  tenant_id: string;
  target_id: string;
  dimension: string;
  key: string;
  weight: number;
  amount_minor: Money;
};

export type CommissionStatementsTable = {
  tenant_id: string;
  id: Generated<string>;
  salesperson_user_id: string;
  period: string;
  salesperson_name: string;
  rule_set_id: string | null;
  rules: ColumnType<unknown, string, never>;
  locked_by_user_id: string;
  locked_at: Timestamp;
};

export type CommissionStatementLinesTable = {
  tenant_id: string;
  statement_id: string;
  line_no: number;
  salesperson_user_id: string;
  kind: string;
  source_id: string;
  reasons: string[];
  invoice_id: string | null;
  invoice_number: string | null;
  customer_code: string | null;
  customer_name: string | null;
  on_date: BusinessDate;
  due_date: BusinessDate | null;
  days_late: number | null;
  age_days: number | null;
  currency: string;
  base_minor: Money;
  rate_numerator: bigint;
  commission_minor: Money;
};

export type DebtCauseAssessmentsTable = {
  tenant_id: string;
  id: Generated<string>;
  invoice_id: string;
  is_not_sales_caused: boolean;
  effective_on: BusinessDate;
  reason: string;
  noted_by_user_id: string | null;
  created_at: CreatedAt;
};

export type ReviewNotesTable = {
  tenant_id: string;
  id: Generated<string>;
  subject_user_id: string | null;
  customer_id: string | null;
  period: string | null;
  body: string;
  author_user_id: string;
  created_at: CreatedAt;
};

export type CustomerIncentivesTable = {
  tenant_id: string;
  id: Generated<string>;
  customer_id: string;
  invoice_id: string | null;
  kind: string;
  amount_minor: Money | null;
  currency: string | null;
  description: string | null;
  pay_by: BusinessDate;
  approval_request_id: string;
  requested_by_user_id: string;
  approved_by_user_id: string | null;
  created_at: CreatedAt;
};

export type IncentiveTables = {
  incentive_settings: IncentiveSettingsTable;
  commission_rule_sets: CommissionRuleSetsTable;
  collection_targets: CollectionTargetsTable;
  collection_target_lines: CollectionTargetLinesTable;
  commission_statements: CommissionStatementsTable;
  commission_statement_lines: CommissionStatementLinesTable;
  debt_cause_assessments: DebtCauseAssessmentsTable;
  review_notes: ReviewNotesTable;
  customer_incentives: CustomerIncentivesTable;
};
