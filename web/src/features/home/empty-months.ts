import { calendarDateInZone, type Locale } from '@huikuan/core';

/**
 * Labels for the last `count` months up to the current one in the organization's time zone, oldest first.
 * Only axis labels: the chart carries no values until real collections exist.
 */
export function recentMonthLabels(now: Date, timeZone: string, locale: Locale, count: number): string[] {
  const today = calendarDateInZone(now, timeZone);
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7)) - 1;
  const format = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', timeZone: 'UTC' });
  return Array.from({ length: count }, (_, index) => {
    const offset = count - 1 - index;
    return format.format(new Date(Date.UTC(year, month - offset, 1)));
  });
}
