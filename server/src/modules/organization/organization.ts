import type { Organization } from '@huikuan/core/contracts';
import type { z } from 'zod';
import type { updateOrganizationRequestSchema } from '@huikuan/core/contracts';
import { recordAudit } from '../../platform/audit';
import type { AppDeps } from '../../platform/deps';
import { notFound } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { toOrganizationView } from '../auth/sessions';

export async function getOrganization(deps: AppDeps, actor: Actor): Promise<Organization> {
  const row = await deps.db.tenant(actor.tenantId, (tx) =>
    tx.selectFrom('organizations').selectAll().where('tenant_id', '=', actor.tenantId).executeTakeFirst(),
  );
  if (!row) throw notFound('organization');
  return toOrganizationView(row);
}

export type OrganizationUpdate = z.output<typeof updateOrganizationRequestSchema>;

/** Name, time zone, locale and base currency; the slug stays fixed because people sign in with it. */
export async function updateOrganization(
  deps: AppDeps,
  actor: Actor,
  input: OrganizationUpdate,
): Promise<Organization> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await tx
      .selectFrom('organizations')
      .selectAll()
      .where('tenant_id', '=', actor.tenantId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw notFound('organization');
    const after = await tx
      .updateTable('organizations')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.timezone !== undefined ? { timezone: input.timezone } : {}),
        ...(input.locale !== undefined ? { locale: input.locale } : {}),
        ...(input.baseCurrency !== undefined ? { base_currency: input.baseCurrency } : {}),
        updated_at: deps.clock.now(),
      })
      .where('tenant_id', '=', actor.tenantId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'organization.updated',
      entityType: 'organization',
      entityId: actor.tenantId,
      before,
      after,
    });
    return toOrganizationView(after);
  });
}
