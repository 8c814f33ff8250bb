import { isSupportedCurrency, parseMoney, type DecimalFormat, type MoneyParseFailure } from '../money';
import type { CalendarDate } from '../calendar-date';
import { parseDateText } from './dates';
import type { ImportIssue, RowReader } from './mapping';

/** How the file writes dates and numbers, and the currency of rows that name none. */
export type ImportOptions = { dateFormat: string; defaultCurrency: string; decimal: DecimalFormat };

const MONEY_REASONS: Record<MoneyParseFailure, string> = {
  empty: 'is empty',
  invalid_characters: 'is not a number',
  multiple_decimal_separators: 'has more than one decimal separator',
  too_many_decimal_places: 'has more decimal places than the currency allows',
  bad_thousands_grouping: 'has misplaced thousands separators',
  unsupported_currency: 'is in an unsupported currency',
};

/** Collects a row's problems; every cell is checked even after the first one fails, so one run shows them all. */
export class RowCheck {
  readonly issues: ImportIssue[] = [];
  constructor(readonly reader: RowReader) {}

  fail(field: string, message: string): void {
    this.issues.push({
      row: this.reader.row,
      line: this.reader.line,
      column: this.reader.column(field),
      message,
    });
  }

  required(field: string, maxLength = 200): string {
    const text = this.reader.text(field);
    if (text === '') this.fail(field, `${field} is required`);
    else if (text.length > maxLength) this.fail(field, `${field} is longer than ${maxLength} characters`);
    return text;
  }

  optional(field: string, maxLength = 500): string | null {
    const text = this.reader.text(field);
    if (text.length > maxLength) this.fail(field, `${field} is longer than ${maxLength} characters`);
    return text === '' ? null : text;
  }

  date(field: string, format: string, isRequired: boolean): CalendarDate | null {
    const text = this.reader.text(field);
    if (text === '') {
      if (isRequired) this.fail(field, `${field} is required`);
      return null;
    }
    const date = parseDateText(text, format);
    if (!date) this.fail(field, `"${text}" is not a date in the format ${format}`);
    return date;
  }

  currency(field: string, defaultCurrency: string): string | null {
    const text = this.reader.text(field).toUpperCase();
    const code = text === '' ? defaultCurrency : normalizeCurrency(text);
    if (!isSupportedCurrency(code)) {
      this.fail(field, `"${text || code}" is not a supported currency`);
      return null;
    }
    return code;
  }

  /** A positive amount in minor units; zero, negative and unreadable amounts are row errors, never zero. */
  amount(field: string, currency: string | null, decimal: DecimalFormat, isRequired: boolean): bigint | null {
    const text = this.reader.text(field);
    if (text === '' && !isRequired) return null;
    if (currency === null) return null;
    const parsed = parseMoney(text, currency, decimal);
    if (!parsed.ok) {
      this.fail(field, `${field} "${text}" ${MONEY_REASONS[parsed.reason]}`);
      return null;
    }
    if (parsed.value.amountMinor <= 0n) {
      this.fail(field, `${field} must be more than zero`);
      return null;
    }
    return parsed.value.amountMinor;
  }

  boolean(field: string): boolean {
    const text = this.reader.text(field).toLowerCase();
    if (TRUE_WORDS.has(text)) return true;
    if (FALSE_WORDS.has(text)) return false;
    this.fail(field, `"${text}" is not yes or no (use 是/否, yes/no, true/false or 1/0)`);
    return false;
  }

  integer(field: string, min: number, max: number): number | null {
    const text = this.reader.text(field);
    if (text === '') return null;
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
      this.fail(field, `${field} "${text}" must be a whole number from ${min} to ${max}`);
      return null;
    }
    return Number(text);
  }
}

const TRUE_WORDS = new Set(['是', 'y', 'yes', 'true', '1', '有', 'x', '✓']);
const FALSE_WORDS = new Set(['', '否', 'n', 'no', 'false', '0', '无']);

/** Chinese exports often name the currency in words. */
const CURRENCY_WORDS: Record<string, string> = {
  人民币: 'CNY',
  RMB: 'CNY',
  美元: 'USD',
  欧元: 'EUR',
  港币: 'HKD',
  港元: 'HKD',
  日元: 'JPY',
  英镑: 'GBP',
};

function normalizeCurrency(text: string): string {
  return Object.hasOwn(CURRENCY_WORDS, text) ? (CURRENCY_WORDS[text] ?? text) : text;
}
