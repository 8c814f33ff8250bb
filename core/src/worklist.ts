/**
 * The collection plan (催收计划, seed 003 §3): which cases a collector works first, why, and how. "依据货款期限的
 * 长短、货款金额大小及类型、客户的信誉度、为人情况……做出一个轻重缓急的货款回收计划，或武收还是文收的准备."
 *
 * A case is one customer with open items. Its score (0–100) adds points for the amount chased, the age of the oldest
 * overdue item (age weighs as much as amount: "收款的难易程度取决于帐龄而不是帐款金额"), broken promises, the credit
 * rating, the delinquency type and the customer's attitude, and takes points off while a promise to pay is still
 * open (chasing is paused). Every point comes with a reason, so the list can say why a case is where it is.
 *
 * The approach is 武收 (hard: stop supply, letters, law) for customers who do not cooperate — intentional
 * delinquents, hostile customers, repeat promise breakers — and 文收 (soft: help them sell, agree instalments)
 * otherwise ("确定是武收还是文收的标准主要看他是否与公司友好配合").
 */
import type { CreditRating } from './credit-rating';
import { currencyExponent, minorToDecimalString } from './money';
import type { CalendarDate } from './calendar-date';
import type { DelinquencyType } from './playbooks';

export const CUSTOMER_ATTITUDES = ['cooperative', 'evasive', 'hostile'] as const;
export type CustomerAttitude = (typeof CUSTOMER_ATTITUDES)[number];

export const COLLECTION_APPROACHES = ['soft', 'hard'] as const;
export type CollectionApproach = (typeof COLLECTION_APPROACHES)[number];

export type CaseScoreInput = {
  currency: string;
  /** Overdue and still chased: overdue minus open disputed amounts (never negative). */
  chasedOverdueMinor: bigint;
  /** Days past due of the oldest overdue item; 0 when nothing is overdue. */
  maxDaysOverdue: number;
  /** Promises broken in the last 12 months. */
  brokenPromiseCount: number;
  /** The next deadline of an open promise (chasing is paused until then), or null. */
  openPromiseUntil: CalendarDate | null;
  /** Open disputes of the customer, in `currency`. */
  disputedMinor: bigint;
  rating: CreditRating | null;
  delinquencyType: DelinquencyType | null;
  attitude: CustomerAttitude | null;
  /** Days since the last call, visit or letter; null when never contacted. */
  daysSinceContact: number | null;
};

export const SCORE_REASON_CODES = [
  'not_overdue',
  'amount',
  'days_overdue',
  'broken_promises',
  'rating',
  'delinquency_type',
  'attitude',
  'no_recent_contact',
  'open_promise',
  'disputed',
] as const;
export type ScoreReasonCode = (typeof SCORE_REASON_CODES)[number];

export type ScoreReason = { code: ScoreReasonCode; points: number; params: Record<string, string> };

export type CaseScore = { score: number; reasons: ScoreReason[] };

/** Amount tiers in major units of the case's currency (no exchange rates: each currency by its own numbers). */
const AMOUNT_TIERS: readonly { fromMajor: bigint; points: number }[] = [
  { fromMajor: 1_000_000n, points: 30 },
  { fromMajor: 100_000n, points: 24 },
  { fromMajor: 10_000n, points: 16 },
  { fromMajor: 1_000n, points: 8 },
  { fromMajor: 0n, points: 3 },
];

const AGE_TIERS: readonly { fromDays: number; points: number }[] = [
  { fromDays: 181, points: 30 },
  { fromDays: 91, points: 24 },
  { fromDays: 61, points: 18 },
  { fromDays: 31, points: 12 },
  { fromDays: 1, points: 6 },
];

const RATING_POINTS: Record<CreditRating, number> = { A: 0, B: 2, C: 6, D: 10 };

/** Types where money is at risk of being lost move up; an accident is handled with patience, not pressure. */
const TYPE_POINTS: Record<DelinquencyType, number> = {
  intentional: 10,
  poor_business: 8,
  weak_collection: 5,
  cash_flow: 4,
  overstock: 2,
  contract_dispute: 0,
  accident: 0,
};

const ATTITUDE_POINTS: Record<CustomerAttitude, number> = { hostile: 8, evasive: 6, cooperative: -3 };

export const NO_CONTACT_DAYS = 14;
const NO_CONTACT_POINTS = 5;
const OPEN_PROMISE_POINTS = -20;

function amountPoints(amountMinor: bigint, currency: string): number {
  const major = amountMinor / 10n ** BigInt(currencyExponent(currency));
  const tier = AMOUNT_TIERS.find((entry) => major >= entry.fromMajor);
  return tier?.points ?? 0;
}

function agePoints(days: number): number {
  return AGE_TIERS.find((entry) => days >= entry.fromDays)?.points ?? 0;
}

function brokenPromisePoints(count: number): number {
  return count <= 0 ? 0 : count === 1 ? 10 : 15;
}

export function scoreCase(input: CaseScoreInput): CaseScore {
  if (input.maxDaysOverdue <= 0 || input.chasedOverdueMinor <= 0n) {
    const reasons: ScoreReason[] = [{ code: 'not_overdue', points: 0, params: {} }];
    if (input.disputedMinor > 0n) reasons.push(disputedReason(input));
    return { score: 0, reasons };
  }
  const reasons: ScoreReason[] = [
    {
      code: 'amount',
      points: amountPoints(input.chasedOverdueMinor, input.currency),
      params: {
        amount: minorToDecimalString(input.chasedOverdueMinor, input.currency),
        currency: input.currency,
      },
    },
    {
      code: 'days_overdue',
      points: agePoints(input.maxDaysOverdue),
      params: { days: String(input.maxDaysOverdue) },
    },
  ];
  if (input.brokenPromiseCount > 0) {
    reasons.push({
      code: 'broken_promises',
      points: brokenPromisePoints(input.brokenPromiseCount),
      params: { count: String(input.brokenPromiseCount) },
    });
  }
  if (input.rating !== null && RATING_POINTS[input.rating] > 0) {
    reasons.push({ code: 'rating', points: RATING_POINTS[input.rating], params: { rating: input.rating } });
  }
  if (input.delinquencyType !== null && TYPE_POINTS[input.delinquencyType] !== 0) {
    reasons.push({
      code: 'delinquency_type',
      points: TYPE_POINTS[input.delinquencyType],
      params: { type: input.delinquencyType },
    });
  }
  if (input.attitude !== null) {
    reasons.push({
      code: 'attitude',
      points: ATTITUDE_POINTS[input.attitude],
      params: { attitude: input.attitude },
    });
  }
  if (input.daysSinceContact === null || input.daysSinceContact >= NO_CONTACT_DAYS) {
    reasons.push({
      code: 'no_recent_contact',
      points: NO_CONTACT_POINTS,
      params: { days: input.daysSinceContact === null ? '' : String(input.daysSinceContact) },
    });
  }
  if (input.openPromiseUntil !== null) {
    reasons.push({
      code: 'open_promise',
      points: OPEN_PROMISE_POINTS,
      params: { until: input.openPromiseUntil },
    });
  }
  if (input.disputedMinor > 0n) reasons.push(disputedReason(input));
  const total = reasons.reduce((sum, reason) => sum + reason.points, 0);
  return { score: Math.max(0, Math.min(100, total)), reasons };
}

function disputedReason(input: CaseScoreInput): ScoreReason {
  return {
    code: 'disputed',
    points: 0,
    params: { amount: minorToDecimalString(input.disputedMinor, input.currency), currency: input.currency },
  };
}

export const APPROACH_REASON_CODES = [
  'intentional',
  'hostile',
  'repeat_broken_promises',
  'evasive_and_old',
  'rated_d_and_old',
  'cooperates',
] as const;
export type ApproachReasonCode = (typeof APPROACH_REASON_CODES)[number];

export type ApproachInput = Pick<
  CaseScoreInput,
  'delinquencyType' | 'attitude' | 'brokenPromiseCount' | 'maxDaysOverdue' | 'rating'
>;

/** 武收 or 文收, with the reasons that decided it (an empty hard list means soft because nothing says otherwise). */
export function suggestApproach(input: ApproachInput): {
  approach: CollectionApproach;
  reasons: ApproachReasonCode[];
} {
  const hard: ApproachReasonCode[] = [];
  if (input.delinquencyType === 'intentional') hard.push('intentional');
  if (input.attitude === 'hostile') hard.push('hostile');
  if (input.brokenPromiseCount >= 2) hard.push('repeat_broken_promises');
  if (input.attitude === 'evasive' && input.maxDaysOverdue > 90) hard.push('evasive_and_old');
  if (input.rating === 'D' && input.maxDaysOverdue > 90) hard.push('rated_d_and_old');
  if (hard.length > 0) return { approach: 'hard', reasons: hard };
  return { approach: 'soft', reasons: input.attitude === 'cooperative' ? ['cooperates'] : [] };
}

export const SUGGESTED_STEPS = [
  'resolve_dispute',
  'await_promise',
  'follow_up_broken_promise',
  'overdue_notice',
  'call',
  'visit',
  'dunning_letter',
  'lawyer_letter',
  'litigation_review',
  'none',
] as const;
export type SuggestedStep = (typeof SUGGESTED_STEPS)[number];

/**
 * What to do next when neither a ladder step nor an open task says it: the rung of the default ladder
 * (渐进的收款程序: +1 notice, +7 call, +15 visit, +30 催款函, +60 律师函, +90 诉诸法律) for the case's age, after
 * anything that must come first — a dispute to settle, a promise to wait for or a broken one to follow up.
 */
export function suggestNextStep(input: {
  maxDaysOverdue: number;
  chasedOverdueMinor: bigint;
  disputedMinor: bigint;
  openPromiseUntil: CalendarDate | null;
  hasRecentlyBrokenPromise: boolean;
}): SuggestedStep {
  if (input.openPromiseUntil !== null) return 'await_promise';
  if (input.hasRecentlyBrokenPromise) return 'follow_up_broken_promise';
  if (input.disputedMinor > 0n && input.chasedOverdueMinor <= 0n) return 'resolve_dispute';
  const days = input.maxDaysOverdue;
  if (days <= 0 || input.chasedOverdueMinor <= 0n)
    return input.disputedMinor > 0n ? 'resolve_dispute' : 'none';
  if (days >= 90) return 'litigation_review';
  if (days >= 60) return 'lawyer_letter';
  if (days >= 30) return 'dunning_letter';
  if (days >= 15) return 'visit';
  if (days >= 7) return 'call';
  return 'overdue_notice';
}
