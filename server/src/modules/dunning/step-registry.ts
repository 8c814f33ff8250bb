import type { CalendarDate, DunningStepKind, MessageChannel } from '@huikuan/core';
import type { Tx } from '../../platform/db';

/**
 * The dunning engine decides which ladder step is due for which open item; doing the step belongs to the
 * module that owns it (messaging sends reminders, letters render and send 催款函/律师函, casework creates call and
 * visit tasks, credit places the hold). Each registers here at start-up, like approval effects, so the engine
 * never imports their internals and they never import the engine's.
 */

/** One due step for one open item, as the run recorded it (the action row exists before the executor runs). */
export type DunningActionContext = {
  tx: Tx;
  tenantId: string;
  runId: string;
  /** The dunning action's id: executors use it as the idempotency key of what they create. */
  actionId: string;
  asOf: CalendarDate;
  step: {
    kind: DunningStepKind;
    /** For message steps: which channel the policy chose; null for tasks, holds and reviews. */
    channel: MessageChannel | null;
    offsetDays: number;
    /** The letter or message template the policy names, or null for the kind's default. */
    templateKey: string | null;
    /** The policy asks for an approval before the step takes effect (律师函: legal decides); absent = no. */
    requiresApproval?: boolean;
  };
  invoice: {
    id: string;
    number: string;
    customerId: string;
    dueDate: CalendarDate;
    /** What is still being chased: open minus any paused (disputed) part. */
    chasedMinor: bigint;
    currency: string;
    daysOverdue: number;
  };
  customer: { id: string; name: string; ownerUserId: string | null };
};

export type DunningActionOutcome = {
  outcome: 'sent' | 'queued' | 'created' | 'pending_approval' | 'skipped';
  /** What was made, for the run's results and the timeline: a message, letter, task or approval id. */
  refId?: string;
  detail?: string;
};

export type StepExecutor = (context: DunningActionContext) => Promise<DunningActionOutcome>;

/**
 * The same for many actions of one kind at once, all in one transaction (`contexts[i].tx` is the same): a run over
 * 300,000 items cannot afford a round trip per action, so a module that can write its rows set-based registers this
 * instead of (or beside) the single executor. Returns one outcome per context, in order.
 */
export type BatchStepExecutor = (
  contexts: readonly DunningActionContext[],
) => Promise<DunningActionOutcome[]>;

/**
 * Why chasing an item is paused on a date: an open dispute (only its disputed part, or all of it) or a valid
 * promise to pay. Sources answer for many invoices in one query.
 */
export type DunningPause = { invoiceId: string; reason: 'dispute' | 'promise'; pausedMinor: bigint | 'all' };
export type DunningPauseSource = (tx: Tx, tenantId: string, asOf: CalendarDate) => Promise<DunningPause[]>;

const executors = new Map<DunningStepKind, StepExecutor>();
const batchExecutors = new Map<DunningStepKind, BatchStepExecutor>();
const pauseSources: DunningPauseSource[] = [];

export function registerStepExecutor(kind: DunningStepKind, executor: StepExecutor): void {
  executors.set(kind, executor);
}

export function stepExecutorOf(kind: DunningStepKind): StepExecutor | undefined {
  return executors.get(kind);
}

/** A batch executor wins over a single one when a module registers both. */
export function registerBatchStepExecutor(kind: DunningStepKind, executor: BatchStepExecutor): void {
  batchExecutors.set(kind, executor);
}

export function batchStepExecutorOf(kind: DunningStepKind): BatchStepExecutor | undefined {
  return batchExecutors.get(kind);
}

export function registerDunningPauseSource(source: DunningPauseSource): void {
  if (!pauseSources.includes(source)) pauseSources.push(source);
}

export function dunningPauseSources(): readonly DunningPauseSource[] {
  return pauseSources;
}
