import type { CalendarDate } from '@huikuan/core';
import { sql } from 'kysely';
import { recordAudit, type AuditActor } from '../../platform/audit';
import type { Database, Tx } from '../../platform/db';
import { executeActions, type RecordedAction } from './execute-actions';
import { openItemsAsOf, type OpenItem } from './open-items';
import {
  loadRunContext,
  planBatch,
  type BatchPlan,
  type PlannedAction,
  type RunContext,
} from './run-context';

/**
 * A dunning run: every open item of one organization as of a date. The run reads the open items with the steps already
 * done for each in one set-based statement (a consistent snapshot: a receipt recorded during the run's seconds is seen
 * by the next run), then works in batches of 5,000 items, one transaction each for a batch with anything due: plan (pure), the steps' executors, one
 * INSERT of the actions (UNIQUE per invoice and step) and the run's progress. A crash loses at most the batch in
 * flight; starting again reads what was recorded and skips it, so nothing is sent twice and nothing is lost.
 */

export const DEFAULT_BATCH_SIZE = 5000;
/** How often a run that commits nothing (every batch already done) still writes its progress and heartbeat. */
const PROGRESS_EVERY_MS = 1000;
const MAX_STORED_ERRORS = 100;
/** A run whose heartbeat is older than this is taken for dead (its process was killed or the machine stopped). */
export const STALE_RUN_SECONDS = 120;

export type RunSource = 'manual' | 'schedule' | 'cli';

export type RunOptions = {
  batchSize?: number;
  /** Collect every fired action in the result (the CLI prints them); off for the scheduled run. */
  shouldCollectActions?: boolean;
  onProgress?: (progress: RunProgress) => void;
  /** Called after each committed batch (tests use it to stop a run in the middle). */
  afterBatch?: (batchesDone: number) => Promise<void>;
};

export type RunProgress = { total: number; done: number; fired: number };

export type RunResult = {
  runId: string;
  asOf: CalendarDate;
  status: 'succeeded' | 'failed';
  total: number;
  fired: number;
  paused: number;
  countsByKind: Record<string, number>;
  errorCount: number;
  actions: RecordedAction[];
};

type RunError = { invoice: string; step: string; message: string };

type Tally = {
  done: number;
  fired: number;
  paused: number;
  countsByKind: Record<string, number>;
  errors: RunError[];
  errorCount: number;
  actions: RecordedAction[];
  /** When the run's progress row was last written (performance.now()). */
  progressWrittenAt: number;
};

/** Runs started by this process and not finished: never taken for stale here. */
const activeRunIds = new Set<string>();

export function isRunActiveHere(runId: string): boolean {
  return activeRunIds.has(runId);
}

/**
 * Records the run (status running) and marks runs that can no longer be running as interrupted: on the embedded
 * database only this process can run anything (the data directory is locked), so every other running run is dead; on
 * PostgreSQL a run is dead once its heartbeat is stale.
 */
export async function beginRun(
  db: Database,
  actor: AuditActor,
  asOf: CalendarDate,
  source: RunSource,
): Promise<string> {
  return db.tenant(actor.tenantId, async (tx) => {
    await markDeadRuns(tx, actor.tenantId, db.kind === 'pglite');
    const run = await tx
      .insertInto('dunning_runs')
      .values({ tenant_id: actor.tenantId, as_of: asOf, source, started_by_user_id: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    activeRunIds.add(run.id);
    await recordAudit(tx, actor, {
      action: 'dunning.run_started',
      entityType: 'dunning_run',
      entityId: run.id,
      after: { asOf, source },
    });
    return run.id;
  });
}

async function markDeadRuns(tx: Tx, tenantId: string, isSoleProcess: boolean): Promise<void> {
  const running = await tx
    .selectFrom('dunning_runs')
    .select(['id'])
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'running')
    .where(
      isSoleProcess
        ? sql<boolean>`true`
        : sql<boolean>`heartbeat_at < now() - make_interval(secs => ${STALE_RUN_SECONDS})`,
    )
    .execute();
  const dead = running.map((run) => run.id).filter((id) => !activeRunIds.has(id));
  if (dead.length === 0) return;
  await tx
    .updateTable('dunning_runs')
    .set({ status: 'interrupted', finished_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', dead)
    .execute();
}

/** Runs a begun run to its end. Never throws for a failure inside the run: the run row records it. */
export async function executeRun(
  db: Database,
  tenantId: string,
  runId: string,
  asOf: CalendarDate,
  options: RunOptions = {},
): Promise<RunResult> {
  const tally: Tally = {
    done: 0,
    fired: 0,
    paused: 0,
    countsByKind: {},
    errors: [],
    errorCount: 0,
    actions: [],
    progressWrittenAt: performance.now(),
  };
  let total = 0;
  try {
    const { context, items } = await db.tenant(tenantId, async (tx) => {
      const loaded = await loadRunContext(tx, tenantId, asOf);
      const open = await openItemsAsOf(tx, tenantId, asOf, loaded.dueOnOrBefore);
      await tx
        .updateTable('dunning_runs')
        .set({ total_count: open.length, heartbeat_at: sql<Date>`now()` })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', runId)
        .execute();
      return { context: loaded, items: open };
    });
    total = items.length;
    options.onProgress?.({ total, done: 0, fired: 0 });
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    for (let start = 0, batches = 0; start < items.length; start += batchSize) {
      const batch = items.slice(start, start + batchSize);
      await runBatch(db, tenantId, runId, context, batch, tally, options);
      batches += 1;
      options.onProgress?.({ total, done: tally.done, fired: tally.fired });
      await options.afterBatch?.(batches);
    }
    await finishRun(db, tenantId, runId, 'succeeded', null, tally);
    return resultOf(runId, asOf, 'succeeded', total, tally);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await finishRun(db, tenantId, runId, 'failed', message.slice(0, 1000), tally).catch(() => undefined);
    return resultOf(runId, asOf, 'failed', total, tally);
  } finally {
    activeRunIds.delete(runId);
  }
}

function resultOf(
  runId: string,
  asOf: CalendarDate,
  status: RunResult['status'],
  total: number,
  tally: Tally,
): RunResult {
  return {
    runId,
    asOf,
    status,
    total,
    fired: tally.fired,
    paused: tally.paused,
    countsByKind: tally.countsByKind,
    errorCount: tally.errorCount,
    actions: tally.actions,
  };
}

/**
 * One batch. Planning is pure (from the run's snapshot), so a batch with nothing due — most of a daily run — writes
 * nothing and opens no transaction: its progress is written with the next batch that does something, or at least
 * every PROGRESS_EVERY_MS, or when the run finishes. A batch with actions is one transaction. When an executor throws,
 * the whole batch rolls back and is done again one item per transaction, so one bad item costs its own steps (left
 * for the next run, and listed in the run's errors) and nothing else.
 */
async function runBatch(
  db: Database,
  tenantId: string,
  runId: string,
  context: RunContext,
  batch: readonly OpenItem[],
  tally: Tally,
  options: RunOptions,
): Promise<void> {
  const plan = planBatch(context, batch);
  if (plan.actions.length === 0) {
    commitTally(tally, { recorded: [], paused: plan.pausedItems }, batch.length, options);
    if (performance.now() - tally.progressWrittenAt >= PROGRESS_EVERY_MS) {
      await db.tenant(tenantId, (tx) => writeProgress(tx, tenantId, runId, tally));
      tally.progressWrittenAt = performance.now();
    }
    return;
  }
  try {
    const outcome = await db.tenant(tenantId, (tx) =>
      processItems(tx, tenantId, runId, context, batch, plan, tally),
    );
    commitTally(tally, outcome, batch.length, options);
    tally.progressWrittenAt = performance.now();
  } catch {
    for (const item of batch) {
      try {
        const outcome = await db.tenant(tenantId, async (tx) => {
          // Redone on its own, the item is read again first: it sees whatever a concurrent run or a payment changed.
          const current = await openItemsAsOf(tx, tenantId, context.asOf, context.dueOnOrBefore, [
            item.invoiceId,
          ]);
          return processItems(tx, tenantId, runId, context, [item], planBatch(context, current), tally);
        });
        commitTally(tally, outcome, 1, options);
      } catch (error) {
        tally.errorCount += 1;
        tally.done += 1;
        if (tally.errors.length < MAX_STORED_ERRORS) {
          tally.errors.push({
            invoice: item.invoiceNumber,
            step: '',
            message: error instanceof Error ? error.message.slice(0, 500) : String(error),
          });
        }
        await db.tenant(tenantId, (tx) => writeProgress(tx, tenantId, runId, tally));
      }
      tally.progressWrittenAt = performance.now();
    }
  }
}

type BatchOutcome = { recorded: RecordedAction[]; paused: number };

function commitTally(tally: Tally, outcome: BatchOutcome, items: number, options: RunOptions): void {
  if (options.shouldCollectActions) tally.actions.push(...outcome.recorded);
  tally.done += items;
  tally.paused += outcome.paused;
  tally.fired += outcome.recorded.length;
  for (const action of outcome.recorded) {
    tally.countsByKind[action.planned.step.kind] = (tally.countsByKind[action.planned.step.kind] ?? 0) + 1;
  }
}

/** Does one batch's planned actions and writes the run's progress with them, in the caller's transaction. */
async function processItems(
  tx: Tx,
  tenantId: string,
  runId: string,
  context: RunContext,
  items: readonly OpenItem[],
  plan: BatchPlan,
  tally: Tally,
): Promise<BatchOutcome> {
  const recorded = await executeActions(tx, tenantId, runId, context.asOf, plan.actions);
  // The progress row is written with the batch, so it never claims more than was committed.
  const next: Tally = {
    ...tally,
    done: tally.done + items.length,
    paused: tally.paused + plan.pausedItems,
    fired: tally.fired + recorded.length,
    countsByKind: { ...tally.countsByKind },
  };
  for (const action of recorded) {
    next.countsByKind[action.planned.step.kind] = (next.countsByKind[action.planned.step.kind] ?? 0) + 1;
  }
  await writeProgress(tx, tenantId, runId, next);
  return { recorded, paused: plan.pausedItems };
}

async function writeProgress(tx: Tx, tenantId: string, runId: string, tally: Tally): Promise<void> {
  await tx
    .updateTable('dunning_runs')
    .set({
      done_count: tally.done,
      fired_count: tally.fired,
      paused_count: tally.paused,
      counts_by_kind: JSON.stringify(tally.countsByKind),
      errors: JSON.stringify(tally.errors),
      error_count: tally.errorCount,
      heartbeat_at: sql<Date>`now()`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', runId)
    .execute();
}

/** Ends the run with its final counts (batches with nothing to do may not have written theirs yet). */
async function finishRun(
  db: Database,
  tenantId: string,
  runId: string,
  status: 'succeeded' | 'failed',
  failure: string | null,
  tally: Tally,
): Promise<void> {
  await db.tenant(tenantId, async (tx) => {
    await writeProgress(tx, tenantId, runId, tally);
    await tx
      .updateTable('dunning_runs')
      .set({ status, failure, finished_at: sql<Date>`now()`, heartbeat_at: sql<Date>`now()` })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', runId)
      .execute();
  });
}

/** A preview computes the same plan without writing anything (its transaction is rolled back whatever happens). */
export async function previewRun(
  db: Database,
  tenantId: string,
  asOf: CalendarDate,
): Promise<{ openItems: number; pausedItems: number; heldBack: number; actions: PlannedAction[] }> {
  let result: { openItems: number; pausedItems: number; heldBack: number; actions: PlannedAction[] } | null =
    null;
  const rollback = new Error('preview: roll back');
  try {
    await db.tenant(tenantId, async (tx) => {
      const context = await loadRunContext(tx, tenantId, asOf);
      const items = await openItemsAsOf(tx, tenantId, asOf, context.dueOnOrBefore);
      const preview = {
        openItems: items.length,
        pausedItems: 0,
        heldBack: 0,
        actions: [] as PlannedAction[],
      };
      for (let start = 0; start < items.length; start += DEFAULT_BATCH_SIZE) {
        const plan = planBatch(context, items.slice(start, start + DEFAULT_BATCH_SIZE));
        preview.pausedItems += plan.pausedItems;
        preview.heldBack += plan.heldBack;
        preview.actions.push(...plan.actions);
      }
      result = preview;
      throw rollback;
    });
  } catch (error) {
    if (error !== rollback) throw error;
  }
  if (result === null) throw new Error('preview produced nothing');
  return result;
}
