import { DEFAULT_AGING_SETTINGS, type AgingSettings } from '@huikuan/core';
import { agingSettingsSchema, type AgingSettingsBody } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';

/** The organization's context for a report: its base currency, time zone and aging settings, in one query. */
export type AgingContext = { baseCurrency: string; timezone: string; settings: AgingSettings };

export async function loadAgingContext(tx: Tx, tenantId: string): Promise<AgingContext> {
  const row = await tx
    .selectFrom('organizations as o')
    .leftJoin('aging_settings as s', 's.tenant_id', 'o.tenant_id')
    .select([
      'o.base_currency',
      'o.timezone',
      's.bucket_bounds_days',
      's.class_bounds_days',
      's.provision_bp',
    ])
    .where('o.tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return { baseCurrency: row.base_currency, timezone: row.timezone, settings: settingsOf(row) };
}

function settingsOf(row: {
  bucket_bounds_days: number[] | null;
  class_bounds_days: number[] | null;
  provision_bp: unknown;
}): AgingSettings {
  if (row.bucket_bounds_days === null || row.class_bounds_days === null) return DEFAULT_AGING_SETTINGS;
  // A stored row was validated on the way in; parsing again keeps a hand-edited row from producing nonsense.
  return agingSettingsSchema.parse({
    bucketBoundsDays: row.bucket_bounds_days,
    classBoundsDays: row.class_bounds_days,
    provisionBp: row.provision_bp,
  });
}

export async function getAgingSettings(deps: AppDeps, actor: Actor): Promise<AgingSettingsBody> {
  const context = await deps.db.tenant(actor.tenantId, (tx) => loadAgingContext(tx, actor.tenantId));
  return toBody(context.settings);
}

function toBody(settings: AgingSettings): AgingSettingsBody {
  return {
    bucketBoundsDays: [...settings.bucketBoundsDays],
    classBoundsDays: [...settings.classBoundsDays],
    provisionBp: { ...settings.provisionBp },
  };
}

/** Only admins and finance set the organization's aging rules; they change every report and the provision. */
export async function updateAgingSettings(
  deps: AppDeps,
  actor: Actor,
  body: AgingSettingsBody,
): Promise<AgingSettingsBody> {
  if (actor.role !== 'admin' && actor.role !== 'finance') throw new AppError('forbidden');
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const before = (await loadAgingContext(tx, actor.tenantId)).settings;
    await tx
      .insertInto('aging_settings')
      .values({
        tenant_id: actor.tenantId,
        bucket_bounds_days: body.bucketBoundsDays,
        class_bounds_days: body.classBoundsDays,
        provision_bp: JSON.stringify(body.provisionBp),
        updated_by_user_id: actor.userId,
      })
      .onConflict((conflict) =>
        conflict.column('tenant_id').doUpdateSet({
          bucket_bounds_days: body.bucketBoundsDays,
          class_bounds_days: body.classBoundsDays,
          provision_bp: JSON.stringify(body.provisionBp),
          updated_by_user_id: actor.userId,
          updated_at: sql<Date>`now()`,
        }),
      )
      .execute();
    await recordAudit(tx, actor, {
      action: 'aging_settings.update',
      entityType: 'aging_settings',
      entityId: actor.tenantId,
      before: toBody(before),
      after: body,
    });
    return body;
  });
}
