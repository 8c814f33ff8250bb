/**
 * The one Money type: integer minor units (bigint) plus an ISO 4217 currency.
 * Amounts never pass through a JS number, so 0.1 + 0.2 problems cannot exist here.
 */

export type CurrencyCode = string;

export type Money = { readonly amountMinor: bigint; readonly currency: CurrencyCode };

/** Minor-unit exponents. An unknown currency is an error, never a guessed exponent. */
const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = {
  CNY: 2,
  HKD: 2,
  MOP: 2,
  TWD: 2,
  USD: 2,
  EUR: 2,
  GBP: 2,
  SGD: 2,
  AUD: 2,
  CAD: 2,
  CHF: 2,
  MYR: 2,
  THB: 2,
  INR: 2,
  JPY: 0,
  KRW: 0,
  VND: 0,
  KWD: 3,
  BHD: 3,
  OMR: 3,
};

export const SUPPORTED_CURRENCIES: readonly CurrencyCode[] = Object.keys(CURRENCY_EXPONENTS);

export function isSupportedCurrency(code: string): boolean {
  return Object.hasOwn(CURRENCY_EXPONENTS, code);
}

export function currencyExponent(currency: CurrencyCode): number {
  // Own keys only: a plain lookup would find 'constructor' or 'toString' on Object.prototype.
  const exponent = isSupportedCurrency(currency) ? CURRENCY_EXPONENTS[currency] : undefined;
  if (exponent === undefined) throw new RangeError(`Unsupported currency: ${currency}`);
  return exponent;
}

export function money(amountMinor: bigint, currency: CurrencyCode): Money {
  currencyExponent(currency);
  return { amountMinor, currency };
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new RangeError(`Currency mismatch: ${a.currency} vs ${b.currency}`);
}

export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return { amountMinor: a.amountMinor + b.amountMinor, currency: a.currency };
}

export function subtractMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return { amountMinor: a.amountMinor - b.amountMinor, currency: a.currency };
}

/**
 * Splits an amount into parts proportional to integer weights by the largest-remainder method: every part
 * first gets its share rounded toward zero, then the minor units left over go one each to the parts whose
 * exact share lost the most (ties to the earlier part). The parts always add up to the whole, each is within
 * one minor unit of its exact share, a zero weight gets zero, and a larger weight never gets less.
 */
export function allocateByWeights(total: Money, weights: readonly bigint[]): Money[] {
  const weightSum = weights.reduce((sum, w) => sum + w, 0n);
  if (weights.length === 0 || weightSum <= 0n || weights.some((w) => w < 0n)) {
    throw new RangeError('Weights must be non-negative and add up to more than zero');
  }
  // Working on the magnitude keeps rounding symmetric: splitting -x gives exactly the negated parts of x.
  const isNegative = total.amountMinor < 0n;
  const magnitude = isNegative ? -total.amountMinor : total.amountMinor;
  const shares = weights.map((w) => (magnitude * w) / weightSum);
  const remainders = weights.map((w) => (magnitude * w) % weightSum);
  const leftover = magnitude - shares.reduce((sum, s) => sum + s, 0n);
  const byLargestRemainder = weights
    .map((_, index) => index)
    .sort((a, b) => compareBigIntDescending(remainders[a] ?? 0n, remainders[b] ?? 0n) || a - b);
  // leftover < weights.length, because each share lost less than one minor unit.
  for (const index of byLargestRemainder.slice(0, Number(leftover))) {
    shares[index] = (shares[index] ?? 0n) + 1n;
  }
  return shares.map((share) => ({ amountMinor: isNegative ? -share : share, currency: total.currency }));
}

function compareBigIntDescending(a: bigint, b: bigint): number {
  if (a === b) return 0;
  return a > b ? -1 : 1;
}

/** Exact decimal string for APIs and files: 12345 CNY minor → "123.45"; -5 → "-0.05". */
export function minorToDecimalString(amountMinor: bigint, currency: CurrencyCode): string {
  const exponent = currencyExponent(currency);
  const isNegative = amountMinor < 0n;
  const digits = (isNegative ? -amountMinor : amountMinor).toString().padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${isNegative ? '-' : ''}${whole}${fraction}`;
}

export function moneyToDecimalString(value: Money): string {
  return minorToDecimalString(value.amountMinor, value.currency);
}

export type MoneyParseFailure =
  | 'empty'
  | 'invalid_characters'
  | 'multiple_decimal_separators'
  | 'too_many_decimal_places'
  | 'bad_thousands_grouping'
  | 'unsupported_currency';

export type MoneyParseResult = { ok: true; value: Money } | { ok: false; reason: MoneyParseFailure };

export type DecimalFormat = {
  /** '.' (default) or ','. */
  decimalSeparator?: '.' | ',';
  /** ',' (default), '.', ' ', "'" or '' for none. */
  thousandsSeparator?: ',' | '.' | ' ' | "'" | '';
};

/** Full-width forms (common in Chinese spreadsheets) map to ASCII before parsing. */
function toHalfWidth(input: string): string {
  return input
    .replace(/[\uFF10-\uFF19]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/\uFF0E/g, '.')
    .replace(/\uFF0C/g, ',')
    .replace(/[\uFF0D\u2212]/g, '-')
    .replace(/\uFF0B/g, '+')
    .replace(/\u3000/g, ' ');
}

function escapeForRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Parses a human-written decimal amount exactly into minor units, or says why it cannot.
 * "94" → 9400, "61.7" → 6170, "1,234.56" → 123456, "１２３.４５" → 12345 (CNY). Nothing becomes zero silently.
 */
export function parseMoney(
  input: string,
  currency: CurrencyCode,
  format: DecimalFormat = {},
): MoneyParseResult {
  if (!isSupportedCurrency(currency)) return { ok: false, reason: 'unsupported_currency' };
  const decimalSeparator = format.decimalSeparator ?? '.';
  const thousandsSeparator = format.thousandsSeparator ?? (decimalSeparator === ',' ? '.' : ',');
  if (thousandsSeparator === decimalSeparator) {
    throw new RangeError(`The decimal and thousands separators are both "${decimalSeparator}"`);
  }
  const text = toHalfWidth(input).trim();
  if (text === '') return { ok: false, reason: 'empty' };
  const sign = text.startsWith('-') ? -1n : 1n;
  const unsigned = /^[+-]/.test(text) ? text.slice(1).trim() : text;
  const allowed = new RegExp(`^[0-9${escapeForRegExp(decimalSeparator + thousandsSeparator)}]+$`);
  if (!allowed.test(unsigned)) return { ok: false, reason: 'invalid_characters' };
  const parts = unsigned.split(decimalSeparator);
  if (parts.length > 2) return { ok: false, reason: 'multiple_decimal_separators' };
  const [wholeRaw = '', fraction = ''] = parts;
  const whole = stripGrouping(wholeRaw, thousandsSeparator);
  if (whole === null) return { ok: false, reason: 'bad_thousands_grouping' };
  if (!/^[0-9]*$/.test(fraction) || (whole === '' && fraction === '')) {
    return { ok: false, reason: 'invalid_characters' };
  }
  const exponent = currencyExponent(currency);
  const significantFraction = fraction.replace(/0+$/, '');
  if (significantFraction.length > exponent) return { ok: false, reason: 'too_many_decimal_places' };
  const minorDigits = (whole === '' ? '0' : whole) + significantFraction.padEnd(exponent, '0');
  return { ok: true, value: { amountMinor: sign * BigInt(minorDigits), currency } };
}

/**
 * Removes thousands separators, or returns null when the groups are not of three digits. A grouped number
 * never starts with 0: "0,001" is someone's 0.001 written with a comma, not one thousand minor units' worth.
 */
function stripGrouping(whole: string, separator: string): string | null {
  if (separator === '' || !whole.includes(separator)) return whole;
  const groups = whole.split(separator);
  const [first, ...rest] = groups;
  if (!first || first.length > 3 || first.startsWith('0') || rest.some((group) => group.length !== 3)) {
    return null;
  }
  return groups.join('');
}

export function parseMoneyOrThrow(input: string, currency: CurrencyCode, format?: DecimalFormat): Money {
  const result = parseMoney(input, currency, format);
  if (!result.ok) throw new RangeError(`Cannot parse amount "${input}": ${result.reason}`);
  return result.value;
}

const CAPITAL_DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
const SMALL_UNITS = ['', '拾', '佰', '仟'] as const;
/** 亿 before 万: 1_2345_0000_0000 is 壹万贰仟叁佰肆拾伍亿, with 万 inside the 亿 section, never 万亿. */
const SECTIONS = [
  { size: 100_000_000n, unit: '亿' },
  { size: 10_000n, unit: '万' },
] as const;
/** 9999万亿 is the largest amount written with 万 and 亿 alone. */
const CAPITAL_LIMIT_YUAN = 10n ** 16n;

/**
 * A positive whole number in capitals. Zeros at the end of a section are not written (壹佰万肆仟); zeros at
 * the start or inside a section, or whole zero sections, are written as one 零 (壹万零伍, 壹亿零肆仟).
 */
function integerToCapital(value: bigint): string {
  for (const { size, unit } of SECTIONS) {
    if (value < size) continue;
    const high = integerToCapital(value / size);
    const low = value % size;
    if (low === 0n) return `${high}${unit}`;
    const zero = low < size / 10n ? '零' : '';
    return `${high}${unit}${zero}${integerToCapital(low)}`;
  }
  return sectionToCapital(value.toString());
}

/** One section of up to four digits, without leading zeros: "1050" → 壹仟零伍拾. */
function sectionToCapital(digits: string): string {
  let text = '';
  let isZeroPending = false;
  for (let i = 0; i < digits.length; i += 1) {
    const digit = Number(digits[i]);
    if (digit === 0) {
      isZeroPending = true;
      continue;
    }
    if (isZeroPending) text += '零';
    isZeroPending = false;
    text += `${CAPITAL_DIGITS[digit]}${SMALL_UNITS[digits.length - 1 - i]}`;
  }
  return text;
}

/**
 * Amount in Chinese capital numerals as written on letters and receipts (大写金额), following the
 * People's Bank rules: 12345.67 → 壹万贰仟叁佰肆拾伍元陆角柒分; "整" after 元 or 角, never after 分.
 * The rules let a 零 be left out where 元 or 万 is zero but 角 or 仟 is not; it is left out here
 * (壹仟元壹角整, 壹佰万肆仟元整). A zero 角 before a non-zero 分 always takes 零 (壹仟元零伍分).
 */
export function toChineseCapitalAmount(value: Money): string {
  if (currencyExponent(value.currency) !== 2) {
    throw new RangeError('大写金额 is defined for currencies with 角 and 分 (two decimal places)');
  }
  const isNegative = value.amountMinor < 0n;
  const absolute = isNegative ? -value.amountMinor : value.amountMinor;
  const yuan = absolute / 100n;
  const jiao = Number((absolute / 10n) % 10n);
  const fen = Number(absolute % 10n);
  if (yuan >= CAPITAL_LIMIT_YUAN) throw new RangeError('Amount too large for 大写金额');
  if (absolute === 0n) return '零元整';
  let text = yuan > 0n ? `${integerToCapital(yuan)}元` : '';
  if (jiao > 0) text += `${CAPITAL_DIGITS[jiao]}角`;
  else if (fen > 0 && yuan > 0n) text += '零';
  text += fen > 0 ? `${CAPITAL_DIGITS[fen]}分` : '整';
  return `${isNegative ? '负' : ''}${text}`;
}

const ENGLISH_ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
] as const;
const ENGLISH_TENS = [
  '',
  '',
  'twenty',
  'thirty',
  'forty',
  'fifty',
  'sixty',
  'seventy',
  'eighty',
  'ninety',
] as const;
const ENGLISH_SCALES = ['', 'thousand', 'million', 'billion', 'trillion', 'quadrillion'] as const;

/** The unit names amounts are written with in English; other currencies use their code and "/100"-style minor units. */
const ENGLISH_UNITS: Readonly<Record<string, { major: string; minor: string }>> = {
  CNY: { major: 'yuan', minor: 'fen' },
  USD: { major: 'US dollars', minor: 'cents' },
  HKD: { major: 'Hong Kong dollars', minor: 'cents' },
  EUR: { major: 'euros', minor: 'cents' },
  GBP: { major: 'pounds sterling', minor: 'pence' },
  JPY: { major: 'yen', minor: '' },
};

/** 0–999 in words, American style without "and": 345 → "three hundred forty-five". */
function hundredsToEnglish(value: number): string {
  const hundreds = Math.floor(value / 100);
  const rest = value % 100;
  const parts: string[] = [];
  if (hundreds > 0) parts.push(`${ENGLISH_ONES[hundreds]} hundred`);
  if (rest >= 20) {
    const ones = rest % 10;
    const tens = ENGLISH_TENS[Math.floor(rest / 10)] ?? '';
    parts.push(ones === 0 ? tens : `${tens}-${ENGLISH_ONES[ones]}`);
  } else if (rest > 0 || hundreds === 0) {
    parts.push(ENGLISH_ONES[rest] ?? '');
  }
  return parts.join(' ');
}

/** A whole number in words: 12345 → "twelve thousand three hundred forty-five". */
export function integerToEnglishWords(value: bigint): string {
  if (value < 0n) return `minus ${integerToEnglishWords(-value)}`;
  if (value === 0n) return 'zero';
  const groups: string[] = [];
  let rest = value;
  for (let scale = 0; rest > 0n; scale += 1) {
    const group = Number(rest % 1000n);
    rest /= 1000n;
    if (group === 0) continue;
    const unit = ENGLISH_SCALES[scale];
    if (unit === undefined) throw new RangeError('Amount too large to write in words');
    groups.unshift(unit === '' ? hundredsToEnglish(group) : `${hundredsToEnglish(group)} ${unit}`);
  }
  return groups.join(' ');
}

/**
 * The English counterpart of 大写金额 on letters: 12345.67 CNY → "twelve thousand three hundred forty-five yuan and
 * sixty-seven fen"; a whole amount ends in "only" as cheques do ("one hundred yuan only"). Currencies without unit
 * names here are written with their code: "one thousand KWD and 500/1000".
 */
export function toEnglishAmountWords(value: Money): string {
  const exponent = currencyExponent(value.currency);
  const isNegative = value.amountMinor < 0n;
  const absolute = isNegative ? -value.amountMinor : value.amountMinor;
  const scale = 10n ** BigInt(exponent);
  const major = absolute / scale;
  const minor = absolute % scale;
  const units = ENGLISH_UNITS[value.currency];
  const sign = isNegative ? 'minus ' : '';
  if (!units) {
    const fraction = minor === 0n ? ' only' : ` and ${minor.toString()}/${scale.toString()}`;
    return `${sign}${integerToEnglishWords(major)} ${value.currency}${fraction}`;
  }
  if (minor === 0n) return `${sign}${integerToEnglishWords(major)} ${units.major} only`;
  if (major === 0n) return `${sign}${integerToEnglishWords(minor)} ${units.minor}`;
  return `${sign}${integerToEnglishWords(major)} ${units.major} and ${integerToEnglishWords(minor)} ${units.minor}`;
}
