import { periodRange } from '@huikuan/core';

/** This month as 'YYYY-MM' in the browser's calendar (the server decides what "today" is for the ledger). */
export function currentMonth(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
}

export function isPeriod(text: string): boolean {
  return periodRange(text) !== null;
}

export function isMonth(text: string): boolean {
  return periodRange(text)?.kind === 'month';
}

/** A fraction as a percentage with one decimal, '—' when there is none. */
export function percentText(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}

/**
 * An exact rate (a decimal fraction string such as "0.0026664") as a percentage, by moving the decimal point two
 * places on the digits, never through a float, so a statement shows the rate it really applied: "0.26664%".
 */
export function ratePercentText(rate: string): string {
  const isNegative = rate.startsWith('-');
  const [whole = '0', fraction = ''] = rate.replace('-', '').split('.');
  const digits = `${whole}${fraction.padEnd(2, '0')}`;
  const integerPart = digits.slice(0, whole.length + 2).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(whole.length + 2).replace(/0+$/, '');
  return `${isNegative ? '-' : ''}${integerPart}${rest === '' ? '' : `.${rest}`}%`;
}
