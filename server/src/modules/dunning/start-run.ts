import { minorToDecimalString, type CalendarDate, byCodePoint } from '@huikuan/core';
import type { DunningPlannedAction, DunningPreview, DunningRun } from '@huikuan/core/contracts';
import type { AuditActor } from '../../platform/audit';
import { todayIn, type Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import type { PlannedAction } from './run-context';
import {
  beginRun,
  executeRun,
  previewRun,
  type RunOptions,
  type RunResult,
  type RunSource,
} from './run-dunning';
import { runViewOrThrow } from './run-views';
import { assertDunningManager } from './save-policy';
import { runFollowUps } from './step-registry';

const PREVIEW_ROWS = 500;

/** The organization's today (its time zone), the default as-of of a run. */
export async function organizationToday(db: Database, clock: Clock, tenantId: string): Promise<CalendarDate> {
  const org = await db.tenant(tenantId, (tx) =>
    tx
      .selectFrom('organizations')
      .select('timezone')
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow(),
  );
  return todayIn(clock, org.timezone);
}

/** Customer code, then invoice number, then ladder order: the order of the CLI contract and of every list. */
export function sortPlanned<T extends { planned: PlannedAction } | PlannedAction>(actions: T[]): T[] {
  const of = (action: T): PlannedAction => ('planned' in action ? action.planned : action);
  return actions.sort((a, b) => {
    const x = of(a);
    const y = of(b);
    return (
      byCodePoint(x.item.customerCode, y.item.customerCode) ||
      byCodePoint(x.item.invoiceNumber, y.item.invoiceNumber) ||
      x.step.offsetDays - y.step.offsetDays ||
      byCodePoint(x.step.kind, y.step.kind)
    );
  });
}

export function plannedBody(action: PlannedAction): DunningPlannedAction {
  return {
    invoiceId: action.item.invoiceId,
    invoice: action.item.invoiceNumber,
    customerId: action.item.customerId,
    customer: action.item.customerCode,
    customerName: action.item.customerName,
    policyName: action.policy.name,
    step: action.step.kind,
    channel: action.step.channel,
    offsetDays: action.step.offsetDays,
    daysOverdue: action.daysOverdue,
    dueDate: action.item.dueDate,
    chased: minorToDecimalString(action.chasedMinor, action.item.currency),
    currency: action.item.currency,
    requiresApproval: action.step.requiresApproval,
  };
}

export function countsByKind(actions: readonly PlannedAction[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const action of actions) counts[action.step.kind] = (counts[action.step.kind] ?? 0) + 1;
  return counts;
}

/** What a run as of the date would do, without doing or recording any of it. */
export async function previewDunning(
  deps: AppDeps,
  actor: Actor,
  asOfRequested?: CalendarDate,
): Promise<DunningPreview> {
  assertDunningManager(actor);
  const asOf = asOfRequested ?? (await organizationToday(deps.db, deps.clock, actor.tenantId));
  const preview = await previewRun(deps.db, actor.tenantId, asOf);
  const sorted = sortPlanned(preview.actions);
  return {
    asOf,
    openItems: preview.openItems,
    pausedItems: preview.pausedItems,
    heldBack: preview.heldBack,
    countsByKind: countsByKind(sorted),
    total: sorted.length,
    actions: sorted.slice(0, PREVIEW_ROWS).map(plannedBody),
    isTruncated: sorted.length > PREVIEW_ROWS,
  };
}

/** Tenants with a run going in this process: a second start waits for the first to finish. */
const runningTenants = new Set<string>();

/**
 * Starts a run and returns at once with its record; the run goes on in the background and the caller polls its
 * progress. One run per organization at a time in a process (a second would find nothing left to do anyway).
 */
export async function startDunningRun(
  deps: AppDeps,
  actor: Actor,
  asOfRequested?: CalendarDate,
): Promise<DunningRun> {
  assertDunningManager(actor);
  const asOf = asOfRequested ?? (await organizationToday(deps.db, deps.clock, actor.tenantId));
  const runId = await runInBackground(deps.db, actor, asOf, 'manual', (error) => {
    console.error(`dunning run failed to finish: ${error instanceof Error ? error.message : String(error)}`);
  });
  return runViewOrThrow(deps, actor, runId);
}

export async function runInBackground(
  db: Database,
  actor: AuditActor,
  asOf: CalendarDate,
  source: RunSource,
  onError: (error: unknown) => void,
): Promise<string> {
  if (runningTenants.has(actor.tenantId)) {
    throw new AppError('conflict', { detail: 'A dunning run of this organization is in progress' });
  }
  runningTenants.add(actor.tenantId);
  try {
    const runId = await beginRun(db, actor, asOf, source);
    // The follow-up (PDFs) may take minutes after a catch-up run; the next run may start meanwhile.
    executeRun(db, actor.tenantId, runId, asOf)
      .finally(() => runningTenants.delete(actor.tenantId))
      .then(() => followUpRun(db, actor.tenantId))
      .catch(onError);
    return runId;
  } catch (error) {
    runningTenants.delete(actor.tenantId);
    throw error;
  }
}

/**
 * A whole run in the foreground (the CLI and the daily job): begins, runs every batch, then does the follow-up work
 * (the 催款函 PDFs) once everything is committed, and returns the run's result. `isFollowUpLeft` leaves that to the
 * modules' own jobs (the benchmark times it apart).
 */
export async function runDunningNow(
  db: Database,
  actor: AuditActor,
  asOf: CalendarDate,
  source: RunSource,
  options: RunOptions & { isFollowUpLeft?: boolean } = {},
): Promise<RunResult> {
  if (runningTenants.has(actor.tenantId)) {
    throw new AppError('conflict', { detail: 'A dunning run of this organization is in progress' });
  }
  runningTenants.add(actor.tenantId);
  let result: RunResult;
  try {
    const runId = await beginRun(db, actor, asOf, source);
    result = await executeRun(db, actor.tenantId, runId, asOf, options);
  } finally {
    runningTenants.delete(actor.tenantId);
  }
  if (!options.isFollowUpLeft) await followUpRun(db, actor.tenantId);
  return result;
}

/**
 * The registered follow-ups of a finished run. A failure is reported, not thrown: the run itself is done and
 * recorded, and what a follow-up leaves undone stays pending for its module's job.
 */
export async function followUpRun(db: Database, tenantId: string): Promise<void> {
  for (const followUp of runFollowUps()) {
    await followUp(db, tenantId).catch((error: unknown) => {
      console.error(
        `dunning run follow-up failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }
}
