import { minorToDecimalString } from '@huikuan/core';
import {
  gatherOpenItems,
  NO_DAY,
  selectItems,
  type LedgerView,
  type OpenItems,
  type TenantLedger,
} from './ledger-cache';

/**
 * Loops over the ledger copy (ledger-cache.ts). Everything here is synchronous arithmetic on typed arrays; the
 * amounts are exact integers (see the bound kept by the copy), converted to bigint by the callers.
 */

/**
 * Each invoice's open amount at the end of `asOfDay` (0 when not yet dated, voided by then, or settled), by the
 * rules of receipts/balances.ts: an invoice counts from its invoice date unless voided on or before the day; its
 * reductions count from their own dates.
 */
export function openAt(ledger: TenantLedger, asOfDay: number): Float64Array {
  const open = new Float64Array(ledger.count);
  if (asOfDay >= ledger.latestDay) {
    for (let slot = 0; slot < ledger.count; slot += 1) open[slot] = ledger.openNow(slot);
    return open;
  }
  const { invoiceDay, voidDay, total } = ledger;
  const counts = new Uint8Array(ledger.count);
  for (let slot = 0; slot < ledger.count; slot += 1) {
    if ((invoiceDay[slot] ?? NO_DAY) <= asOfDay && (voidDay[slot] ?? 0) > asOfDay) {
      counts[slot] = 1;
      open[slot] = total[slot] ?? 0;
    }
  }
  const { mSlot, mDay, mAmount, mGeneration, generation } = ledger;
  for (let m = 0; m < ledger.movementCount; m += 1) {
    const slot = mSlot[m] ?? 0;
    if (counts[slot] === 1 && (mDay[m] ?? NO_DAY) <= asOfDay && mGeneration[m] === generation[slot]) {
      open[slot] = (open[slot] ?? 0) - (mAmount[m] ?? 0);
    }
  }
  return open;
}

/**
 * The open items at the end of `asOfDay` that the caller's selection lets through. On or after the latest day
 * anything is dated, that is the copy's kept list of today's open items (no derivation per call); before it,
 * openAt's derivation from every invoice and movement.
 */
export function openItemsAt(view: LedgerView, asOfDay: number): OpenItems {
  const { ledger, selected } = view;
  if (asOfDay >= ledger.latestDay) {
    const now = ledger.openNowItems();
    return selected === null ? now : selectItems(now, selected);
  }
  return gatherOpenItems(ledger, openAt(ledger, asOfDay), selected);
}

/** Whether the invoice's customer is in the caller's selection. */
export function isSelected(view: LedgerView, slot: number): boolean {
  return view.selected === null || view.selected[view.ledger.customer[slot] ?? 0] === 1;
}

/** Index of the range `days` falls in (core rangeIndex, without allocation). */
export function rangeOf(days: number, bounds: readonly number[]): number {
  let index = 0;
  while (index < bounds.length && days > (bounds[index] ?? 0)) index += 1;
  return index;
}

/**
 * Round half up of open × bp / 10,000 for 0 ≤ open, exactly in doubles: open = q·10,000 + r, so the result is
 * q·bp + ⌊(r·bp + 5,000) / 10,000⌋ and no intermediate exceeds the open amount or 10^8.
 */
export function provisionOf(openMinor: number, rateBp: number): number {
  const r = openMinor % 10_000;
  const q = (openMinor - r) / 10_000;
  return q * rateBp + Math.floor((r * rateBp + 5_000) / 10_000);
}

/** The calendar year of a day number, through a small table (no Date per item). */
export function yearTable(): (day: number) => number {
  const cache = new Map<number, number>();
  return (day) => {
    const key = Math.floor(day / 32);
    let start = cache.get(key);
    if (start === undefined) {
      start = new Date(key * 32 * 86_400_000).getUTCFullYear();
      cache.set(key, start);
    }
    // A 32-day block may straddle new year: decide by the day itself only then.
    const end = new Date((key * 32 + 31) * 86_400_000).getUTCFullYear();
    return start === end ? start : new Date(day * 86_400_000).getUTCFullYear();
  };
}

/** BigInt of an exact integer sum. */
export function toMinor(value: number): bigint {
  if (!Number.isSafeInteger(value)) throw new Error(`ledger copy: sum ${value} is not an exact integer`);
  return BigInt(value);
}

/**
 * minorToDecimalString for one currency, formatting amounts within ±2^53 with number arithmetic (a report of
 * 20,000 rows formats 180,000 amounts); anything larger goes through minorToDecimalString itself. Same output.
 */
export function decimalFormatter(currency: string): (amountMinor: bigint) => string {
  const sample = minorToDecimalString(1n, currency);
  const exponent = sample.includes('.') ? sample.length - sample.indexOf('.') - 1 : 0;
  const scale = 10 ** exponent;
  const zero = minorToDecimalString(0n, currency);
  const limit = BigInt(Number.MAX_SAFE_INTEGER);
  return (amountMinor) => {
    if (amountMinor === 0n) return zero;
    if (amountMinor > limit || amountMinor < -limit) return minorToDecimalString(amountMinor, currency);
    const value = Number(amountMinor);
    const magnitude = Math.abs(value);
    const fraction = magnitude % scale;
    const whole = (magnitude - fraction) / scale;
    const sign = value < 0 ? '-' : '';
    return exponent === 0 ? `${sign}${whole}` : `${sign}${whole}.${String(fraction).padStart(exponent, '0')}`;
  };
}

/** Today's (or any date's) open items on the due-date basis, summed per customer and currency. */
export type CustomerAges = {
  /** Index = customer index × currencies + currency index. */
  open: Float64Array;
  overdue: Float64Array;
  /** Largest days past due among the customer's open items (−NO_DAY when none). */
  oldestDays: Int32Array;
  overdueCount: Int32Array;
};

export function customerAges(view: LedgerView, asOfDay: number, items: OpenItems): CustomerAges {
  const { ledger } = view;
  const currencies = ledger.currencies.length;
  const size = ledger.customers.length * currencies;
  const ages: CustomerAges = {
    open: new Float64Array(size),
    overdue: new Float64Array(size),
    oldestDays: new Int32Array(size).fill(-NO_DAY),
    overdueCount: new Int32Array(size),
  };
  for (let item = 0; item < items.length; item += 1) {
    const amount = items.amounts[item] ?? 0;
    const cell = (items.customer[item] ?? 0) * currencies + (items.currency[item] ?? 0);
    const days = asOfDay - (items.dueDay[item] ?? 0);
    ages.open[cell] = (ages.open[cell] ?? 0) + amount;
    if (days > (ages.oldestDays[cell] ?? 0)) ages.oldestDays[cell] = days;
    if (days > 0) {
      ages.overdue[cell] = (ages.overdue[cell] ?? 0) + amount;
      ages.overdueCount[cell] = (ages.overdueCount[cell] ?? 0) + 1;
    }
  }
  return ages;
}

/** A table from age in days to the range index, for ages 1 … last bound (≤ 0 is range 0, beyond is the last). */
export function rangeTable(bounds: readonly number[]): (days: number) => number {
  const last = bounds.at(-1) ?? 0;
  const byAge = new Int16Array(last + 1);
  for (let age = 1; age <= last; age += 1) byAge[age] = rangeOf(age, bounds);
  return (days) => (days <= 0 ? 0 : days > last ? bounds.length : (byAge[days] ?? 0));
}

/** decimalFormatter for exact integer doubles (the ledger copy's sums), without a bigint per amount. */
export function numberFormatter(currency: string): (amountMinor: number) => string {
  const sample = minorToDecimalString(1n, currency);
  const exponent = sample.includes('.') ? sample.length - sample.indexOf('.') - 1 : 0;
  const scale = 10 ** exponent;
  const zero = minorToDecimalString(0n, currency);
  // ".00" … ".99" (or ".000" … for three decimals) once, not a padStart per amount.
  const fractions = Array.from({ length: scale }, (_, fraction) =>
    exponent === 0 ? '' : `.${String(fraction).padStart(exponent, '0')}`,
  );
  return (amountMinor) => {
    if (amountMinor === 0) return zero;
    if (!Number.isSafeInteger(amountMinor))
      throw new Error(`ledger copy: sum ${amountMinor} is not an exact integer`);
    const magnitude = amountMinor < 0 ? -amountMinor : amountMinor;
    const fraction = magnitude % scale;
    const text = `${(magnitude - fraction) / scale}${fractions[fraction] ?? ''}`;
    return amountMinor < 0 ? `-${text}` : text;
  };
}
