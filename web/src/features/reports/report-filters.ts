import { addDays, type CalendarDate } from '@huikuan/core';
import { AGING_DIMENSIONS, AGING_VIEWS, type AgingDimension, type AgingView } from '@huikuan/core/contracts';

/**
 * The reports' filters live in the URL, so a filtered dashboard or aging page can be bookmarked, shared, and
 * linked to from a chart. Everything here is pure: parsing search params, the default period, months in a period.
 */

export type ReportFilters = { teamId: string | null; salespersonId: string | null };

export type AgingBasisValue = 'due_date' | 'invoice_date';

export type AgingPageState = ReportFilters & {
  asOf: string;
  by: AgingDimension;
  basis: AgingBasisValue;
  view: AgingView;
  /** `exclude` moves open disputes' amounts out of their buckets into a column of their own. */
  disputes: AgingDisputesValue;
};

export type AgingDisputesValue = 'include' | 'exclude';

/** One drill-down: the open items of one group (and optionally one bucket or class) of an aging grouping. */
export type DrillTarget = {
  by: AgingDimension;
  /** The group's id, or 'none' for the group without one (no salesperson, no team…). */
  key: string;
  bucket: string | null;
  /** The group's name as shown, for the drawer's title. */
  label: string;
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function uuidOrNull(value: string | null): string | null {
  return value !== null && UUID.test(value) ? value : null;
}

function dateOr(value: string | null, fallback: string): string {
  return value !== null && DATE.test(value) ? value : fallback;
}

export function filtersFrom(params: URLSearchParams): ReportFilters {
  return { teamId: uuidOrNull(params.get('teamId')), salespersonId: uuidOrNull(params.get('salespersonId')) };
}

export function agingStateFrom(params: URLSearchParams, today: string): AgingPageState {
  return {
    ...filtersFrom(params),
    asOf: dateOr(params.get('asOf'), today),
    by: oneOf(params.get('by'), AGING_DIMENSIONS, 'customer'),
    basis: oneOf(params.get('basis'), ['due_date', 'invoice_date'] as const, 'due_date'),
    view: oneOf(params.get('view'), AGING_VIEWS, 'buckets'),
    disputes: oneOf(params.get('disputes'), ['include', 'exclude'] as const, 'include'),
  };
}

/** Search params for a state: empty values are left out so URLs stay short. */
export function toSearch(values: Record<string, string | null | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter((entry): entry is [string, string] => entry[1] != null && entry[1] !== ''),
  );
}

/** The default dashboard period: the first day of the month eleven months back, through today (12 months). */
export function defaultPeriod(today: string): { from: string; to: string } {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const index = year * 12 + (month - 1) - 11;
  const from = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
  return { from, to: today };
}

export function periodFrom(params: URLSearchParams, today: string): { from: string; to: string } {
  const fallback = defaultPeriod(today);
  const from = dateOr(params.get('from'), fallback.from);
  const to = dateOr(params.get('to'), fallback.to);
  return from <= to ? { from, to } : fallback;
}

/** Calendar months touched by [from, to], inclusive, capped at what the trend endpoint serves (36). */
export function monthsInPeriod(from: string, to: string): number {
  const months =
    (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
    (Number(to.slice(5, 7)) - Number(from.slice(5, 7))) +
    1;
  return Math.min(36, Math.max(1, months));
}

/** The last day of the month 'YYYY-MM'. */
export function monthEnd(month: string): string {
  const year = Number(month.slice(0, 4));
  const next = Number(month.slice(5, 7)) + 1;
  const first = next === 13 ? `${year + 1}-01-01` : `${year}-${String(next).padStart(2, '0')}-01`;
  return addDays(first as CalendarDate, -1);
}
