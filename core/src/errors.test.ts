import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG, errorMessage, errorStatus, LOCALES, pickLocale, type ErrorCode } from './errors';

const CODES = Object.keys(ERROR_CATALOG) as ErrorCode[];
const placeholdersOf = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('ERROR_CATALOG', () => {
  it('supports exactly zh-CN and en', () => {
    expect(LOCALES).toEqual(['zh-CN', 'en']);
  });

  it.each(CODES)(
    '%s has a 4xx/5xx status and a message in every locale with the same placeholders',
    (code) => {
      const status = errorStatus(code);
      expect(Number.isInteger(status)).toBe(true);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThanOrEqual(599);
      const messages: Record<string, string> = ERROR_CATALOG[code].messages;
      expect(Object.keys(messages).sort()).toEqual([...LOCALES].sort());
      for (const locale of LOCALES) expect(messages[locale]?.trim()).not.toBe('');
      expect(placeholdersOf(ERROR_CATALOG[code].messages.en)).toEqual(
        placeholdersOf(ERROR_CATALOG[code].messages['zh-CN']),
      );
    },
  );

  it('maps the common codes to their HTTP statuses', () => {
    expect(errorStatus('validation_failed')).toBe(400);
    expect(errorStatus('unauthenticated')).toBe(401);
    expect(errorStatus('forbidden')).toBe(403);
    expect(errorStatus('not_found')).toBe(404);
    expect(errorStatus('conflict')).toBe(409);
    expect(errorStatus('rate_limited')).toBe(429);
    expect(errorStatus('internal')).toBe(500);
  });

  it('uses only snake_case codes', () => {
    for (const code of CODES) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });
});

describe('errorMessage', () => {
  it('fills placeholders in both locales', () => {
    expect(errorMessage('account_locked', 'en', { minutes: 15 })).toBe(
      'Too many failed sign-ins; the account is locked for 15 minutes',
    );
    expect(errorMessage('account_locked', 'zh-CN', { minutes: 15 })).toBe(
      '登录失败次数过多，账户已锁定，请在 15 分钟后重试',
    );
    expect(errorMessage('not_found', 'zh-CN', { entity: '客户' })).toBe('未找到客户');
    expect(errorMessage('email_taken', 'en', { email: 'li@example.cn' })).toBe(
      'The email li@example.cn is already used in this organization',
    );
  });

  it('returns messages without placeholders unchanged', () => {
    expect(errorMessage('unauthenticated', 'zh-CN')).toBe('请先登录');
    expect(errorMessage('unauthenticated', 'en', { unused: 'x' })).toBe('Please sign in');
  });

  it('leaves a placeholder visible when its parameter is missing, rather than printing undefined', () => {
    expect(errorMessage('not_found', 'en')).toBe('{entity} not found');
  });

  it('inserts parameter values literally, without re-expanding or replacement patterns', () => {
    expect(errorMessage('bad_request', 'en', { detail: '{detail} $& $1' })).toBe(
      'Bad request: {detail} $& $1',
    );
    expect(errorMessage('conflict', 'en', { detail: 0 })).toBe('0');
  });
});

describe('pickLocale', () => {
  it.each([
    ['en-GB,en;q=0.9', 'en'],
    ['en', 'en'],
    ['EN-us', 'en'],
    ['zh-TW', 'zh-CN'],
    ['zh-Hant-HK,zh;q=0.9', 'zh-CN'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    [' en-US , zh;q=0.5', 'en'],
  ] as const)('%j → %s', (header, locale) => {
    expect(pickLocale(header)).toBe(locale);
  });

  it('falls back when there is no header or no supported language', () => {
    expect(pickLocale(undefined)).toBe('zh-CN');
    expect(pickLocale(undefined, 'en')).toBe('en');
    expect(pickLocale('', 'en')).toBe('en');
    expect(pickLocale('fr-FR', 'en')).toBe('en');
    expect(pickLocale('*')).toBe('zh-CN');
    expect(pickLocale('english', 'zh-CN')).toBe('zh-CN');
  });

  it('looks past an unsupported first choice to a supported later one', () => {
    expect(pickLocale('fr-FR,en;q=0.8')).toBe('en');
    expect(pickLocale('ja,zh-CN;q=0.7', 'en')).toBe('zh-CN');
  });

  it('orders by q-value, not by position, and keeps header order on ties', () => {
    expect(pickLocale('en;q=0.5,zh;q=0.9')).toBe('zh-CN');
    expect(pickLocale('en-US;q=0.9,zh-CN;q=0.9')).toBe('en');
  });

  it('treats q=0 and malformed q-values as not acceptable', () => {
    expect(pickLocale('zh;q=0,en')).toBe('en');
    expect(pickLocale('en;q=0', 'zh-CN')).toBe('zh-CN');
    expect(pickLocale('en;q=abc,zh')).toBe('zh-CN');
    expect(pickLocale('zh;q=2,en;q=0.1')).toBe('en');
  });
});
