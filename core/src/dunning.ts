import { addDays, daysBetween, type CalendarDate } from './calendar-date';
import type { DunningStepKind, MessageChannel } from './dunning-steps';

/**
 * The ladder (渐进的收款程序, seeds 001 and 003) as pure rules: which steps of a policy are due for one open item as
 * of a date. The server gathers the items, pauses and done steps in set-based queries; these functions decide.
 *
 * The catch-up rule. Steps belong to families that escalate in place of each other: what the customer receives
 * (reminder → overdue notice → 催款函 → 律师函), what the collector is asked to do (call → visit), what the owner is
 * told, the legal review, and the credit hold. Within a family only the latest step already due fires, once; earlier
 * steps of that family that were never done are superseded for good. So an item first seen 45 days overdue (a new
 * organization, a run switched on late, a day the server was down, a pause that just ended) gets the 30-day letter and
 * the 15-day visit — not a "due in 3 days" reminder, an overdue notice and a letter on the same morning, which is what
 * a finance team would have to apologise for. Families are independent: the letter does not stand in for the visit.
 * Steps of one family at the same offset (an email and an SMS reminder) fire together.
 */

export const DUNNING_STEP_FAMILIES = ['customer', 'collector', 'owner', 'legal', 'hold'] as const;
export type DunningStepFamily = (typeof DUNNING_STEP_FAMILIES)[number];

export const DUNNING_STEP_FAMILY: Record<DunningStepKind, DunningStepFamily> = {
  customer_reminder: 'customer',
  overdue_notice: 'customer',
  dunning_letter: 'customer',
  lawyer_letter: 'customer',
  call_task: 'collector',
  visit_task: 'collector',
  owner_reminder: 'owner',
  litigation_review: 'legal',
  credit_hold: 'hold',
};

/** Steps that go out on a channel (a message, or a letter sent as one); the others are tasks, reviews and holds. */
export const CHANNEL_STEP_KINDS: readonly DunningStepKind[] = [
  'customer_reminder',
  'owner_reminder',
  'overdue_notice',
  'dunning_letter',
  'lawyer_letter',
];

export function isChannelStep(kind: DunningStepKind): boolean {
  return CHANNEL_STEP_KINDS.includes(kind);
}

export const MIN_OFFSET_DAYS = -365;
export const MAX_OFFSET_DAYS = 3650;

export type LadderStep = {
  id: string;
  kind: DunningStepKind;
  offsetDays: number;
  channel: MessageChannel | null;
  templateKey: string | null;
  requiresApproval: boolean;
};

export type LadderStepDraft = Omit<LadderStep, 'id'>;

/** The default policy of issue 5. */
export const DEFAULT_DUNNING_LADDER: readonly LadderStepDraft[] = [
  { kind: 'customer_reminder', offsetDays: -3, channel: 'email', templateKey: null, requiresApproval: false },
  { kind: 'overdue_notice', offsetDays: 1, channel: 'email', templateKey: null, requiresApproval: false },
  { kind: 'call_task', offsetDays: 7, channel: null, templateKey: null, requiresApproval: false },
  { kind: 'visit_task', offsetDays: 15, channel: null, templateKey: null, requiresApproval: false },
  { kind: 'dunning_letter', offsetDays: 30, channel: 'email', templateKey: null, requiresApproval: false },
  { kind: 'lawyer_letter', offsetDays: 60, channel: 'email', templateKey: null, requiresApproval: true },
  { kind: 'litigation_review', offsetDays: 90, channel: null, templateKey: null, requiresApproval: false },
  { kind: 'credit_hold', offsetDays: 90, channel: null, templateKey: null, requiresApproval: false },
];

/** The day a step falls due for an invoice due on `dueDate`. */
export function stepDueOn(dueDate: CalendarDate, offsetDays: number): CalendarDate {
  return addDays(dueDate, offsetDays);
}

/**
 * Days past due on `asOf` (negative before the due date, 0 on it). A run asks it twice for each of 300,000 items
 * with a few thousand distinct due dates (parsing two dates each time was half a second): remembered for the last
 * as-of date asked.
 */
let daysFor: { asOf: CalendarDate; byDueDate: Map<CalendarDate, number> } | null = null;
const MAX_REMEMBERED_DUE_DATES = 100_000;

export function daysOverdueOn(dueDate: CalendarDate, asOf: CalendarDate): number {
  if (daysFor?.asOf !== asOf || daysFor.byDueDate.size > MAX_REMEMBERED_DUE_DATES) {
    daysFor = { asOf, byDueDate: new Map() };
  }
  const known = daysFor.byDueDate.get(dueDate);
  if (known !== undefined) return known;
  const days = daysBetween(dueDate, asOf);
  daysFor.byDueDate.set(dueDate, days);
  return days;
}

/** A pause on an item as of the run's date: a whole item (a valid promise) or part of it (an open dispute). */
export type ItemPause = { reason: 'dispute' | 'promise'; pausedMinor: bigint | 'all' };

/** What is still chased: open minus paused parts; zero when the whole item is paused. */
export function chasedMinorOf(openMinor: bigint, pauses: readonly ItemPause[]): bigint {
  let chased = openMinor;
  for (const pause of pauses) {
    if (pause.pausedMinor === 'all') return 0n;
    chased -= pause.pausedMinor;
  }
  return chased > 0n ? chased : 0n;
}

export type ItemEvaluation =
  /** Nothing left to chase (paid, or everything paused); `pausedBy` says why when it is paused. */
  | {
      status: 'not_chased';
      chasedMinor: 0n;
      pausedBy: ItemPause['reason'][];
      heldBack: readonly LadderStep[];
    }
  | { status: 'chased'; chasedMinor: bigint; fire: readonly LadderStep[] };

/**
 * The steps to fire for one item as of `asOf`: per family, the due step(s) with the latest offset, unless already
 * done. `heldBack` lists, for a paused item, what would have fired (for previews: "skipped while paused").
 */
export function evaluateItem(
  steps: readonly LadderStep[],
  item: {
    dueDate: CalendarDate;
    openMinor: bigint;
    pauses: readonly ItemPause[];
    doneStepIds: ReadonlySet<string>;
  },
  asOf: CalendarDate,
): ItemEvaluation {
  const overdueDays = daysOverdueOn(item.dueDate, asOf);
  const latest = latestDueOn(steps, overdueDays);
  // The remembered array itself when none of it is done (a run evaluates 300,000 items; read-only to callers).
  const isAnyDone = latest.some((step) => item.doneStepIds.has(step.id));
  const candidates = isAnyDone ? latest.filter((step) => !item.doneStepIds.has(step.id)) : latest;
  const chasedMinor = chasedMinorOf(item.openMinor, item.pauses);
  if (chasedMinor <= 0n) {
    return {
      status: 'not_chased',
      chasedMinor: 0n,
      pausedBy: [...new Set(item.pauses.map((pause) => pause.reason))],
      heldBack: item.openMinor > 0n ? candidates : [],
    };
  }
  return { status: 'chased', chasedMinor, fire: candidates };
}

/**
 * The due steps the catch-up rule passes over for good as of `asOf` (not done, and not the latest of their family):
 * what a preview or a test can show beside what fires. A step is due when its offset is at most the days overdue
 * (dueDate + offset <= asOf), compared as numbers.
 */
export function supersededSteps(
  steps: readonly LadderStep[],
  item: { dueDate: CalendarDate; doneStepIds: ReadonlySet<string> },
  asOf: CalendarDate,
): LadderStep[] {
  const overdueDays = daysOverdueOn(item.dueDate, asOf);
  const latest = latestDueOn(steps, overdueDays);
  return steps.filter(
    (step) => step.offsetDays <= overdueDays && !latest.includes(step) && !item.doneStepIds.has(step.id),
  );
}

/** Per family, every step whose offset is the greatest among the family's steps already due on `asOf`. */
export function latestDueByFamily(
  steps: readonly LadderStep[],
  dueDate: CalendarDate,
  asOf: CalendarDate,
): LadderStep[] {
  return [...latestDueOn(steps, daysOverdueOn(dueDate, asOf))];
}

/**
 * The answer depends only on the ladder and the days overdue, and a run asks it for 300,000 items of a handful of
 * ladders over a few thousand distinct days: remembered per ladder (the same array for a whole run; dropped with it).
 */
const latestByLadder = new WeakMap<readonly LadderStep[], Map<number, readonly LadderStep[]>>();

function latestDueOn(steps: readonly LadderStep[], overdueDays: number): readonly LadderStep[] {
  let byDays = latestByLadder.get(steps);
  if (byDays === undefined) {
    byDays = new Map();
    latestByLadder.set(steps, byDays);
  }
  const known = byDays.get(overdueDays);
  if (known !== undefined) return known;
  const latestOffset = new Map<DunningStepFamily, number>();
  for (const step of steps) {
    if (step.offsetDays > overdueDays) continue;
    const family = DUNNING_STEP_FAMILY[step.kind];
    const current = latestOffset.get(family);
    if (current === undefined || step.offsetDays > current) latestOffset.set(family, step.offsetDays);
  }
  const latest = steps.filter((step) => latestOffset.get(DUNNING_STEP_FAMILY[step.kind]) === step.offsetDays);
  byDays.set(overdueDays, latest);
  return latest;
}

/** Why a ladder is not valid, as field paths and messages; empty when it is. */
export function ladderIssues(steps: readonly LadderStepDraft[]): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  steps.forEach((step, index) => {
    if (isChannelStep(step.kind) && step.channel === null) {
      issues.push({ path: `steps.${index}.channel`, message: 'A message or letter step needs a channel' });
    }
    if (!isChannelStep(step.kind) && step.channel !== null) {
      issues.push({
        path: `steps.${index}.channel`,
        message: 'Only message and letter steps have a channel',
      });
    }
    const key = `${step.kind}|${step.offsetDays}|${step.channel ?? ''}`;
    if (seen.has(key)) {
      issues.push({
        path: `steps.${index}`,
        message: 'The same step at the same offset is already in the ladder',
      });
    }
    seen.add(key);
  });
  return issues;
}

/** Steps in ladder order: by offset, then by family order, so the editor and the runs read alike. */
export function sortLadder<T extends { offsetDays: number; kind: DunningStepKind }>(
  steps: readonly T[],
): T[] {
  const familyRank = (kind: DunningStepKind) => DUNNING_STEP_FAMILIES.indexOf(DUNNING_STEP_FAMILY[kind]);
  return [...steps].sort((a, b) => a.offsetDays - b.offsetDays || familyRank(a.kind) - familyRank(b.kind));
}
