import { parseMoney } from '@huikuan/core';
import { AppError } from './errors';

export type AmountRule = 'positive' | 'non_negative';

/**
 * Parses a decimal amount from a request in a currency, or fails with a 400 whose issue names the field. Money is
 * never guessed: a malformed, negative or (where required) zero amount is refused, never turned into zero.
 */
export function amountMinorOrThrow(
  text: string,
  currency: string,
  path: string,
  rule: AmountRule = 'positive',
): bigint {
  const parsed = parseMoney(text, currency);
  if (!parsed.ok) {
    throw new AppError('validation_failed', {}, [
      { path, message: `Not an exact ${currency} amount (${parsed.reason})` },
    ]);
  }
  const amountMinor = parsed.value.amountMinor;
  if (amountMinor < 0n || (rule === 'positive' && amountMinor === 0n)) {
    throw new AppError('validation_failed', {}, [
      { path, message: rule === 'positive' ? 'Must be more than zero' : 'Cannot be negative' },
    ]);
  }
  return amountMinor;
}
