import type { FormRule } from 'antd';
import type { Translate } from '../app/i18n';

const FULL_WIDTH_DIGITS = /[\uFF10-\uFF19\uFF0E]/g;

/**
 * Tidies what a person typed into the exact decimal text the server expects, without ever making it a
 * number: full-width digits become ASCII, spaces and thousands separators go. Anything still not a plain
 * decimal is left for the validation rule (and the server) to refuse, never guessed at.
 */
export function normalizeDecimalText(text: string): string {
  return text
    .replace(FULL_WIDTH_DIGITS, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0))
    .replace(/[\s,，\u3000]/g, '');
}

const POSITIVE_DECIMAL = /^\d+(\.\d+)?$/;

export function isPositiveDecimalText(text: string): boolean {
  return POSITIVE_DECIMAL.test(text) && /[1-9]/.test(text);
}

const isBlank = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** Rules for an amount field holding a positive exact decimal; blank is left to the required rule. */
export function amountRules(t: Translate, options: { required?: boolean } = {}): FormRule[] {
  return [
    { required: options.required ?? true, message: t('validation.required') },
    {
      validator: (_rule, value: unknown) =>
        isBlank(value) || (typeof value === 'string' && isPositiveDecimalText(normalizeDecimalText(value)))
          ? Promise.resolve()
          : Promise.reject(new Error(t('validation.amount'))),
    },
  ];
}

const PERCENT_PATTERN = /^(\d{1,3})(?:\.(\d{1,2}))?$/;

/**
 * "30" or "12.5" percent → basis points (3000, 1250), by reading the digits rather than multiplying a float.
 * Null when the text is not a percentage with at most two decimals.
 */
export function percentTextToBp(text: string): number | null {
  const match = PERCENT_PATTERN.exec(normalizeDecimalText(text));
  if (match === null) return null;
  const whole = Number.parseInt(match[1] ?? '0', 10);
  const fraction = Number.parseInt((match[2] ?? '').padEnd(2, '0'), 10);
  return whole * 100 + fraction;
}

/** Basis points → percent text: 1250 → "12.5". */
export function bpToPercentText(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const fraction = String(bp % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return fraction === '' ? String(whole) : `${whole}.${fraction}`;
}

export function percentRules(t: Translate, options: { max: number; required?: boolean }): FormRule[] {
  return [
    { required: options.required ?? true, message: t('validation.required') },
    {
      validator: (_rule, value: unknown) => {
        const bp = typeof value === 'string' ? percentTextToBp(value) : null;
        return isBlank(value) || (bp !== null && bp <= options.max * 100)
          ? Promise.resolve()
          : Promise.reject(new Error(t('validation.percent')));
      },
    },
  ];
}
