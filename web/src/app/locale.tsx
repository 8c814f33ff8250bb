import type { Locale } from '@huikuan/core';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import {
  createContext,
  useCallback,
  useContext,
  useLayoutEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { setRequestLocale } from './api';
import { localeFromLanguageTag, translate, type Translate } from './i18n';
import { readStoredLocale, writeStoredLocale } from './i18n/stored-locale';
import { useSessionQuery } from './session';

type LocaleContextValue = {
  locale: Locale;
  t: Translate;
  /** Changes the interface language on this browser; saving it to the account is the caller's job. */
  setLocale: (locale: Locale) => void;
};

const LocaleContext = createContext<LocaleContextValue | null>(null);

function browserLocale(): Locale {
  return localeFromLanguageTag(typeof navigator === 'undefined' ? undefined : navigator.language);
}

/**
 * Picks the interface language, most specific first: the choice made on this browser, the choice saved on
 * the user's account, the organization's default, then the browser's language.
 */
export function LocaleProvider({ children }: { children: ReactNode }) {
  const { data: session } = useSessionQuery();
  const [choice, setChoice] = useState<Locale | null>(readStoredLocale);
  const locale = choice ?? session?.user.locale ?? session?.organization.locale ?? browserLocale();

  // Layout effect: runs before children's passive effects, so their first requests carry the right language.
  useLayoutEffect(() => {
    setRequestLocale(locale);
    document.documentElement.lang = locale;
    document.title = translate(locale, 'app.name');
    dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    writeStoredLocale(next);
    setChoice(next);
  }, []);

  const value = useMemo<LocaleContextValue>(
    () => ({ locale, setLocale, t: (key, params) => translate(locale, key, params) }),
    [locale, setLocale],
  );
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleContextValue {
  const value = useContext(LocaleContext);
  if (value === null) throw new Error('useLocale needs a LocaleProvider');
  return value;
}

export function useT(): Translate {
  return useLocale().t;
}
