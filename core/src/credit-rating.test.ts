import { describe, expect, it } from 'vitest';
import {
  CREDIT_RATING_RULES,
  canOverrideCreditRating,
  computeCreditRating,
  effectiveCreditRating,
} from './credit-rating';
import {
  emptyOpenItems,
  metricsOf,
  type CurrencyPaymentBehaviour,
  type PaymentSums,
} from './payment-behaviour';

/** A currency's behaviour from exact sums: `late` minor paid late, `lateDays` the amount-weighted lateness. */
function currency(input: {
  currency?: string;
  paid: bigint;
  late: bigint;
  lateMinorDays: bigint;
  invoices: number;
  oldestOverdueDays?: number | null;
}): CurrencyPaymentBehaviour {
  const code = input.currency ?? 'CNY';
  const sums: PaymentSums = {
    paidMinor: input.paid,
    daysToPayMinorDays: input.paid * 30n,
    daysLateMinorDays: input.lateMinorDays,
    latePaidMinor: input.late,
    paymentCount: input.invoices,
    paidInvoiceCount: input.invoices,
  };
  return {
    currency: code,
    metrics: metricsOf(sums),
    trend: [],
    openItems: { ...emptyOpenItems(code), oldestOverdueDays: input.oldestOverdueDays ?? null },
  };
}

describe('computeCreditRating', () => {
  it('rates A on the limits themselves: 10% late, 5.0 days late on average, 30 days overdue', () => {
    const result = computeCreditRating([
      currency({
        paid: 100_000n,
        late: 10_000n,
        lateMinorDays: 500_000n,
        invoices: 3,
        oldestOverdueDays: 30,
      }),
    ]);
    expect(result).toEqual({
      rating: 'A',
      reasons: [
        { rule: 'share_late', currency: 'CNY', grade: 'A', value: 0.1, limit: 0.1, isMet: true },
        { rule: 'avg_days_late', currency: 'CNY', grade: 'A', value: 5, limit: 5, isMet: true },
        { rule: 'overdue_days', currency: null, grade: 'A', value: 30, limit: 30, isMet: true },
      ],
    });
  });

  it('compares exactly: one minor unit over 10% late is B even though the share shows as 10.0%', () => {
    const result = computeCreditRating([
      currency({ paid: 100_000n, late: 10_001n, lateMinorDays: 100_000n, invoices: 5 }),
    ]);
    expect(result.rating).toBe('B');
    expect(result.reasons[0]).toEqual({
      rule: 'share_late',
      currency: 'CNY',
      grade: 'A',
      value: 0.1, // 0.10001 shown to four decimals
      limit: 0.1,
      isMet: false,
    });
    expect(result.reasons.slice(1).every((reason) => reason.grade === 'B' && reason.isMet)).toBe(true);
  });

  it('rates C when half is paid late, 40 days on average, and names what kept it from B', () => {
    const result = computeCreditRating([
      currency({ paid: 1_000n, late: 500n, lateMinorDays: 40_000n, invoices: 4, oldestOverdueDays: 61 }),
    ]);
    expect(result.rating).toBe('C');
    expect(result.reasons.filter((reason) => !reason.isMet)).toEqual([
      { rule: 'share_late', currency: 'CNY', grade: 'B', value: 0.5, limit: 0.3, isMet: false },
      { rule: 'avg_days_late', currency: 'CNY', grade: 'B', value: 40, limit: 15, isMet: false },
      { rule: 'overdue_days', currency: null, grade: 'B', value: 61, limit: 60, isMet: false },
    ]);
    expect(result.reasons.filter((reason) => reason.isMet).map((reason) => reason.grade)).toEqual(['C', 'C']);
  });

  it('rates D past 45.0 days late on average or with anything overdue beyond 90 days', () => {
    const slow = computeCreditRating([
      currency({ paid: 10_000n, late: 10_000n, lateMinorDays: 450_001n, invoices: 3 }),
    ]);
    expect(slow.rating).toBe('D');
    expect(slow.reasons).toEqual([
      { rule: 'avg_days_late', currency: 'CNY', grade: 'C', value: 45, limit: 45, isMet: false },
    ]);
    const doubtful = computeCreditRating([
      currency({ paid: 10_000n, late: 0n, lateMinorDays: 0n, invoices: 9, oldestOverdueDays: 91 }),
    ]);
    expect(doubtful).toEqual({
      rating: 'D',
      reasons: [{ rule: 'overdue_days', currency: null, grade: 'C', value: 91, limit: 90, isMet: false }],
    });
  });

  it('leaves a customer with fewer than 3 paid invoices unrated, unless something is already doubtful', () => {
    expect(
      computeCreditRating([
        currency({ paid: 10_000n, late: 0n, lateMinorDays: 0n, invoices: 2, oldestOverdueDays: 80 }),
      ]),
    ).toEqual({
      rating: null,
      reasons: [{ rule: 'paid_invoices', currency: null, grade: null, value: 2, limit: 3, isMet: false }],
    });
    expect(computeCreditRating([])).toEqual({
      rating: null,
      reasons: [{ rule: 'paid_invoices', currency: null, grade: null, value: 0, limit: 3, isMet: false }],
    });
    expect(
      computeCreditRating([
        currency({ paid: 0n, late: 0n, lateMinorDays: 0n, invoices: 0, oldestOverdueDays: 120 }),
      ]),
    ).toEqual({
      rating: 'D',
      reasons: [
        { rule: 'paid_invoices', currency: null, grade: null, value: 0, limit: 3, isMet: false },
        { rule: 'overdue_days', currency: null, grade: 'C', value: 120, limit: 90, isMet: false },
      ],
    });
  });

  it('judges every currency with history and every open item, whatever its currency', () => {
    const goodCny = currency({ paid: 100_000n, late: 0n, lateMinorDays: 0n, invoices: 6 });
    // USD with history, 40% late at 10 days on average: over B's 30%, so C overall, whatever CNY earns.
    const usdB = currency({ currency: 'USD', paid: 1_000n, late: 400n, lateMinorDays: 10_000n, invoices: 3 });
    expect(computeCreditRating([goodCny, usdB]).rating).toBe('C');
    // At 25% late it is B:
    const usd25 = currency({
      currency: 'USD',
      paid: 1_000n,
      late: 250n,
      lateMinorDays: 10_000n,
      invoices: 3,
    });
    expect(computeCreditRating([goodCny, usd25]).rating).toBe('B');
    // USD without enough history does not judge payments, but its 70-day overdue item still counts.
    const usdThin = currency({
      currency: 'USD',
      paid: 100n,
      late: 100n,
      lateMinorDays: 100_000n,
      invoices: 1,
      oldestOverdueDays: 70,
    });
    const mixed = computeCreditRating([goodCny, usdThin]);
    expect(mixed.rating).toBe('C');
    expect(mixed.reasons.filter((reason) => !reason.isMet)).toEqual([
      { rule: 'overdue_days', currency: null, grade: 'B', value: 70, limit: 60, isMet: false },
    ]);
  });
});

describe('overrides', () => {
  it('an override wins; without one the computed rating (or unrated) stands', () => {
    expect(effectiveCreditRating('A', { rating: 'C', reason: 'litigation pending' })).toBe('C');
    expect(effectiveCreditRating(null, { rating: 'B', reason: 'known group company' })).toBe('B');
    expect(effectiveCreditRating('D', null)).toBe('D');
    expect(effectiveCreditRating(null, null)).toBeNull();
  });

  it('only finance and admins may override', () => {
    expect(canOverrideCreditRating('finance')).toBe(true);
    expect(canOverrideCreditRating('admin')).toBe(true);
    expect(canOverrideCreditRating('sales_manager')).toBe(false);
    expect(canOverrideCreditRating('salesperson')).toBe(false);
    expect(canOverrideCreditRating('executive')).toBe(false);
  });

  it('keeps the documented thresholds', () => {
    expect(CREDIT_RATING_RULES.minPaidInvoices).toBe(3);
    expect(CREDIT_RATING_RULES.grades.C.maxOverdueDays).toBe(90);
  });
});
