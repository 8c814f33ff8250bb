import { describe, expect, it } from 'vitest';
import { calendarDateOrThrow as d } from './calendar-date';
import {
  DEFAULT_COMMISSION_RULES as rules,
  clawback,
  commissionForCash,
  earlyPaymentBonus,
  overduePenalty,
  rateToDecimalString,
  roundHalfAwayFromZero,
  rulesInForce,
  settlementEvents,
  statementMonthOf,
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
    expect(earlyPaymentBonus(rules, invoice)?.sourceId).toBe('early:i1:2026-02-24');
    expect(earlyPaymentBonus(rules, { ...invoice, settledOn: d('2026-03-01') })).toBeNull();
    expect(earlyPaymentBonus(rules, { ...invoice, isNotSalesCaused: true })).toBeNull();
  });

  it('charges the optional overdue penalty as a negative line', () => {
    expect(overduePenalty(rules, 'u1', 'CNY', 3_000_000n)).toBeNull(); // off by default
    const penaltyRules = { ...rules, overduePenalty: { afterDaysOverdue: 90, rateBp: 50 } };
    expect(overduePenalty(penaltyRules, 'u1', 'CNY', 3_000_000n)?.commissionMinor).toBe(-15_000n);
    expect(overduePenalty(penaltyRules, 'u1', 'CNY', 0n)).toBeNull();
    expect(overduePenalty(penaltyRules, 'u1', 'CNY', 1n, '2026-03')?.sourceId).toBe('penalty:u1:CNY:2026-03');
    // 0.01 at 0.5 % = 0.00005 → rounds to 0.00 (half away from zero needs 0.005).
    expect(overduePenalty(penaltyRules, 'u1', 'CNY', 1n)?.commissionMinor).toBe(0n);
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

describe('rates, rule versions and statement months', () => {
  it('writes a line rate as an exact decimal fraction', () => {
    expect(rateToDecimalString(commissionForCash(rules, cash({})).rateNumerator)).toBe('0.01');
    expect(
      rateToDecimalString(commissionForCash(rules, cash({ collectedOn: d('2026-03-16') })).rateNumerator),
    ).toBe('0.008');
    // 45 days late, not caused by sales: 1 % × 0.5 × 0.5.
    const reduced = commissionForCash(rules, cash({ collectedOn: d('2026-04-15'), isNotSalesCaused: true }));
    expect(rateToDecimalString(reduced.rateNumerator)).toBe('0.0025');
    expect(rateToDecimalString(0n)).toBe('0');
    expect(rateToDecimalString(10n ** 12n * 3n)).toBe('3');
  });

  it('uses the latest version in force for a month, else the defaults', () => {
    const march = { ...rules, baseRateBp: 150 };
    const june = { ...rules, baseRateBp: 120 };
    const versions = [
      { effectiveFrom: '2026-06', rules: june },
      { effectiveFrom: '2026-03', rules: march },
    ];
    expect(rulesInForce(versions, '2026-02')).toBe(rules);
    expect(rulesInForce(versions, '2026-03').baseRateBp).toBe(150);
    expect(rulesInForce(versions, '2026-05').baseRateBp).toBe(150);
    expect(rulesInForce(versions, '2027-01').baseRateBp).toBe(120);
  });

  it('puts a line in its own month, in the locked statement that holds it, or in the next open month', () => {
    const next = (month: string) =>
      month === '2026-01' ? '2026-02' : month === '2026-02' ? '2026-03' : '2026-04';
    const locked = new Set(['2026-01', '2026-02']);
    expect(statementMonthOf('2026-03', locked, null, next)).toBe('2026-03');
    expect(statementMonthOf('2026-01', locked, '2026-01', next)).toBe('2026-01');
    // Money dated in January that reached the ledger after January and February were locked: March.
    expect(statementMonthOf('2026-01', locked, null, next)).toBe('2026-03');
    expect(statementMonthOf('2026-01', new Set(), null, next)).toBe('2026-01');
  });
});

describe('settlement events', () => {
  const row = (
    id: string,
    amountMinor: bigint,
    allocatedOn: string,
    receivedOn: string,
    reversesId: string | null = null,
  ) => ({
    id,
    amountMinor,
    allocatedOn: d(allocatedOn),
    receivedOn: d(receivedOn),
    reversesId,
  });

  it('settles on the latest receipt date of the money standing, and reopens on a reversal', () => {
    // 1,000.00: 400.00 paid 02-01, 600.00 paid 02-10 (applied 02-12) → settled 02-10; the 600.00 bounces on
    // 03-05 → reopened; paid again 03-20 → settled 03-20.
    const events = settlementEvents(
      100_000n,
      [],
      [
        row('a1', 40_000n, '2026-02-01', '2026-02-01'),
        row('a2', 60_000n, '2026-02-12', '2026-02-10'),
        row('r2', -60_000n, '2026-03-05', '2026-02-10', 'a2'),
        row('a3', 60_000n, '2026-03-20', '2026-03-20'),
      ],
    );
    expect(events).toEqual([
      { kind: 'settled', settledOn: '2026-02-10', collectedMinor: 100_000n, byAllocationId: 'a2' },
      { kind: 'reopened', reopenedOn: '2026-03-05', settledOn: '2026-02-10', byAllocationId: 'r2' },
      { kind: 'settled', settledOn: '2026-03-20', collectedMinor: 100_000n, byAllocationId: 'a3' },
    ]);
  });

  it('counts credit notes dated by then, and is not settled while anything is open', () => {
    // 1,000.00 less a 100.00 credit note on 02-05: 900.00 paid on 02-06 settles it; 500.00 alone does not.
    const credit = [{ issuedOn: d('2026-02-05'), amountMinor: 10_000n }];
    expect(settlementEvents(100_000n, credit, [row('a1', 90_000n, '2026-02-06', '2026-02-06')])).toEqual([
      { kind: 'settled', settledOn: '2026-02-06', collectedMinor: 90_000n, byAllocationId: 'a1' },
    ]);
    expect(settlementEvents(100_000n, credit, [row('a1', 50_000n, '2026-02-06', '2026-02-06')])).toEqual([]);
    // The same payment applied the day before the credit note leaves 100.00 open that day.
    expect(settlementEvents(100_000n, credit, [row('a1', 90_000n, '2026-02-04', '2026-02-04')])).toEqual([]);
  });
});
