import { LOCALES, SUPPORTED_CURRENCIES, type Locale } from '@huikuan/core';

export type Option<T extends string> = { value: T; label: string };

/** Language names are written in their own language so anyone can find theirs. */
const LOCALE_NAMES: Record<Locale, string> = { 'zh-CN': '中文', en: 'English' };

export function localeOptions(): Option<Locale>[] {
  return LOCALES.map((locale) => ({ value: locale, label: LOCALE_NAMES[locale] }));
}

export function currencyOptions(displayLocale: Locale): Option<string>[] {
  const names = new Intl.DisplayNames(displayLocale, { type: 'currency' });
  return SUPPORTED_CURRENCIES.map((code) => ({ value: code, label: `${code} · ${names.of(code) ?? code}` }));
}

let cachedTimeZones: Option<string>[] | null = null;

/** IANA zones known to this browser, always including the default and UTC (some lists omit them). */
export function timeZoneOptions(): Option<string>[] {
  if (cachedTimeZones) return cachedTimeZones;
  const zones = new Set(['Asia/Shanghai', 'UTC', ...Intl.supportedValuesOf('timeZone')]);
  cachedTimeZones = [...zones].sort().map((zone) => ({ value: zone, label: zone }));
  return cachedTimeZones;
}
