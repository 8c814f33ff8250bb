import { describe, expect, it } from 'vitest';
import type { CalendarDate } from './calendar-date';
import {
  DEFAULT_DUNNING_LADDER,
  chasedMinorOf,
  evaluateItem,
  supersededSteps,
  ladderIssues,
  sortLadder,
  stepDueOn,
  type LadderStep,
} from './dunning';

const ladder: LadderStep[] = DEFAULT_DUNNING_LADDER.map((step, index) => ({ ...step, id: `s${index}` }));
const d = (text: string) => text as CalendarDate;
const DUE = d('2026-03-10');

function fired(asOf: string, done: string[] = [], openMinor = 100_00n, pauses = [] as never[]) {
  const result = evaluateItem(
    ladder,
    { dueDate: DUE, openMinor, pauses, doneStepIds: new Set(done) },
    d(asOf),
  );
  return result.status === 'chased' ? result.fire.map((step) => step.kind) : result;
}

describe('the default ladder, run every day', () => {
  it('fires nothing before the first step is due', () => {
    expect(fired('2026-03-06')).toEqual([]);
  });

  it('reminds the customer 3 days before the due date', () => {
    expect(stepDueOn(DUE, -3)).toBe('2026-03-07');
    expect(fired('2026-03-07')).toEqual(['customer_reminder']);
  });

  it('fires each step once on its day when the previous ones were done', () => {
    expect(fired('2026-03-08', ['s0'])).toEqual([]);
    expect(fired('2026-03-11', ['s0'])).toEqual(['overdue_notice']);
    expect(fired('2026-03-17', ['s0', 's1'])).toEqual(['call_task']);
    expect(fired('2026-03-25', ['s0', 's1', 's2'])).toEqual(['visit_task']);
    expect(fired('2026-04-09', ['s0', 's1', 's2', 's3'])).toEqual(['dunning_letter']);
    expect(fired('2026-05-09', ['s0', 's1', 's2', 's3', 's4'])).toEqual(['lawyer_letter']);
    // +90: the litigation review and the credit hold fall on the same day and are different families.
    expect(fired('2026-06-08', ['s0', 's1', 's2', 's3', 's4', 's5'])).toEqual([
      'litigation_review',
      'credit_hold',
    ]);
    expect(fired('2026-09-30', ['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7'])).toEqual([]);
  });
});

describe('catch-up: the latest due step of each family, never a pile', () => {
  it('an item first seen 45 days overdue gets the 30-day letter and the 15-day visit only', () => {
    const result = evaluateItem(
      ladder,
      { dueDate: DUE, openMinor: 5_00n, pauses: [], doneStepIds: new Set() },
      d('2026-04-24'),
    );
    expect(result.status).toBe('chased');
    if (result.status !== 'chased') return;
    expect(result.fire.map((step) => step.kind)).toEqual(['visit_task', 'dunning_letter']);
    expect(
      supersededSteps(ladder, { dueDate: DUE, doneStepIds: new Set() }, d('2026-04-24')).map(
        (step) => step.kind,
      ),
    ).toEqual(['customer_reminder', 'overdue_notice', 'call_task']);
  });

  it('a missed day still fires the step the next day', () => {
    expect(fired('2026-03-18', ['s0', 's1'])).toEqual(['call_task']);
  });

  it('a superseded step never fires later: the family latest is already done', () => {
    // Visit done on day 16 while the call was skipped: on day 20 nothing is due.
    expect(fired('2026-03-30', ['s0', 's1', 's3'])).toEqual([]);
  });

  it('two steps of one family at the same offset fire together', () => {
    const steps: LadderStep[] = [
      {
        id: 'e',
        kind: 'customer_reminder',
        offsetDays: 0,
        channel: 'email',
        templateKey: null,
        requiresApproval: false,
      },
      {
        id: 's',
        kind: 'customer_reminder',
        offsetDays: 0,
        channel: 'sms',
        templateKey: null,
        requiresApproval: false,
      },
    ];
    const result = evaluateItem(
      steps,
      { dueDate: DUE, openMinor: 1n, pauses: [], doneStepIds: new Set() },
      DUE,
    );
    expect(result.status === 'chased' && result.fire.map((step) => step.id)).toEqual(['e', 's']);
  });
});

describe('pauses', () => {
  it('a valid promise pauses the whole item and lists what it holds back', () => {
    const result = evaluateItem(
      ladder,
      {
        dueDate: DUE,
        openMinor: 100_00n,
        pauses: [{ reason: 'promise', pausedMinor: 'all' }],
        doneStepIds: new Set(['s0', 's1']),
      },
      d('2026-03-20'),
    );
    expect(result).toMatchObject({ status: 'not_chased', chasedMinor: 0n, pausedBy: ['promise'] });
    expect(result.status === 'not_chased' && result.heldBack.map((step) => step.kind)).toEqual(['call_task']);
  });

  it('a dispute over part of the item chases the rest', () => {
    expect(chasedMinorOf(100_00n, [{ reason: 'dispute', pausedMinor: 30_00n }])).toBe(70_00n);
    const result = evaluateItem(
      ladder,
      {
        dueDate: DUE,
        openMinor: 100_00n,
        pauses: [{ reason: 'dispute', pausedMinor: 30_00n }],
        doneStepIds: new Set(['s0']),
      },
      d('2026-03-11'),
    );
    expect(result).toMatchObject({ status: 'chased', chasedMinor: 70_00n });
  });

  it('a dispute over all of it (or more) pauses it', () => {
    expect(chasedMinorOf(100_00n, [{ reason: 'dispute', pausedMinor: 120_00n }])).toBe(0n);
    expect(
      evaluateItem(
        ladder,
        {
          dueDate: DUE,
          openMinor: 100_00n,
          pauses: [{ reason: 'dispute', pausedMinor: 100_00n }],
          doneStepIds: new Set(),
        },
        d('2026-03-11'),
      ).status,
    ).toBe('not_chased');
  });

  it('when the promise breaks, escalation resumes at the latest due step, not with a backlog', () => {
    // Paused from day 5 to day 20; on day 21 the call (day 7) is superseded by the visit (day 15).
    expect(fired('2026-03-31', ['s0', 's1'])).toEqual(['visit_task']);
  });

  it('a paid item is not chased and holds nothing back', () => {
    const result = evaluateItem(
      ladder,
      { dueDate: DUE, openMinor: 0n, pauses: [], doneStepIds: new Set() },
      d('2026-04-20'),
    );
    expect(result).toEqual({ status: 'not_chased', chasedMinor: 0n, pausedBy: [], heldBack: [] });
  });
});

describe('one ladder asked for many items (a run)', () => {
  it('answers each item from its own days overdue, whatever was asked before with the same ladder', () => {
    // The latest due steps are remembered per ladder and day count: the same ladder array, asked in an order that
    // goes back and forth, answers as a fresh copy of the ladder does (hand-checked values for three of the days).
    const days = [95, -3, 30, 95, 0, 16, 61, -4, 30, 7, 89, 90];
    const of = (steps: LadderStep[], overdue: number) => {
      const result = evaluateItem(
        steps,
        { dueDate: DUE, openMinor: 1n, pauses: [], doneStepIds: new Set() },
        d(stepDueOn(DUE, overdue)),
      );
      return result.status === 'chased' ? result.fire.map((step) => step.kind) : [];
    };
    for (const overdue of days) {
      expect(of(ladder, overdue), `day ${overdue}`).toEqual(
        of(
          ladder.map((step) => ({ ...step })),
          overdue,
        ),
      );
    }
    expect(of(ladder, -4)).toEqual([]);
    expect(of(ladder, 16)).toEqual(['overdue_notice', 'visit_task']);
    expect(of(ladder, 95)).toEqual(['visit_task', 'lawyer_letter', 'litigation_review', 'credit_hold']);
  });
});

describe('ladder checks', () => {
  it('names the field of a message step without a channel and a task with one', () => {
    expect(
      ladderIssues([
        { kind: 'overdue_notice', offsetDays: 1, channel: null, templateKey: null, requiresApproval: false },
        { kind: 'call_task', offsetDays: 7, channel: 'sms', templateKey: null, requiresApproval: false },
        { kind: 'call_task', offsetDays: 7, channel: null, templateKey: null, requiresApproval: false },
        { kind: 'call_task', offsetDays: 7, channel: null, templateKey: null, requiresApproval: false },
      ]).map((issue) => issue.path),
    ).toEqual(['steps.0.channel', 'steps.1.channel', 'steps.3']);
    expect(ladderIssues(DEFAULT_DUNNING_LADDER)).toEqual([]);
  });

  it('sorts by offset, then family', () => {
    const sorted = sortLadder([...DEFAULT_DUNNING_LADDER].reverse());
    expect(sorted.map((step) => step.kind)).toEqual(DEFAULT_DUNNING_LADDER.map((step) => step.kind));
  });
});
