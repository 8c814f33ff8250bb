import { addDays, calendarDateOrThrow, type CalendarDate } from './calendar-date';
import { allocateByWeights, type Money } from './money';
import { exactRatio } from './kpis';

/**
 * Collection targets (回款目标, seed 004 §二.1): an organization's target for a period, written into the sales plan
 * and split down to teams and salespeople; targets by item class and by vintage with different weights; progress
 * live; last period's shortfall carried into the next where agreed; and the evaluation of each salesperson.
 */

/** Splits a target over people or teams by integer weights; the parts always add up to the whole. */
export function splitTarget(total: Money, weights: readonly bigint[]): Money[] {
  return allocateByWeights(total, weights);
}

export type TargetProgress = {
  targetMinor: bigint;
  collectedMinor: bigint;
  /** collected / target as a fraction; null when the target is zero. */
  completion: number | null;
  /** What is still missing (never negative). */
  shortfallMinor: bigint;
};

export function targetProgress(targetMinor: bigint, collectedMinor: bigint): TargetProgress {
  const shortfall = targetMinor - collectedMinor;
  return {
    targetMinor,
    collectedMinor,
    completion: exactRatio(collectedMinor, targetMinor),
    shortfallMinor: shortfall > 0n ? shortfall : 0n,
  };
}

/** One line of a split target: an item class (正常/不正常, 重点/非重点) or a vintage year, with its weight. */
export type WeightedTarget = { key: string; weight: number; targetMinor: bigint; collectedMinor: bigint };

/**
 * Weighted completion over class and vintage targets: each line's completion is capped at 100 % (over-collecting
 * new debts must not hide old ones left untouched), then weighted. Null when no line has a target.
 */
export function weightedCompletion(lines: readonly WeightedTarget[]): number | null {
  const PRECISION = 1_000_000n;
  let weightedSum = 0n;
  let weightTotal = 0n;
  for (const line of lines) {
    if (line.targetMinor <= 0n || line.weight <= 0) continue;
    const collected = line.collectedMinor < line.targetMinor ? line.collectedMinor : line.targetMinor;
    const clamped = collected > 0n ? collected : 0n;
    const weight = BigInt(line.weight);
    weightedSum += (clamped * PRECISION * weight) / line.targetMinor;
    weightTotal += weight;
  }
  if (weightTotal === 0n) return null;
  return Number(weightedSum / weightTotal) / Number(PRECISION);
}

/** Next period's target: its own plus last period's shortfall, when the organization agreed to carry it. */
export function carriedTarget(nextTargetMinor: bigint, previous: TargetProgress, isCarried: boolean): bigint {
  return isCarried ? nextTargetMinor + previous.shortfallMinor : nextTargetMinor;
}

/**
 * 买卖制 (seed 003): the salesperson answers for 100 % of what they sold, so their shortfall is what they invoiced
 * in the period less what of it has been collected, whatever the collection target said.
 */
export function accountabilityShortfall(soldMinor: bigint, collectedOfSoldMinor: bigint): bigint {
  const shortfall = soldMinor - collectedOfSoldMinor;
  return shortfall > 0n ? shortfall : 0n;
}

/** The four attitudes of seed 004: where a salesperson sits between selling and collecting. */
export const ATTITUDES = ['passive', 'sales_driven', 'collection_driven', 'strategic'] as const;
export type Attitude = (typeof ATTITUDES)[number];

/**
 * 消极导向 (neither), 销货主导 (sells, does not collect), 回款主导 (collects, does not sell), 战略导向 (both).
 * Each axis is an achievement against target (or the team's median when there is no target); `threshold` is
 * where "achieved" starts, 1.0 by default.
 */
export function attitudeOf(salesAchievement: number, collectionAchievement: number, threshold = 1): Attitude {
  const sells = salesAchievement >= threshold;
  const collects = collectionAchievement >= threshold;
  if (sells && collects) return 'strategic';
  if (sells) return 'sales_driven';
  if (collects) return 'collection_driven';
  return 'passive';
}

/**
 * Target periods: a month 'YYYY-MM', a quarter 'YYYY-Qn' or a year 'YYYY'. Commission statements are monthly;
 * targets may be set for any of the three.
 */
export type PeriodKind = 'month' | 'quarter' | 'year';
export type PeriodRange = { kind: PeriodKind; from: CalendarDate; to: CalendarDate };

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER_PATTERN = /^(\d{4})-Q([1-4])$/;
const YEAR_PATTERN = /^(\d{4})$/;

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function lastDayOfMonth(year: number, month: number): CalendarDate {
  // Day 0 of the next month is this month's last day; years 1–9999 only, as the date type.
  const next = month === 12 ? `${pad(year + 1, 4)}-01-01` : `${pad(year, 4)}-${pad(month + 1, 2)}-01`;
  return addDays(calendarDateOrThrow(next), -1);
}

function monthsRange(
  year: number,
  firstMonth: number,
  lastMonth: number,
): { from: CalendarDate; to: CalendarDate } {
  return {
    from: calendarDateOrThrow(`${pad(year, 4)}-${pad(firstMonth, 2)}-01`),
    to: lastDayOfMonth(year, lastMonth),
  };
}

/** The first and last day of a period, or null when the text is not one (years 1–9998). */
export function periodRange(period: string): PeriodRange | null {
  const month = MONTH_PATTERN.exec(period);
  const quarter = QUARTER_PATTERN.exec(period);
  const year = YEAR_PATTERN.exec(period);
  const yearOf = Number((month ?? quarter ?? year)?.[1] ?? 0);
  if (yearOf < 1 || yearOf > 9998) return null;
  if (month) return { kind: 'month', ...monthsRange(yearOf, Number(month[2]), Number(month[2])) };
  if (quarter) {
    const first = (Number(quarter[2]) - 1) * 3 + 1;
    return { kind: 'quarter', ...monthsRange(yearOf, first, first + 2) };
  }
  if (year) return { kind: 'year', ...monthsRange(yearOf, 1, 12) };
  return null;
}

export function periodRangeOrThrow(period: string): PeriodRange {
  const range = periodRange(period);
  if (!range) throw new RangeError(`Not a period (YYYY-MM, YYYY-Qn or YYYY): ${period}`);
  return range;
}

/** The period of the same kind just before: 2026-01 → 2025-12, 2026-Q1 → 2025-Q4, 2026 → 2025. */
export function previousPeriod(period: string): string {
  const range = periodRangeOrThrow(period);
  const before = addDays(range.from, -1);
  const year = before.slice(0, 4);
  switch (range.kind) {
    case 'month':
      return before.slice(0, 7);
    case 'quarter':
      return `${year}-Q${Math.floor((Number(before.slice(5, 7)) - 1) / 3) + 1}`;
    case 'year':
      return year;
  }
}

/** The month 'YYYY-MM' a date falls in. */
export function monthOf(date: CalendarDate): string {
  return date.slice(0, 7);
}

export function nextMonth(month: string): string {
  const range = periodRangeOrThrow(month);
  if (range.kind !== 'month') throw new RangeError(`Not a month: ${month}`);
  return addDays(range.to, 1).slice(0, 7);
}
