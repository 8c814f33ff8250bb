import type { LetterLocale } from '@huikuan/core';
import type { AuditActor } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { DunningActionContext } from '../dunning/step-registry';

/** What the letter steps share: the organization's language, the run as the audit's actor, the step's key. */

export async function organizationLocale(tx: Tx, tenantId: string): Promise<LetterLocale> {
  const row = await tx
    .selectFrom('organizations')
    .select('locale')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return row.locale === 'en' ? 'en' : 'zh-CN';
}

export function dunningAuditActor(tenantId: string, runId: string): AuditActor {
  return { tenantId, userId: null, tokenId: null, requestId: `dunning-run:${runId}`, ip: 'system' };
}

/** The key of what one step does for one customer in one run. */
export function stepKey(prefix: string, context: DunningActionContext): string {
  return `${prefix}:${context.runId}:${context.customer.id}:${context.step.kind}:${context.step.offsetDays}`;
}
