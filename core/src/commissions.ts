import { daysBetween, type CalendarDate } from './calendar-date';

/**
 * Commission on cash collected (回款提成), never on sales (seed 004 §二.2): a base rate, scaled by how late the
 * money came, a larger rate for old debts, bonuses for full early payment and for prepayment, rules for debts that
 * sales did not cause, optional penalties, and clawback when collected money is reversed.
 *
 * Rates are basis points (1 bp = 0.01 %) and multipliers are basis points of 1 (10,000 = ×1), so a line's exact
 * value is amount × bp × bp × bp / 10^12, computed on bigints and rounded once per line, half away from zero, to the
 * minor unit. A statement's total is the sum of its rounded lines, so every line can be checked by hand.
 */

export type TimelinessBand = {
  /** Inclusive upper bound of days late at collection; null = any later. Bands are in ascending order. */
  maxDaysLate: number | null;
  multiplierBp: number;
};

export type CommissionRules = {
  baseRateBp: number;
  timeliness: readonly TimelinessBand[];
  /** Debts older than this at collection (days since the invoice date) earn `rateBp` instead of base × timeliness. */
  oldDebt: { afterAgeDays: number; rateBp: number } | null;
  /** An invoice settled in full at least `minDaysEarly` before its due date earns a bonus on its total. */
  fullEarlyPayment: { minDaysEarly: number; bonusRateBp: number } | null;
  /** Cash received before the invoice date (预付款) earns this on top of the base rate. */
  prepayment: { bonusRateBp: number } | null;
  /** Debts not caused by sales (e.g. a quality failure): left out, or scaled down. */
  notSalesCaused: { mode: 'exclude' } | { mode: 'reduce'; multiplierBp: number };
  /** Optional: at the end of a period, each salesperson pays this rate on what of theirs is overdue past N days. */
  overduePenalty: { afterDaysOverdue: number; rateBp: number } | null;
};

export const DEFAULT_COMMISSION_RULES: CommissionRules = {
  baseRateBp: 100,
  timeliness: [
    { maxDaysLate: 0, multiplierBp: 10_000 },
    { maxDaysLate: 30, multiplierBp: 8_000 },
    { maxDaysLate: 90, multiplierBp: 5_000 },
    { maxDaysLate: null, multiplierBp: 3_000 },
  ],
  oldDebt: { afterAgeDays: 365, rateBp: 200 },
  fullEarlyPayment: { minDaysEarly: 1, bonusRateBp: 20 },
  prepayment: { bonusRateBp: 50 },
  notSalesCaused: { mode: 'reduce', multiplierBp: 5_000 },
  overduePenalty: null,
};

/** Money applied to one invoice (an allocation of a receipt), credited to the salesperson who owns the sale. */
export type CollectedCash = {
  id: string;
  salespersonId: string;
  invoiceId: string;
  amountMinor: bigint;
  currency: string;
  collectedOn: CalendarDate;
  invoiceDate: CalendarDate;
  dueDate: CalendarDate;
  isNotSalesCaused: boolean;
};

export type CommissionReason =
  | 'on_time'
  | 'late'
  | 'old_debt'
  | 'prepayment'
  | 'not_sales_caused_excluded'
  | 'not_sales_caused_reduced'
  | 'full_early_payment'
  | 'overdue_penalty'
  | 'clawback';

export type CommissionLine = {
  /** Cash collected (the base is money received), a bonus on an invoice, or a penalty. */
  kind: 'cash' | 'bonus' | 'penalty';
  /** What the line is for: the allocation's id, `early:<invoice>`, `penalty:<salesperson>:<currency>` or `clawback:<id>`. */
  sourceId: string;
  salespersonId: string;
  invoiceId: string | null;
  currency: string;
  /** The money the rate applies to (negative for clawbacks and penalties). */
  baseMinor: bigint;
  /** The effective rate as an exact fraction: numerator / 10^12. */
  rateNumerator: bigint;
  commissionMinor: bigint;
  reasons: readonly CommissionReason[];
  daysLate: number | null;
  ageDays: number | null;
};

const RATE_DENOMINATOR = 10n ** 12n;
const ONE_BP = 10_000n;

/** Rounds numerator / denominator half away from zero (denominator > 0). */
export function roundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  const magnitude = numerator < 0n ? -numerator : numerator;
  const rounded = (magnitude * 2n + denominator) / (denominator * 2n);
  return numerator < 0n ? -rounded : rounded;
}

export function timelinessMultiplierBp(bands: readonly TimelinessBand[], daysLate: number): number {
  const band = bands.find((b) => b.maxDaysLate === null || daysLate <= b.maxDaysLate);
  if (!band) throw new RangeError(`No timeliness band covers ${daysLate} days late`);
  return band.multiplierBp;
}

/** The commission line for money collected on one invoice. */
export function commissionForCash(rules: CommissionRules, cash: CollectedCash): CommissionLine {
  const daysLate = Math.max(0, daysBetween(cash.dueDate, cash.collectedOn));
  const ageDays = daysBetween(cash.invoiceDate, cash.collectedOn);
  const line = (rateNumerator: bigint, reasons: CommissionReason[]): CommissionLine => ({
    kind: 'cash',
    sourceId: cash.id,
    salespersonId: cash.salespersonId,
    invoiceId: cash.invoiceId,
    currency: cash.currency,
    baseMinor: cash.amountMinor,
    rateNumerator,
    commissionMinor: roundHalfAwayFromZero(cash.amountMinor * rateNumerator, RATE_DENOMINATOR),
    reasons,
    daysLate,
    ageDays,
  });
  if (cash.isNotSalesCaused && rules.notSalesCaused.mode === 'exclude') {
    return line(0n, ['not_sales_caused_excluded']);
  }
  const [rateBp, multiplierBp, reasons] = rateOf(rules, daysLate, ageDays);
  let rateNumerator = BigInt(rateBp) * BigInt(multiplierBp) * ONE_BP;
  if (cash.isNotSalesCaused && rules.notSalesCaused.mode === 'reduce') {
    rateNumerator = BigInt(rateBp) * BigInt(multiplierBp) * BigInt(rules.notSalesCaused.multiplierBp);
    reasons.push('not_sales_caused_reduced');
  }
  return line(rateNumerator, reasons);
}

function rateOf(
  rules: CommissionRules,
  daysLate: number,
  ageDays: number,
): [rateBp: number, multiplierBp: number, reasons: CommissionReason[]] {
  if (ageDays < 0 && rules.prepayment) {
    return [rules.baseRateBp + rules.prepayment.bonusRateBp, 10_000, ['prepayment']];
  }
  // Chasing a year-old debt is rewarded, not punished for its lateness: the old-debt rate replaces the scaling.
  if (rules.oldDebt && ageDays > rules.oldDebt.afterAgeDays)
    return [rules.oldDebt.rateBp, 10_000, ['old_debt']];
  const multiplierBp = timelinessMultiplierBp(rules.timeliness, daysLate);
  return [rules.baseRateBp, multiplierBp, [daysLate === 0 ? 'on_time' : 'late']];
}

/** An invoice whose last open amount was collected on `settledOn`. */
export type SettledInvoice = {
  invoiceId: string;
  salespersonId: string;
  totalMinor: bigint;
  currency: string;
  dueDate: CalendarDate;
  settledOn: CalendarDate;
  isNotSalesCaused: boolean;
};

/** The full-early-payment bonus (全款提前到位), or null when the invoice does not earn one. */
export function earlyPaymentBonus(rules: CommissionRules, invoice: SettledInvoice): CommissionLine | null {
  const rule = rules.fullEarlyPayment;
  if (!rule || invoice.isNotSalesCaused) return null;
  const daysEarly = daysBetween(invoice.settledOn, invoice.dueDate);
  if (daysEarly < rule.minDaysEarly) return null;
  const rateNumerator = BigInt(rule.bonusRateBp) * ONE_BP * ONE_BP;
  return {
    kind: 'bonus',
    // The settlement date is part of the source: an invoice reopened by a reversal and settled early again earns a
    // new bonus, never the same one twice.
    sourceId: `early:${invoice.invoiceId}:${invoice.settledOn}`,
    salespersonId: invoice.salespersonId,
    invoiceId: invoice.invoiceId,
    currency: invoice.currency,
    baseMinor: invoice.totalMinor,
    rateNumerator,
    commissionMinor: roundHalfAwayFromZero(invoice.totalMinor * rateNumerator, RATE_DENOMINATOR),
    reasons: ['full_early_payment'],
    daysLate: null,
    ageDays: null,
  };
}

/**
 * A penalty on what a salesperson has overdue past the rule's days at the period's end (a negative line). The
 * period, when given, makes the source unique across monthly statements.
 */
export function overduePenalty(
  rules: CommissionRules,
  salespersonId: string,
  currency: string,
  overdueMinor: bigint,
  period?: string,
): CommissionLine | null {
  const rule = rules.overduePenalty;
  if (!rule || overdueMinor <= 0n) return null;
  const rateNumerator = BigInt(rule.rateBp) * ONE_BP * ONE_BP;
  return {
    kind: 'penalty',
    sourceId: `penalty:${salespersonId}:${currency}${period === undefined ? '' : `:${period}`}`,
    salespersonId,
    invoiceId: null,
    currency,
    baseMinor: -overdueMinor,
    rateNumerator,
    commissionMinor: roundHalfAwayFromZero(-overdueMinor * rateNumerator, RATE_DENOMINATOR),
    reasons: ['overdue_penalty'],
    daysLate: null,
    ageDays: null,
  };
}

/**
 * Clawback: money collected and later reversed takes back exactly what its line earned, in the period of the
 * reversal, so a locked statement is never rewritten.
 */
export function clawback(original: CommissionLine): CommissionLine {
  return {
    ...original,
    sourceId: `clawback:${original.sourceId}`,
    baseMinor: -original.baseMinor,
    commissionMinor: -original.commissionMinor,
    reasons: [...original.reasons, 'clawback'],
  };
}

export type CommissionTotals = { currency: string; collectedMinor: bigint; commissionMinor: bigint };

/** Totals per currency: collected counts cash lines (a clawback of cash subtracts), commission counts every line. */
export function totalCommission(lines: readonly CommissionLine[]): CommissionTotals[] {
  const byCurrency = new Map<string, CommissionTotals>();
  for (const line of lines) {
    const totals = byCurrency.get(line.currency) ?? {
      currency: line.currency,
      collectedMinor: 0n,
      commissionMinor: 0n,
    };
    byCurrency.set(line.currency, {
      currency: line.currency,
      collectedMinor: totals.collectedMinor + (line.kind === 'cash' ? line.baseMinor : 0n),
      commissionMinor: totals.commissionMinor + line.commissionMinor,
    });
  }
  return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

/** A line's exact rate (numerator / 10^12) as a decimal fraction without trailing zeros: 8·10^9 → "0.008". */
export function rateToDecimalString(rateNumerator: bigint): string {
  const isNegative = rateNumerator < 0n;
  const digits = (isNegative ? -rateNumerator : rateNumerator).toString().padStart(13, '0');
  const whole = digits.slice(0, -12);
  const fraction = digits.slice(-12).replace(/0+$/, '');
  return `${isNegative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

/** A version of the rules, in force from the month `effectiveFrom` ('YYYY-MM') until a later version. */
export type CommissionRuleVersion = { effectiveFrom: string; rules: CommissionRules };

/**
 * The rules a month's statement uses: the latest version in force on or before it (versions with the same month:
 * the last one given wins), else the defaults.
 */
export function rulesInForce(versions: readonly CommissionRuleVersion[], month: string): CommissionRules {
  let found: CommissionRuleVersion | null = null;
  for (const version of versions) {
    if (version.effectiveFrom <= month && (found === null || version.effectiveFrom >= found.effectiveFrom)) {
      found = version;
    }
  }
  return found?.rules ?? DEFAULT_COMMISSION_RULES;
}

/**
 * Which monthly statement a line lands in. A line already stored in a locked statement stays there. Otherwise it
 * belongs to its own month (the receipt's date for cash, the reversal's for a clawback), unless that month's
 * statement for the salesperson is already locked: then to the first later month that is not, so money that
 * reaches the ledger after a close is paid (or taken back) in the next open statement, never lost and never
 * written into a locked one.
 */
export function statementMonthOf(
  ownMonth: string,
  lockedMonths: ReadonlySet<string>,
  lockedIn: string | null,
  nextMonthOf: (month: string) => string,
): string {
  if (lockedIn !== null) return lockedIn;
  let month = ownMonth;
  while (lockedMonths.has(month)) month = nextMonthOf(month);
  return month;
}

/** One allocation row of an invoice: positive applies money, negative (a reversal) takes it back. */
export type InvoiceAllocationRow = {
  id: string;
  amountMinor: bigint;
  allocatedOn: CalendarDate;
  /** The date the customer paid (the receipt's date). */
  receivedOn: CalendarDate;
  reversesId: string | null;
};

export type SettlementEvent =
  | { kind: 'settled'; settledOn: CalendarDate; collectedMinor: bigint; byAllocationId: string }
  | { kind: 'reopened'; reopenedOn: CalendarDate; settledOn: CalendarDate; byAllocationId: string };

/**
 * When an invoice was paid in full and when a reversal reopened it, from its allocation rows in ledger order
 * (by allocation date, then as recorded) and its posted credit notes. Settled means nothing left open after
 * money was applied; the settlement date is the latest receipt date among the allocations still standing, since
 * that is when the customer had paid everything. A reopening names the settlement it undoes.
 */
export function settlementEvents(
  totalMinor: bigint,
  creditNotes: readonly { issuedOn: CalendarDate; amountMinor: bigint }[],
  rows: readonly InvoiceAllocationRow[],
): SettlementEvent[] {
  const events: SettlementEvent[] = [];
  const standing = new Map<string, InvoiceAllocationRow>();
  let allocated = 0n;
  let settledOn: CalendarDate | null = null;
  for (const row of rows) {
    allocated += row.amountMinor;
    if (row.amountMinor > 0n) standing.set(row.id, row);
    else if (row.reversesId !== null) standing.delete(row.reversesId);
    const credited = creditNotes
      .filter((note) => note.issuedOn <= row.allocatedOn)
      .reduce((sum, note) => sum + note.amountMinor, 0n);
    const open = totalMinor - credited - allocated;
    if (open <= 0n && settledOn === null && row.amountMinor > 0n) {
      settledOn = [...standing.values()].reduce<CalendarDate>(
        (latest, r) => (r.receivedOn > latest ? r.receivedOn : latest),
        row.receivedOn,
      );
      events.push({ kind: 'settled', settledOn, collectedMinor: allocated, byAllocationId: row.id });
    } else if (open > 0n && settledOn !== null && row.amountMinor < 0n) {
      events.push({ kind: 'reopened', reopenedOn: row.allocatedOn, settledOn, byAllocationId: row.id });
      settledOn = null;
    }
  }
  return events;
}
