import { useMemo } from 'react';
import { useLocale } from '../../app/locale';
import type { AmountFormat } from './chart-options';

/** Axis and tooltip numbers in the interface language, two decimals (display only; tables show exact text). */
export function useAmountFormat(): AmountFormat {
  const { locale } = useLocale();
  return useMemo(() => {
    const format = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return (value: number) => format.format(value);
  }, [locale]);
}
