import { daysBetween, type CalendarDate } from './calendar-date';
import { trailingMonths } from './kpis';

/**
 * Payment behaviour per customer (信用历史, domain.md §1 and §8): how the customer actually paid, kept from the
 * ledger. Everything here is pure; the server computes the same sums in SQL for many customers at once and hands
 * them to `paymentBehaviourFromSums`, and `sumPayments` is the reference it is tested against.
 *
 * What counts as a payment: money from a receipt applied to an invoice (an allocation), as long as the allocation
 * is not reversed by the as-of date. Credit notes and write-offs reduce an invoice but are not payments; a
 * recovery applied to a write-off and a prepayment applied to a plan node alone pay no invoice. A reversed receipt
 * reverses each of its allocations on the reversal date, so its money stops counting from that date on.
 *
 * The payment date is the day the money arrived (the receipt's date), not the day finance applied it: finance's
 * backlog is not the customer's lateness. Money that arrived before the invoice existed (a prepayment or credit
 * left on account) pays it on the invoice date, i.e. on time, in 0 days.
 *
 * Money is never added across currencies (there is no exchange rate in the ledger): each currency has its own
 * amount-weighted metrics. The rating (credit-rating.ts) looks at every currency.
 */

/** How many calendar months the headline metrics and the trend cover, ending with the as-of date's month. */
export const PAYMENT_BEHAVIOUR_MONTHS = 12;

/** One payment of one invoice: an unreversed allocation. */
export type PaymentFact = {
  invoiceId: string;
  currency: string;
  /** > 0, minor units. */
  amountMinor: bigint;
  /** greatest(receipt date, invoice date); see the module comment. */
  paidOn: CalendarDate;
  invoiceDate: CalendarDate;
  dueDate: CalendarDate;
};

/**
 * Exact sums behind the weighted averages. "Minor-days" are amount × days in minor units, so averages divide
 * once, from integers, at the end: Σ(amount × days) / Σ amount.
 */
export type PaymentSums = {
  paidMinor: bigint;
  daysToPayMinorDays: bigint;
  daysLateMinorDays: bigint;
  /** Paid after the due date (at least one day late). */
  latePaidMinor: bigint;
  paymentCount: number;
  /** Distinct invoices that received a payment. Not additive across months: an invoice may be paid in two. */
  paidInvoiceCount: number;
};

export type CurrencyPaymentSums = {
  currency: string;
  /** Over the whole window. */
  total: PaymentSums;
  /** Per 'YYYY-MM' month of the payment date; months without payments may be absent. */
  byMonth: ReadonlyMap<string, PaymentSums>;
};

/** An open (unsettled, not voided) invoice as of the date. */
export type OpenItemFact = {
  invoiceId: string;
  invoiceNumber: string;
  currency: string;
  /** > 0, minor units. */
  openMinor: bigint;
  dueDate: CalendarDate;
};

export type LargestOverdueItem = {
  invoiceId: string;
  invoiceNumber: string;
  openMinor: bigint;
  dueDate: CalendarDate;
  daysOverdue: number;
};

export type OpenItemsSummary = {
  currency: string;
  openMinor: bigint;
  overdueMinor: bigint;
  /** Days past due of the oldest overdue item; null when nothing is overdue. */
  oldestOverdueDays: number | null;
  /** The overdue item with the largest open amount (ties: the older, then the lower number). */
  largestOverdue: LargestOverdueItem | null;
};

export type PaymentMetrics = {
  paidMinor: bigint;
  paymentCount: number;
  paidInvoiceCount: number;
  /** Amount-weighted days from invoice date to payment date, rounded to one decimal; null when nothing was paid. */
  avgDaysToPay: number | null;
  /** Amount-weighted max(0, payment date − due date), rounded to one decimal; null when nothing was paid. */
  avgDaysLate: number | null;
  /** Share of the amount paid after its due date, a fraction rounded to four decimals; null when nothing paid. */
  shareLate: number | null;
  /** The exact sums, for comparisons that must not depend on rounding (the rating). */
  sums: PaymentSums;
};

export type MonthPaymentMetrics = PaymentMetrics & { month: string };

export type CurrencyPaymentBehaviour = {
  currency: string;
  metrics: PaymentMetrics;
  /** One entry per month of the window, oldest first, months without payments included (with null averages). */
  trend: MonthPaymentMetrics[];
  openItems: OpenItemsSummary;
};

export type PaymentBehaviour = {
  asOf: CalendarDate;
  /** First day of the window: payments dated from here to `asOf` count. */
  fromDate: CalendarDate;
  months: string[];
  currencies: CurrencyPaymentBehaviour[];
  /**
   * Promises to pay (承诺付款) that were broken. The pure computation does not know them (null: "not counted here",
   * never "none broken"); the server fills in casework's count of broken promises as of the date.
   */
  brokenPromiseCount: number | null;
};

export const EMPTY_PAYMENT_SUMS: PaymentSums = {
  paidMinor: 0n,
  daysToPayMinorDays: 0n,
  daysLateMinorDays: 0n,
  latePaidMinor: 0n,
  paymentCount: 0,
  paidInvoiceCount: 0,
};

/** The window of `asOf`: the PAYMENT_BEHAVIOUR_MONTHS calendar months ending with its month. */
export function paymentWindow(asOf: CalendarDate): { fromDate: CalendarDate; months: string[] } {
  const months = trailingMonths(asOf, PAYMENT_BEHAVIOUR_MONTHS);
  const first = months[0];
  if (!first) throw new Error('payment window has no months');
  return { fromDate: first.from, months: months.map((month) => month.month) };
}

/**
 * The reference computation of the sums from individual payments (the server does the same in SQL). Payments
 * outside [fromDate, asOf] are left out.
 */
export function sumPayments(
  payments: readonly PaymentFact[],
  window: { fromDate: CalendarDate; asOf: CalendarDate },
): CurrencyPaymentSums[] {
  type Acc = { total: SumsBuilder; months: Map<string, SumsBuilder> };
  const byCurrency = new Map<string, Acc>();
  for (const payment of payments) {
    if (payment.amountMinor <= 0n) throw new RangeError('A payment amount must be positive');
    if (payment.paidOn < window.fromDate || payment.paidOn > window.asOf) continue;
    let acc = byCurrency.get(payment.currency);
    if (!acc) {
      acc = { total: new SumsBuilder(), months: new Map() };
      byCurrency.set(payment.currency, acc);
    }
    const month = payment.paidOn.slice(0, 7);
    let monthSums = acc.months.get(month);
    if (!monthSums) {
      monthSums = new SumsBuilder();
      acc.months.set(month, monthSums);
    }
    acc.total.add(payment);
    monthSums.add(payment);
  }
  return [...byCurrency.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, acc]) => ({
      currency,
      total: acc.total.sums(),
      byMonth: new Map([...acc.months].map(([month, builder]) => [month, builder.sums()])),
    }));
}

class SumsBuilder {
  private readonly totals = { ...EMPTY_PAYMENT_SUMS };
  private readonly invoices = new Set<string>();

  add(payment: PaymentFact): void {
    const daysToPay = BigInt(daysBetween(payment.invoiceDate, payment.paidOn));
    const daysLate = BigInt(Math.max(0, daysBetween(payment.dueDate, payment.paidOn)));
    this.totals.paidMinor += payment.amountMinor;
    this.totals.daysToPayMinorDays += payment.amountMinor * daysToPay;
    this.totals.daysLateMinorDays += payment.amountMinor * daysLate;
    if (daysLate > 0n) this.totals.latePaidMinor += payment.amountMinor;
    this.totals.paymentCount += 1;
    this.invoices.add(payment.invoiceId);
  }

  sums(): PaymentSums {
    return { ...this.totals, paidInvoiceCount: this.invoices.size };
  }
}

/** Open items per currency as of `asOf`: totals, the oldest overdue age and the largest overdue item. */
export function summariseOpenItems(items: readonly OpenItemFact[], asOf: CalendarDate): OpenItemsSummary[] {
  const byCurrency = new Map<string, OpenItemsSummary>();
  for (const item of items) {
    if (item.openMinor <= 0n) continue;
    const summary = byCurrency.get(item.currency) ?? emptyOpenItems(item.currency);
    byCurrency.set(item.currency, summary);
    summary.openMinor += item.openMinor;
    const daysOverdue = daysBetween(item.dueDate, asOf);
    if (daysOverdue <= 0) continue;
    summary.overdueMinor += item.openMinor;
    summary.oldestOverdueDays = Math.max(summary.oldestOverdueDays ?? 0, daysOverdue);
    const candidate: LargestOverdueItem = {
      invoiceId: item.invoiceId,
      invoiceNumber: item.invoiceNumber,
      openMinor: item.openMinor,
      dueDate: item.dueDate,
      daysOverdue,
    };
    if (summary.largestOverdue === null || isLarger(candidate, summary.largestOverdue)) {
      summary.largestOverdue = candidate;
    }
  }
  return [...byCurrency.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1));
}

function isLarger(a: LargestOverdueItem, b: LargestOverdueItem): boolean {
  if (a.openMinor !== b.openMinor) return a.openMinor > b.openMinor;
  if (a.daysOverdue !== b.daysOverdue) return a.daysOverdue > b.daysOverdue;
  return a.invoiceNumber < b.invoiceNumber;
}

export function emptyOpenItems(currency: string): OpenItemsSummary {
  return { currency, openMinor: 0n, overdueMinor: 0n, oldestOverdueDays: null, largestOverdue: null };
}

/**
 * numerator / denominator rounded half away from zero to `decimals` places, computed from the integers (the
 * quotient is exact before it becomes a number); null when the denominator is zero. With one decimal,
 * 12.25 days → 12.3 and −0.05 → −0.1.
 */
export function roundedQuotient(numerator: bigint, denominator: bigint, decimals: number): number | null {
  if (denominator === 0n) return null;
  const scale = 10n ** BigInt(decimals);
  const negative = numerator < 0n !== denominator < 0n && numerator !== 0n;
  const n = (numerator < 0n ? -numerator : numerator) * scale;
  const d = denominator < 0n ? -denominator : denominator;
  const rounded = (2n * n + d) / (2n * d);
  const value = Number(rounded) / Number(scale);
  return negative ? -value : value;
}

export function metricsOf(sums: PaymentSums): PaymentMetrics {
  return {
    paidMinor: sums.paidMinor,
    paymentCount: sums.paymentCount,
    paidInvoiceCount: sums.paidInvoiceCount,
    avgDaysToPay: roundedQuotient(sums.daysToPayMinorDays, sums.paidMinor, 1),
    avgDaysLate: roundedQuotient(sums.daysLateMinorDays, sums.paidMinor, 1),
    shareLate: roundedQuotient(sums.latePaidMinor, sums.paidMinor, 4),
    sums,
  };
}

/**
 * The behaviour from per-currency sums and open items. `preferredCurrency` (the customer's own) comes first and is
 * always present, even without any history, so a reader has a section to show; other currencies follow by code.
 * Null when only the rating matters (it reads every currency alike).
 */
export function paymentBehaviourFromSums(input: {
  asOf: CalendarDate;
  preferredCurrency: string | null;
  payments: readonly CurrencyPaymentSums[];
  openItems: readonly OpenItemsSummary[];
}): PaymentBehaviour {
  const { fromDate, months } = paymentWindow(input.asOf);
  const currencies = new Set<string>(input.preferredCurrency === null ? [] : [input.preferredCurrency]);
  for (const entry of input.payments) currencies.add(entry.currency);
  for (const entry of input.openItems) currencies.add(entry.currency);
  const ordered = [...currencies].sort((a, b) =>
    a === input.preferredCurrency ? -1 : b === input.preferredCurrency ? 1 : a < b ? -1 : 1,
  );
  return {
    asOf: input.asOf,
    fromDate,
    months,
    currencies: ordered.map((currency) => {
      const payments = input.payments.find((entry) => entry.currency === currency);
      return {
        currency,
        metrics: metricsOf(payments?.total ?? EMPTY_PAYMENT_SUMS),
        trend: months.map((month) => ({
          month,
          ...metricsOf(payments?.byMonth.get(month) ?? EMPTY_PAYMENT_SUMS),
        })),
        openItems: input.openItems.find((entry) => entry.currency === currency) ?? emptyOpenItems(currency),
      };
    }),
    brokenPromiseCount: null,
  };
}
