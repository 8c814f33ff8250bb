import { DEFAULT_CREDIT_SETTINGS, minorToDecimalString, type CreditSettings } from '@huikuan/core';
import type { CreditSettingsBody, UpdateCreditSettingsRequest } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import { amountMinorOrThrow } from '../../platform/money-input';
import type { Actor } from '../../platform/request-context';

/** The organization's credit rules with the currency of the dispute threshold and the time zone that makes today. */
export type CreditContext = {
  settings: CreditSettings;
  disputeHoldCurrency: string;
  baseCurrency: string;
  timezone: string;
};

/** One query: the organization and its credit settings (the defaults of core/src/credit.ts when it has none). */
export async function loadCreditContext(tx: Tx, tenantId: string): Promise<CreditContext> {
  const row = await tx
    .selectFrom('organizations as o')
    .leftJoin('credit_settings as s', 's.tenant_id', 'o.tenant_id')
    .select([
      'o.base_currency',
      'o.timezone',
      's.warning_bp',
      's.overdue_hold_days',
      's.dispute_hold_threshold_minor',
      's.dispute_hold_currency',
    ])
    .where('o.tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const baseCurrency = row.base_currency.trim();
  if (
    row.warning_bp === null ||
    row.overdue_hold_days === null ||
    row.dispute_hold_threshold_minor === null
  ) {
    return {
      settings: DEFAULT_CREDIT_SETTINGS,
      disputeHoldCurrency: baseCurrency,
      baseCurrency,
      timezone: row.timezone,
    };
  }
  return {
    settings: {
      warningBp: row.warning_bp,
      overdueHoldDays: row.overdue_hold_days,
      disputeHoldThresholdMinor: row.dispute_hold_threshold_minor,
    },
    disputeHoldCurrency: (row.dispute_hold_currency ?? baseCurrency).trim(),
    baseCurrency,
    timezone: row.timezone,
  };
}

export function creditSettingsBody(context: CreditContext): CreditSettingsBody {
  return {
    warningBp: context.settings.warningBp,
    overdueHoldDays: context.settings.overdueHoldDays,
    disputeHoldThreshold: minorToDecimalString(
      context.settings.disputeHoldThresholdMinor,
      context.disputeHoldCurrency,
    ),
    disputeHoldCurrency: context.disputeHoldCurrency,
  };
}

export async function getCreditSettings(deps: AppDeps, actor: Actor): Promise<CreditSettingsBody> {
  return creditSettingsBody(
    await deps.db.tenant(actor.tenantId, (tx) => loadCreditContext(tx, actor.tenantId)),
  );
}

/**
 * Only admins and finance set the credit rules: they decide who gets supplied. The dispute threshold is in the base
 * currency. Changing the rules does not by itself record holds; the next evaluation of each customer does.
 */
export async function updateCreditSettings(
  deps: AppDeps,
  actor: Actor,
  body: UpdateCreditSettingsRequest,
): Promise<CreditSettingsBody> {
  if (actor.role !== 'admin' && actor.role !== 'finance') throw new AppError('forbidden');
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await loadCreditContext(tx, actor.tenantId);
    const currency = before.baseCurrency;
    const thresholdMinor = amountMinorOrThrow(
      body.disputeHoldThreshold,
      currency,
      'disputeHoldThreshold',
      'non_negative',
    );
    const values = {
      warning_bp: body.warningBp,
      overdue_hold_days: body.overdueHoldDays,
      dispute_hold_threshold_minor: thresholdMinor,
      dispute_hold_currency: currency,
      updated_by_user_id: actor.userId,
    };
    await tx
      .insertInto('credit_settings')
      .values({ tenant_id: actor.tenantId, ...values })
      .onConflict((conflict) =>
        conflict.column('tenant_id').doUpdateSet({ ...values, updated_at: sql<Date>`now()` }),
      )
      .execute();
    const after = await loadCreditContext(tx, actor.tenantId);
    await recordAudit(tx, actor, {
      action: 'credit_settings.update',
      entityType: 'credit_settings',
      entityId: actor.tenantId,
      before: creditSettingsBody(before),
      after: creditSettingsBody(after),
    });
    return creditSettingsBody(after);
  });
}
