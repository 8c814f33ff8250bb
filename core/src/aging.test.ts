import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BUCKET_BOUNDS_DAYS,
  DEFAULT_CLASS_BOUNDS_DAYS,
  boundsProblem,
  bucketKeyOf,
  bucketKeys,
  classOf,
  provisionMinor,
  rangeDays,
} from './aging';

describe('aging buckets', () => {
  it('names the default buckets exactly as the CLI contract does', () => {
    expect(bucketKeys(DEFAULT_BUCKET_BOUNDS_DAYS)).toEqual([
      'not_due',
      '1-30',
      '31-60',
      '61-90',
      '91-180',
      '181-365',
      '366-730',
      'over_730',
    ]);
  });

  it('puts days past due in the right bucket at every edge', () => {
    const cases: [number, string][] = [
      [-400, 'not_due'],
      [0, 'not_due'],
      [1, '1-30'],
      [30, '1-30'],
      [31, '31-60'],
      [90, '61-90'],
      [91, '91-180'],
      [365, '181-365'],
      [366, '366-730'],
      [730, '366-730'],
      [731, 'over_730'],
    ];
    for (const [days, key] of cases) expect(bucketKeyOf(days, DEFAULT_BUCKET_BOUNDS_DAYS)).toBe(key);
    expect(rangeDays(0, DEFAULT_BUCKET_BOUNDS_DAYS)).toEqual({ from: null, to: 0 });
    expect(rangeDays(7, DEFAULT_BUCKET_BOUNDS_DAYS)).toEqual({ from: 731, to: null });
  });

  it('refuses bounds that do not start at 0 or do not increase', () => {
    expect(boundsProblem([0, 30])).toBeNull();
    expect(boundsProblem([1, 30])).toMatch(/first/);
    expect(boundsProblem([0, 30, 30])).toMatch(/increase/);
    expect(boundsProblem([0, 1.5])).toMatch(/whole/);
  });
});

describe('receivable classes', () => {
  it('follows the seed: not due / 1–90 / 91–365 / 366–730 / over 730', () => {
    const classes = [0, 1, 90, 91, 365, 366, 730, 731].map((days) =>
      classOf(days, DEFAULT_CLASS_BOUNDS_DAYS),
    );
    expect(classes).toEqual([
      'not_yet_due',
      'in_collection',
      'in_collection',
      'doubtful',
      'doubtful',
      'bad',
      'bad',
      'dead',
    ]);
  });
});

describe('provision', () => {
  it('rounds half up in minor units, per item', () => {
    expect(provisionMinor(3_333n, 500)).toBe(167n); // 33.33 × 5% = 1.6665 → 1.67
    expect(provisionMinor(1n, 5_000)).toBe(1n); // 0.005 → 0.01
    expect(provisionMinor(1n, 4_999)).toBe(0n);
    expect(provisionMinor(50_007n, 2_000)).toBe(10_001n); // 100.014 → 100.01
    expect(provisionMinor(100_000_007n, 10_000)).toBe(100_000_007n);
    expect(provisionMinor(0n, 8_000)).toBe(0n);
    expect(() => provisionMinor(-1n, 100)).toThrow(RangeError);
    expect(() => provisionMinor(1n, 10_001)).toThrow(RangeError);
  });
});
