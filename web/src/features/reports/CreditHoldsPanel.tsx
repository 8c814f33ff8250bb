import type { CreditHoldRow } from '@huikuan/core/contracts';
import { Card, Flex, List, Typography } from 'antd';
import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import { useLocale } from '../../app/locale';
import { Chart, type ChartOption } from '../../ui/Chart';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useCreditHolds } from '../credit/api';
import { CreditStatusTag, creditStatusOf } from '../credit/labels';

/** How many held customers the panel names; the rest are one click away on the holds page. */
const NAMED_CUSTOMERS = 5;

/**
 * Credit holds (停止供货) of the customers in the viewer's scope, as of today: counts on hold, released by an approved
 * override and warned, and the first held customers. Holds are a present-tense state evaluated live, so the
 * dashboard's as-of date and salesperson filters do not apply here; every bar opens the holds page.
 */
export function CreditHoldsPanel() {
  const { t } = useLocale();
  const navigate = useNavigate();
  const holds = useCreditHolds('hold');
  const firstPage = holds.data?.pages[0];
  const summary = firstPage?.summary;
  const option = useMemo((): ChartOption => {
    const counts = summary ?? { onHold: 0, overridden: 0, warning: 0 };
    return {
      grid: { left: 96, right: 24, top: 8, bottom: 24 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: {
        type: 'category',
        data: [
          t('credit.holds.status.hold'),
          t('reports.holds.overridden'),
          t('credit.holds.status.warning'),
        ],
      },
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'bar',
          name: t('reports.holds.title'),
          data: [
            { value: counts.onHold - counts.overridden, itemStyle: { color: '#cf1322' } },
            { value: counts.overridden, itemStyle: { color: '#fa8c16' } },
            { value: counts.warning, itemStyle: { color: '#fadb14' } },
          ],
        },
      ],
    };
  }, [summary, t]);
  const named: CreditHoldRow[] = firstPage?.items.slice(0, NAMED_CUSTOMERS) ?? [];
  return (
    <Card
      title={t('reports.holds.title')}
      data-testid="credit-holds-panel"
      extra={<Link to="/credit-holds">{t('reports.holds.all')}</Link>}
    >
      {holds.isError ? <ErrorAlert error={holds.error} onRetry={() => void holds.refetch()} /> : null}
      <Flex vertical gap={8}>
        <Chart
          option={option}
          height={140}
          ariaLabel={t('reports.holds.title')}
          testId="chart-credit-holds"
          onItemClick={() => void navigate('/credit-holds')}
        />
        {firstPage !== undefined && named.length === 0 ? (
          <Typography.Text type="secondary">{t('credit.holds.empty')}</Typography.Text>
        ) : (
          <List<CreditHoldRow>
            size="small"
            dataSource={named}
            renderItem={(row) => (
              <List.Item extra={<CreditStatusTag status={creditStatusOf(row)} />}>
                <Link to={`/customers/${row.customerId}`}>{`${row.code} · ${row.name}`}</Link>
              </List.Item>
            )}
          />
        )}
      </Flex>
    </Card>
  );
}
