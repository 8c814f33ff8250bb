import { currencyExponent, type Locale } from '@huikuan/core';

const DECIMAL_PATTERN = /^(-)?(\d+)(?:\.(\d+))?$/;

type Separators = { group: string; decimal: string };

const separatorCache = new Map<Locale, Separators>();

function separatorsOf(locale: Locale): Separators {
  const cached = separatorCache.get(locale);
  if (cached) return cached;
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  const separators = {
    group: parts.find((part) => part.type === 'group')?.value ?? ',',
    decimal: parts.find((part) => part.type === 'decimal')?.value ?? '.',
  };
  separatorCache.set(locale, separators);
  return separators;
}

/** The locale's symbol for a currency, e.g. ¥ in zh-CN and CN¥ in en for CNY. */
export function currencySymbol(currency: string, locale: Locale): string {
  try {
    const parts = new Intl.NumberFormat(locale, { style: 'currency', currency }).formatToParts(0);
    return parts.find((part) => part.type === 'currency')?.value ?? currency;
  } catch {
    return currency;
  }
}

function groupDigits(digits: string, separator: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/**
 * Formats an exact decimal amount string ("1234567.5") for display without ever passing through a JS number,
 * so no digit is lost or rounded: the fraction is padded to the currency's exponent and extra non-zero digits
 * are kept rather than rounded away. Returns null for text that is not a decimal or an unknown currency —
 * malformed money must be visible, never shown as zero.
 */
export function formatDecimalAmount(
  amount: string,
  currency: string,
  locale: Locale,
  options: { withSymbol?: boolean } = {},
): string | null {
  const match = DECIMAL_PATTERN.exec(amount.trim());
  if (!match) return null;
  let exponent: number;
  try {
    exponent = currencyExponent(currency);
  } catch {
    return null;
  }
  const [, minus, wholeRaw = '0', fractionRaw = ''] = match;
  const whole = wholeRaw.replace(/^0+(?=\d)/, '');
  const fraction = fractionRaw.replace(/0+$/, '').padEnd(exponent, '0');
  const isZero = /^0*$/.test(whole + fraction);
  const { group, decimal } = separatorsOf(locale);
  const sign = minus && !isZero ? '-' : '';
  const symbol = options.withSymbol === false ? '' : currencySymbol(currency, locale);
  const fractionText = fraction === '' ? '' : `${decimal}${fraction}`;
  return `${sign}${symbol}${groupDigits(whole, group)}${fractionText}`;
}
