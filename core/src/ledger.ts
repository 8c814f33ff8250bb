/**
 * Pure rules of the receivables ledger: invoice arithmetic, statuses derived from balances and dates, and the
 * oldest-due-first allocation plan. No I/O: the server feeds these with rows and stores what they decide.
 */
import { addDays, type CalendarDate } from './calendar-date';

/** Basis points: 1300 = 13.00 % (China's standard VAT rate). */
export type BasisPoints = number;

/** Quantities carry up to four decimals; they are kept as a scaled integer so line amounts stay exact. */
const QUANTITY_SCALE = 10_000n;

export function parseQuantity(text: string): bigint | null {
  const match = /^(\d{1,12})(?:\.(\d{1,4}))?$/.exec(text.trim());
  if (!match) return null;
  const [, whole = '0', fraction = ''] = match;
  return BigInt(whole) * QUANTITY_SCALE + BigInt(fraction.padEnd(4, '0'));
}

/** Rounds numerator / denominator to the nearest integer, halves away from zero (四舍五入). */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('Denominator must be positive');
  const isNegative = numerator < 0n;
  const absolute = isNegative ? -numerator : numerator;
  const rounded = (absolute * 2n + denominator) / (denominator * 2n);
  return isNegative ? -rounded : rounded;
}

export type InvoiceLineInput = { quantity: string; unitPriceMinor: bigint; taxRateBp: BasisPoints };
export type InvoiceLineAmounts = { amountMinor: bigint; taxMinor: bigint };

/** A line's net amount (quantity × unit price) and its tax, each rounded half-up to the minor unit. */
export function lineAmounts(line: InvoiceLineInput): InvoiceLineAmounts {
  const quantity = parseQuantity(line.quantity);
  if (quantity === null)
    throw new RangeError(`Quantity "${line.quantity}" must be a number with at most 4 decimals`);
  if (!Number.isInteger(line.taxRateBp) || line.taxRateBp < 0 || line.taxRateBp > 10_000) {
    throw new RangeError('Tax rate must be whole basis points from 0 to 10000');
  }
  const amountMinor = divideRoundHalfUp(quantity * line.unitPriceMinor, QUANTITY_SCALE);
  const taxMinor = divideRoundHalfUp(amountMinor * BigInt(line.taxRateBp), 10_000n);
  return { amountMinor, taxMinor };
}

export type InvoiceTotals = { subtotalMinor: bigint; taxMinor: bigint; totalMinor: bigint };

/** Tax is rounded per line, as on a Chinese VAT invoice (增值税发票), then summed. */
export function invoiceTotals(lines: readonly InvoiceLineInput[]): InvoiceTotals {
  let subtotalMinor = 0n;
  let taxMinor = 0n;
  for (const line of lines) {
    const amounts = lineAmounts(line);
    subtotalMinor += amounts.amountMinor;
    taxMinor += amounts.taxMinor;
  }
  return { subtotalMinor, taxMinor, totalMinor: subtotalMinor + taxMinor };
}

export function dueDateFromTerms(invoiceDate: CalendarDate, paymentTermsDays: number): CalendarDate {
  if (!Number.isInteger(paymentTermsDays) || paymentTermsDays < 0) {
    throw new RangeError('Payment terms must be a whole number of days, zero or more');
  }
  return addDays(invoiceDate, paymentTermsDays);
}

export type InvoiceStatus = 'draft' | 'issued' | 'partially_paid' | 'paid' | 'void';

/**
 * Status follows from the records, never stored beside them: an issued invoice is paid when nothing is open,
 * partially paid when some of its total was settled.
 */
export function invoiceStatus(input: {
  isIssued: boolean;
  isVoid: boolean;
  totalMinor: bigint;
  openMinor: bigint;
}): InvoiceStatus {
  if (input.isVoid) return 'void';
  if (!input.isIssued) return 'draft';
  if (input.openMinor <= 0n) return 'paid';
  return input.openMinor < input.totalMinor ? 'partially_paid' : 'issued';
}

/** 回款节点状态: 未到期 / 部分回款 / 已完成 / 已逾期. */
export type PlanNodeStatus = 'not_due' | 'partially_received' | 'completed' | 'overdue';

export function planNodeStatus(input: {
  amountMinor: bigint;
  receivedMinor: bigint;
  dueDate: CalendarDate | null;
  today: CalendarDate;
}): PlanNodeStatus {
  if (input.receivedMinor >= input.amountMinor) return 'completed';
  if (input.dueDate !== null && input.dueDate < input.today) return 'overdue';
  return input.receivedMinor > 0n ? 'partially_received' : 'not_due';
}

export type OpenItem = { id: string; dueDate: CalendarDate; openMinor: bigint };
export type AllocationLine = { id: string; amountMinor: bigint };

/**
 * Applies an amount to open items oldest due first (ties by id, so the plan is deterministic), never more than
 * an item's open balance. What cannot be placed stays unapplied.
 */
export function planOldestDueFirst(
  availableMinor: bigint,
  items: readonly OpenItem[],
): { lines: AllocationLine[]; unappliedMinor: bigint } {
  if (availableMinor < 0n) throw new RangeError('Available amount cannot be negative');
  const ordered = [...items]
    .filter((item) => item.openMinor > 0n)
    .sort((a, b) => (a.dueDate === b.dueDate ? (a.id < b.id ? -1 : 1) : a.dueDate < b.dueDate ? -1 : 1));
  const lines: AllocationLine[] = [];
  let remaining = availableMinor;
  for (const item of ordered) {
    if (remaining === 0n) break;
    const amountMinor = item.openMinor < remaining ? item.openMinor : remaining;
    lines.push({ id: item.id, amountMinor });
    remaining -= amountMinor;
  }
  return { lines, unappliedMinor: remaining };
}
