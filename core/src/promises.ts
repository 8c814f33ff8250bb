/**
 * Promises to pay (承诺付款). A customer promises one or several instalments, each an amount by a date; the
 * organization allows a grace period (宽限天数) after each date. Evaluated as of a date against the payments
 * received since the promise was made:
 *
 * - Payments fill the instalments in date order, cumulatively: money paid early or beyond one instalment counts
 *   towards the next, so "pay 100 on the 1st and 100 on the 15th" is kept by 200 on the 1st.
 * - An instalment is kept once the payments dated on or before its deadline (date + grace days) cover everything
 *   promised up to and including it; it is broken when its deadline has passed without that.
 * - The promise is kept when every instalment is kept, broken as soon as one instalment is broken (the day after
 *   its deadline) — a late payment is welcome but does not mend the promise (推、拖、拉、骗, seed 003) — and open
 *   otherwise. A cancelled promise stays cancelled.
 *
 * Only an open promise pauses chasing; a broken one lets escalation resume and counts against the customer.
 */
import { addDays, type CalendarDate } from './calendar-date';

export const PROMISE_STATUSES = ['open', 'kept', 'broken', 'cancelled'] as const;
export type PromiseStatus = (typeof PROMISE_STATUSES)[number];

export const DEFAULT_PROMISE_GRACE_DAYS = 3;
export const MAX_PROMISE_GRACE_DAYS = 60;
export const MAX_PROMISE_INSTALMENTS = 24;

export type PromiseInstalmentInput = { dueOn: CalendarDate; amountMinor: bigint };
export type PromisePayment = { paidOn: CalendarDate; amountMinor: bigint };

export type InstalmentState = 'pending' | 'kept' | 'broken';

export type InstalmentEvaluation = {
  dueOn: CalendarDate;
  /** The last day a payment still counts for this instalment: due date + grace days. */
  deadline: CalendarDate;
  amountMinor: bigint;
  /** What of this instalment has been paid as of the date (payments fill instalments in order). */
  paidMinor: bigint;
  state: InstalmentState;
  /** The day it was kept (the payment that completed it), or null. */
  keptOn: CalendarDate | null;
};

export type PromiseEvaluation = {
  status: Exclude<PromiseStatus, 'cancelled'> | 'cancelled';
  instalments: InstalmentEvaluation[];
  promisedMinor: bigint;
  paidMinor: bigint;
  /** Promised but not yet paid (never negative). */
  outstandingMinor: bigint;
  /** The day it became kept or broken, or null while open (and for a cancelled promise). */
  settledOn: CalendarDate | null;
  /** The next deadline still to be met while open: chasing is paused until then. */
  nextDeadline: CalendarDate | null;
};

export type PromiseEvaluationInput = {
  instalments: readonly PromiseInstalmentInput[];
  graceDays: number;
  payments: readonly PromisePayment[];
  asOf: CalendarDate;
  isCancelled?: boolean;
};

/** Checks an instalment plan: at least one, positive amounts, strictly increasing dates. Returns the problem. */
export function promisePlanProblem(instalments: readonly PromiseInstalmentInput[]): string | null {
  if (instalments.length === 0) return 'at least one instalment';
  if (instalments.length > MAX_PROMISE_INSTALMENTS) return `at most ${MAX_PROMISE_INSTALMENTS} instalments`;
  for (const [index, instalment] of instalments.entries()) {
    if (instalment.amountMinor <= 0n) return `instalment ${index + 1}: the amount must be positive`;
    const previous = instalments[index - 1];
    if (previous && instalment.dueOn <= previous.dueOn) {
      return `instalment ${index + 1}: dates must be in increasing order`;
    }
  }
  return null;
}

/** Payments counted on or before `date`, in date order (ties keep input order). */
function paymentsBy(payments: readonly PromisePayment[], date: CalendarDate): PromisePayment[] {
  return payments
    .filter((payment) => payment.paidOn <= date)
    .sort((a, b) => (a.paidOn < b.paidOn ? -1 : a.paidOn > b.paidOn ? 1 : 0));
}

/** The date on which the running total of `ordered` payments first reaches `targetMinor`, or null. */
function dayTotalReaches(ordered: readonly PromisePayment[], targetMinor: bigint): CalendarDate | null {
  let total = 0n;
  for (const payment of ordered) {
    total += payment.amountMinor;
    if (total >= targetMinor) return payment.paidOn;
  }
  return null;
}

export function evaluatePromise(input: PromiseEvaluationInput): PromiseEvaluation {
  const counted = paymentsBy(input.payments, input.asOf);
  const paidMinor = counted.reduce((sum, payment) => sum + payment.amountMinor, 0n);
  let cumulativeMinor = 0n;
  let brokenOn: CalendarDate | null = null;
  const instalments = input.instalments.map((instalment): InstalmentEvaluation => {
    const before = cumulativeMinor;
    cumulativeMinor += instalment.amountMinor;
    const deadline = addDays(instalment.dueOn, input.graceDays);
    const keptOn = dayTotalReaches(paymentsBy(counted, deadline), cumulativeMinor);
    const filled = paidMinor - before;
    const paid = filled <= 0n ? 0n : filled >= instalment.amountMinor ? instalment.amountMinor : filled;
    let state: InstalmentState = 'pending';
    if (keptOn !== null) state = 'kept';
    else if (input.asOf > deadline) {
      state = 'broken';
      const day = addDays(deadline, 1);
      if (brokenOn === null || day < brokenOn) brokenOn = day;
    }
    return {
      dueOn: instalment.dueOn,
      deadline,
      amountMinor: instalment.amountMinor,
      paidMinor: paid,
      state,
      keptOn,
    };
  });
  const promisedMinor = cumulativeMinor;
  const outstandingMinor = promisedMinor > paidMinor ? promisedMinor - paidMinor : 0n;
  const pending = instalments.find((instalment) => instalment.state === 'pending');
  if (input.isCancelled) {
    return {
      status: 'cancelled',
      instalments,
      promisedMinor,
      paidMinor,
      outstandingMinor,
      settledOn: null,
      nextDeadline: null,
    };
  }
  if (brokenOn !== null) {
    return {
      status: 'broken',
      instalments,
      promisedMinor,
      paidMinor,
      outstandingMinor,
      settledOn: brokenOn,
      nextDeadline: null,
    };
  }
  if (pending) {
    return {
      status: 'open',
      instalments,
      promisedMinor,
      paidMinor,
      outstandingMinor,
      settledOn: null,
      nextDeadline: pending.deadline,
    };
  }
  const last = instalments[instalments.length - 1];
  return {
    status: 'kept',
    instalments,
    promisedMinor,
    paidMinor,
    outstandingMinor,
    settledOn: last?.keptOn ?? null,
    nextDeadline: null,
  };
}

/** Whether a promise in this state still pauses the chasing of its items on `asOf`. */
export function promisePausesChasing(evaluation: PromiseEvaluation): boolean {
  return evaluation.status === 'open';
}
