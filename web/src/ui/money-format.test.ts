import { describe, expect, it } from 'vitest';
import { formatDecimalAmount } from './money-format';

describe('formatDecimalAmount', () => {
  it('keeps every digit of amounts beyond the range of a JS number', () => {
    expect(formatDecimalAmount('12345678901234567.89', 'CNY', 'zh-CN')).toBe('¥12,345,678,901,234,567.89');
  });

  it('pads the fraction to the currency exponent', () => {
    expect(formatDecimalAmount('61.7', 'CNY', 'zh-CN')).toBe('¥61.70');
    expect(formatDecimalAmount('5', 'KWD', 'en', { withSymbol: false })).toBe('5.000');
    expect(formatDecimalAmount('1000', 'JPY', 'en', { withSymbol: false })).toBe('1,000');
  });

  it('keeps the sign of negative amounts and drops it from zero', () => {
    expect(formatDecimalAmount('-0.05', 'CNY', 'zh-CN')).toBe('-¥0.05');
    expect(formatDecimalAmount('-0.00', 'CNY', 'zh-CN')).toBe('¥0.00');
  });

  it('refuses malformed amounts and unknown currencies instead of showing zero', () => {
    expect(formatDecimalAmount('', 'CNY', 'en')).toBeNull();
    expect(formatDecimalAmount('1e5', 'CNY', 'en')).toBeNull();
    expect(formatDecimalAmount('12.5', 'XYZ', 'en')).toBeNull();
  });
});
