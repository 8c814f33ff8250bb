import type { Role } from '@huikuan/core';
import type { DunningPolicy, DunningPolicyWrite } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { isUniqueViolation } from '../../platform/db-errors';
import { AppError, notFound } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { loadPolicies, policyBody, type PolicyRecord } from './policy-store';

/** Who decides how customers are chased: admins, finance and sales managers. */
export const DUNNING_MANAGER_ROLES: readonly Role[] = ['admin', 'finance', 'sales_manager'];

export function assertDunningManager(actor: Actor): void {
  if (!DUNNING_MANAGER_ROLES.includes(actor.role)) throw new AppError('forbidden');
}

async function policyOrThrow(tx: Tx, tenantId: string, policyId: string): Promise<PolicyRecord> {
  const policy = (await loadPolicies(tx, tenantId)).find((candidate) => candidate.id === policyId);
  if (!policy) throw notFound('dunning policy');
  return policy;
}

function nameTaken(error: unknown, name: string): never {
  if (isUniqueViolation(error, 'name')) {
    throw new AppError('validation_failed', {}, [
      { path: 'name', message: `A policy named "${name}" exists` },
    ]);
  }
  throw error;
}

export async function listPolicies(deps: AppDeps, actor: Actor): Promise<DunningPolicy[]> {
  return deps.db.tenant(actor.tenantId, async (tx) =>
    (await loadPolicies(tx, actor.tenantId)).map(policyBody),
  );
}

export async function getPolicy(deps: AppDeps, actor: Actor, policyId: string): Promise<DunningPolicy> {
  return deps.db.tenant(actor.tenantId, async (tx) =>
    policyBody(await policyOrThrow(tx, actor.tenantId, policyId)),
  );
}

export async function createPolicy(
  deps: AppDeps,
  actor: Actor,
  body: DunningPolicyWrite,
): Promise<DunningPolicy> {
  assertDunningManager(actor);
  return deps.db
    .tenant(actor.tenantId, async (tx) => {
      const created = await tx
        .insertInto('dunning_policies')
        .values({ tenant_id: actor.tenantId, name: body.name, description: body.description })
        .returning('id')
        .executeTakeFirstOrThrow();
      await writeSteps(tx, actor.tenantId, created.id, body, []);
      const after = policyBody(await policyOrThrow(tx, actor.tenantId, created.id));
      await recordAudit(tx, actor, {
        action: 'dunning_policy.create',
        entityType: 'dunning_policy',
        entityId: created.id,
        after,
      });
      return after;
    })
    .catch((error: unknown) => nameTaken(error, body.name));
}

/**
 * Replaces a policy's ladder. Steps sent with their id are kept (so their done marks stay and nothing fires again);
 * steps left out are retired, never deleted, because recorded actions point at them; steps without an id are new.
 */
export async function updatePolicy(
  deps: AppDeps,
  actor: Actor,
  policyId: string,
  body: DunningPolicyWrite,
): Promise<DunningPolicy> {
  assertDunningManager(actor);
  return deps.db
    .tenant(actor.tenantId, async (tx) => {
      const before = await policyOrThrow(tx, actor.tenantId, policyId);
      await tx
        .updateTable('dunning_policies')
        .set({ name: body.name, description: body.description, updated_at: sql<Date>`now()` })
        .where('tenant_id', '=', actor.tenantId)
        .where('id', '=', policyId)
        .execute();
      await writeSteps(tx, actor.tenantId, policyId, body, before.steps);
      const after = policyBody(await policyOrThrow(tx, actor.tenantId, policyId));
      await recordAudit(tx, actor, {
        action: 'dunning_policy.update',
        entityType: 'dunning_policy',
        entityId: policyId,
        before: policyBody(before),
        after,
      });
      return after;
    })
    .catch((error: unknown) => nameTaken(error, body.name));
}

async function writeSteps(
  tx: Tx,
  tenantId: string,
  policyId: string,
  body: DunningPolicyWrite,
  current: PolicyRecord['steps'],
): Promise<void> {
  const currentById = new Map(current.map((step) => [step.id, step]));
  const keptIds = new Set<string>();
  for (const [seq, step] of body.steps.entries()) {
    const values = {
      seq,
      offset_days: step.offsetDays,
      channel: step.channel,
      template_key: step.templateKey,
      requires_approval: step.requiresApproval,
    };
    if (step.id === undefined) {
      await tx
        .insertInto('dunning_policy_steps')
        .values({ tenant_id: tenantId, policy_id: policyId, kind: step.kind, ...values })
        .execute();
      continue;
    }
    const existing = currentById.get(step.id);
    if (!existing || existing.kind !== step.kind || keptIds.has(step.id)) {
      // A step's kind is what its history means; a different kind is a new step.
      throw new AppError('validation_failed', {}, [
        { path: `steps.${seq}.id`, message: 'Not a live step of this policy with this kind' },
      ]);
    }
    keptIds.add(step.id);
    await tx
      .updateTable('dunning_policy_steps')
      .set(values)
      .where('tenant_id', '=', tenantId)
      .where('id', '=', step.id)
      .execute();
  }
  const retired = current.filter((step) => !keptIds.has(step.id)).map((step) => step.id);
  if (retired.length === 0) return;
  await tx
    .updateTable('dunning_policy_steps')
    .set({ retired_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', retired)
    .execute();
}

/** The default policy applies to every customer no assignment names; exactly one policy is it. */
export async function makeDefaultPolicy(
  deps: AppDeps,
  actor: Actor,
  policyId: string,
): Promise<DunningPolicy> {
  assertDunningManager(actor);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const target = await policyOrThrow(tx, actor.tenantId, policyId);
    const previous = (await loadPolicies(tx, actor.tenantId)).find((policy) => policy.isDefault);
    if (target.isDefault) return policyBody(target);
    await tx
      .updateTable('dunning_policies')
      .set({ is_default: false, updated_at: sql<Date>`now()` })
      .where('tenant_id', '=', actor.tenantId)
      .where('is_default', '=', true)
      .execute();
    await tx
      .updateTable('dunning_policies')
      .set({ is_default: true, updated_at: sql<Date>`now()` })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', policyId)
      .execute();
    await recordAudit(tx, actor, {
      action: 'dunning_policy.make_default',
      entityType: 'dunning_policy',
      entityId: policyId,
      before: { defaultPolicyId: previous?.id ?? null },
      after: { defaultPolicyId: policyId },
    });
    return policyBody(await policyOrThrow(tx, actor.tenantId, policyId));
  });
}

/**
 * Deletes a policy nobody has been chased by yet. The default cannot go (choose another default first); a policy
 * whose steps have recorded actions stays, since those actions are history.
 */
export async function deletePolicy(deps: AppDeps, actor: Actor, policyId: string): Promise<void> {
  assertDunningManager(actor);
  await deps.db.tenant(actor.tenantId, async (tx) => {
    const policy = await policyOrThrow(tx, actor.tenantId, policyId);
    if (policy.isDefault) {
      throw new AppError('conflict', {
        detail: 'The default policy cannot be deleted; make another one the default first',
      });
    }
    const used = await tx
      .selectFrom('dunning_actions')
      .select('id')
      .where('tenant_id', '=', actor.tenantId)
      .where('policy_id', '=', policyId)
      .limit(1)
      .executeTakeFirst();
    if (used) {
      throw new AppError('conflict', {
        detail: 'This policy has recorded actions; edit it instead of deleting it',
      });
    }
    for (const table of ['dunning_policy_assignments', 'dunning_policy_steps'] as const) {
      await tx
        .deleteFrom(table)
        .where('tenant_id', '=', actor.tenantId)
        .where('policy_id', '=', policyId)
        .execute();
    }
    await tx
      .deleteFrom('dunning_policies')
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', policyId)
      .execute();
    await recordAudit(tx, actor, {
      action: 'dunning_policy.delete',
      entityType: 'dunning_policy',
      entityId: policyId,
      before: policyBody(policy),
    });
  });
}
