import type { CalendarDate } from '@huikuan/core';
import { sql } from 'kysely';
import { recordAudit, type AuditActor } from '../../platform/audit';
import type { Database, Tx } from '../../platform/db';
import {
  executeActions,
  type ExecutedActions,
  type ExecutionSupport,
  type RecordedAction,
} from './execute-actions';
import { openItemsAsOf, openItemsInChunks, type OpenItem } from './open-items';
import {
  chasedItemsIndex,
  loadRunContext,
  planBatch,
  type BatchPlan,
  type PlannedAction,
  type RunContext,
} from './run-context';

/**
 * A dunning run: every open item of one organization as of a date. The run reads the open items with the steps already
 * done for each in one set-based statement (a consistent snapshot: a receipt recorded during the run's seconds is seen
 * by the next run), through a cursor, and works on them as they come, in batches of about 5,000 items that never
 * split a customer, two in flight at once on PostgreSQL, one transaction each for a batch with anything due: plan
 * (pure), the steps' executors, one INSERT of the actions (grouped per customer and step; the done-steps trigger
 * refuses a step recorded twice for an invoice) and the run's progress. A crash loses at most the batches in flight; starting again reads what was recorded and
 * skips it, so nothing is sent twice and nothing is lost.
 */

export const DEFAULT_BATCH_SIZE = 5000;
/**
 * Batches in flight at once on PostgreSQL: while its backend writes one batch, this process plans and prepares the
 * other (a catch-up run's CPU is about 40% here and 60% in PostgreSQL, so on 2 cores one at a time leaves one
 * idle). The embedded database has one connection: one at a time there.
 */
export const DEFAULT_LANES = 2;
/** Customers per fetch of the run's snapshot: about 28,000 open items (six batches) at the benchmark's size. */
const CUSTOMERS_PER_CHUNK = 1000;
/** How often a run that commits nothing (every batch already done) still writes its progress and heartbeat. */
const PROGRESS_EVERY_MS = 1000;
const MAX_STORED_ERRORS = 100;
/** A run whose heartbeat is older than this is taken for dead (its process was killed or the machine stopped). */
export const STALE_RUN_SECONDS = 120;

export type RunSource = 'manual' | 'schedule' | 'cli';

export type RunOptions = {
  batchSize?: number;
  /** Batches in flight at once (default: DEFAULT_LANES on PostgreSQL, 1 on the embedded database). */
  lanes?: number;
  /** Customers per fetch of the snapshot (default: CUSTOMERS_PER_CHUNK). */
  customersPerChunk?: number;
  /** Collect every fired action in the result (the CLI prints them); off for the scheduled run. */
  shouldCollectActions?: boolean;
  onProgress?: (progress: RunProgress) => void;
  /** Called after each committed batch (tests use it to stop a run in the middle). */
  afterBatch?: (batchesDone: number) => Promise<void>;
  /** Where the run's time goes, phase by phase (the benchmark adds them up). */
  onPhase?: (phase: string, ms: number) => void;
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
  /** Progress of batches with nothing to do, not written yet. */
  unwritten: ProgressDelta;
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
    unwritten: NO_PROGRESS,
  };
  let total = 0;
  try {
    const snapshotStarted = performance.now();
    const context = await db.tenant(tenantId, (tx) => loadRunContext(tx, tenantId, asOf));
    const chased = chasedItemsIndex(context);
    const support: ExecutionSupport = {
      customerItems: chased.of,
      ...(options.onPhase ? { onPhase: options.onPhase } : {}),
    };
    const shared: RunShared = { context, support };
    const queue = new BatchQueue<OpenItem[]>();
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const customersPerChunk = options.customersPerChunk ?? CUSTOMERS_PER_CHUNK;
    // The snapshot is read a chunk of customers at a time in its own transaction, and its batches start as their
    // chunk arrives (PostgreSQL builds the next chunk's arrays meanwhile). The embedded database has one connection:
    // there the snapshot is read whole first.
    const snapshot = db
      .tenant(tenantId, (tx) =>
        openItemsInChunks(tx, tenantId, asOf, context.dueOnOrBefore, customersPerChunk, async (items) => {
          // The run's total grows by each chunk before any of its batches can count itself done (done ≤ total):
          // committed at once on PostgreSQL, where batches run meanwhile; in the snapshot's own transaction on the
          // embedded database, whose one connection it holds.
          if (db.kind === 'postgres') {
            await db.tenant(tenantId, (progressTx) => addToTotal(progressTx, tenantId, runId, items.length));
          } else await addToTotal(tx, tenantId, runId, items.length);
          chased.add(items);
          total += items.length;
          for (const batch of customerBatches(items, batchSize)) queue.push(batch);
          options.onProgress?.({ total, done: tally.done, fired: tally.fired });
        }),
      )
      .then(
        () => {
          options.onPhase?.('snapshot', performance.now() - snapshotStarted);
          queue.close();
        },
        (error: unknown) => {
          queue.close();
          throw error;
        },
      );
    if (db.kind !== 'postgres') await snapshot;
    let batches = 0;
    // A test's hook after a batch holds back the batches not started yet (it stops a run in the middle).
    let hooks = Promise.resolve();
    try {
      await inLanes(
        () => queue.next(),
        options.lanes ?? (db.kind === 'postgres' ? DEFAULT_LANES : 1),
        async (batch) => {
          await hooks;
          await runBatch(db, tenantId, runId, shared, batch, tally, options);
          batches += 1;
          options.onProgress?.({ total, done: tally.done, fired: tally.fired });
          const done = batches;
          hooks = hooks.then(() => options.afterBatch?.(done));
          await hooks;
        },
      );
    } finally {
      // Its failure is the run's, after the batches in flight have ended.
      await snapshot;
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
 * The run's items cut into batches of about `size`, never splitting a customer: what a step makes for a customer
 * (its visit, its 律师函 request, its letter) is then made in one transaction with all of the customer's actions of
 * that step, not looked up again by the next batch. A customer with more items than `size` is a batch of its own.
 */
export function customerBatches<T extends { customerId: string }>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  let start = 0;
  while (start < items.length) {
    let end = Math.min(start + size, items.length);
    while (end < items.length && items[end]?.customerId === items[end - 1]?.customerId) end += 1;
    batches.push(items.slice(start, end));
    start = end;
  }
  return batches;
}

/** Batches handed from the snapshot's reader to the lanes: `next` waits for one, or answers null once closed. */
class BatchQueue<T> {
  private readonly ready: T[] = [];
  private readonly waiting: ((batch: T | null) => void)[] = [];
  private isClosed = false;

  push(batch: T): void {
    const waiter = this.waiting.shift();
    if (waiter) waiter(batch);
    else this.ready.push(batch);
  }

  close(): void {
    this.isClosed = true;
    for (const waiter of this.waiting.splice(0)) waiter(null);
  }

  next(): Promise<T | null> {
    if (this.ready.length > 0) return Promise.resolve(this.ready.shift() as T);
    if (this.isClosed) return Promise.resolve(null);
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

/**
 * Runs `work` over the batches `next` hands out, with at most `lanes` of them in flight, each in its own
 * transaction on its own connection. Batches never split a customer, so two in flight never touch the same
 * customer's rows (its visit, its request, its hold). Waits for every batch in flight before it answers, also when
 * one fails.
 */
async function inLanes<T>(
  next: () => Promise<T | null>,
  lanes: number,
  work: (batch: T) => Promise<void>,
): Promise<void> {
  const state: { failure: Error | null } = { failure: null };
  const lane = async (): Promise<void> => {
    while (state.failure === null) {
      const batch = await next();
      if (batch === null || state.failure !== null) return;
      await work(batch).catch((error: unknown) => {
        state.failure ??= error instanceof Error ? error : new Error(String(error));
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, lanes) }, lane));
  if (state.failure !== null) throw state.failure;
}

/** What every batch of a run shares: the run's context and what the executors may use of its snapshot. */
type RunShared = { context: RunContext; support: ExecutionSupport };

/** Counts added to the run's progress row: by the transaction that did them, so it never claims more. */
type ProgressDelta = {
  done: number;
  fired: number;
  paused: number;
  countsByKind: Record<string, number>;
  errorCount: number;
};

const NO_PROGRESS: ProgressDelta = { done: 0, fired: 0, paused: 0, countsByKind: {}, errorCount: 0 };

/**
 * One batch. Planning is pure (from the run's snapshot), so a batch with nothing due — most of a daily run — writes
 * nothing and opens no transaction: its progress is added with a later write, at least every PROGRESS_EVERY_MS, or
 * when the run finishes. A batch with actions is one transaction. When an executor throws, the whole batch rolls
 * back and is done again one item per transaction, so one bad item costs its own steps (left for the next run, and
 * listed in the run's errors) and nothing else.
 */
async function runBatch(
  db: Database,
  tenantId: string,
  runId: string,
  shared: RunShared,
  batch: readonly OpenItem[],
  tally: Tally,
  options: RunOptions,
): Promise<void> {
  const { context } = shared;
  const planStarted = performance.now();
  const plan = planBatch(context, batch);
  options.onPhase?.('plan', performance.now() - planStarted);
  if (plan.actions.length === 0) {
    commitTally(tally, { executed: null, paused: plan.pausedItems }, batch.length, options);
    tally.unwritten = addDelta(tally.unwritten, {
      ...NO_PROGRESS,
      done: batch.length,
      paused: plan.pausedItems,
    });
    if (performance.now() - tally.progressWrittenAt >= PROGRESS_EVERY_MS) {
      const unwritten = takeUnwritten(tally);
      await db.tenant(tenantId, (tx) => addProgress(tx, tenantId, runId, unwritten, null));
    }
    return;
  }
  let carried = NO_PROGRESS;
  try {
    let committing = 0;
    const outcome = await db.tenant(tenantId, async (tx) => {
      carried = takeUnwritten(tally);
      const processed = await processItems(tx, tenantId, runId, shared, batch, plan, carried);
      committing = performance.now();
      return processed;
    });
    options.onPhase?.('commit', performance.now() - committing);
    commitTally(tally, outcome, batch.length, options);
  } catch {
    // The earlier batches' progress this batch carried rolled back with it: it waits for the next write again.
    tally.unwritten = addDelta(tally.unwritten, carried);
    await redoItemByItem(db, tenantId, runId, shared, batch, tally, options);
  }
}

/** A failed batch, again one item per transaction, each read afresh; an item that fails again is listed. */
async function redoItemByItem(
  db: Database,
  tenantId: string,
  runId: string,
  shared: RunShared,
  batch: readonly OpenItem[],
  tally: Tally,
  options: RunOptions,
): Promise<void> {
  const { context } = shared;
  for (const item of batch) {
    try {
      const outcome = await db.tenant(tenantId, async (tx) => {
        // Redone on its own, the item is read again first: it sees whatever a concurrent run or a payment changed.
        const current = await openItemsAsOf(tx, tenantId, context.asOf, context.dueOnOrBefore, [
          item.invoiceId,
        ]);
        return processItems(tx, tenantId, runId, shared, [item], planBatch(context, current), NO_PROGRESS);
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
      const errors = [...tally.errors];
      await db.tenant(tenantId, (tx) =>
        addProgress(tx, tenantId, runId, { ...NO_PROGRESS, done: 1, errorCount: 1 }, errors),
      );
    }
  }
}

function addDelta(a: ProgressDelta, b: ProgressDelta): ProgressDelta {
  const countsByKind = { ...a.countsByKind };
  addCounts(countsByKind, b.countsByKind);
  return {
    done: a.done + b.done,
    fired: a.fired + b.fired,
    paused: a.paused + b.paused,
    countsByKind,
    errorCount: a.errorCount + b.errorCount,
  };
}

/** The skipped batches' progress not written yet, handed to the next write (and no longer pending). */
function takeUnwritten(tally: Tally): ProgressDelta {
  const unwritten = tally.unwritten;
  tally.unwritten = NO_PROGRESS;
  tally.progressWrittenAt = performance.now();
  return unwritten;
}

type BatchOutcome = { executed: ExecutedActions | null; paused: number };

function addCounts(into: Record<string, number>, counts: Record<string, number>): void {
  for (const [kind, count] of Object.entries(counts)) into[kind] = (into[kind] ?? 0) + count;
}

function commitTally(tally: Tally, outcome: BatchOutcome, items: number, options: RunOptions): void {
  tally.done += items;
  tally.paused += outcome.paused;
  if (!outcome.executed) return;
  if (options.shouldCollectActions) tally.actions.push(...outcome.executed.actions());
  tally.fired += outcome.executed.fired;
  addCounts(tally.countsByKind, outcome.executed.countsByKind);
}

/** Does one batch's planned actions and writes the run's progress with them, in the caller's transaction. */
async function processItems(
  tx: Tx,
  tenantId: string,
  runId: string,
  shared: RunShared,
  items: readonly OpenItem[],
  plan: BatchPlan,
  alsoWrite: ProgressDelta,
): Promise<BatchOutcome> {
  const executed = await executeActions(
    tx,
    tenantId,
    runId,
    shared.context.asOf,
    plan.actions,
    shared.support,
  );
  // The progress is added with the batch, so the row never claims more than was committed.
  const delta: ProgressDelta = {
    done: items.length,
    fired: executed.fired,
    paused: plan.pausedItems,
    countsByKind: executed.countsByKind,
    errorCount: 0,
  };
  await addProgress(tx, tenantId, runId, addDelta(delta, alsoWrite), null);
  return { executed, paused: plan.pausedItems };
}

async function addToTotal(tx: Tx, tenantId: string, runId: string, items: number): Promise<void> {
  await sql`
    UPDATE dunning_runs SET total_count = total_count + ${items}, heartbeat_at = now()
    WHERE tenant_id = ${tenantId} AND id = ${runId}`.execute(tx);
}

/**
 * Adds counts to the run's progress row (and its heartbeat) in the caller's transaction: additions, not the tally's
 * totals, so what the row says is always the sum of what committed (a batch that rolls back adds nothing, whatever
 * order writes come in). The stored errors, when given, replace the list (written one at a time, from failed items).
 */
async function addProgress(
  tx: Tx,
  tenantId: string,
  runId: string,
  delta: ProgressDelta,
  errors: readonly RunError[] | null,
): Promise<void> {
  await sql`
    UPDATE dunning_runs SET done_count = done_count + ${delta.done}, fired_count = fired_count + ${delta.fired},
      paused_count = paused_count + ${delta.paused}, error_count = error_count + ${delta.errorCount},
      counts_by_kind = (
        SELECT coalesce(jsonb_object_agg(k, coalesce((counts_by_kind->>k)::int, 0) + coalesce((d.delta->>k)::int, 0)),
          '{}'::jsonb)
        FROM (SELECT ${JSON.stringify(delta.countsByKind)}::jsonb AS delta) d,
          LATERAL (SELECT jsonb_object_keys(counts_by_kind) UNION SELECT jsonb_object_keys(d.delta)) AS keys (k)
      ),
      errors = coalesce(${errors === null ? null : JSON.stringify(errors)}::jsonb, errors),
      heartbeat_at = now()
    WHERE tenant_id = ${tenantId} AND id = ${runId}`.execute(tx);
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
