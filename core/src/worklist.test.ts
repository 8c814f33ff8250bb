import { describe, expect, it } from 'vitest';
import type { CalendarDate } from './calendar-date';
import { scoreCase, suggestApproach, suggestNextStep, type CaseScoreInput } from './worklist';

const base: CaseScoreInput = {
  currency: 'CNY',
  chasedOverdueMinor: 0n,
  maxDaysOverdue: 0,
  brokenPromiseCount: 0,
  openPromiseUntil: null,
  disputedMinor: 0n,
  rating: null,
  delinquencyType: null,
  attitude: null,
  daysSinceContact: 3,
};

describe('case score', () => {
  it('scores nothing that is not overdue', () => {
    expect(scoreCase(base)).toEqual({ score: 0, reasons: [{ code: 'not_overdue', points: 0, params: {} }] });
  });

  it('adds amount and age points with their reasons', () => {
    // 12,345.67 overdue → tier ≥ 10,000 = 16 points; 45 days → tier 31–60 = 12 points. 28 in all.
    const score = scoreCase({ ...base, chasedOverdueMinor: 1_234_567n, maxDaysOverdue: 45 });
    expect(score).toEqual({
      score: 28,
      reasons: [
        { code: 'amount', points: 16, params: { amount: '12345.67', currency: 'CNY' } },
        { code: 'days_overdue', points: 12, params: { days: '45' } },
      ],
    });
  });

  it('weighs broken promises, a D rating, an intentional delinquent, hostility and silence', () => {
    // 1,000,000.00 → 30; 200 days → 30; 2 broken → 15; D → 10; intentional → 10; hostile → 8; never contacted → 5.
    // 108, capped at 100.
    const score = scoreCase({
      ...base,
      chasedOverdueMinor: 100_000_000n,
      maxDaysOverdue: 200,
      brokenPromiseCount: 2,
      rating: 'D',
      delinquencyType: 'intentional',
      attitude: 'hostile',
      daysSinceContact: null,
    });
    expect(score.score).toBe(100);
    expect(score.reasons.map((r) => [r.code, r.points])).toEqual([
      ['amount', 30],
      ['days_overdue', 30],
      ['broken_promises', 15],
      ['rating', 10],
      ['delinquency_type', 10],
      ['attitude', 8],
      ['no_recent_contact', 5],
    ]);
  });

  it('takes points off while a promise is open, and notes disputed amounts', () => {
    // 500.00 → 3; 10 days → 6; 1 broken → 10; cooperative −3; open promise −20 → −4 → 0.
    const score = scoreCase({
      ...base,
      chasedOverdueMinor: 50_000n,
      maxDaysOverdue: 10,
      brokenPromiseCount: 1,
      attitude: 'cooperative',
      openPromiseUntil: '2026-12-04' as CalendarDate,
      disputedMinor: 20_000n,
    });
    expect(score.score).toBe(0);
    expect(score.reasons.map((r) => [r.code, r.points])).toEqual([
      ['amount', 3],
      ['days_overdue', 6],
      ['broken_promises', 10],
      ['attitude', -3],
      ['open_promise', -20],
      ['disputed', 0],
    ]);
    // Same without the promise: 3 + 6 + 10 − 3 = 16.
    expect(
      scoreCase({
        ...base,
        chasedOverdueMinor: 50_000n,
        maxDaysOverdue: 10,
        brokenPromiseCount: 1,
        attitude: 'cooperative',
      }).score,
    ).toBe(16);
  });

  it('uses the currency’s own minor units (JPY has none)', () => {
    const yen = scoreCase({ ...base, currency: 'JPY', chasedOverdueMinor: 100_000n, maxDaysOverdue: 1 });
    expect(yen.reasons[0]).toEqual({
      code: 'amount',
      points: 24,
      params: { amount: '100000', currency: 'JPY' },
    });
  });
});

describe('approach and next step', () => {
  it('is hard (武收) for those who do not cooperate, soft (文收) otherwise', () => {
    const soft = {
      delinquencyType: null,
      attitude: null,
      brokenPromiseCount: 0,
      maxDaysOverdue: 100,
      rating: null,
    } as const;
    expect(suggestApproach(soft)).toEqual({ approach: 'soft', reasons: [] });
    expect(suggestApproach({ ...soft, attitude: 'cooperative' })).toEqual({
      approach: 'soft',
      reasons: ['cooperates'],
    });
    expect(suggestApproach({ ...soft, delinquencyType: 'intentional', brokenPromiseCount: 2 })).toEqual({
      approach: 'hard',
      reasons: ['intentional', 'repeat_broken_promises'],
    });
    expect(suggestApproach({ ...soft, attitude: 'evasive' }).reasons).toEqual(['evasive_and_old']);
    expect(suggestApproach({ ...soft, attitude: 'evasive', maxDaysOverdue: 90 }).approach).toBe('soft');
    expect(suggestApproach({ ...soft, rating: 'D' }).reasons).toEqual(['rated_d_and_old']);
  });

  it('follows the default ladder by age, after promises and disputes', () => {
    const step = (days: number, extra: Partial<Parameters<typeof suggestNextStep>[0]> = {}) =>
      suggestNextStep({
        maxDaysOverdue: days,
        chasedOverdueMinor: 100n,
        disputedMinor: 0n,
        openPromiseUntil: null,
        hasRecentlyBrokenPromise: false,
        ...extra,
      });
    expect([1, 7, 15, 30, 60, 90].map((days) => step(days))).toEqual([
      'overdue_notice',
      'call',
      'visit',
      'dunning_letter',
      'lawyer_letter',
      'litigation_review',
    ]);
    expect(step(0)).toBe('none');
    expect(step(40, { openPromiseUntil: '2026-12-01' as CalendarDate })).toBe('await_promise');
    expect(step(40, { hasRecentlyBrokenPromise: true })).toBe('follow_up_broken_promise');
    expect(step(40, { chasedOverdueMinor: 0n, disputedMinor: 100n })).toBe('resolve_dispute');
  });
});
