import { describe, expect, it } from 'vitest';
import type { CalendarDate } from './calendar-date';
import {
  EMPTY_PAYMENT_SUMS,
  paymentBehaviourFromSums,
  paymentWindow,
  roundedQuotient,
  sumPayments,
  summariseOpenItems,
  type PaymentFact,
} from './payment-behaviour';

const d = (text: string) => text as CalendarDate;

function payment(
  invoiceId: string,
  amountMinor: bigint,
  invoiceDate: string,
  dueDate: string,
  paidOn: string,
  currency = 'CNY',
): PaymentFact {
  return {
    invoiceId,
    currency,
    amountMinor,
    invoiceDate: d(invoiceDate),
    dueDate: d(dueDate),
    paidOn: d(paidOn),
  };
}

const AS_OF = d('2026-11-22');

/**
 * The hand ledger, as of 2026-11-22 (window 2025-12-01 … 2026-11-22):
 *   I1 invoiced 01-10, due 02-09: 100.01 paid 02-09 (30 days, on time)
 *   I2 invoiced 03-01, due 03-31: 300.00 paid 04-10 (40 days, 10 late), then 100.00 paid 05-30 (90 days, 60 late)
 *   I3 invoiced 2025-11-01, due 12-01: 50.00 paid 2025-11-30, before the window: left out
 *   U1 (USD) invoiced 06-01, due 07-01: 7.00 paid 07-03 (32 days, 2 late)
 */
const LEDGER: PaymentFact[] = [
  payment('I1', 10_001n, '2026-01-10', '2026-02-09', '2026-02-09'),
  payment('I2', 30_000n, '2026-03-01', '2026-03-31', '2026-04-10'),
  payment('I2', 10_000n, '2026-03-01', '2026-03-31', '2026-05-30'),
  payment('I3', 5_000n, '2025-11-01', '2025-12-01', '2025-11-30'),
  payment('U1', 700n, '2026-06-01', '2026-07-01', '2026-07-03', 'USD'),
];

describe('paymentWindow', () => {
  it('covers the twelve calendar months ending with the as-of month', () => {
    const window = paymentWindow(AS_OF);
    expect(window.fromDate).toBe('2025-12-01');
    expect(window.months).toHaveLength(12);
    expect(window.months[0]).toBe('2025-12');
    expect(window.months[11]).toBe('2026-11');
  });
});

describe('roundedQuotient', () => {
  it('rounds half away from zero from the exact integers', () => {
    expect(roundedQuotient(1225n, 100n, 1)).toBe(12.3);
    expect(roundedQuotient(1224n, 100n, 1)).toBe(12.2);
    expect(roundedQuotient(-5n, 100n, 1)).toBe(-0.1);
    expect(roundedQuotient(1n, 3n, 4)).toBe(0.3333);
    expect(roundedQuotient(2n, 3n, 4)).toBe(0.6667);
    expect(roundedQuotient(0n, 7n, 1)).toBe(0);
    expect(roundedQuotient(5n, 0n, 1)).toBeNull();
  });

  it('stays exact where amount × days passes 2^63', () => {
    // 9e18 minor × 400 days summed twice over 1.8e19: 400.0 exactly, not a float approximation.
    const amount = 9_000_000_000_000_000_000n;
    expect(roundedQuotient(amount * 400n * 2n + amount, amount * 2n, 1)).toBe(400.5);
  });
});

describe('sumPayments', () => {
  it('sums amount-weighted days per currency and month, leaving out payments before the window', () => {
    const [cny, usd] = sumPayments(LEDGER, { fromDate: d('2025-12-01'), asOf: AS_OF });
    expect(cny?.currency).toBe('CNY');
    expect(cny?.total).toEqual({
      paidMinor: 50_001n, // 10001 + 30000 + 10000
      daysToPayMinorDays: 2_400_030n, // 10001×30 + 30000×40 + 10000×90
      daysLateMinorDays: 900_000n, // 30000×10 + 10000×60
      latePaidMinor: 40_000n,
      paymentCount: 3,
      paidInvoiceCount: 2, // I2 paid twice counts once
    });
    expect([...(cny?.byMonth.keys() ?? [])]).toEqual(['2026-02', '2026-04', '2026-05']);
    expect(cny?.byMonth.get('2026-05')).toEqual({
      paidMinor: 10_000n,
      daysToPayMinorDays: 900_000n,
      daysLateMinorDays: 600_000n,
      latePaidMinor: 10_000n,
      paymentCount: 1,
      paidInvoiceCount: 1,
    });
    expect(usd?.total).toEqual({
      paidMinor: 700n,
      daysToPayMinorDays: 22_400n,
      daysLateMinorDays: 1_400n,
      latePaidMinor: 700n,
      paymentCount: 1,
      paidInvoiceCount: 1,
    });
  });

  it('refuses a payment that is not positive (a reversal is netted out before, never passed as a payment)', () => {
    expect(() =>
      sumPayments([payment('I1', -1n, '2026-01-01', '2026-01-31', '2026-02-01')], {
        fromDate: d('2025-12-01'),
        asOf: AS_OF,
      }),
    ).toThrow(RangeError);
  });
});

describe('summariseOpenItems', () => {
  it('totals open and overdue and picks the largest overdue item, the older one on a tie', () => {
    const summaries = summariseOpenItems(
      [
        { invoiceId: 'a', invoiceNumber: 'A', currency: 'CNY', openMinor: 500n, dueDate: d('2026-11-01') },
        { invoiceId: 'b', invoiceNumber: 'B', currency: 'CNY', openMinor: 800n, dueDate: d('2026-10-01') },
        { invoiceId: 'c', invoiceNumber: 'C', currency: 'CNY', openMinor: 800n, dueDate: d('2026-09-01') },
        { invoiceId: 'd', invoiceNumber: 'D', currency: 'CNY', openMinor: 999n, dueDate: d('2026-12-01') },
        { invoiceId: 'n', invoiceNumber: 'N', currency: 'CNY', openMinor: 5000n, dueDate: AS_OF },
        { invoiceId: 'e', invoiceNumber: 'E', currency: 'USD', openMinor: 100n, dueDate: d('2026-11-21') },
      ],
      AS_OF,
    );
    expect(summaries).toEqual([
      {
        currency: 'CNY',
        openMinor: 8099n, // 500 + 800 + 800 + 999 + 5000
        overdueMinor: 2100n, // due on the as-of date is not overdue yet
        oldestOverdueDays: 82, // 2026-09-01 → 2026-11-22
        largestOverdue: {
          invoiceId: 'c',
          invoiceNumber: 'C',
          openMinor: 800n,
          dueDate: '2026-09-01',
          daysOverdue: 82,
        },
      },
      {
        currency: 'USD',
        openMinor: 100n,
        overdueMinor: 100n,
        oldestOverdueDays: 1,
        largestOverdue: {
          invoiceId: 'e',
          invoiceNumber: 'E',
          openMinor: 100n,
          dueDate: '2026-11-21',
          daysOverdue: 1,
        },
      },
    ]);
  });
});

describe('paymentBehaviourFromSums', () => {
  it('turns sums into rounded metrics and a twelve-month trend, the preferred currency first', () => {
    const payments = sumPayments(LEDGER, { fromDate: d('2025-12-01'), asOf: AS_OF });
    const behaviour = paymentBehaviourFromSums({
      asOf: AS_OF,
      preferredCurrency: 'USD',
      payments,
      openItems: [],
    });
    expect(behaviour.currencies.map((entry) => entry.currency)).toEqual(['USD', 'CNY']);
    const cny = behaviour.currencies[1];
    // 2400030 / 50001 = 47.9996 → 48.0; 900000 / 50001 = 17.9996 → 18.0; 40000 / 50001 = 0.79998 → 0.8
    expect(cny?.metrics).toMatchObject({
      paidMinor: 50_001n,
      paymentCount: 3,
      paidInvoiceCount: 2,
      avgDaysToPay: 48,
      avgDaysLate: 18,
      shareLate: 0.8,
    });
    expect(cny?.trend).toHaveLength(12);
    expect(cny?.trend.find((month) => month.month === '2026-04')).toMatchObject({
      avgDaysToPay: 40,
      avgDaysLate: 10,
      shareLate: 1,
    });
    expect(cny?.trend[0]).toMatchObject({
      month: '2025-12',
      paidMinor: 0n,
      avgDaysToPay: null,
      avgDaysLate: null,
      shareLate: null,
    });
    expect(cny?.openItems).toEqual({
      currency: 'CNY',
      openMinor: 0n,
      overdueMinor: 0n,
      oldestOverdueDays: null,
      largestOverdue: null,
    });
    // Broken promises are not tracked yet: null, never 0.
    expect(behaviour.brokenPromiseCount).toBeNull();
  });

  it('shows the preferred currency even without any history', () => {
    const behaviour = paymentBehaviourFromSums({
      asOf: AS_OF,
      preferredCurrency: 'CNY',
      payments: [],
      openItems: [],
    });
    expect(behaviour.currencies).toHaveLength(1);
    expect(behaviour.currencies[0]?.metrics).toMatchObject({
      sums: EMPTY_PAYMENT_SUMS,
      avgDaysToPay: null,
      avgDaysLate: null,
      shareLate: null,
    });
  });
});
