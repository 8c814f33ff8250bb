import { calendarDateInZone, type CalendarDate } from '@huikuan/core';

/** Injectable time: tests move it; "today" is always a date in the organization's time zone. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

export function todayIn(clock: Clock, timeZone: string): CalendarDate {
  return calendarDateInZone(clock.now(), timeZone);
}
