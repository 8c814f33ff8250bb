import {
  DEFAULT_DUNNING_LADDER,
  sortLadder,
  type CreditRating,
  type DunningStepKind,
  type LadderStep,
  type MessageChannel,
} from '@huikuan/core';
import type { DunningAssignment, DunningPolicy } from '@huikuan/core/contracts';
import type { Tx } from '../../platform/db';

/**
 * Reading policies, their live steps and assignments (three statements for the whole organization), and making sure
 * the organization has its default policy.
 */

export type PolicyRecord = {
  id: string;
  name: string;
  description: string | null;
  isDefault: boolean;
  updatedAt: Date;
  /** Live steps in ladder order (retired ones are left out). */
  steps: LadderStep[];
  assignments: DunningAssignment[];
};

export const DEFAULT_POLICY_NAME = '标准催收程序';
const DEFAULT_POLICY_DESCRIPTION = '默认：到期前 3 天提醒，逾期后逐级升级';

/**
 * The default policy of issue 5, created on first use. Migration 0011 gave every organization that existed then its
 * default; organizations created later (sign-up, the CLI, a restore, a test fixture writing rows directly) get it
 * here, whichever way they were made, so no creation path can forget it. Concurrent first uses are safe: the partial
 * unique index lets one insert win and the other find nothing to do.
 */
export async function ensureDefaultPolicy(tx: Tx, tenantId: string): Promise<void> {
  const existing = await tx
    .selectFrom('dunning_policies')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('is_default', '=', true)
    .executeTakeFirst();
  if (existing) return;
  const created = await tx
    .insertInto('dunning_policies')
    .values({
      tenant_id: tenantId,
      name: DEFAULT_POLICY_NAME,
      description: DEFAULT_POLICY_DESCRIPTION,
      is_default: true,
    })
    .onConflict((conflict) => conflict.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!created) return;
  await tx
    .insertInto('dunning_policy_steps')
    .values(
      DEFAULT_DUNNING_LADDER.map((step, seq) => ({
        tenant_id: tenantId,
        policy_id: created.id,
        seq,
        kind: step.kind,
        offset_days: step.offsetDays,
        channel: step.channel,
        template_key: step.templateKey,
        requires_approval: step.requiresApproval,
      })),
    )
    .execute();
}

export async function loadPolicies(tx: Tx, tenantId: string): Promise<PolicyRecord[]> {
  await ensureDefaultPolicy(tx, tenantId);
  const policies = await tx
    .selectFrom('dunning_policies')
    .select(['id', 'name', 'description', 'is_default', 'updated_at'])
    .where('tenant_id', '=', tenantId)
    .orderBy('is_default', 'desc')
    .orderBy('name')
    .execute();
  const steps = await tx
    .selectFrom('dunning_policy_steps')
    .select(['id', 'policy_id', 'kind', 'offset_days', 'channel', 'template_key', 'requires_approval'])
    .where('tenant_id', '=', tenantId)
    .where('retired_at', 'is', null)
    .orderBy('seq')
    .execute();
  const assignments = await tx
    .selectFrom('dunning_policy_assignments as a')
    .leftJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'a.tenant_id').onRef('c.id', '=', 'a.customer_id'),
    )
    .select(['a.id', 'a.policy_id', 'a.customer_id', 'a.rating', 'a.segment', 'c.code', 'c.name'])
    .where('a.tenant_id', '=', tenantId)
    .orderBy('a.created_at')
    .execute();
  return policies.map((policy) => ({
    id: policy.id,
    name: policy.name,
    description: policy.description,
    isDefault: policy.is_default,
    updatedAt: policy.updated_at,
    steps: sortLadder(
      steps
        .filter((step) => step.policy_id === policy.id)
        .map((step) => ({
          id: step.id,
          kind: step.kind as DunningStepKind,
          offsetDays: step.offset_days,
          channel: step.channel as MessageChannel | null,
          templateKey: step.template_key,
          requiresApproval: step.requires_approval,
        })),
    ),
    assignments: assignments
      .filter((row) => row.policy_id === policy.id)
      .map((row): DunningAssignment => {
        const target: DunningAssignment['target'] =
          row.customer_id !== null
            ? {
                kind: 'customer',
                customerId: row.customer_id,
                customerCode: row.code ?? '',
                customerName: row.name ?? '',
              }
            : row.rating !== null
              ? { kind: 'rating', rating: row.rating as CreditRating }
              : { kind: 'segment', segment: row.segment ?? '' };
        return { id: row.id, policyId: row.policy_id, target };
      }),
  }));
}

export function policyBody(policy: PolicyRecord): DunningPolicy {
  return {
    id: policy.id,
    name: policy.name,
    description: policy.description,
    isDefault: policy.isDefault,
    steps: policy.steps,
    assignments: policy.assignments,
    updatedAt: policy.updatedAt.toISOString(),
  };
}
