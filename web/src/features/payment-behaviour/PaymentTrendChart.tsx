import type { PaymentBehaviourCurrency } from '@huikuan/core/contracts';
import { useMemo } from 'react';
import { useT } from '../../app/locale';
import { Chart, type ChartOption } from '../../ui/Chart';

/**
 * Days to pay and days late per month (amount-weighted, as the server computed them). A month without payments
 * is a gap in the lines, not a zero: nothing was paid, so nothing was paid late either.
 */
export function PaymentTrendChart({ section }: { section: PaymentBehaviourCurrency }) {
  const t = useT();
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 48, right: 16, top: 40, bottom: 32 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: section.trend.map((month) => month.month) },
      yAxis: { type: 'value', name: t('behaviour.trend.daysAxis'), min: 0 },
      series: [
        {
          type: 'line',
          name: t('behaviour.trend.daysToPay'),
          data: section.trend.map((month) => month.avgDaysToPay),
          connectNulls: false,
          symbolSize: 8,
        },
        {
          type: 'line',
          name: t('behaviour.trend.daysLate'),
          data: section.trend.map((month) => month.avgDaysLate),
          connectNulls: false,
          symbolSize: 8,
          itemStyle: { color: '#fa541c' },
        },
      ],
    }),
    [section, t],
  );
  return (
    <Chart
      option={option}
      ariaLabel={t('behaviour.trend.aria', { currency: section.currency })}
      height={280}
      testId="payment-trend-chart"
    />
  );
}
