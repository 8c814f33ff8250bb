import type { DunningAssignment, DunningAssignmentWrite } from '@huikuan/core/contracts';
import { recordAudit } from '../../platform/audit';
import type { AppDeps } from '../../platform/deps';
import { notFound } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { visibleCustomerOrThrow } from '../customers/customer-access';
import { loadPolicies } from './policy-store';
import { assertDunningManager } from './save-policy';

/**
 * Assigns a policy to a customer, a credit rating or a segment. One assignment per target: assigning again moves
 * the target to the new policy (the old assignment is replaced, and audited as such).
 */
export async function assignPolicy(
  deps: AppDeps,
  actor: Actor,
  body: DunningAssignmentWrite,
): Promise<DunningAssignment> {
  assertDunningManager(actor);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const policies = await loadPolicies(tx, actor.tenantId);
    if (!policies.some((policy) => policy.id === body.policyId)) throw notFound('dunning policy');
    const target = body.target;
    if (target.kind === 'customer') await visibleCustomerOrThrow(tx, actor, target.customerId);
    const previous = policies
      .flatMap((policy) => policy.assignments)
      .find((assignment) => sameTarget(assignment.target, target));
    if (previous) {
      await tx
        .deleteFrom('dunning_policy_assignments')
        .where('tenant_id', '=', actor.tenantId)
        .where('id', '=', previous.id)
        .execute();
    }
    const created = await tx
      .insertInto('dunning_policy_assignments')
      .values({
        tenant_id: actor.tenantId,
        policy_id: body.policyId,
        customer_id: target.kind === 'customer' ? target.customerId : null,
        rating: target.kind === 'rating' ? target.rating : null,
        segment: target.kind === 'segment' ? target.segment : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const after = (await loadPolicies(tx, actor.tenantId))
      .flatMap((policy) => policy.assignments)
      .find((assignment) => assignment.id === created.id);
    if (!after) throw notFound('dunning assignment');
    await recordAudit(tx, actor, {
      action: 'dunning_assignment.set',
      entityType: 'dunning_assignment',
      entityId: created.id,
      before: previous ?? null,
      after,
    });
    return after;
  });
}

function sameTarget(a: DunningAssignment['target'], b: DunningAssignmentWrite['target']): boolean {
  if (a.kind === 'customer' && b.kind === 'customer') return a.customerId === b.customerId;
  if (a.kind === 'rating' && b.kind === 'rating') return a.rating === b.rating;
  if (a.kind === 'segment' && b.kind === 'segment') return a.segment === b.segment;
  return false;
}

export async function removeAssignment(deps: AppDeps, actor: Actor, assignmentId: string): Promise<void> {
  assertDunningManager(actor);
  await deps.db.tenant(actor.tenantId, async (tx) => {
    const existing = (await loadPolicies(tx, actor.tenantId))
      .flatMap((policy) => policy.assignments)
      .find((assignment) => assignment.id === assignmentId);
    if (!existing) throw notFound('dunning assignment');
    if (existing.target.kind === 'customer')
      await visibleCustomerOrThrow(tx, actor, existing.target.customerId);
    await tx
      .deleteFrom('dunning_policy_assignments')
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', assignmentId)
      .execute();
    await recordAudit(tx, actor, {
      action: 'dunning_assignment.remove',
      entityType: 'dunning_assignment',
      entityId: assignmentId,
      before: existing,
    });
  });
}
