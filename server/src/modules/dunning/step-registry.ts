import type { CalendarDate, DunningStepKind, MessageChannel } from '@huikuan/core';
import type { Database, Tx } from '../../platform/db';

/**
 * The dunning engine decides which ladder step is due for which open item; doing the step belongs to the
 * module that owns it (messaging sends reminders, letters render and send 催款函/律师函, casework creates call and
 * visit tasks, credit places the hold). Each registers here at start-up, like approval effects, so the engine
 * never imports their internals and they never import the engine's.
 */

/** One of a customer's chased overdue items as of the run's date: what a letter or a request about the customer lists. */
export type ChasedItem = {
  invoiceId: string;
  number: string;
  dueDate: CalendarDate;
  currency: string;
  /** Open minus any paused (disputed) part; items paused as a whole are left out. */
  chasedMinor: bigint;
  daysOverdue: number;
};

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
  /**
   * The customer's chased overdue items as of the run's date, from the run's snapshot (the same ledger figures and
   * pauses the run decided from), sorted by due date then number. A run always gives it; a context built elsewhere
   * may not, and the executor then reads the ledger itself.
   */
  customerItems?: () => readonly ChasedItem[];
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

/** One action of a group: its id (the idempotency key of what the executor makes) and its invoice. */
export type DunningGroupAction = { actionId: string; invoice: DunningActionContext['invoice'] };

/**
 * One step for several invoices of one customer, in one run: a catch-up batch holds 20,000 actions but only a few
 * hundred of these (a customer's 28 overdue invoices reach its visit step together). The unit of what most steps
 * make — one task, letter, request or hold per customer — and of how the run records them.
 */
export type DunningStepGroup = Omit<DunningActionContext, 'actionId' | 'invoice'> & {
  /**
   * The group's id when its actions' ids follow from it (a run's groups: actionIdOf), so an executor can store it in
   * place of every action's id; absent for actions gathered otherwise.
   */
  id?: string;
  /** The group's first action: the one that makes the customer's task, letter, request or hold. */
  first: DunningGroupAction;
  /** Every action's invoice id, in the run's order. */
  invoiceIds: readonly string[];
  /**
   * Every action, in the run's order, the first included. A run builds them only when an executor reads them: most
   * need only `first` and `invoiceIds`, and a catch-up run's groups hold a million actions.
   */
  readonly actions: readonly DunningGroupAction[];
};

/** A group of these actions (at least one), for callers that have them all at hand. */
export function groupOfActions(
  shared: Omit<DunningStepGroup, 'first' | 'invoiceIds' | 'actions'>,
  actions: readonly DunningGroupAction[],
): DunningStepGroup {
  const [first] = actions;
  if (!first) throw new Error('a dunning step group without actions');
  return { ...shared, first, invoiceIds: actions.map((action) => action.invoice.id), actions };
}

/**
 * What a group executor answers: one outcome for the group's first action and one for all the others (the first
 * made the customer's task, the others were added to it), or one per action.
 */
export type DunningGroupOutcome =
  { first: DunningActionOutcome; others: DunningActionOutcome } | { each: readonly DunningActionOutcome[] };

/**
 * Many groups of one kind at once, in one transaction: what a module registers when what it makes is per customer.
 * It wins over a batch and a single executor of the same kind. Returns one outcome per group, in order.
 */
export type GroupStepExecutor = (groups: readonly DunningStepGroup[]) => Promise<DunningGroupOutcome[]>;

const groupExecutors = new Map<DunningStepKind, GroupStepExecutor>();

export function registerGroupStepExecutor(kind: DunningStepKind, executor: GroupStepExecutor): void {
  groupExecutors.set(kind, executor);
}

export function groupStepExecutorOf(kind: DunningStepKind): GroupStepExecutor | undefined {
  return groupExecutors.get(kind);
}

/** Each action's outcome from a group's answer. */
export function outcomesOfGroup(outcome: DunningGroupOutcome, size: number): DunningActionOutcome[] {
  if ('each' in outcome) return [...outcome.each];
  return Array.from({ length: size }, (_, index) => (index === 0 ? outcome.first : outcome.others));
}

/**
 * One action's context from what its group shares: a literal of fixed keys (customerItems undefined when absent),
 * because spreading the shared parts made a shape per group and the executors' reads of them megamorphic.
 */
export function actionContext(
  shared: Omit<DunningActionContext, 'actionId' | 'invoice'>,
  actionId: string,
  invoice: DunningActionContext['invoice'],
): DunningActionContext {
  const { tx, tenantId, runId, asOf, step, customer, customerItems } = shared;
  return { tx, tenantId, runId, asOf, step, customer, customerItems, actionId, invoice };
}

/** A group's first action as a single action's context (the one that makes the customer's task or letter). */
export function firstContextOf(group: DunningStepGroup): DunningActionContext {
  return actionContext(group, group.first.actionId, group.first.invoice);
}

/**
 * The single-action form of a group executor (the registry offers it too): one action as a group of one, so both do
 * exactly the same.
 */
export function singleOfGroup(executor: GroupStepExecutor): StepExecutor {
  return async (context) => {
    const { actionId, invoice, ...shared } = context;
    const [outcome] = await executor([groupOfActions(shared, [{ actionId, invoice }])]);
    if (!outcome) throw new Error('the group executor answered nothing');
    const [first] = outcomesOfGroup(outcome, 1);
    if (!first) throw new Error('the group executor answered no outcome');
    return first;
  };
}

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

/**
 * Work that follows a run once its actions are committed, outside its transactions (rendering the 催款函 PDFs the run
 * asked for). Runs started by the API, the daily job and the CLI do it after the run; whatever a crash leaves
 * undone, the module's own job picks up.
 */
export type RunFollowUp = (db: Database, tenantId: string) => Promise<void>;
const followUps: RunFollowUp[] = [];

export function registerRunFollowUp(followUp: RunFollowUp): void {
  if (!followUps.includes(followUp)) followUps.push(followUp);
}

export function runFollowUps(): readonly RunFollowUp[] {
  return followUps;
}

export function registerDunningPauseSource(source: DunningPauseSource): void {
  if (!pauseSources.includes(source)) pauseSources.push(source);
}

export function dunningPauseSources(): readonly DunningPauseSource[] {
  return pauseSources;
}
