/**
 * Business dates ('YYYY-MM-DD': invoice date, due date, promise date) are calendar days with no time zone.
 * Instants are UTC timestamps; "today" is derived from an instant in the organization's time zone.
 */

export type CalendarDate = string & { readonly __brand: 'CalendarDate' };

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/**
 * Years 0001–9999, as PostgreSQL's date type stores them (it has no year 0). Checked by arithmetic rather
 * than through Date, whose Date.UTC reads years 0–99 as 1900–1999.
 */
export function isCalendarDate(text: string): text is CalendarDate {
  const match = DATE_PATTERN.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function calendarDateOrThrow(text: string): CalendarDate {
  if (!isCalendarDate(text)) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${text}`);
  return text;
}

function toUtcMs(date: CalendarDate): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** Past 9999-12-31 toISOString gives '+010000-01-01', which must not be sliced into a wrong date. */
function fromUtcMs(ms: number): CalendarDate {
  const date = new Date(ms);
  const text = Number.isNaN(date.getTime()) ? '' : date.toISOString();
  const datePart = text.slice(0, 10);
  if (text.length !== 24 || !isCalendarDate(datePart)) {
    throw new RangeError('Date out of range (0001-01-01 to 9999-12-31)');
  }
  return datePart;
}

/** Moves a date by whole days; a fractional or non-finite count is a programming error, not a rounding. */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  if (!Number.isSafeInteger(days)) throw new RangeError(`Days must be a whole number: ${days}`);
  return fromUtcMs(toUtcMs(date) + days * MS_PER_DAY);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / MS_PER_DAY);
}

/** The calendar date of an instant in an IANA time zone, e.g. 'Asia/Shanghai'. */
export function calendarDateInZone(instant: Date, timeZone: string): CalendarDate {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return calendarDateOrThrow(`${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}
