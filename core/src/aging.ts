/**
 * Aging (账龄分析), the seed's receivable classes (003) and the bad-debt provision matrix (坏账准备), as pure rules.
 * The server's SQL buckets rows with the same bounds; these functions are the reference it is tested against.
 *
 * Days past due: asOf − due date (basis 'due_date', the default) or asOf − invoice date (basis 'invoice_date'). A
 * day count ≤ 0 is "not due". Buckets and classes are both described by increasing upper bounds in days: bounds
 * [0, 30, 60] mean ≤ 0 ("not_due"), 1–30, 31–60 and over 60.
 */

export const AGING_BASES = ['due_date', 'invoice_date'] as const;
export type AgingBasis = (typeof AGING_BASES)[number];

/** Upper bounds (days past due, inclusive) of every bucket but the last, open-ended one. The first is always 0. */
export const DEFAULT_BUCKET_BOUNDS_DAYS: readonly number[] = [0, 30, 60, 90, 180, 365, 730];

export const RECEIVABLE_CLASSES = ['not_yet_due', 'in_collection', 'doubtful', 'bad', 'dead'] as const;
/** 未收款 not yet due, 催收款 in collection, 准呆账 doubtful, 呆账 bad, 死账 dead. */
export type ReceivableClass = (typeof RECEIVABLE_CLASSES)[number];

/** Upper bounds of the first four classes: not due / 1–90 / 91–365 / 366–730 / over 730 days past due. */
export const DEFAULT_CLASS_BOUNDS_DAYS: readonly number[] = [0, 90, 365, 730];

/**
 * Provision rates in basis points of the open amount (10000 bp = 100%). The seed's rule of thumb: debts within two
 * years recover about 80%, older ones about 20%. Read as expected losses that grow with age, not as a flat 20%:
 * not yet due carries no provision; in collection (≤ 90 days) mostly pays, 5%; doubtful (≤ 1 year) 20%, the seed's
 * "within two years" loss rate; bad (1–2 years) 50%, where the seed's two-year line is about to be crossed; dead
 * (over 2 years) 80%, the seed's "older ones recover about 20%".
 */
export type ProvisionMatrix = Record<ReceivableClass, number>;
export const DEFAULT_PROVISION_BP: ProvisionMatrix = {
  not_yet_due: 0,
  in_collection: 500,
  doubtful: 2000,
  bad: 5000,
  dead: 8000,
};

export type AgingSettings = {
  bucketBoundsDays: readonly number[];
  classBoundsDays: readonly number[];
  provisionBp: ProvisionMatrix;
};

export const DEFAULT_AGING_SETTINGS: AgingSettings = {
  bucketBoundsDays: DEFAULT_BUCKET_BOUNDS_DAYS,
  classBoundsDays: DEFAULT_CLASS_BOUNDS_DAYS,
  provisionBp: DEFAULT_PROVISION_BP,
};

/** Why a list of bounds is unusable, or null: starts at 0, strictly increasing whole days. */
export function boundsProblem(bounds: readonly number[]): string | null {
  if (bounds.length === 0 || bounds[0] !== 0) return 'The first bound must be 0 (not due)';
  for (let index = 0; index < bounds.length; index += 1) {
    const bound = bounds[index] ?? 0;
    if (!Number.isSafeInteger(bound) || bound < 0) return 'Bounds must be whole days';
    if (index > 0 && bound <= (bounds[index - 1] ?? 0)) return 'Bounds must increase strictly';
  }
  return null;
}

/** Bucket keys for bounds: [0, 30, 60] → "not_due", "1-30", "31-60", "over_60". */
export function bucketKeys(bounds: readonly number[]): string[] {
  const keys = ['not_due'];
  for (let index = 1; index < bounds.length; index += 1) {
    keys.push(`${(bounds[index - 1] ?? 0) + 1}-${bounds[index] ?? 0}`);
  }
  keys.push(`over_${bounds.at(-1) ?? 0}`);
  return keys;
}

/** The index of the first bound ≥ days, or bounds.length for the open-ended last range. */
export function rangeIndex(daysPastDue: number, bounds: readonly number[]): number {
  const index = bounds.findIndex((bound) => daysPastDue <= bound);
  return index === -1 ? bounds.length : index;
}

export function bucketKeyOf(daysPastDue: number, bounds: readonly number[]): string {
  return bucketKeys(bounds)[rangeIndex(daysPastDue, bounds)] ?? 'not_due';
}

export function classOf(daysPastDue: number, classBounds: readonly number[]): ReceivableClass {
  return RECEIVABLE_CLASSES[rangeIndex(daysPastDue, classBounds)] ?? 'dead';
}

/** The days range [from, to] (to null = open-ended) of range `index`; from null = "not due" (any day ≤ 0). */
export function rangeDays(
  index: number,
  bounds: readonly number[],
): { from: number | null; to: number | null } {
  if (index === 0) return { from: null, to: 0 };
  return { from: (bounds[index - 1] ?? 0) + 1, to: index < bounds.length ? (bounds[index] ?? 0) : null };
}

/**
 * Provision for one open item: round half up (open × rate / 10000) in minor units. Rounding is per invoice and the
 * per-invoice amounts are summed, so a report's total always equals the sum of its drill-down lines. Open amounts
 * are never negative (the ledger's invariant), so half up and half away from zero agree.
 */
export function provisionMinor(openMinor: bigint, rateBp: number): bigint {
  if (openMinor < 0n) throw new RangeError(`Open amount must not be negative: ${openMinor}`);
  if (!Number.isSafeInteger(rateBp) || rateBp < 0 || rateBp > 10_000) {
    throw new RangeError(`Provision rate must be 0..10000 bp: ${rateBp}`);
  }
  return (openMinor * BigInt(rateBp) + 5_000n) / 10_000n;
}
