import { addDays, daysBetween, type CalendarDate } from './calendar-date';

/**
 * Receivables KPIs (domain.md §8, issue 4 item 6), as pure formulas over exact minor-unit totals.
 *
 * Period P = [from, to], both inclusive business dates; `periodDays` = to − from + 1.
 * - B (openingMinor): open receivables at the end of the day before `from`.
 * - S (invoicedMinor): totals of issued invoices dated in P, gross (an invoice voided later still counts; the void
 *   is a reduction, like a credit note or an allocation).
 * - E (endingMinor): open receivables at the end of `to`.
 * - C (endingCurrentMinor): the part of E not yet due at `to`, i.e. due_date ≥ to (days past due = to − due_date,
 *   not due while ≤ 0, as in the aging report).
 *
 * collected = B + S − E (net reductions in P: allocations + posted credit notes + voids dated in P);
 * collectionRate = collected / (B + S); cei = (B + S − E) / (B + S − C); dsoSimple = E / S × days;
 * bestPossibleDso = C / S × days; add = dsoSimple − bestPossibleDso = (E − C) / S × days; overdueRate = (E − C) / E;
 * planCompletion = received by `to` on plan nodes due in P / Σ those nodes' amounts; dsoCountback: see below.
 *
 * Every ratio is one division of exact bigint numerator and denominator, done last; a zero denominator gives null
 * (no meaningful value), never 0 or Infinity.
 */

export type MonthlyInvoiced = ReadonlyMap<string, bigint>;

export type KpiInputs = {
  from: CalendarDate;
  to: CalendarDate;
  openingMinor: bigint;
  invoicedMinor: bigint;
  endingMinor: bigint;
  endingCurrentMinor: bigint;
  /** Gross invoiced totals by month ('YYYY-MM') for invoices dated on or before `to`, for countback DSO. */
  invoicedByMonth: MonthlyInvoiced;
  /** Σ amounts of plan nodes due in P, and what had been received on them by `to` (each capped at its amount). */
  planDueMinor: bigint;
  planReceivedMinor: bigint;
};

export type Kpis = {
  collectedMinor: bigint;
  collectionRate: number | null;
  cei: number | null;
  dsoSimple: number | null;
  dsoCountback: number | null;
  bestPossibleDso: number | null;
  add: number | null;
  overdueRate: number | null;
  planCompletion: number | null;
};

export function periodDays(from: CalendarDate, to: CalendarDate): number {
  return daysBetween(from, to) + 1;
}

export function computeKpis(input: KpiInputs): Kpis {
  const days = BigInt(periodDays(input.from, input.to));
  const b = input.openingMinor;
  const s = input.invoicedMinor;
  const e = input.endingMinor;
  const c = input.endingCurrentMinor;
  const collected = b + s - e;
  return {
    collectedMinor: collected,
    collectionRate: exactRatio(collected, b + s),
    cei: exactRatio(collected, b + s - c),
    dsoSimple: exactRatio(e * days, s),
    dsoCountback: countbackDso(e, input.to, input.invoicedByMonth),
    bestPossibleDso: exactRatio(c * days, s),
    add: exactRatio((e - c) * days, s),
    overdueRate: exactRatio(e - c, e),
    planCompletion: exactRatio(input.planReceivedMinor, input.planDueMinor),
  };
}

/**
 * Countback DSO. Walk back month by month from `to`: the first segment is the month of `to` from its 1st up to
 * `to` (days = the day of month of `to`), then whole calendar months. Each segment's gross invoiced total is
 * consumed from what is still unexplained of E: a segment wholly consumed adds all its days; the segment where E
 * runs out adds days × remaining / invoiced and the walk stops. A segment with no invoicing adds its days. The
 * walk ignores `from`: E can stem from invoices older than P. E = 0 gives 0. The walk ends at the oldest month with
 * invoicing; since open never exceeds invoiced, E is used up by then (if it is not — inconsistent input — the days
 * walked are the answer). The result is one division: (fullDays × s + days × remaining) / s.
 */
export function countbackDso(
  endingMinor: bigint,
  to: CalendarDate,
  invoicedByMonth: MonthlyInvoiced,
): number | null {
  if (endingMinor <= 0n) return endingMinor === 0n ? 0 : null;
  const oldestMonth = [...invoicedByMonth.keys()].sort()[0];
  if (oldestMonth === undefined) return null;
  let remaining = endingMinor;
  let fullDays = 0n;
  // Year and month as numbers: a report walks this for every group, and date arithmetic per month was most of it.
  let year = Number(to.slice(0, 4));
  let monthOfYear = Number(to.slice(5, 7));
  let month = to.slice(0, 7);
  let segmentDays = BigInt(Number(to.slice(8, 10)));
  while (month >= oldestMonth) {
    const invoiced = invoicedByMonth.get(month) ?? 0n;
    if (invoiced > 0n && remaining < invoiced) {
      return exactRatio(fullDays * invoiced + segmentDays * remaining, invoiced);
    }
    remaining -= invoiced;
    fullDays += segmentDays;
    if (remaining === 0n) break;
    monthOfYear -= 1;
    if (monthOfYear === 0) {
      monthOfYear = 12;
      year -= 1;
    }
    month = `${String(year).padStart(4, '0')}-${String(monthOfYear).padStart(2, '0')}`;
    segmentDays = BigInt(daysInMonth(year, monthOfYear));
  }
  return exactRatio(fullDays, 1n);
}

/** Days of a month (1–12) of the proleptic Gregorian calendar, as calendar-date.ts counts them. */
function daysInMonth(year: number, monthOfYear: number): number {
  if (monthOfYear !== 2) return [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][monthOfYear - 1] ?? 31;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return leap ? 29 : 28;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * numerator / denominator as the nearest double, or null when the denominator is zero. Within 2^53 both convert
 * exactly, so one IEEE division rounds correctly; beyond that a 64-bit quotient keeps the error far below a cent.
 */
export function exactRatio(numerator: bigint, denominator: bigint): number | null {
  if (denominator === 0n) return null;
  const negative = numerator < 0n !== denominator < 0n && numerator !== 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let value: number;
  if (n <= SAFE && d <= SAFE) {
    value = Number(n) / Number(d);
  } else {
    const shift = Math.max(0, 64 - (n.toString(2).length - d.toString(2).length));
    value = Number((n << BigInt(shift)) / d) / 2 ** shift;
  }
  return negative ? -value : value;
}

/** The calendar months ending with the month of `to`, oldest first: [{month, from, to}] with `to` capped. */
export function trailingMonths(
  to: CalendarDate,
  count: number,
): { month: string; from: CalendarDate; to: CalendarDate }[] {
  const months: { month: string; from: CalendarDate; to: CalendarDate }[] = [];
  let end = to;
  for (let i = 0; i < count; i += 1) {
    const month = end.slice(0, 7);
    const start = `${month}-01` as CalendarDate;
    months.unshift({ month, from: start, to: end });
    end = addDays(start, -1);
  }
  return months;
}
