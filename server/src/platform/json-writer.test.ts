import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyExponent, minorToDecimalString } from '@huikuan/core';
import { encodeJson, JsonWriter } from './json-writer';

describe('JsonWriter', () => {
  it('writes every exact amount as minorToDecimalString does, quoted, for 0, 2 and 3 decimals', () => {
    const amount = fc.oneof(
      fc.integer({ min: -1_000_000, max: 1_000_000 }),
      fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
      fc.constantFrom(0, 1, -1, 9, 10, 99, 100, -100, 101, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
    );
    fc.assert(
      fc.property(amount, fc.constantFrom('CNY', 'JPY', 'KWD', 'USD'), (minor, currency) => {
        const text = new JsonWriter().decimal(minor, currencyExponent(currency)).toBuffer().toString();
        expect(text).toBe(JSON.stringify(minorToDecimalString(BigInt(minor), currency)));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses an amount that is not an exact integer instead of printing it rounded', () => {
    expect(() => new JsonWriter().decimal(0.5, 2)).toThrow(/not an exact integer/);
    expect(() => new JsonWriter().decimal(2 ** 53, 2)).toThrow(/not an exact integer/);
  });

  it('writes a row of amounts as an object, each as decimal writes it, and refuses cells it does not have', () => {
    const keys = ['notDue', '1-30', '回款'].map((key) => encodeJson(`${JSON.stringify(key)}:`));
    const cells = Float64Array.from([7, 123456, -5, 9_007_199_254_740_991, 0]);
    const writer = new JsonWriter(4).raw('[');
    writer.amounts(keys, cells, 0, 2).raw(',').amounts(keys, cells, 2, 0).raw(']');
    expect(JSON.parse(writer.toBuffer().toString('utf8'))).toEqual([
      { notDue: '0.07', '1-30': '1234.56', 回款: '-0.05' },
      { notDue: '-5', '1-30': '9007199254740991', 回款: '0' },
    ]);
    expect(() => new JsonWriter().amounts(keys, cells, 3, 2)).toThrow(/outside 5 cells/);
    expect(() => new JsonWriter().amounts(keys, Float64Array.from([0.5, 1, 2]), 0, 2)).toThrow(
      /exact integer/,
    );
  });

  it('writes strings escaped as JSON.stringify does, in UTF-8, across buffer growth', () => {
    const writer = new JsonWriter().raw('[');
    const values = [
      '回款 "引号" \\ \n\t\u0001\u2028',
      'é ß 😀 𠀋 \ud800 lone',
      'x'.repeat(100_000),
      '',
      null,
    ];
    values.forEach((value, index) => {
      if (index > 0) writer.raw(',');
      writer.stringOrNull(value);
    });
    writer.raw(']');
    expect(JSON.parse(writer.toBuffer().toString('utf8'))).toEqual(values);
  });

  it('encodes raw text to the same UTF-8 bytes as Buffer does, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(new JsonWriter().raw(text).toBuffer()).toEqual(Buffer.from(text, 'utf8'));
      }),
      { numRuns: 2000 },
    );
  });

  it('copies encoded pieces of any length, short and long, across buffer growth', () => {
    const pieces = [1, 5, 24, 25, 200, 70_000].map((length, index) =>
      encodeJson(`"${'回'.repeat(length)}${index}"`),
    );
    const writer = new JsonWriter(16).raw('[');
    pieces.forEach((piece, index) => writer.raw(index === 0 ? '' : ',').bytes(piece));
    const parsed = JSON.parse(writer.raw(']').toBuffer().toString('utf8')) as string[];
    expect(parsed.map((text) => text.length)).toEqual([2, 6, 25, 26, 201, 70_001]);
  });
});
