import { describe, expect, it } from 'vitest';
import type { CalendarDate } from './calendar-date';
import { evaluatePromise, promisePlanProblem, promisePausesChasing, type PromisePayment } from './promises';

const d = (text: string) => text as CalendarDate;
const pay = (paidOn: string, amountMinor: bigint): PromisePayment => ({ paidOn: d(paidOn), amountMinor });

/** Two instalments: 1,000.00 by 2026-12-01 and 500.00 by 2026-12-15, three days' grace. */
const plan = [
  { dueOn: d('2026-12-01'), amountMinor: 100_000n },
  { dueOn: d('2026-12-15'), amountMinor: 50_000n },
];

describe('promises to pay', () => {
  it('is open before any deadline, and pauses chasing until the first deadline (due + grace)', () => {
    const evaluation = evaluatePromise({
      instalments: plan,
      graceDays: 3,
      payments: [],
      asOf: d('2026-12-04'),
    });
    expect(evaluation.status).toBe('open');
    expect(evaluation.nextDeadline).toBe('2026-12-04');
    expect(evaluation.instalments.map((i) => [i.deadline, i.state])).toEqual([
      ['2026-12-04', 'pending'],
      ['2026-12-18', 'pending'],
    ]);
    expect(promisePausesChasing(evaluation)).toBe(true);
  });

  it('breaks the day after a deadline passes unpaid, and stays broken after a late payment', () => {
    const broken = evaluatePromise({ instalments: plan, graceDays: 3, payments: [], asOf: d('2026-12-05') });
    expect(broken).toMatchObject({
      status: 'broken',
      settledOn: '2026-12-05',
      paidMinor: 0n,
      outstandingMinor: 150_000n,
    });
    expect(promisePausesChasing(broken)).toBe(false);
    const late = evaluatePromise({
      instalments: plan,
      graceDays: 3,
      payments: [pay('2026-12-06', 150_000n)],
      asOf: d('2026-12-20'),
    });
    // Everything was paid, but the first instalment 2 days after its deadline: broken on 12-05.
    expect(late).toMatchObject({
      status: 'broken',
      settledOn: '2026-12-05',
      paidMinor: 150_000n,
      outstandingMinor: 0n,
    });
    expect(late.instalments.map((i) => i.state)).toEqual(['broken', 'kept']);
  });

  it('is kept by a payment inside the grace period', () => {
    const evaluation = evaluatePromise({
      instalments: plan,
      graceDays: 3,
      payments: [pay('2026-12-04', 100_000n), pay('2026-12-18', 50_000n)],
      asOf: d('2026-12-31'),
    });
    expect(evaluation).toMatchObject({ status: 'kept', settledOn: '2026-12-18', paidMinor: 150_000n });
    expect(evaluation.instalments.map((i) => i.keptOn)).toEqual(['2026-12-04', '2026-12-18']);
  });

  it('fills instalments cumulatively: an early overpayment counts towards the next one', () => {
    const evaluation = evaluatePromise({
      instalments: plan,
      graceDays: 0,
      payments: [pay('2026-11-28', 120_000n), pay('2026-12-10', 30_000n)],
      asOf: d('2026-12-31'),
    });
    expect(evaluation.status).toBe('kept');
    expect(evaluation.instalments.map((i) => [i.paidMinor, i.keptOn])).toEqual([
      [100_000n, '2026-11-28'],
      [50_000n, '2026-12-10'],
    ]);
  });

  it('shows a partial instalment as paid in part, open while its deadline holds, broken after', () => {
    const payments = [pay('2026-11-30', 100_000n), pay('2026-12-12', 20_000n)];
    const open = evaluatePromise({ instalments: plan, graceDays: 3, payments, asOf: d('2026-12-18') });
    expect(open).toMatchObject({
      status: 'open',
      paidMinor: 120_000n,
      outstandingMinor: 30_000n,
      nextDeadline: '2026-12-18',
    });
    expect(open.instalments.map((i) => [i.state, i.paidMinor])).toEqual([
      ['kept', 100_000n],
      ['pending', 20_000n],
    ]);
    const broken = evaluatePromise({ instalments: plan, graceDays: 3, payments, asOf: d('2026-12-19') });
    expect(broken).toMatchObject({ status: 'broken', settledOn: '2026-12-19' });
  });

  it('ignores payments after the as-of date, and keeps a cancelled promise cancelled', () => {
    const payments = [pay('2026-12-02', 150_000n)];
    expect(evaluatePromise({ instalments: plan, graceDays: 0, payments, asOf: d('2026-12-01') }).status).toBe(
      'open',
    );
    const cancelled = evaluatePromise({
      instalments: plan,
      graceDays: 0,
      payments,
      asOf: d('2026-12-31'),
      isCancelled: true,
    });
    expect(cancelled).toMatchObject({ status: 'cancelled', settledOn: null, nextDeadline: null });
    expect(promisePausesChasing(cancelled)).toBe(false);
  });

  it('checks the instalment plan', () => {
    expect(promisePlanProblem(plan)).toBeNull();
    expect(promisePlanProblem([])).toBe('at least one instalment');
    expect(promisePlanProblem([{ dueOn: d('2026-12-01'), amountMinor: 0n }])).toMatch(/positive/);
    expect(promisePlanProblem([plan[1]!, plan[0]!])).toMatch(/increasing/);
  });
});
