import type { LetterLocale } from '@huikuan/core';
import { sql } from 'kysely';
import type { AuditActor } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { DunningActionContext, DunningStepGroup } from '../dunning/step-registry';
import { openItems } from './letter-data';

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
export function stepKey(
  prefix: string,
  context: Pick<DunningActionContext, 'runId' | 'customer' | 'step'>,
): string {
  return `${prefix}:${context.runId}:${context.customer.id}:${context.step.kind}:${context.step.offsetDays}`;
}

/** A batch's groups by step key (one customer's step in the run), in order: the first of each does the work. */
export function groupsByKey(
  prefix: string,
  groups: readonly DunningStepGroup[],
): Map<string, DunningStepGroup[]> {
  const byKey = new Map<string, DunningStepGroup[]>();
  for (const group of groups) {
    const key = stepKey(prefix, group);
    const list = byKey.get(key);
    if (list) list.push(group);
    else byKey.set(key, [group]);
  }
  return byKey;
}

/**
 * lockSourceKey for many keys in one statement, in a fixed order so that two transactions locking overlapping sets
 * cannot deadlock.
 */
export async function lockSourceKeys(tx: Tx, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const sorted = [...keys].sort();
  await sql`
    SELECT pg_advisory_xact_lock(hashtextextended('letters:' || k.key, 0))
    FROM unnest(${sorted}::text[]) WITH ORDINALITY AS k (key, n) ORDER BY k.n`.execute(tx);
}

/** An overdue item a letter or request about a customer lists, with the part still chased. */
export type ChasedLetterItem = {
  id: string;
  number: string;
  currency: string;
  chasedMinor: bigint;
  daysOverdue: number;
};

/**
 * The customer's chased overdue items as of the run's date: from the run's snapshot when the run lends it, else read
 * from the ledger (an action that does not come from a run).
 */
export async function chasedItemsOf(
  context: Pick<DunningActionContext, 'tx' | 'tenantId' | 'customer' | 'asOf' | 'customerItems'>,
  kind: 'dunning_letter' | 'lawyer_letter',
  locale: LetterLocale,
): Promise<ChasedLetterItem[]> {
  if (context.customerItems) {
    return context.customerItems().map((item) => ({
      id: item.invoiceId,
      number: item.number,
      currency: item.currency,
      chasedMinor: item.chasedMinor,
      daysOverdue: item.daysOverdue,
    }));
  }
  const items = await openItems(context.tx, {
    tenantId: context.tenantId,
    kind,
    customerId: context.customer.id,
    locale,
    asOf: context.asOf,
    isChasedOnly: true,
  });
  return items.map((item) => ({
    id: item.id,
    number: item.number,
    currency: item.currency,
    chasedMinor: item.openMinor,
    daysOverdue: item.daysOverdue,
  }));
}
