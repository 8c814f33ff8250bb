import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarDateOrThrow as d } from './calendar-date';
import {
  divideRoundHalfUp,
  dueDateFromTerms,
  invoiceStatus,
  invoiceTotals,
  lineAmounts,
  parseQuantity,
  planNodeStatus,
  planOldestDueFirst,
} from './ledger';

describe('invoice arithmetic', () => {
  it('parses quantities with up to four decimals exactly', () => {
    expect(parseQuantity('3')).toBe(30_000n);
    expect(parseQuantity('2.5')).toBe(25_000n);
    expect(parseQuantity('0.0001')).toBe(1n);
    for (const bad of ['', '-1', '1.23456', '1e3', 'abc', '1,000']) expect(parseQuantity(bad)).toBeNull();
  });

  it('rounds halves away from zero', () => {
    expect(divideRoundHalfUp(5n, 2n)).toBe(3n);
    expect(divideRoundHalfUp(-5n, 2n)).toBe(-3n);
    expect(divideRoundHalfUp(4n, 3n)).toBe(1n);
    expect(divideRoundHalfUp(149n, 100n)).toBe(1n);
    expect(divideRoundHalfUp(150n, 100n)).toBe(2n);
  });

  it('computes a line: 3 × ¥33.33 = ¥99.99, 13% VAT ¥13.00 (12.9987 rounded)', () => {
    expect(lineAmounts({ quantity: '3', unitPriceMinor: 3333n, taxRateBp: 1300 })).toEqual({
      amountMinor: 9999n,
      taxMinor: 1300n,
    });
  });

  it('rounds the line amount before tax: 2.5 × ¥0.01 = ¥0.03 (0.025 up), 6% tax on 3 fen = 0', () => {
    expect(lineAmounts({ quantity: '2.5', unitPriceMinor: 1n, taxRateBp: 600 })).toEqual({
      amountMinor: 3n,
      taxMinor: 0n,
    });
  });

  it('sums per-line rounded tax into the invoice total', () => {
    const totals = invoiceTotals([
      { quantity: '1', unitPriceMinor: 1_000_000n, taxRateBp: 1300 },
      { quantity: '7', unitPriceMinor: 1999n, taxRateBp: 900 },
    ]);
    // 10,000.00 at 13% → tax 1,300.00; 7 × 19.99 = 139.93 → tax 12.5937 → 12.59
    expect(totals).toEqual({ subtotalMinor: 1_013_993n, taxMinor: 131_259n, totalMinor: 1_145_252n });
  });

  it('rejects bad tax rates and quantities instead of guessing', () => {
    expect(() => lineAmounts({ quantity: '1', unitPriceMinor: 1n, taxRateBp: 13.5 })).toThrow(RangeError);
    expect(() => lineAmounts({ quantity: 'x', unitPriceMinor: 1n, taxRateBp: 0 })).toThrow(/Quantity/);
  });

  it('derives the due date from payment terms', () => {
    expect(dueDateFromTerms(d('2026-01-31'), 30)).toBe('2026-03-02');
    expect(dueDateFromTerms(d('2026-12-15'), 0)).toBe('2026-12-15');
    expect(() => dueDateFromTerms(d('2026-01-01'), -1)).toThrow(RangeError);
  });
});

describe('statuses', () => {
  it('derives invoice status from what is open', () => {
    const base = { isIssued: true, isVoid: false, totalMinor: 10_000n };
    expect(invoiceStatus({ ...base, openMinor: 10_000n })).toBe('issued');
    expect(invoiceStatus({ ...base, openMinor: 1n })).toBe('partially_paid');
    expect(invoiceStatus({ ...base, openMinor: 0n })).toBe('paid');
    expect(invoiceStatus({ ...base, isIssued: false, openMinor: 0n })).toBe('draft');
    expect(invoiceStatus({ ...base, isVoid: true, openMinor: 0n })).toBe('void');
  });

  it('derives a plan node status from money received and the date', () => {
    const node = { amountMinor: 30_000n, dueDate: d('2026-06-30') };
    expect(planNodeStatus({ ...node, receivedMinor: 0n, today: d('2026-06-30') })).toBe('not_due');
    expect(planNodeStatus({ ...node, receivedMinor: 100n, today: d('2026-06-01') })).toBe(
      'partially_received',
    );
    expect(planNodeStatus({ ...node, receivedMinor: 100n, today: d('2026-07-01') })).toBe('overdue');
    expect(planNodeStatus({ ...node, receivedMinor: 30_000n, today: d('2027-01-01') })).toBe('completed');
    expect(
      planNodeStatus({ amountMinor: 5n, dueDate: null, receivedMinor: 0n, today: d('2030-01-01') }),
    ).toBe('not_due');
  });
});

describe('oldest-due-first allocation', () => {
  it('fills the oldest due items first and leaves the rest unapplied', () => {
    const plan = planOldestDueFirst(25_000n, [
      { id: 'c', dueDate: d('2026-03-01'), openMinor: 10_000n },
      { id: 'a', dueDate: d('2026-01-01'), openMinor: 10_000n },
      { id: 'b', dueDate: d('2026-02-01'), openMinor: 4_000n },
      { id: 'z', dueDate: d('2025-12-01'), openMinor: 0n },
    ]);
    expect(plan).toEqual({
      lines: [
        { id: 'a', amountMinor: 10_000n },
        { id: 'b', amountMinor: 4_000n },
        { id: 'c', amountMinor: 10_000n },
      ],
      unappliedMinor: 1_000n,
    });
  });

  it('never over-applies: lines add up to min(available, total open) and respect each open balance', () => {
    const item = fc.record({
      id: fc.uuid(),
      dueDate: fc.integer({ min: 0, max: 2000 }).map((n) => dueDateFromTerms(d('2024-01-01'), n)),
      openMinor: fc.bigInt({ min: 0n, max: 10n ** 14n }),
    });
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.uniqueArray(item, { selector: (i) => i.id }),
        (available, items) => {
          const plan = planOldestDueFirst(available, items);
          const applied = plan.lines.reduce((sum, line) => sum + line.amountMinor, 0n);
          const totalOpen = items.reduce((sum, i) => sum + i.openMinor, 0n);
          expect(applied).toBe(available < totalOpen ? available : totalOpen);
          expect(plan.unappliedMinor).toBe(available - applied);
          for (const line of plan.lines) {
            const source = items.find((i) => i.id === line.id);
            expect(line.amountMinor > 0n && line.amountMinor <= (source?.openMinor ?? 0n)).toBe(true);
          }
        },
      ),
    );
  });
});
