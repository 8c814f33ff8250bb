import type { Locale } from '@huikuan/core';
import { isLocale } from './index';

const STORAGE_KEY = 'huikuan.locale';

/** The user's explicit choice on this browser, which outranks every default. */
export function readStoredLocale(): Locale | null {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    // Storage can be blocked (private mode, strict settings); the app still works without it.
    return null;
  }
}

export function writeStoredLocale(locale: Locale): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // See readStoredLocale: losing the preference is acceptable, failing the switch is not.
  }
}
