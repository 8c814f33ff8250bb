import { describe, expect, it } from 'vitest';
import { calendarDateOrThrow as d } from './calendar-date';
import { money } from './money';
import {
  accountabilityShortfall,
  attitudeOf,
  carriedTarget,
  monthOf,
  nextMonth,
  periodRange,
  previousPeriod,
  splitTarget,
  targetProgress,
  weightedCompletion,
} from './targets';

describe('collection targets', () => {
  it('splits an organization target by weights, the parts adding up to the whole', () => {
    // 1,000,000.00 over weights 3:2:2 → 428,571.43 + 285,714.29 + 285,714.28.
    const parts = splitTarget(money(100_000_000n, 'CNY'), [3n, 2n, 2n]).map((p) => p.amountMinor);
    expect(parts).toEqual([42_857_143n, 28_571_429n, 28_571_428n]);
    expect(parts.reduce((a, b) => a + b, 0n)).toBe(100_000_000n);
  });

  it('reports completion and shortfall, never a negative shortfall', () => {
    expect(targetProgress(1_000_000n, 750_000n)).toEqual({
      targetMinor: 1_000_000n,
      collectedMinor: 750_000n,
      completion: 0.75,
      shortfallMinor: 250_000n,
    });
    expect(targetProgress(1_000_000n, 1_200_000n).shortfallMinor).toBe(0n);
    expect(targetProgress(0n, 5n).completion).toBeNull();
  });

  it('weights class and vintage targets, capping each line at its target', () => {
    const completion = weightedCompletion([
      // New debts over-collected (150 %) count as 100 %; 2024's debts half collected; old 2022 debts untouched.
      { key: '2026', weight: 1, targetMinor: 1_000n, collectedMinor: 1_500n },
      { key: '2024', weight: 2, targetMinor: 1_000n, collectedMinor: 500n },
      { key: '2022', weight: 3, targetMinor: 1_000n, collectedMinor: 0n },
    ]);
    // (1×1.0 + 2×0.5 + 3×0) / 6 = 1/3.
    expect(completion).toBeCloseTo(1 / 3, 6);
    expect(weightedCompletion([{ key: 'x', weight: 1, targetMinor: 0n, collectedMinor: 10n }])).toBeNull();
  });

  it('carries last period’s shortfall into the next only where agreed', () => {
    const last = targetProgress(1_000_000n, 700_000n);
    expect(carriedTarget(2_000_000n, last, true)).toBe(2_300_000n);
    expect(carriedTarget(2_000_000n, last, false)).toBe(2_000_000n);
  });

  it('holds a salesperson to 100 % of what they sold under 买卖制', () => {
    expect(accountabilityShortfall(5_000_000n, 3_200_000n)).toBe(1_800_000n);
    expect(accountabilityShortfall(5_000_000n, 5_000_000n)).toBe(0n);
  });

  it('places salespeople in the four attitudes', () => {
    expect(attitudeOf(0.6, 0.5)).toBe('passive');
    expect(attitudeOf(1.3, 0.4)).toBe('sales_driven');
    expect(attitudeOf(0.8, 1.1)).toBe('collection_driven');
    expect(attitudeOf(1.0, 1.0)).toBe('strategic');
    expect(attitudeOf(0.85, 0.9, 0.8)).toBe('strategic');
  });
});

describe('target periods', () => {
  it('reads months, quarters and years with their first and last days', () => {
    expect(periodRange('2026-02')).toEqual({ kind: 'month', from: '2026-02-01', to: '2026-02-28' });
    expect(periodRange('2028-02')).toEqual({ kind: 'month', from: '2028-02-01', to: '2028-02-29' });
    expect(periodRange('2026-Q4')).toEqual({ kind: 'quarter', from: '2026-10-01', to: '2026-12-31' });
    expect(periodRange('2026-Q1')).toEqual({ kind: 'quarter', from: '2026-01-01', to: '2026-03-31' });
    expect(periodRange('2026')).toEqual({ kind: 'year', from: '2026-01-01', to: '2026-12-31' });
    for (const bad of ['2026-13', '2026-Q5', '26', '2026-1', '0000', '2026-00', '']) {
      expect(periodRange(bad), bad).toBeNull();
    }
  });

  it('steps back one period of the same kind, and forward one month', () => {
    expect(previousPeriod('2026-01')).toBe('2025-12');
    expect(previousPeriod('2026-03')).toBe('2026-02');
    expect(previousPeriod('2026-Q1')).toBe('2025-Q4');
    expect(previousPeriod('2026-Q3')).toBe('2026-Q2');
    expect(previousPeriod('2026')).toBe('2025');
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(nextMonth('2026-01')).toBe('2026-02');
    expect(monthOf(d('2026-03-31'))).toBe('2026-03');
  });
});
