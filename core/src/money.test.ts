import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMoney,
  allocateByWeights,
  currencyExponent,
  isSupportedCurrency,
  minorToDecimalString,
  money,
  moneyToDecimalString,
  parseMoney,
  parseMoneyOrThrow,
  subtractMoney,
  SUPPORTED_CURRENCIES,
  toChineseCapitalAmount,
  type DecimalFormat,
  type Money,
  type MoneyParseFailure,
} from './money';

const cny = (amountMinor: bigint): Money => ({ amountMinor, currency: 'CNY' });

function expectParsed(input: string, currency: string, amountMinor: bigint, format?: DecimalFormat): void {
  expect(parseMoney(input, currency, format)).toEqual({ ok: true, value: { amountMinor, currency } });
}

function expectRejected(input: string, currency: string, reason: MoneyParseFailure, format?: DecimalFormat) {
  expect(parseMoney(input, currency, format)).toEqual({ ok: false, reason });
}

describe('currencies', () => {
  it('knows the minor-unit exponent of CNY, JPY and KWD', () => {
    expect(currencyExponent('CNY')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
  });

  it('refuses to guess an exponent for an unknown currency', () => {
    expect(() => currencyExponent('XXX')).toThrow(RangeError);
    expect(() => currencyExponent('cny')).toThrow(RangeError);
  });

  it('does not mistake Object.prototype keys for currencies', () => {
    expect(isSupportedCurrency('toString')).toBe(false);
    expect(isSupportedCurrency('__proto__')).toBe(false);
    expect(() => currencyExponent('constructor')).toThrow(RangeError);
  });

  it('lists every supported currency as three upper-case letters', () => {
    expect(SUPPORTED_CURRENCIES).toContain('CNY');
    for (const code of SUPPORTED_CURRENCIES) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect(isSupportedCurrency(code)).toBe(true);
    }
  });
});

describe('money arithmetic', () => {
  it('builds money only in a supported currency', () => {
    expect(money(5n, 'CNY')).toEqual({ amountMinor: 5n, currency: 'CNY' });
    expect(() => money(5n, 'XXX')).toThrow(RangeError);
  });

  it('adds and subtracts exactly, beyond the range of a JS number', () => {
    const big = cny(9_007_199_254_740_993n);
    expect(addMoney(big, cny(1n))).toEqual(cny(9_007_199_254_740_994n));
    expect(subtractMoney(cny(10n), cny(25n))).toEqual(cny(-15n));
  });

  it('refuses to mix currencies', () => {
    expect(() => addMoney(cny(1n), money(1n, 'USD'))).toThrow(RangeError);
    expect(() => subtractMoney(cny(1n), money(1n, 'JPY'))).toThrow(RangeError);
  });
});

describe('parseMoney accepts human-written amounts', () => {
  it.each([
    ['94', 9400n],
    ['61.7', 6170n],
    ['1,234.56', 123456n],
    ['1,234,567.89', 123456789n],
    ['1234567.89', 123456789n],
    ['-0.05', -5n],
    ['0.10', 10n],
    ['1.230', 123n],
    ['1.00000', 100n],
    ['0', 0n],
    ['-0', 0n],
    ['0.00', 0n],
    ['007', 700n],
    ['  42.5  ', 4250n],
    ['- 3', -300n],
    ['123456789012345678901234.56', 12345678901234567890123456n],
  ])('CNY %j → %s minor units', (input, amountMinor) => {
    expectParsed(input, 'CNY', amountMinor);
  });

  it('reads full-width digits, separators, signs and spaces from Chinese spreadsheets', () => {
    expectParsed('１２３.４５', 'CNY', 12345n);
    expectParsed('１，２３４．５６', 'CNY', 123456n);
    expectParsed('－５', 'CNY', -500n);
    expectParsed('＋５', 'CNY', 500n);
    expectParsed('\u3000９４\u3000', 'CNY', 9400n);
    expectParsed('\u22125', 'CNY', -500n);
  });

  it('uses the currency exponent: JPY has none, KWD has three', () => {
    expectParsed('1,000', 'JPY', 1000n);
    expectParsed('1000.0', 'JPY', 1000n);
    expectParsed('1.234', 'KWD', 1234n);
    expectParsed('0.001', 'KWD', 1n);
    expectParsed('1.5', 'KWD', 1500n);
  });

  it('reads European and Swiss formats when told the separators', () => {
    expectParsed('1.234,56', 'CNY', 123456n, { decimalSeparator: ',' });
    expectParsed('1234,5', 'EUR', 123450n, { decimalSeparator: ',' });
    expectParsed('1 234,56', 'EUR', 123456n, { decimalSeparator: ',', thousandsSeparator: ' ' });
    expectParsed("1'234.50", 'CHF', 123450n, { thousandsSeparator: "'" });
    expectParsed('1234.50', 'CNY', 123450n, { thousandsSeparator: '' });
  });

  it('accepts a bare leading or trailing decimal point, and an explicit plus sign', () => {
    expectParsed('.5', 'CNY', 50n);
    expectParsed('-.5', 'CNY', -50n);
    expectParsed('5.', 'CNY', 500n);
    expectParsed('+5', 'CNY', 500n);
  });
});

describe('parseMoney rejects what it cannot read exactly, with the reason', () => {
  it('calls blank input empty', () => {
    expectRejected('', 'CNY', 'empty');
    expectRejected('   ', 'CNY', 'empty');
    expectRejected('\u3000', 'CNY', 'empty');
    expectRejected('\t\n', 'CNY', 'empty');
  });

  it('refuses more decimals than the currency has, instead of rounding', () => {
    expectRejected('1.234', 'CNY', 'too_many_decimal_places');
    expectRejected('0.001', 'CNY', 'too_many_decimal_places');
    expectRejected('1.5', 'JPY', 'too_many_decimal_places');
    expectRejected('1.2345', 'KWD', 'too_many_decimal_places');
  });

  it('refuses thousands groups that are not of three digits', () => {
    expectRejected('12,34.5', 'CNY', 'bad_thousands_grouping');
    expectRejected('1,2345', 'CNY', 'bad_thousands_grouping');
    expectRejected('1,234,56', 'CNY', 'bad_thousands_grouping');
    expectRejected('1234,567', 'CNY', 'bad_thousands_grouping');
    expectRejected(',123', 'CNY', 'bad_thousands_grouping');
    expectRejected(',', 'CNY', 'bad_thousands_grouping');
    expectRejected('1.5', 'CNY', 'bad_thousands_grouping', { decimalSeparator: ',' });
  });

  it('refuses a grouped number that starts with zero, such as a European 0,001', () => {
    expectRejected('0,001', 'CNY', 'bad_thousands_grouping');
    expectRejected('01,234', 'CNY', 'bad_thousands_grouping');
    expectRejected('0.500', 'CNY', 'bad_thousands_grouping', { decimalSeparator: ',' });
  });

  it('refuses more than one decimal separator', () => {
    expectRejected('1.2.3', 'CNY', 'multiple_decimal_separators');
    expectRejected('1,2,3', 'CNY', 'multiple_decimal_separators', { decimalSeparator: ',' });
  });

  it.each([
    'abc',
    '1e5',
    '12元',
    '¥12',
    'NaN',
    'Infinity',
    '-Infinity',
    '0x10',
    '0b1',
    '1_000',
    '1 000',
    '(5)',
  ])('refuses %j as invalid characters', (input) => {
    expectRejected(input, 'CNY', 'invalid_characters');
  });

  it('refuses digits from other scripts and a thousands separator inside the fraction', () => {
    expectRejected('\u0663', 'CNY', 'invalid_characters');
    expectRejected('1.2,3', 'CNY', 'invalid_characters');
  });

  it('refuses a lone point or sign instead of reading it as zero', () => {
    for (const input of ['.', '-', '+', '-.', '+.', '--5', '+-5', '-+5', '- ']) {
      const result = parseMoney(input, 'CNY');
      expect(result.ok, input).toBe(false);
    }
    expectRejected('.', 'CNY', 'invalid_characters');
    expectRejected('-', 'CNY', 'invalid_characters');
  });

  it('refuses an unsupported currency before looking at the amount', () => {
    expectRejected('1', 'XXX', 'unsupported_currency');
    expectRejected('', 'XXX', 'unsupported_currency');
    expectRejected('1', 'cny', 'unsupported_currency');
  });

  it('treats the same character as both separators as a programming error', () => {
    expect(() => parseMoney('1.000', 'CNY', { thousandsSeparator: '.' })).toThrow(RangeError);
    expect(() => parseMoney('1,000', 'CNY', { decimalSeparator: ',', thousandsSeparator: ',' })).toThrow(
      RangeError,
    );
  });
});

describe('parseMoneyOrThrow', () => {
  it('returns the amount or throws with the reason', () => {
    expect(parseMoneyOrThrow('1,000', 'JPY')).toEqual({ amountMinor: 1000n, currency: 'JPY' });
    expect(() => parseMoneyOrThrow('1.234', 'CNY')).toThrow(/too_many_decimal_places/);
    expect(() => parseMoneyOrThrow('', 'CNY')).toThrow(RangeError);
  });
});

describe('minorToDecimalString', () => {
  it.each([
    [12345n, 'CNY', '123.45'],
    [-5n, 'CNY', '-0.05'],
    [5n, 'CNY', '0.05'],
    [0n, 'CNY', '0.00'],
    [100n, 'CNY', '1.00'],
    [1000n, 'JPY', '1000'],
    [-7n, 'JPY', '-7'],
    [1n, 'KWD', '0.001'],
    [-1234n, 'KWD', '-1.234'],
    [12345678901234567890n, 'CNY', '123456789012345678.90'],
  ])('%s %s → %s', (amountMinor, currency, text) => {
    expect(minorToDecimalString(amountMinor, currency)).toBe(text);
    expect(moneyToDecimalString({ amountMinor, currency })).toBe(text);
  });

  it('refuses an unsupported currency', () => {
    expect(() => minorToDecimalString(1n, 'XXX')).toThrow(RangeError);
  });
});

const ROUND_TRIP_CURRENCIES = ['JPY', 'CNY', 'KWD'] as const;
const hugeBigInt = fc.bigInt({ min: -(2n ** 96n), max: 2n ** 96n });
const anyAmountMinor = fc.oneof(
  hugeBigInt,
  fc.bigInt({ min: -1000n, max: 1000n }),
  fc.constantFrom(0n, 1n, -1n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 10n ** 30n),
);

/** Test-side grouping, written independently of the code under test: 1234567 → "1,234,567". */
function groupThousands(digits: string, separator: string): string {
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end));
  return groups.join(separator);
}

describe('parseMoney properties', () => {
  it('round-trips every amount through minorToDecimalString, for exponents 0, 2 and 3', () => {
    fc.assert(
      fc.property(anyAmountMinor, fc.constantFrom(...ROUND_TRIP_CURRENCIES), (amountMinor, currency) => {
        const parsed = parseMoney(minorToDecimalString(amountMinor, currency), currency);
        expect(parsed).toEqual({ ok: true, value: { amountMinor, currency } });
      }),
      { numRuns: 500 },
    );
  });

  it('reads back amounts written with thousands separators', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 24n }),
        fc.bigInt({ min: 0n, max: 99n }),
        fc.boolean(),
        (whole, cents, isNegative) => {
          const text = `${isNegative ? '-' : ''}${groupThousands(whole.toString(), ',')}.${cents.toString().padStart(2, '0')}`;
          const expected = (whole * 100n + cents) * (isNegative ? -1n : 1n);
          expect(parseMoney(text, 'CNY')).toEqual({
            ok: true,
            value: { amountMinor: expected, currency: 'CNY' },
          });
          const european = text.replace(/,/g, ' ').replace('.', ',').replace(/ /g, '.');
          expect(parseMoney(european, 'EUR', { decimalSeparator: ',' })).toEqual({
            ok: true,
            value: { amountMinor: expected, currency: 'EUR' },
          });
        },
      ),
    );
  });

  const ASCII_DIGITS = '0123456789';
  const FULL_WIDTH_DIGITS = '０１２３４５６７８９';
  const isDigit = (ch: string) => ASCII_DIGITS.includes(ch) || FULL_WIDTH_DIGITS.includes(ch);
  const isZeroDigit = (ch: string) => ch === '0' || ch === '０';
  /** A representation of zero has at least one digit, and every digit in it is a zero. */
  const representsZero = (input: string) => {
    const digits = [...input].filter(isDigit);
    return digits.length > 0 && digits.every(isZeroDigit);
  };
  const moneyLikeChar = fc.constantFrom(
    ...[
      '0',
      '0',
      '0',
      '1',
      '5',
      '9',
      '.',
      ',',
      '-',
      '+',
      ' ',
      "'",
      '０',
      '１',
      '．',
      '，',
      '－',
      '\u3000',
      'e',
      'x',
    ],
  );

  it('never turns a string that is not a representation of zero into 0n', () => {
    const formats: DecimalFormat[] = [
      {},
      { decimalSeparator: ',' },
      { thousandsSeparator: ' ' },
      { thousandsSeparator: "'" },
      { thousandsSeparator: '' },
    ];
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: moneyLikeChar, maxLength: 12 }), fc.string({ unit: 'binary' })),
        fc.constantFrom(...ROUND_TRIP_CURRENCIES),
        fc.constantFrom(...formats),
        (input, currency, format) => {
          const result = parseMoney(input, currency, format);
          if (result.ok && result.value.amountMinor === 0n) expect(representsZero(input), input).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('returns a result for any input, never throwing with a valid currency and format', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (input) => {
        expect(typeof parseMoney(input, 'CNY').ok).toBe('boolean');
      }),
    );
  });
});

describe('allocateByWeights', () => {
  const amounts = (parts: Money[]) => parts.map((part) => part.amountMinor);

  it('gives the remainder by largest remainder, ties to the earlier part', () => {
    expect(amounts(allocateByWeights(cny(100n), [1n, 1n, 1n]))).toEqual([34n, 33n, 33n]);
    expect(amounts(allocateByWeights(cny(10000000000000000001n), [1n, 1n]))).toEqual([
      5000000000000000001n,
      5000000000000000000n,
    ]);
  });

  it('never gives a larger weight less than a smaller one', () => {
    // Exact shares 1/1001 and 1000/1001: the whole fen belongs to the second part.
    expect(amounts(allocateByWeights(cny(1n), [1n, 1000n]))).toEqual([0n, 1n]);
    // Exact shares 2/1002, 2/1002 and 1.996: the third part rounds up to 2.
    expect(amounts(allocateByWeights(cny(2n), [1n, 1n, 1000n]))).toEqual([0n, 0n, 2n]);
  });

  it('splits exactly when the weights divide the total', () => {
    expect(amounts(allocateByWeights(cny(10000n), [0n, 3n, 0n, 7n]))).toEqual([0n, 3000n, 0n, 7000n]);
    expect(amounts(allocateByWeights(cny(0n), [1n, 2n]))).toEqual([0n, 0n]);
  });

  it('splits negative totals as the mirror image of positive ones', () => {
    expect(amounts(allocateByWeights(cny(-100n), [1n, 1n, 1n]))).toEqual([-34n, -33n, -33n]);
    expect(amounts(allocateByWeights(cny(-1n), [1n, 0n, 1n]))).toEqual([-1n, 0n, 0n]);
  });

  it('keeps the currency of the total', () => {
    const parts = allocateByWeights(money(7n, 'JPY'), [1n, 2n]);
    expect(parts).toEqual([
      { amountMinor: 2n, currency: 'JPY' },
      { amountMinor: 5n, currency: 'JPY' },
    ]);
  });

  it('throws for no weights, negative weights or weights that add up to zero', () => {
    expect(() => allocateByWeights(cny(100n), [])).toThrow(RangeError);
    expect(() => allocateByWeights(cny(100n), [0n, 0n])).toThrow(RangeError);
    expect(() => allocateByWeights(cny(100n), [2n, -1n])).toThrow(RangeError);
    expect(() => allocateByWeights(cny(100n), [-1n])).toThrow(RangeError);
  });

  const awkwardTotal = fc.oneof(
    fc.constantFrom(1n, 7n, 10000000000000000001n, -1n, -7n, -10000000000000000001n, 0n),
    fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
  );
  const weightList = fc
    .array(
      fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 5n }), fc.bigInt({ min: 0n, max: 10n ** 20n })),
      {
        minLength: 1,
        maxLength: 12,
      },
    )
    .filter((weights) => weights.some((w) => w > 0n));

  it('always adds up to the total, gives zero weights zero, and stays within one unit of the exact share', () => {
    fc.assert(
      fc.property(awkwardTotal, weightList, (total, weights) => {
        const parts = amounts(allocateByWeights(cny(total), weights));
        const weightSum = weights.reduce((sum, w) => sum + w, 0n);
        expect(parts).toHaveLength(weights.length);
        expect(parts.reduce((sum, p) => sum + p, 0n)).toBe(total);
        parts.forEach((part, i) => {
          const weight = weights[i] ?? 0n;
          if (weight === 0n) expect(part).toBe(0n);
          // |part − total·w/Σw| < 1, in integers: |part·Σw − total·w| < Σw.
          const error = part * weightSum - total * weight;
          expect(error < weightSum && -error < weightSum).toBe(true);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('gives a larger weight at least as much, and splits −x as the negation of x', () => {
    fc.assert(
      fc.property(awkwardTotal, weightList, (total, weights) => {
        const parts = amounts(allocateByWeights(cny(total), weights));
        const mirrored = amounts(allocateByWeights(cny(-total), weights));
        expect(mirrored).toEqual(parts.map((p) => -p));
        const magnitudes = parts.map((p) => (p < 0n ? -p : p));
        weights.forEach((wi, i) => {
          weights.forEach((wj, j) => {
            if (wi > wj) expect((magnitudes[i] ?? 0n) >= (magnitudes[j] ?? 0n)).toBe(true);
          });
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('toChineseCapitalAmount (大写金额)', () => {
  it.each([
    [1234567n, '壹万贰仟叁佰肆拾伍元陆角柒分'],
    [1230000n, '壹万贰仟叁佰元整'],
    [0n, '零元整'],
    [5n, '伍分'],
    [1n, '壹分'],
    [50n, '伍角整'],
    [11n, '壹角壹分'],
    [100n, '壹元整'],
    [110n, '壹元壹角整'],
    [100010n, '壹仟元壹角整'],
    [100005n, '壹仟元零伍分'],
    [32504n, '叁佰贰拾伍元零肆分'],
    [1000500n, '壹万零伍元整'],
    [10000005n, '壹拾万元零伍分'],
    [10001000000n, '壹亿零壹万元整'],
    [10000400000n, '壹亿零肆仟元整'],
    [10500n, '壹佰零伍元整'],
    [101000n, '壹仟零壹拾元整'],
    [600714n, '陆仟零柒元壹角肆分'],
    [140950n, '壹仟肆佰零玖元伍角整'],
    [168032n, '壹仟陆佰捌拾元叁角贰分'],
    [10700053n, '壹拾万柒仟元伍角叁分'],
    [100400000n, '壹佰万肆仟元整'],
    [1001000n, '壹万零壹拾元整'],
    [11000000n, '壹拾壹万元整'],
    [1000n, '壹拾元整'],
    [20000000000n, '贰亿元整'],
    [100000000000000n, '壹万亿元整'],
    [66500000000000000n, '陆佰陆拾伍万亿元整'],
    [100010000000000n, '壹万零壹亿元整'],
    [123456789012345n, '壹万贰仟叁佰肆拾伍亿陆仟柒佰捌拾玖万零壹佰贰拾叁元肆角伍分'],
    [-101n, '负壹元零壹分'],
    [-50n, '负伍角整'],
  ])('%s fen → %s', (amountMinor, text) => {
    expect(toChineseCapitalAmount(cny(amountMinor))).toBe(text);
  });

  it('writes the largest amount it supports and refuses larger ones', () => {
    expect(toChineseCapitalAmount(cny(999999999999999999n))).toBe(
      '玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分',
    );
    expect(() => toChineseCapitalAmount(cny(10n ** 18n))).toThrow(RangeError);
  });

  it('refuses currencies without 角 and 分', () => {
    expect(() => toChineseCapitalAmount(money(100n, 'JPY'))).toThrow(RangeError);
    expect(() => toChineseCapitalAmount(money(1000n, 'KWD'))).toThrow(RangeError);
  });

  it('never doubles, trails or leads with 零, and ends in 整 or 分', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 18n - 1n }), (amountMinor) => {
        const text = toChineseCapitalAmount(cny(amountMinor));
        expect(text).toMatch(/^[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+$/);
        expect(text).not.toContain('零零');
        expect(text).not.toMatch(/^零|零[元万亿整]|零$/);
        expect(text).toMatch(/(元整|角整|分)$/);
        // 万 lives inside the 亿 section (陆佰陆拾伍万亿 is fine); a second 亿 would be the old 壹万亿贰仟亿 form.
        expect(text.split('亿').length).toBeLessThanOrEqual(2);
        expect(toChineseCapitalAmount(cny(-amountMinor))).toBe(`负${text}`);
      }),
      { numRuns: 500 },
    );
  });
});
