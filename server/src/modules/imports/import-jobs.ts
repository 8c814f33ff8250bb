import type { Selectable } from 'kysely';
import type {
  ImportIssue,
  ImportJob,
  ImportJobListItem,
  ImportJobStatus,
  ImportKind,
  ImportSummary,
} from '@huikuan/core';
import type { ImportJobsTable } from '../../db/schema';
import type { AppDeps } from '../../platform/deps';
import { AppError, notFound } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import type { ImportPhase } from './import-context';
import { runImport, type ImportRequest } from './run-import';

/**
 * Imports from the web app run as jobs in the background of this process: the request answers 202 with the job's
 * id at once and the browser polls the job.
 *
 * Progress lives in memory (`liveJobs`) while a job runs, and the import_jobs row is written when the job starts,
 * now and then while it runs (at most every 250 ms and at each phase change, one write in flight at a time) and
 * when it ends. Why memory: the import is one long transaction. On PostgreSQL the progress writes go through other
 * pooled connections, but on PGlite there is one connection, so they wait until the import's transaction ends;
 * live reads come from memory. (On PGlite every other request, including the poll's own session lookup, also
 * waits for that transaction, so there the bar moves in steps rather than smoothly.) A job found queued or
 * running in the table but not in memory was cut off by a restart and is reported as failed.
 */

/** Stored errors are capped; the count says how many there were. */
export const STORED_ERRORS_MAX = 1000;
const PERSIST_EVERY_MS = 250;

type LiveJob = { tenantId: string; view: ImportJob; lastPersistMs: number; isPersisting: boolean };

const liveJobs = new Map<string, LiveJob>();

/** Observers of live progress (tests watch the bar move; nothing else needs it yet). */
export type JobObserver = (job: ImportJob) => void;
const observers = new Set<JobObserver>();
export function observeImportJobs(observer: JobObserver): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

function jobOf(row: Selectable<ImportJobsTable>): ImportJob {
  return {
    id: row.id,
    kind: row.kind as ImportKind,
    fileName: row.file_name,
    isDryRun: row.is_dry_run,
    status: row.status as ImportJobStatus,
    phase: row.phase as ImportPhase | null,
    done: row.done_count,
    total: row.total_count,
    summary: (row.summary ?? null) as ImportSummary | null,
    errors: (row.errors ?? []) as ImportIssue[],
    errorCount: row.error_count,
    failure: row.failure,
    createdByUserId: row.created_by_user_id,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

function notify(job: ImportJob): void {
  for (const observer of observers) observer({ ...job });
}

async function persist(deps: AppDeps, live: LiveJob): Promise<void> {
  // A snapshot now: on PGlite the write runs later, after the view has moved on.
  const view = { ...live.view };
  const isFinal = view.status === 'succeeded' || view.status === 'failed';
  const values = {
    status: view.status,
    phase: view.phase,
    done_count: view.done,
    total_count: view.total,
    started_at: view.startedAt,
    ...(isFinal
      ? {
          summary: view.summary === null ? null : JSON.stringify(view.summary),
          errors: JSON.stringify(view.errors),
          error_count: view.errorCount,
          failure: view.failure,
          finished_at: view.finishedAt,
        }
      : {}),
  };
  await deps.db.tenant(live.tenantId, (tx) =>
    tx
      .updateTable('import_jobs')
      .set(values)
      .where('tenant_id', '=', live.tenantId)
      .where('id', '=', view.id)
      // A progress write that lands late must not overwrite the final state.
      .where('status', 'in', ['queued', 'running'])
      .execute(),
  );
}

/** Throttled progress write: never more than one in flight, so PGlite's queue holds at most one. */
function persistProgressSoon(deps: AppDeps, live: LiveJob, isPhaseChange: boolean): void {
  const nowMs = Date.now();
  if (live.isPersisting || (!isPhaseChange && nowMs - live.lastPersistMs < PERSIST_EVERY_MS)) return;
  live.isPersisting = true;
  live.lastPersistMs = nowMs;
  persist(deps, live)
    .catch(() => undefined) // Progress is advisory; the final write reports failures.
    .finally(() => {
      live.isPersisting = false;
    });
}

function failureText(error: unknown): string {
  if (error instanceof AppError) {
    const issues = (error.issues ?? []).map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    return issues === '' ? error.code : issues;
  }
  return 'the import stopped on an internal error';
}

async function runJob(deps: AppDeps, actor: Actor, live: LiveJob, request: ImportRequest): Promise<void> {
  const { view } = live;
  view.status = 'running';
  view.startedAt = deps.clock.now().toISOString();
  notify(view);
  await persist(deps, live);
  let outcome: Partial<ImportJob>;
  try {
    const result = await runImport(deps.db, actor, request, deps.clock.now(), (phase, done, total) => {
      const isPhaseChange = view.phase !== phase;
      Object.assign(view, { phase, done, total });
      notify(view);
      persistProgressSoon(deps, live, isPhaseChange);
    });
    outcome = {
      status: 'succeeded',
      summary: result.summary,
      errors: result.errors.slice(0, STORED_ERRORS_MAX),
      errorCount: result.errors.length,
    };
  } catch (error) {
    outcome = { status: 'failed', failure: failureText(error) };
  }
  outcome.finishedAt = deps.clock.now().toISOString();
  try {
    // Stored before it is shown: a poll that reads the job finished from memory finds its row finished too (the
    // live view said 'succeeded' while the row still said 'running' with the last progress write's count).
    await persist(deps, { ...live, view: { ...view, ...outcome } });
  } finally {
    Object.assign(view, outcome);
    liveJobs.delete(view.id);
    notify(view);
  }
}

/** Records the job and starts it; the import itself runs after the response has gone. */
export async function startImportJob(
  deps: AppDeps,
  actor: Actor,
  request: ImportRequest,
): Promise<{ jobId: string; finished: Promise<void> }> {
  const row = await deps.db.tenant(actor.tenantId, (tx) =>
    tx
      .insertInto('import_jobs')
      .values({
        tenant_id: actor.tenantId,
        kind: request.kind,
        file_name: request.fileName,
        is_dry_run: request.isDryRun,
        created_by_user_id: actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
  const live: LiveJob = { tenantId: actor.tenantId, view: jobOf(row), lastPersistMs: 0, isPersisting: false };
  liveJobs.set(row.id, live);
  const finished = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
    runJob(deps, actor, live, request).catch(() => {
      // The final write failed (database gone); the row stays 'running' and reads report it as cut off.
      liveJobs.delete(row.id);
    }),
  );
  return { jobId: row.id, finished };
}

function mayRead(actor: Actor, createdByUserId: string | null): boolean {
  if (actor.role === 'finance' || actor.role === 'admin') return true;
  return actor.userId !== null && createdByUserId === actor.userId;
}

/** A job cut off by a restart stays queued or running in the table; nothing will finish it. */
function withLiveState(job: ImportJob): ImportJob {
  const live = liveJobs.get(job.id);
  if (live) return { ...live.view };
  if (job.status === 'queued' || job.status === 'running') {
    return {
      ...job,
      status: 'failed',
      failure: 'the server restarted while the import ran; nothing was written',
    };
  }
  return job;
}

export async function getImportJob(deps: AppDeps, actor: Actor, jobId: string): Promise<ImportJob> {
  const live = liveJobs.get(jobId);
  if (live && live.tenantId === actor.tenantId && mayRead(actor, live.view.createdByUserId)) {
    return { ...live.view };
  }
  const row = await deps.db.tenant(actor.tenantId, (tx) =>
    tx
      .selectFrom('import_jobs')
      .selectAll()
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', jobId)
      .executeTakeFirst(),
  );
  if (!row || !mayRead(actor, row.created_by_user_id)) throw notFound('import_job');
  return withLiveState(jobOf(row));
}

/** The 50 most recent jobs the actor may see (their own; finance and admins see everyone's). */
export async function listImportJobs(deps: AppDeps, actor: Actor): Promise<{ items: ImportJobListItem[] }> {
  const rows = await deps.db.tenant(actor.tenantId, (tx) => {
    let query = tx
      .selectFrom('import_jobs')
      .selectAll()
      .where('tenant_id', '=', actor.tenantId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(50);
    if (actor.role !== 'finance' && actor.role !== 'admin') {
      query = query.where('created_by_user_id', '=', actor.userId);
    }
    return query.execute();
  });
  return {
    items: rows.map((row) => {
      const { errors: _errors, ...item } = withLiveState(jobOf(row));
      return item;
    }),
  };
}
