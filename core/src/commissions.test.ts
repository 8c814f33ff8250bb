import { describe, expect, it } from 'vitest';
import { calendarDateOrThrow as d } from './calendar-date';
import {
  DEFAULT_COMMISSION_RULES as rules,
  clawback,
  commissionForCash,
  earlyPaymentBonus,
  overduePenalty,
  roundHalfAwayFromZero,
  totalCommission,
  type CollectedCash,
} from './commissions';

// 100,000.00 CNY collected on an invoice dated 2026-01-01, due 2026-03-01, unless a case says otherwise.
function cash(overrides: Partial<CollectedCash>): CollectedCash {
  return {
    id: 'a1',
    salespersonId: 'u1',
    invoiceId: 'i1',
    amountMinor: 10_000_000n,
    currency: 'CNY',
    collectedOn: d('2026-03-01'),
    invoiceDate: d('2026-01-01'),
    dueDate: d('2026-03-01'),
    isNotSalesCaused: false,
    ...overrides,
  };
}

describe('commission on cash collected', () => {
  it('pays the base rate (1 %) on money that came on time', () => {
    const line = commissionForCash(rules, cash({}));
    expect(line.commissionMinor).toBe(100_000n); // 1,000.00
    expect(line.reasons).toEqual(['on_time']);
    expect(line.daysLate).toBe(0);
  });

  it('scales by lateness: ×0.8 up to 30 days, ×0.5 up to 90, ×0.3 beyond', () => {
    expect(commissionForCash(rules, cash({ collectedOn: d('2026-03-16') })).commissionMinor).toBe(80_000n);
    expect(commissionForCash(rules, cash({ collectedOn: d('2026-03-31') })).commissionMinor).toBe(80_000n); // day 30
    expect(commissionForCash(rules, cash({ collectedOn: d('2026-04-01') })).commissionMinor).toBe(50_000n); // day 31
    expect(commissionForCash(rules, cash({ collectedOn: d('2026-05-30') })).commissionMinor).toBe(50_000n); // day 90
    const late = commissionForCash(rules, cash({ collectedOn: d('2026-06-29') })); // 120 days late, 179 days old
    expect([late.commissionMinor, late.daysLate, late.reasons]).toEqual([30_000n, 120, ['late']]);
  });

  it('pays old debts more: past 365 days old, 2 % instead of base × lateness', () => {
    // Invoice 2026-01-01, collected 2027-01-02: 366 days old.
    const line = commissionForCash(rules, cash({ collectedOn: d('2027-01-02') }));
    expect([line.commissionMinor, line.ageDays, line.reasons]).toEqual([200_000n, 366, ['old_debt']]);
    // Exactly 365 days old is not old yet: 306 days late → ×0.3.
    expect(commissionForCash(rules, cash({ collectedOn: d('2027-01-01') })).commissionMinor).toBe(30_000n);
  });

  it('adds the prepayment bonus (0.5 %) to cash received before the invoice date', () => {
    const line = commissionForCash(rules, cash({ collectedOn: d('2025-12-20') }));
    expect([line.commissionMinor, line.reasons]).toEqual([150_000n, ['prepayment']]);
  });

  it('halves the rate on debts sales did not cause, or leaves them out', () => {
    const reduced = commissionForCash(rules, cash({ collectedOn: d('2026-04-15'), isNotSalesCaused: true }));
    // 45 days late: 1 % × 0.5 × 0.5 = 0.25 %.
    expect([reduced.commissionMinor, reduced.reasons]).toEqual([
      25_000n,
      ['late', 'not_sales_caused_reduced'],
    ]);
    const excludeRules = { ...rules, notSalesCaused: { mode: 'exclude' as const } };
    const excluded = commissionForCash(excludeRules, cash({ isNotSalesCaused: true }));
    expect([excluded.commissionMinor, excluded.reasons]).toEqual([0n, ['not_sales_caused_excluded']]);
  });

  it('rounds each line once, half away from zero, to the minor unit', () => {
    // 123.45 at 0.8 % = 0.9876 → 0.99; at 0.3 % = 0.37035 → 0.37; 1.50 at 1 % = 0.015 → 0.02.
    expect(
      commissionForCash(rules, cash({ amountMinor: 12_345n, collectedOn: d('2026-03-10') })).commissionMinor,
    ).toBe(99n);
    expect(
      commissionForCash(rules, cash({ amountMinor: 12_345n, collectedOn: d('2026-07-01') })).commissionMinor,
    ).toBe(37n);
    expect(commissionForCash(rules, cash({ amountMinor: 150n })).commissionMinor).toBe(2n);
    expect(roundHalfAwayFromZero(-3n, 2n)).toBe(-2n);
    expect(roundHalfAwayFromZero(-5n, 4n)).toBe(-1n);
  });

  it('gives the full-early-payment bonus (0.2 % of the total) only when settled at least a day early', () => {
    const invoice = {
      invoiceId: 'i1',
      salespersonId: 'u1',
      totalMinor: 10_000_000n,
      currency: 'CNY',
      dueDate: d('2026-03-01'),
      settledOn: d('2026-02-24'),
      isNotSalesCaused: false,
    };
    expect(earlyPaymentBonus(rules, invoice)?.commissionMinor).toBe(20_000n);
    expect(earlyPaymentBonus(rules, { ...invoice, settledOn: d('2026-03-01') })).toBeNull();
    expect(earlyPaymentBonus(rules, { ...invoice, isNotSalesCaused: true })).toBeNull();
  });

  it('charges the optional overdue penalty as a negative line', () => {
    expect(overduePenalty(rules, 'u1', 'CNY', 3_000_000n)).toBeNull(); // off by default
    const penaltyRules = { ...rules, overduePenalty: { afterDaysOverdue: 90, rateBp: 50 } };
    expect(overduePenalty(penaltyRules, 'u1', 'CNY', 3_000_000n)?.commissionMinor).toBe(-15_000n);
    expect(overduePenalty(penaltyRules, 'u1', 'CNY', 0n)).toBeNull();
  });

  it('claws back exactly what a reversed collection earned, and totals add the rounded lines', () => {
    const late = commissionForCash(rules, cash({ id: 'a2', collectedOn: d('2026-03-16') }));
    const back = clawback(late);
    expect([back.sourceId, back.baseMinor, back.commissionMinor]).toEqual([
      'clawback:a2',
      -10_000_000n,
      -80_000n,
    ]);
    const onTime = commissionForCash(
      rules,
      cash({ id: 'a3', amountMinor: 12_345n, collectedOn: d('2026-03-10') }),
    );
    const bonus = earlyPaymentBonus(rules, {
      invoiceId: 'i9',
      salespersonId: 'u1',
      totalMinor: 1_000_000n,
      currency: 'CNY',
      dueDate: d('2026-03-01'),
      settledOn: d('2026-02-01'),
      isNotSalesCaused: false,
    });
    if (!bonus) throw new Error('expected a bonus');
    expect(totalCommission([late, back, onTime, bonus, clawback(bonus)])).toEqual([
      // Collected: 100,000.00 − 100,000.00 + 123.45; commission: 800 − 800 + 0.99 + 20 − 20.
      { currency: 'CNY', collectedMinor: 12_345n, commissionMinor: 99n },
    ]);
  });
});
