import type { IncentiveSettings } from '@huikuan/core/contracts';
import { recordAudit } from '../../platform/audit';
import type { AppDeps } from '../../platform/deps';
import type { Actor } from '../../platform/request-context';
import { loadIncentiveContext, requireFinanceRole } from './incentive-context';

export async function getIncentiveSettings(deps: AppDeps, actor: Actor): Promise<IncentiveSettings> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const context = await loadIncentiveContext(tx, actor.tenantId, deps.clock);
    return { accountabilityMode: context.accountabilityMode, keyCustomerTag: context.keyCustomerTag };
  });
}

/** 买卖制 and the key-account tag are the organization's choice: finance or an admin sets them. */
export async function updateIncentiveSettings(
  deps: AppDeps,
  actor: Actor,
  input: IncentiveSettings,
): Promise<IncentiveSettings> {
  requireFinanceRole(actor);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await tx
      .selectFrom('incentive_settings')
      .selectAll()
      .where('tenant_id', '=', actor.tenantId)
      .executeTakeFirst();
    const values = {
      accountability_mode: input.accountabilityMode,
      key_customer_tag: input.keyCustomerTag,
      updated_by_user_id: actor.userId,
      updated_at: deps.clock.now(),
    };
    const after = await tx
      .insertInto('incentive_settings')
      .values({ tenant_id: actor.tenantId, ...values })
      .onConflict((conflict) => conflict.column('tenant_id').doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'incentive_settings.updated',
      entityType: 'organization',
      entityId: actor.tenantId,
      before: before ?? null,
      after,
    });
    return { accountabilityMode: after.accountability_mode, keyCustomerTag: after.key_customer_tag };
  });
}
