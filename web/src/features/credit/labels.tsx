import type { Locale } from '@huikuan/core';
import type { CustomerCredit } from '@huikuan/core/contracts';
import { Tag } from 'antd';
import type { Translate } from '../../app/i18n';
import { useT } from '../../app/locale';
import { formatDecimalAmount } from '../../ui/money-format';

type HoldCause = CustomerCredit['causes'][number];

/** One sentence per hold cause, with the numbers behind it where the view has them. */
export function causeText(
  t: Translate,
  cause: HoldCause,
  credit: Pick<CustomerCredit, 'oldestOverdueDays' | 'openDisputes' | 'settings'>,
): string {
  switch (cause) {
    case 'over_limit':
      return t('credit.cause.over_limit');
    case 'overdue':
      return t('credit.cause.overdue', {
        days: credit.oldestOverdueDays ?? 0,
        limit: credit.settings.overdueHoldDays,
      });
    case 'dispute':
      return t('credit.cause.dispute', {
        amount: `${credit.openDisputes} ${credit.settings.disputeHoldCurrency}`,
      });
    case 'dunning':
      return t('credit.cause.dunning');
  }
}

export type CreditStatus = 'ok' | 'warning' | 'hold' | 'overridden';

export function creditStatusOf(row: { isOnHold: boolean; isOverridden: boolean; isWarning: boolean }) {
  if (row.isOnHold) return row.isOverridden ? 'overridden' : 'hold';
  return row.isWarning ? 'warning' : 'ok';
}

const STATUS_COLORS: Record<CreditStatus, string> = {
  ok: 'green',
  warning: 'gold',
  hold: 'red',
  overridden: 'orange',
};

export function CreditStatusTag({ status }: { status: CreditStatus }) {
  const t = useT();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="credit-status">
      {t(`credit.status.${status}`)}
    </Tag>
  );
}

/** "85.3%" from a fraction; the server decides, this only shows. */
export function percentText(share: number): string {
  return `${(Math.round(share * 1000) / 10).toString()}%`;
}

export function moneyText(amount: string, currency: string, locale: Locale): string {
  return formatDecimalAmount(amount, currency, locale, { withSymbol: true }) ?? `${amount} ${currency}`;
}
