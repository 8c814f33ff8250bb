import { isCalendarDate, type Locale } from '@huikuan/core';

/**
 * Business dates ('YYYY-MM-DD') are calendar days without a zone, so they are formatted in UTC to keep the
 * day unchanged; instants are shown in the organization's time zone, where "today" is defined.
 */
export function formatDateOrInstant(
  value: string,
  locale: Locale,
  timeZone: string,
  withTime: boolean,
): string | null {
  if (isCalendarDate(value)) {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(`${value}T00:00:00Z`),
    );
  }
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return null;
  const options: Intl.DateTimeFormatOptions = withTime
    ? { dateStyle: 'medium', timeStyle: 'short', timeZone }
    : { dateStyle: 'medium', timeZone };
  try {
    return new Intl.DateTimeFormat(locale, options).format(instant);
  } catch {
    // An unknown zone must not hide the date; fall back to the browser's zone.
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: undefined }).format(instant);
  }
}
