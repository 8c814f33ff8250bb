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
