import { Typography } from 'antd';
import { useLocale } from '../app/locale';
import { formatDecimalAmount } from './money-format';

type MoneyTextProps = {
  /** Exact decimal string as sent by the server, e.g. "1234.50". */
  amount: string;
  currency: string;
  withSymbol?: boolean;
};

/** Renders an amount exactly; malformed input is shown as-is in red so it gets noticed and fixed. */
export function MoneyText({ amount, currency, withSymbol = true }: MoneyTextProps) {
  const { locale } = useLocale();
  const text = formatDecimalAmount(amount, currency, locale, { withSymbol });
  if (text === null) {
    return (
      <Typography.Text type="danger" title={`${amount} ${currency}`}>
        {amount} {currency}
      </Typography.Text>
    );
  }
  return (
    <span
      style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
      title={`${amount} ${currency}`}
    >
      {text}
    </span>
  );
}
