/**
 * Credit control (信用控制, domain.md §1): the pure rules behind credit limits, warnings, holds (停止供货) and
 * overrides. The server gathers the numbers in one set-based query; these functions decide from them, so the rules
 * are tested without a database and read the same everywhere (write checks, lists, the sweep).
 *
 * - Exposure = open receivables + unbilled plan nodes + contracted-but-uninvoiced remainder, in the limit's
 *   currency (the server splits a contract's uninvoiced amount between its nodes and the remainder, so nothing is
 *   counted twice).
 * - A customer is on hold when exposure > limit, when the oldest overdue open invoice is more than
 *   `overdueHoldDays` past due, or when its open disputes add up to more than the dispute threshold.
 * - A warning (no hold) when exposure ≥ `warningBp` of the limit.
 * - An approved override, while valid, raises the limit by its amount and lifts the overdue and dispute causes.
 * - A write that adds exposure is refused when exposure + the addition would exceed the (overridden) limit.
 */

export const CREDIT_HOLD_CAUSES = ['over_limit', 'overdue', 'dispute', 'dunning'] as const;
/** Why a customer is on hold: 超额度, 逾期超期, 争议超阈值, 催收程序停止供货 (a dunning ladder's credit_hold step). */
export type CreditHoldCause = (typeof CREDIT_HOLD_CAUSES)[number];

/** Why a write is refused: a hold cause still in force, or the write itself would take exposure over the limit. */
export type CreditBlockCause = CreditHoldCause | 'would_exceed_limit' | 'currency_mismatch';

export const BASIS_POINTS = 10_000;

export type CreditSettings = {
  /** Warning at this share of the limit, in basis points (8000 = 80%). */
  warningBp: number;
  /** Hold once the oldest overdue open invoice is more than this many days past due. */
  overdueHoldDays: number;
  /** Hold once open disputes add up to more than this (0 = any open dispute), in `disputeHoldCurrency`. */
  disputeHoldThresholdMinor: bigint;
};

export const DEFAULT_CREDIT_SETTINGS: CreditSettings = {
  warningBp: 8000,
  overdueHoldDays: 90,
  disputeHoldThresholdMinor: 0n,
};

/** What the server measured for one customer as of today, in the credit currency. */
export type CreditPosition = {
  /** The credit limit; null = no limit set (only the overdue and dispute rules apply). */
  limitMinor: bigint | null;
  exposureMinor: bigint;
  /** Days the oldest open invoice is past due; null when nothing is overdue. */
  oldestOverdueDays: number | null;
  /** Open disputes in the threshold's currency. */
  openDisputesMinor: bigint;
  /** Open disputes in another currency cannot be compared without exchange rates, so they always count. */
  hasOtherCurrencyDisputes: boolean;
  /** Sum of the amounts of approved overrides valid today (0 when none); `hasActiveOverride` even for amount 0. */
  overrideMinor: bigint;
  hasActiveOverride: boolean;
  /** A dunning ladder's credit_hold step placed a hold whose invoice is still open (absent = none). */
  hasDunningHold?: boolean;
};

export function holdCauses(position: CreditPosition, settings: CreditSettings): CreditHoldCause[] {
  const causes: CreditHoldCause[] = [];
  if (position.limitMinor !== null && position.exposureMinor > position.limitMinor) causes.push('over_limit');
  if (position.oldestOverdueDays !== null && position.oldestOverdueDays > settings.overdueHoldDays) {
    causes.push('overdue');
  }
  if (position.hasOtherCurrencyDisputes || position.openDisputesMinor > settings.disputeHoldThresholdMinor) {
    causes.push('dispute');
  }
  if (position.hasDunningHold === true) causes.push('dunning');
  return causes;
}

/** The warning line: ⌈limit × warningBp / 10000⌉ in minor units, so "≥ 80%" never rounds a cent in its favour. */
export function warningThresholdMinor(limitMinor: bigint, warningBp: number): bigint {
  const product = limitMinor * BigInt(warningBp);
  const divisor = BigInt(BASIS_POINTS);
  return (product + divisor - 1n) / divisor;
}

/** A warning: a limit is set, exposure reached the warning line, and the customer is not over the limit. */
export function isCreditWarning(position: CreditPosition, settings: CreditSettings): boolean {
  if (position.limitMinor === null) return false;
  if (position.exposureMinor > position.limitMinor) return false;
  return position.exposureMinor >= warningThresholdMinor(position.limitMinor, settings.warningBp);
}

/** Exposure as a fraction of the limit (0.85 = 85%); null without a limit, or with a zero limit. */
export function shareOfLimit(exposureMinor: bigint, limitMinor: bigint | null): number | null {
  if (limitMinor === null || limitMinor === 0n) return null;
  // Exact to 1e-6: the ratio is for display and charts, never for a decision (those compare bigints).
  const millionths = (exposureMinor * 1_000_000n) / limitMinor;
  return Number(millionths) / 1_000_000;
}

/** The limit writes are held to: the limit raised by every override valid today. */
export function effectiveLimitMinor(position: CreditPosition): bigint | null {
  return position.limitMinor === null ? null : position.limitMinor + position.overrideMinor;
}

export type CreditWrite = {
  /** How much the write adds to exposure (0 for a write that only re-labels existing exposure). */
  addedExposureMinor: bigint;
  /** The write's currency; compared with the limit's only when it adds exposure against a limit. */
  currency: string;
  limitCurrency: string;
};

/**
 * Why a write must be refused (empty: it may go ahead). An active override lifts the overdue and dispute causes and
 * raises the limit by its amount; without one, every hold cause blocks.
 */
export function creditBlockCauses(
  position: CreditPosition,
  settings: CreditSettings,
  write: CreditWrite,
): CreditBlockCause[] {
  const held = holdCauses(position, settings);
  // The dunning hold is an overdue hold placed by the ladder, so an approved override lifts it too.
  const lifted = position.hasActiveOverride
    ? held.filter((cause) => cause !== 'overdue' && cause !== 'dispute' && cause !== 'dunning')
    : held;
  // The limit is judged below against the overridden limit, not the plain one.
  const causes: CreditBlockCause[] = lifted.filter((cause) => cause !== 'over_limit');
  const limit = effectiveLimitMinor(position);
  if (limit === null) return causes;
  if (position.exposureMinor > limit) return [...causes, 'over_limit'];
  if (write.addedExposureMinor <= 0n) return causes;
  if (write.currency !== write.limitCurrency) return [...causes, 'currency_mismatch'];
  if (position.exposureMinor + write.addedExposureMinor > limit) return [...causes, 'would_exceed_limit'];
  return causes;
}

/**
 * What a write against a contract adds to exposure: an invoice (or invoice request) for a contract first uses up
 * the contract's uninvoiced amount, which is already exposure; only the part beyond it is new.
 */
export function addedByInvoiceMinor(totalMinor: bigint, contractUninvoicedMinor: bigint | null): bigint {
  if (contractUninvoicedMinor === null) return totalMinor;
  const covered = contractUninvoicedMinor < totalMinor ? contractUninvoicedMinor : totalMinor;
  return totalMinor - (covered > 0n ? covered : 0n);
}

export type HoldTransition = 'placed' | 'released' | 'changed';

/** How the recorded hold state moves to the evaluated one; null when nothing changed. */
export function holdTransition(
  recorded: readonly CreditHoldCause[] | null,
  evaluated: readonly CreditHoldCause[],
): HoldTransition | null {
  const wasOnHold = recorded !== null && recorded.length > 0;
  const isOnHold = evaluated.length > 0;
  if (!wasOnHold && !isOnHold) return null;
  if (!wasOnHold) return 'placed';
  if (!isOnHold) return 'released';
  const before = [...recorded].sort().join(',');
  const after = [...evaluated].sort().join(',');
  return before === after ? null : 'changed';
}
