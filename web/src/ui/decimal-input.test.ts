import { describe, expect, it } from 'vitest';
import {
  bpToPercentText,
  isPositiveDecimalText,
  normalizeDecimalText,
  percentTextToBp,
} from './decimal-input';

describe('normalizeDecimalText', () => {
  it('turns full-width digits and grouping into the plain decimal the API takes', () => {
    expect(normalizeDecimalText('１２３.４５')).toBe('123.45');
    expect(normalizeDecimalText(' 1,234.56 ')).toBe('1234.56');
  });

  it('leaves anything else for validation to refuse rather than guessing', () => {
    expect(isPositiveDecimalText(normalizeDecimalText('1e5'))).toBe(false);
    expect(isPositiveDecimalText(normalizeDecimalText('0.00'))).toBe(false);
    expect(isPositiveDecimalText(normalizeDecimalText('61.7'))).toBe(true);
  });
});

describe('percent and basis points', () => {
  it('reads percentages digit by digit, without float rounding', () => {
    expect(percentTextToBp('30')).toBe(3000);
    expect(percentTextToBp('12.5')).toBe(1250);
    expect(percentTextToBp('0.07')).toBe(7);
    expect(percentTextToBp('33.333')).toBeNull();
  });

  it('writes basis points back as short percent text', () => {
    expect(bpToPercentText(1250)).toBe('12.5');
    expect(bpToPercentText(1300)).toBe('13');
    expect(bpToPercentText(7)).toBe('0.07');
  });
});
