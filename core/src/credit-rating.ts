import type { Role } from './access';
import type { CurrencyPaymentBehaviour } from './payment-behaviour';

/**
 * Credit rating (信用等级, domain.md §1; issue 4 item 4) computed from payment behaviour (payment-behaviour.ts),
 * with a manual override that carries its reason.
 *
 * Why these thresholds (CREDIT_RATING_RULES):
 * - The days-overdue limits follow the aging the seeds teach (003 §2 做好欠款的风险等级评估): 30 days ends the first
 *   overdue bucket, 90 days is where an item leaves 催收款 (in collection) for 准呆账 (doubtful), and 90 days is also
 *   the default credit-hold trigger on the oldest overdue item (issue 4 item 4). So an A customer has nothing past
 *   the first month, a B customer nothing past two, a C customer nothing doubtful, and anything doubtful is D.
 * - A few days late on average is not bad faith: a customer's books-closing day (扎账日期) and bank transfer cycle
 *   (转账周期), which the nine questions (九问, 001) ask about, move payments by days. Hence 5 days for A; 15 and 45
 *   days mark the habitual slow payer (B) and the one who pays only when chased (C, "推、拖、拉").
 * - The share paid late separates the customer who slips now and then (≤ 10% of the money: A) from one who often
 *   does (≤ 30%: B); past that the average lateness decides.
 * - Too little history says nothing: with fewer than 3 paid invoices a customer is unrated, not A — seed 003 warns
 *   of new customers whose large first orders come with no questions asked. One exception: an item already
 *   overdue beyond the C limit rates D whatever the history, because the evidence is in.
 *
 * Comparisons are exact (from the bigint sums), never on the rounded figures shown to people.
 */

export const CREDIT_RATINGS = ['A', 'B', 'C', 'D'] as const;
export type CreditRating = (typeof CREDIT_RATINGS)[number];

type GradeLimits = {
  /** Largest share of the paid amount that may be late, in basis points; null = no limit. */
  maxShareLateBp: number | null;
  /** Largest amount-weighted average days late. */
  maxAvgDaysLate: number;
  /** Largest days past due of any open item. */
  maxOverdueDays: number;
};

export type CreditRatingRules = {
  /** Paid invoices (in the 12-month window) a currency needs before its payments are judged. */
  minPaidInvoices: number;
  grades: Record<Exclude<CreditRating, 'D'>, GradeLimits>;
};

export const CREDIT_RATING_RULES: CreditRatingRules = {
  minPaidInvoices: 3,
  grades: {
    A: { maxShareLateBp: 1000, maxAvgDaysLate: 5, maxOverdueDays: 30 },
    B: { maxShareLateBp: 3000, maxAvgDaysLate: 15, maxOverdueDays: 60 },
    C: { maxShareLateBp: null, maxAvgDaysLate: 45, maxOverdueDays: 90 },
  },
};

/**
 * Who may override a rating: finance and admins. Not sales managers: a rating gates credit, and the people measured
 * on sales are the ones tempted to loosen it — seed 003 tells of salespeople selling on credit to customers whose
 * standing they were unsure of, at great loss; domain.md §9 asks for segregation of duties. Managers see the
 * rating and its reasons, and ask finance.
 */
export const CREDIT_RATING_OVERRIDE_ROLES: readonly Role[] = ['admin', 'finance'];

export function canOverrideCreditRating(role: Role): boolean {
  return CREDIT_RATING_OVERRIDE_ROLES.includes(role);
}

export const CREDIT_RATING_RULE_KEYS = [
  'paid_invoices',
  'share_late',
  'avg_days_late',
  'overdue_days',
] as const;
export type CreditRatingRuleKey = (typeof CREDIT_RATING_RULE_KEYS)[number];

/**
 * One check that decided the rating: `value` against `limit` of `grade` (shares as fractions, days as days,
 * counts as counts). For a rating X the reasons are the checks of the better grade that failed (why not better)
 * followed by X's own checks, all met (why X); for D, the failed checks of C; for unrated, the history check.
 */
export type CreditRatingReason = {
  rule: CreditRatingRuleKey;
  /** The currency whose payments were measured; null for checks over all open items. */
  currency: string | null;
  grade: CreditRating | null;
  value: number;
  limit: number;
  isMet: boolean;
};

export type ComputedCreditRating = { rating: CreditRating | null; reasons: CreditRatingReason[] };

type Check = CreditRatingReason & { grade: CreditRating };

/** Checks of one grade over the judged currencies and every open item. */
function checksFor(
  grade: Exclude<CreditRating, 'D'>,
  judged: readonly CurrencyPaymentBehaviour[],
  oldestOverdueDays: number,
  rules: CreditRatingRules,
): Check[] {
  const limits = rules.grades[grade];
  const checks: Check[] = [];
  for (const entry of judged) {
    const sums = entry.metrics.sums;
    if (limits.maxShareLateBp !== null) {
      checks.push({
        rule: 'share_late',
        currency: entry.currency,
        grade,
        value: entry.metrics.shareLate ?? 0,
        limit: limits.maxShareLateBp / 10_000,
        isMet: sums.latePaidMinor * 10_000n <= BigInt(limits.maxShareLateBp) * sums.paidMinor,
      });
    }
    checks.push({
      rule: 'avg_days_late',
      currency: entry.currency,
      grade,
      value: entry.metrics.avgDaysLate ?? 0,
      limit: limits.maxAvgDaysLate,
      isMet: sums.daysLateMinorDays <= BigInt(limits.maxAvgDaysLate) * sums.paidMinor,
    });
  }
  checks.push({
    rule: 'overdue_days',
    currency: null,
    grade,
    value: oldestOverdueDays,
    limit: limits.maxOverdueDays,
    isMet: oldestOverdueDays <= limits.maxOverdueDays,
  });
  return checks;
}

/** The rating the payment behaviour earns, with the reasons that decided it. */
export function computeCreditRating(
  currencies: readonly CurrencyPaymentBehaviour[],
  rules: CreditRatingRules = CREDIT_RATING_RULES,
): ComputedCreditRating {
  const oldestOverdueDays = Math.max(0, ...currencies.map((entry) => entry.openItems.oldestOverdueDays ?? 0));
  const judged = currencies.filter((entry) => entry.metrics.paidInvoiceCount >= rules.minPaidInvoices);
  if (judged.length === 0) {
    const history: CreditRatingReason = {
      rule: 'paid_invoices',
      currency: null,
      grade: null,
      value: Math.max(0, ...currencies.map((entry) => entry.metrics.paidInvoiceCount)),
      limit: rules.minPaidInvoices,
      isMet: false,
    };
    const cLimit = rules.grades.C.maxOverdueDays;
    if (oldestOverdueDays > cLimit) {
      return {
        rating: 'D',
        reasons: [
          history,
          {
            rule: 'overdue_days',
            currency: null,
            grade: 'C',
            value: oldestOverdueDays,
            limit: cLimit,
            isMet: false,
          },
        ],
      };
    }
    return { rating: null, reasons: [history] };
  }
  let failedAbove: Check[] = [];
  for (const grade of ['A', 'B', 'C'] as const) {
    const checks = checksFor(grade, judged, oldestOverdueDays, rules);
    const failed = checks.filter((check) => !check.isMet);
    if (failed.length === 0) return { rating: grade, reasons: [...failedAbove, ...checks] };
    failedAbove = failed;
  }
  return { rating: 'D', reasons: failedAbove };
}

export type CreditRatingOverride = {
  rating: CreditRating;
  reason: string;
};

/** A manual override wins over the computed rating; without one the computed rating stands (null = unrated). */
export function effectiveCreditRating(
  computed: CreditRating | null,
  override: CreditRatingOverride | null,
): CreditRating | null {
  return override?.rating ?? computed;
}
