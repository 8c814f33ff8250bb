import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, type CalendarDate } from './calendar-date';
import { computeKpis, countbackDso, exactRatio, periodDays, trailingMonths } from './kpis';

const d = (text: string) => text as CalendarDate;
const months = (entries: [string, bigint][]) => new Map(entries);

describe('computeKpis', () => {
  it('applies the issue definitions to exact totals', () => {
    // P = 2026-01-01..2026-01-31: 31 days. B = 1000.00, S = 500.00, E = 600.00, C = 200.00 (minor units).
    const kpis = computeKpis({
      from: d('2026-01-01'),
      to: d('2026-01-31'),
      openingMinor: 100_000n,
      invoicedMinor: 50_000n,
      endingMinor: 60_000n,
      endingCurrentMinor: 20_000n,
      invoicedByMonth: months([['2026-01', 50_000n]]),
      planDueMinor: 10_000n,
      planReceivedMinor: 3_333n,
    });
    expect(kpis).toEqual({
      collectedMinor: 90_000n, // 100000 + 50000 − 60000
      collectionRate: 0.6, // 90000 / 150000
      cei: 9 / 13, // 90000 / (150000 − 20000)
      dsoSimple: 37.2, // 60000 / 50000 × 31
      // E = 60000 > January's 50000 (31 days) and nothing earlier: the walk ends with 31 days.
      dsoCountback: 31,
      bestPossibleDso: 12.4, // 20000 / 50000 × 31
      add: 24.8, // (60000 − 20000) / 50000 × 31 — exact, not 37.2 − 12.4 in floats
      overdueRate: 2 / 3, // 40000 / 60000
      planCompletion: 0.3333, // 3333 / 10000
    });
  });

  it('answers null for every zero denominator', () => {
    const kpis = computeKpis({
      from: d('2026-02-01'),
      to: d('2026-02-28'),
      openingMinor: 0n,
      invoicedMinor: 0n,
      endingMinor: 0n,
      endingCurrentMinor: 0n,
      invoicedByMonth: months([]),
      planDueMinor: 0n,
      planReceivedMinor: 0n,
    });
    expect(kpis).toEqual({
      collectedMinor: 0n,
      collectionRate: null,
      cei: null,
      dsoSimple: null,
      dsoCountback: 0,
      bestPossibleDso: null,
      add: null,
      overdueRate: null,
      planCompletion: null,
    });
  });

  it('keeps DSO null without invoicing in P but defines CEI when all of E is current', () => {
    // B = 100.00 all still current at `to`, nothing invoiced or collected: S = 0, E = C = 100.00.
    const kpis = computeKpis({
      from: d('2026-03-01'),
      to: d('2026-03-31'),
      openingMinor: 10_000n,
      invoicedMinor: 0n,
      endingMinor: 10_000n,
      endingCurrentMinor: 10_000n,
      invoicedByMonth: months([['2026-01', 10_000n]]),
      planDueMinor: 0n,
      planReceivedMinor: 0n,
    });
    expect(kpis.collectionRate).toBe(0); // 0 / 10000
    expect(kpis.cei).toBeNull(); // 0 / (10000 − 10000)
    expect(kpis.dsoSimple).toBeNull();
    expect(kpis.overdueRate).toBe(0);
    // March (31 d) and February (28 d) had no invoicing; January's 10000 is consumed whole: 31 + 28 + 31.
    expect(kpis.dsoCountback).toBe(90);
  });
});

describe('countbackDso', () => {
  const history = months([
    ['2026-01', 40_000n],
    ['2026-02', 20_000n],
    ['2026-03', 10_000n],
  ]);

  it('walks back across month boundaries and prorates the last month', () => {
    // March 1–15 (15 d) consumes 10000 → 30000 left; February (28 d) 20000 → 10000 left;
    // January (31 d) has 40000 > 10000: 15 + 28 + 31 × 10000 / 40000 = 43 + 7.75.
    expect(countbackDso(40_000n, d('2026-03-15'), history)).toBe(50.75);
  });

  it('stops at a month consumed exactly', () => {
    expect(countbackDso(30_000n, d('2026-03-15'), history)).toBe(43); // 15 + 28
    expect(countbackDso(10_000n, d('2026-03-15'), history)).toBe(15);
  });

  it('prorates inside the month of `to`', () => {
    // 2500 of March's 10000 over its 15 days so far: 15 × 2500 / 10000.
    expect(countbackDso(2_500n, d('2026-03-15'), history)).toBe(3.75);
  });

  it('crosses a year boundary and counts months without invoicing in full', () => {
    const sparse = months([
      ['2025-12', 4_000n],
      ['2026-01', 1_000n],
    ]);
    // January 1–20 (20 d) consumes 1000 → 2000 left; December (31 d) 4000: 20 + 31 × 2000 / 4000.
    expect(countbackDso(3_000n, d('2026-01-20'), sparse)).toBe(35.5);
    // May 1–10 (10 d) and April (30 d) have none; March 2026 none (31 d); February (28 d) none;
    // January 1000 whole (31 d) → 4000 left of E = 5000; December 4000 whole (31 d): 10 + 30 + 31 + 28 + 31 + 31.
    expect(countbackDso(5_000n, d('2026-05-10'), sparse)).toBe(161);
  });

  it('counts February in a leap year as 29 days', () => {
    const leap = months([
      ['2024-01', 3_000n],
      ['2024-02', 1_000n],
      ['2024-03', 1_000n],
    ]);
    // March (31 d) 1000 → 2000 left; February (29 d) 1000 → 1000 left; January: 31 × 1000 / 3000.
    expect(countbackDso(3_000n, d('2024-03-31'), leap)).toBeCloseTo(60 + 31 / 3, 12);
    expect(countbackDso(3_000n, d('2024-03-31'), leap)).toBe((60 * 3_000 + 31 * 1_000) / 3_000);
  });

  it('counts every month of the calendar as the calendar does, century years included', () => {
    // One minor unit invoiced every month since 1890: E = n walks back n whole months from the 1st of `to`'s month
    // onwards, so the answer is the days from the first day of the month n − 1 months back to `to`.
    const everyMonth = new Map<string, bigint>();
    for (
      let date = d('1890-01-01');
      date <= d('2110-12-01');
      date = d(`${addDays(date, 32).slice(0, 8)}01`)
    ) {
      everyMonth.set(date.slice(0, 7), 1n);
    }
    for (const to of ['1900-03-31', '2000-03-31', '2100-03-01', '2024-02-29', '1999-12-31'].map(d)) {
      for (const n of [1, 2, 3, 13, 14, 49]) {
        let start = d(`${to.slice(0, 7)}-01`);
        for (let back = 1; back < n; back += 1) start = d(`${addDays(start, -1).slice(0, 7)}-01`);
        expect(countbackDso(BigInt(n), to, everyMonth), `${n} months back from ${to}`).toBe(
          daysBetween(start, to) + 1,
        );
      }
    }
  });
});

describe('exactRatio', () => {
  it('divides once and signals a zero denominator with null', () => {
    expect(exactRatio(1n, 3n)).toBe(1 / 3);
    expect(exactRatio(-1n, 4n)).toBe(-0.25);
    expect(exactRatio(0n, -4n)).toBe(0);
    expect(exactRatio(5n, 0n)).toBeNull();
  });

  it('stays accurate beyond 2^53', () => {
    expect(exactRatio(10n ** 30n, 3n * 10n ** 29n)).toBeCloseTo(10 / 3, 14);
    expect(exactRatio(2n ** 80n + 1n, 2n ** 80n)).toBe(1);
    expect(exactRatio(-(10n ** 25n), 4n * 10n ** 24n)).toBe(-2.5);
  });
});

describe('period helpers', () => {
  it('counts both ends of the period', () => {
    expect(periodDays(d('2026-01-01'), d('2026-01-31'))).toBe(31);
    expect(periodDays(d('2026-03-05'), d('2026-03-05'))).toBe(1);
  });

  it('lists trailing months ending with a partial month', () => {
    expect(trailingMonths(d('2026-03-15'), 3)).toEqual([
      { month: '2026-01', from: '2026-01-01', to: '2026-01-31' },
      { month: '2026-02', from: '2026-02-01', to: '2026-02-28' },
      { month: '2026-03', from: '2026-03-01', to: '2026-03-15' },
    ]);
  });
});
