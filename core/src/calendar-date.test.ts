import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  calendarDateInZone,
  calendarDateOrThrow,
  daysBetween,
  isCalendarDate,
  isValidTimeZone,
} from './calendar-date';

const d = calendarDateOrThrow;

describe('isCalendarDate', () => {
  it.each(['2024-02-29', '2000-02-29', '2026-02-28', '2026-04-30', '2026-12-31', '2026-01-01', '9999-12-31'])(
    'accepts %s',
    (text) => {
      expect(isCalendarDate(text)).toBe(true);
    },
  );

  it.each([
    ['2026-02-29', 'not a leap year'],
    ['1900-02-29', 'century not divisible by 400'],
    ['2026-13-01', 'month 13'],
    ['2026-00-10', 'month 0'],
    ['2026-01-00', 'day 0'],
    ['2026-01-32', 'day 32'],
    ['2026-04-31', 'April has 30 days'],
    ['2026-1-1', 'unpadded'],
    ['26-01-01', 'two-digit year'],
    ['2026/01/01', 'slashes'],
    [' 2026-01-01', 'leading space'],
    ['2026-01-01T00:00:00Z', 'a timestamp'],
    ['２０２６-01-01', 'full-width digits'],
    ['0000-01-01', 'year 0, which PostgreSQL does not have'],
    ['', 'empty'],
  ])('rejects %j (%s)', (text) => {
    expect(isCalendarDate(text)).toBe(false);
  });

  it('accepts years below 100 like any other year', () => {
    expect(isCalendarDate('0099-01-01')).toBe(true);
    expect(isCalendarDate('0001-01-01')).toBe(true);
    expect(isCalendarDate('0004-02-29')).toBe(true);
    expect(isCalendarDate('0003-02-29')).toBe(false);
  });

  it('calendarDateOrThrow returns the date or throws', () => {
    expect(calendarDateOrThrow('2024-02-29')).toBe('2024-02-29');
    expect(() => calendarDateOrThrow('2026-02-29')).toThrow(RangeError);
  });
});

describe('addDays', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-01'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2026-01-01', 365, '2027-01-01'],
    ['2024-01-01', 366, '2025-01-01'],
    ['2026-03-29', 30, '2026-04-28'],
    ['2026-01-15', 0, '2026-01-15'],
    ['2026-01-15', -45, '2025-12-01'],
  ])('%s %+d days → %s', (from, days, to) => {
    expect(addDays(d(from), days)).toBe(to);
  });

  it('is untouched by daylight-saving changes (US 2026-03-08, EU 2026-03-29 and 2026-10-25, US 2026-11-01)', () => {
    expect(addDays(d('2026-03-08'), 1)).toBe('2026-03-09');
    expect(addDays(d('2026-03-29'), 1)).toBe('2026-03-30');
    expect(addDays(d('2026-10-25'), 1)).toBe('2026-10-26');
    expect(addDays(d('2026-11-01'), 1)).toBe('2026-11-02');
    expect(addDays(d('2026-11-02'), -1)).toBe('2026-11-01');
  });

  it('visits every day of a leap year exactly once, one step at a time', () => {
    let date = d('2024-01-01');
    const seen = new Set<string>([date]);
    for (let i = 0; i < 366; i += 1) {
      date = addDays(date, 1);
      seen.add(date);
    }
    expect(date).toBe('2025-01-01');
    expect(seen.size).toBe(367);
  });

  it('refuses fractional and non-finite day counts instead of rounding them', () => {
    expect(() => addDays(d('2026-01-01'), 1.5)).toThrow(RangeError);
    expect(() => addDays(d('2026-01-01'), Number.NaN)).toThrow(RangeError);
    expect(() => addDays(d('2026-01-01'), Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('refuses to leave the years 0001–9999 instead of producing a malformed date', () => {
    expect(addDays(d('9999-12-30'), 1)).toBe('9999-12-31');
    expect(() => addDays(d('9999-12-31'), 1)).toThrow(RangeError);
    expect(() => addDays(d('0001-01-01'), -1)).toThrow(RangeError);
    expect(() => addDays(d('2026-01-01'), 10 ** 12)).toThrow(RangeError);
  });
});

describe('daysBetween', () => {
  it.each([
    ['2026-01-01', '2026-01-01', 0],
    ['2026-01-01', '2026-12-31', 364],
    ['2024-01-01', '2025-01-01', 366],
    ['2026-02-01', '2026-03-01', 28],
    ['2024-02-01', '2024-03-01', 29],
    ['2026-03-01', '2026-02-28', -1],
    ['2026-03-07', '2026-03-09', 2],
    ['2026-10-24', '2026-10-26', 2],
  ])('%s → %s is %d days', (from, to, days) => {
    expect(daysBetween(d(from), d(to))).toBe(days);
  });

  const anyDate = fc
    .record({
      year: fc.integer({ min: 1900, max: 2200 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 28 }),
    })
    .map(({ year, month, day }) =>
      d(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`),
    );

  it('is the inverse of addDays', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -100_000, max: 100_000 }), (date, days) => {
        const moved = addDays(date, days);
        expect(isCalendarDate(moved)).toBe(true);
        expect(daysBetween(date, moved)).toBe(days);
        expect(daysBetween(moved, date)).toBe(0 - days);
        expect(addDays(moved, 0 - days)).toBe(date);
      }),
    );
  });
});

describe('calendarDateInZone', () => {
  const instant = new Date('2026-11-21T16:30:00Z');

  it('is already tomorrow in Shanghai when it is still today in New York', () => {
    // Shanghai is UTC+8 (00:30 on the 22nd); New York is on EST, UTC−5, after 2026-11-01 (11:30 on the 21st).
    expect(calendarDateInZone(instant, 'Asia/Shanghai')).toBe('2026-11-22');
    expect(calendarDateInZone(instant, 'America/New_York')).toBe('2026-11-21');
    expect(calendarDateInZone(instant, 'UTC')).toBe('2026-11-21');
  });

  it('turns the Shanghai date over at 16:00 UTC', () => {
    expect(calendarDateInZone(new Date('2026-11-21T15:59:59.999Z'), 'Asia/Shanghai')).toBe('2026-11-21');
    expect(calendarDateInZone(new Date('2026-11-21T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-11-22');
  });

  it('follows daylight saving time and the extreme offsets', () => {
    // 03:30 UTC on 1 July is 23:30 EDT (UTC−4) on 30 June.
    expect(calendarDateInZone(new Date('2026-07-01T03:30:00Z'), 'America/New_York')).toBe('2026-06-30');
    // Kiritimati is UTC+14, Pago Pago UTC−11.
    expect(calendarDateInZone(new Date('2026-12-31T10:00:00Z'), 'Pacific/Kiritimati')).toBe('2027-01-01');
    expect(calendarDateInZone(new Date('2026-01-01T10:00:00Z'), 'Pacific/Pago_Pago')).toBe('2025-12-31');
  });

  it('throws for an unknown time zone', () => {
    expect(() => calendarDateInZone(instant, 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA zones and rejects made-up ones', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('UTC+99')).toBe(false);
  });
});
