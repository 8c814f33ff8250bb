import { describe, expect, it } from 'vitest';
import { percentText, ratePercentText } from './period';

describe('ratePercentText', () => {
  it('shows the exact rate a line applied, without float rounding', () => {
    expect(ratePercentText('0.01')).toBe('1%');
    expect(ratePercentText('0.008')).toBe('0.8%');
    expect(ratePercentText('0.002')).toBe('0.2%');
    expect(ratePercentText('0.02')).toBe('2%');
    // base 1 % × late ×0.5 × not caused by sales ×0.25: a rate percentText would show as "0.1%".
    expect(ratePercentText('0.00125')).toBe('0.125%');
    expect(ratePercentText('1.5')).toBe('150%');
    expect(ratePercentText('0')).toBe('0%');
    expect(ratePercentText('-0.005')).toBe('-0.5%');
  });

  it('keeps percentText for ratios, with a dash when there is none', () => {
    expect(percentText(0.48888)).toBe('48.9%');
    expect(percentText(null)).toBe('—');
  });
});
