import { describe, expect, it } from 'vitest';
import { SLUG_PATTERN, suggestSlug } from './slug';

describe('suggestSlug', () => {
  it('turns a Latin name into a valid slug', () => {
    const slug = suggestSlug('  Acme Trading (Shanghai) Co., Ltd. ');
    expect(slug).toBe('acme-trading-shanghai-co-ltd');
    expect(SLUG_PATTERN.test(slug)).toBe(true);
  });

  it('keeps the Latin part of a mixed name and drops Chinese characters', () => {
    expect(suggestSlug('华东 ABC 贸易')).toBe('abc');
    expect(suggestSlug('华东贸易')).toBe('');
  });

  it('never ends with a hyphen after truncation', () => {
    const slug = suggestSlug(`${'a'.repeat(39)} b`);
    expect(slug.length).toBeLessThanOrEqual(40);
    expect(slug.endsWith('-')).toBe(false);
  });
});
