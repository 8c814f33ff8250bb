import { randomUUID } from 'node:crypto';
import { LETTER_KINDS, type CalendarDate, type LetterKind, type LetterLocale } from '@huikuan/core';
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit';
import type { Database, Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { registerJob, scheduleEvery } from '../../platform/jobs';
import { arrayLiteral, textArrayLiteral } from '../dunning/array-literals';
import {
  firstContextOf,
  type DunningActionContext,
  type DunningActionOutcome,
  type DunningGroupOutcome,
  type GroupStepExecutor,
} from '../dunning/step-registry';
import { archiveLetter, archivedLetterBySourceKey, lockSourceKey } from './archive-letter';
import { renderLetterDetail } from './render-letter';
import {
  groupsByKey,
  chasedItemsOf,
  dunningAuditActor,
  lockSourceKeys,
  organizationLocale,
  stepKey,
} from './step-support';

/**
 * The ladder's 催款函 step, rendered after the run (migration 0017). A letter is about a customer: the first of a
 * customer's actions in a run asks for one letter over all of its chased overdue items as of the run's date, the
 * others point at the same letter. In the run's transaction the step only writes a pending row with the id the
 * letter will have; after commit the letters module draws the PDF, archives it and queues its e-mail — in one
 * transaction that also deletes the pending row, under the source key (unique in the archive, and locked), so a
 * letter is archived at most once and a crash before it leaves the row for the next pass. A rolled-back batch
 * leaves nothing to render.
 */

export const INCLUDED_DETAIL = 'included in the letter to this customer in this run';

/** A policy may name another letter kind as the step's template (e.g. a softer 付款提醒 at +30). */
function letterKindOf(context: DunningActionContext): LetterKind {
  const named = context.step.templateKey;
  return named && (LETTER_KINDS as readonly string[]).includes(named)
    ? (named as LetterKind)
    : 'dunning_letter';
}

/** Letters already archived or waiting for these keys, by key (one statement). */
async function lettersByKey(tx: Tx, tenantId: string, keys: readonly string[]): Promise<Map<string, string>> {
  const rows = await sql<{ source_key: string; id: string }>`
    SELECT source_key, id FROM letters WHERE tenant_id = ${tenantId} AND source_key = ANY(${[...keys]}::text[])
    UNION ALL
    SELECT source_key, letter_id FROM pending_dunning_letters
    WHERE tenant_id = ${tenantId} AND source_key = ANY(${[...keys]}::text[])`.execute(tx);
  return new Map(rows.rows.map((row) => [row.source_key, row.id]));
}

type PendingLetter = {
  letterId: string;
  key: string;
  kind: LetterKind;
  context: DunningActionContext;
  invoiceCount: number;
};

async function insertPending(
  tx: Tx,
  tenantId: string,
  locale: LetterLocale,
  pending: readonly PendingLetter[],
): Promise<void> {
  if (pending.length === 0) return;
  await sql`
    INSERT INTO pending_dunning_letters (tenant_id, letter_id, source_key, kind, customer_id, as_of, locale, run_id,
      dunning_action_id)
    SELECT ${tenantId}::uuid, v.letter_id, v.source_key, v.kind, v.customer_id, v.as_of, ${locale}, v.run_id,
      v.action_id
    FROM unnest(${arrayLiteral(pending.map((letter) => letter.letterId))}::uuid[],
      ${textArrayLiteral(pending.map((letter) => letter.key))}::text[],
      ${arrayLiteral(pending.map((letter) => letter.kind))}::text[],
      ${arrayLiteral(pending.map((letter) => letter.context.customer.id))}::uuid[],
      ${arrayLiteral(pending.map((letter) => letter.context.asOf))}::date[],
      ${arrayLiteral(pending.map((letter) => letter.context.runId))}::uuid[],
      ${arrayLiteral(pending.map((letter) => letter.context.actionId))}::uuid[])
      AS v (letter_id, source_key, kind, customer_id, as_of, run_id, action_id)`.execute(tx);
}

/** The dunning_letter executor for a batch's groups: a fixed number of statements however many actions. */
export const queueDunningLetters: GroupStepExecutor = async (groups) => {
  const head = groups[0];
  if (!head) return [];
  const { tx, tenantId } = head;
  const byKey = groupsByKey('dunning', groups);
  const keys = [...byKey.keys()];
  await lockSourceKeys(tx, keys);
  const known = await lettersByKey(tx, tenantId, keys);
  const locale = await organizationLocale(tx, tenantId);
  const pending: PendingLetter[] = [];
  for (const [key, [group]] of byKey) {
    if (!group || known.has(key)) continue;
    const first = firstContextOf(group);
    const invoiceCount = (await chasedItemsOf(first, 'dunning_letter', locale)).length;
    pending.push({ letterId: randomUUID(), key, kind: letterKindOf(first), context: first, invoiceCount });
  }
  await insertPending(tx, tenantId, locale, pending);
  for (const letter of pending) known.set(letter.key, letter.letterId);
  const askers = new Map(pending.map((letter) => [letter.context.actionId, letter]));
  return groups.map((group): DunningGroupOutcome => {
    const refId = known.get(stepKey('dunning', group));
    if (refId === undefined) throw new Error(`no letter for ${stepKey('dunning', group)}`);
    const included: DunningActionOutcome = { outcome: 'queued', refId, detail: INCLUDED_DETAIL };
    const asker = askers.get(group.first.actionId);
    if (!asker) return { first: included, others: included };
    const detail = `${asker.kind} rendered after the run: ${asker.invoiceCount} invoice(s)`;
    return { first: { outcome: 'queued', refId, detail }, others: included };
  });
};

type PendingRow = {
  letter_id: string;
  source_key: string;
  kind: string;
  customer_id: string;
  as_of: string;
  locale: string;
  run_id: string;
  dunning_action_id: string;
};

export type RenderReport = { rendered: number; notNeeded: number; failed: number };

/**
 * Renders one pending letter in its own transaction, if no other worker holds it: archives it (with its e-mail)
 * unless the archive already has its key, and deletes the pending row. Answers what happened.
 */
async function renderOne(
  db: Database,
  tenantId: string,
  letterId: string,
): Promise<'rendered' | 'not_needed' | 'taken' | 'archived_before'> {
  return db.tenant(tenantId, async (tx) => {
    const taken = await sql<PendingRow>`
      SELECT letter_id, source_key, kind, customer_id, as_of, locale, run_id, dunning_action_id
      FROM pending_dunning_letters WHERE tenant_id = ${tenantId} AND letter_id = ${letterId}
      FOR UPDATE SKIP LOCKED`.execute(tx);
    const row = taken.rows[0];
    if (!row) return 'taken';
    await lockSourceKey(tx, row.source_key);
    const isArchived = (await archivedLetterBySourceKey(tx, tenantId, row.source_key)) !== undefined;
    const outcome = isArchived ? 'archived_before' : await archivePending(tx, tenantId, row);
    await sql`DELETE FROM pending_dunning_letters WHERE tenant_id = ${tenantId} AND letter_id = ${letterId}`.execute(
      tx,
    );
    return outcome;
  });
}

async function archivePending(tx: Tx, tenantId: string, row: PendingRow): Promise<'rendered' | 'not_needed'> {
  const locale: LetterLocale = row.locale === 'en' ? 'en' : 'zh-CN';
  const request = {
    tenantId,
    kind: row.kind as LetterKind,
    customerId: row.customer_id,
    asOf: row.as_of as CalendarDate,
    locale,
  };
  const actor = dunningAuditActor(tenantId, row.run_id);
  const rendered = await renderLetterDetail(tx, { ...request, isChasedOnly: true });
  if (rendered.invoiceIds.length === 0) {
    // Paid, credited or paused between the run and now (as of the run's date): nothing to demand.
    await recordAudit(tx, actor, {
      action: 'letter.dunning_letter_not_needed',
      entityType: 'letter',
      entityId: row.letter_id,
      after: {
        asOf: row.as_of,
        reason: 'nothing overdue is being chased any more',
        sourceKey: row.source_key,
      },
    });
    return 'not_needed';
  }
  await archiveLetter(tx, {
    actor,
    request,
    rendered,
    source: { kind: 'dunning_action', key: row.source_key, actionId: row.dunning_action_id },
    isEmailed: true,
    letterId: row.letter_id,
  });
  return 'rendered';
}

/**
 * Renders an organization's pending letters, oldest first, until none is left (or `budgetMs` has passed). One
 * failure is counted and left pending for the next pass; the others go on.
 */
export async function renderPendingLetters(
  db: Database,
  tenantId: string,
  options: { budgetMs?: number; onRendered?: (report: RenderReport) => void } = {},
): Promise<RenderReport> {
  const report: RenderReport = { rendered: 0, notNeeded: 0, failed: 0 };
  const started = Date.now();
  const failed: string[] = [];
  for (;;) {
    const ids = await db.tenant(tenantId, (tx) => nextPending(tx, tenantId, failed));
    if (ids.length === 0) return report;
    for (const id of ids) {
      try {
        const outcome = await renderOne(db, tenantId, id);
        if (outcome === 'rendered') report.rendered += 1;
        if (outcome === 'not_needed') report.notNeeded += 1;
      } catch (error) {
        failed.push(id);
        report.failed += 1;
        console.error(`letter ${id} not rendered: ${error instanceof Error ? error.message : String(error)}`);
      }
      options.onRendered?.(report);
      if (options.budgetMs !== undefined && Date.now() - started > options.budgetMs) return report;
    }
  }
}

async function nextPending(tx: Tx, tenantId: string, skipped: readonly string[]): Promise<string[]> {
  const rows = await sql<{ letter_id: string }>`
    SELECT letter_id FROM pending_dunning_letters
    WHERE tenant_id = ${tenantId} AND NOT (letter_id = ANY(${arrayLiteral(skipped)}::uuid[]))
    ORDER BY created_at, letter_id LIMIT 100`.execute(tx);
  return rows.rows.map((row) => row.letter_id);
}

export const RENDER_JOB = 'letters.render-pending';
const EVERY_SECONDS = 60;
/** One tick renders for a while, then hands over before the next tick is due. */
const TICK_BUDGET_MS = 50_000;

/** Every organization's pending letters, within one tick's budget: picks up whatever a crash left behind. */
export async function renderTick(deps: Pick<AppDeps, 'db'>): Promise<void> {
  const tenants = await deps.db.system((tx) =>
    sql<{ tenant_id: string }>`SELECT DISTINCT tenant_id FROM pending_dunning_letters`.execute(tx),
  );
  const started = Date.now();
  for (const { tenant_id: tenantId } of tenants.rows) {
    const left = TICK_BUDGET_MS - (Date.now() - started);
    if (left <= 0) return;
    await renderPendingLetters(deps.db, tenantId, { budgetMs: left });
  }
}

let isRegistered = false;

export function registerRenderJob(): void {
  if (isRegistered) return;
  isRegistered = true;
  registerJob(
    RENDER_JOB,
    async (_data, deps) => {
      await renderTick(deps);
    },
    { retryLimit: 0 },
  );
  scheduleEvery(RENDER_JOB, EVERY_SECONDS);
}
