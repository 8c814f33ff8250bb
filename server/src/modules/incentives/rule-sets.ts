import { DEFAULT_COMMISSION_RULES, monthOf, type CommissionRules } from '@huikuan/core';
import type { CommissionRuleSet, CommissionRuleSetList, CommissionRulesBody } from '@huikuan/core/contracts';
import { recordAudit } from '../../platform/audit';
import type { AppDeps } from '../../platform/deps';
import type { Actor } from '../../platform/request-context';
import { loadIncentiveContext, requireFinanceRole, rulesOf } from './incentive-context';

type Row = {
  id: string;
  effective_from: string;
  rules: unknown;
  note: string | null;
  created_by_user_id: string | null;
  created_at: Date;
};

/** The contract's (mutable) shape of the rules. */
function bodyOf(rules: CommissionRules): CommissionRulesBody {
  return { ...rules, timeliness: rules.timeliness.map((band) => ({ ...band })) };
}

function viewOf(row: Row): CommissionRuleSet {
  return {
    id: row.id,
    effectiveFrom: row.effective_from,
    rules: bodyOf(rulesOf(row.rules)),
    note: row.note,
    createdByUserId: row.created_by_user_id,
    createdAt: row.created_at.toISOString(),
  };
}

const DEFAULTS: CommissionRuleSet = {
  id: null,
  effectiveFrom: null,
  rules: bodyOf(DEFAULT_COMMISSION_RULES),
  note: null,
  createdByUserId: null,
  createdAt: null,
};

/** Every version, newest first, and the one in force for `month` (default: this month). */
export async function listRuleSets(
  deps: AppDeps,
  actor: Actor,
  month: string | undefined,
): Promise<CommissionRuleSetList> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const context = await loadIncentiveContext(tx, actor.tenantId, deps.clock);
    const rows = await tx
      .selectFrom('commission_rule_sets')
      .selectAll()
      .where('tenant_id', '=', actor.tenantId)
      .orderBy('effective_from', 'desc')
      .orderBy('created_at', 'desc')
      .execute();
    const at = month ?? monthOf(context.today);
    const current = rows.find((row) => row.effective_from <= at);
    return { current: current ? viewOf(current) : DEFAULTS, versions: rows.map(viewOf) };
  });
}

/**
 * Editing the rules adds a version from a month on; earlier versions stay, so a month is always computed with the
 * rules that were in force for it, and a locked statement keeps a copy of the rules it was computed with.
 */
export async function createRuleSet(
  deps: AppDeps,
  actor: Actor,
  input: { effectiveFrom: string; rules: CommissionRulesBody; note?: string | undefined },
): Promise<CommissionRuleSet> {
  requireFinanceRole(actor);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const row = await tx
      .insertInto('commission_rule_sets')
      .values({
        tenant_id: actor.tenantId,
        effective_from: input.effectiveFrom,
        rules: JSON.stringify(input.rules),
        note: input.note ?? null,
        created_by_user_id: actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'commission_rules.versioned',
      entityType: 'commission_rule_set',
      entityId: row.id,
      after: row,
    });
    return viewOf(row);
  });
}
