import type { SalesContractDetail } from '@huikuan/core/contracts';
import { Card, Col, Row, Statistic } from 'antd';
import { useMemo } from 'react';
import type { MessageKey } from '../../app/i18n';
import { useT } from '../../app/locale';
import { Chart, type ChartOption } from '../../ui/Chart';
import { MoneyText } from '../../ui/MoneyText';

type Figure = { key: keyof SalesContractDetail['planVsActual']; labelKey: MessageKey };

const FIGURES: readonly Figure[] = [
  { key: 'contractAmount', labelKey: 'planVsActual.contractAmount' },
  { key: 'plannedTotal', labelKey: 'planVsActual.plannedTotal' },
  { key: 'invoicedTotal', labelKey: 'planVsActual.invoicedTotal' },
  { key: 'creditedTotal', labelKey: 'planVsActual.creditedTotal' },
  { key: 'receivedTotal', labelKey: 'planVsActual.receivedTotal' },
  { key: 'unplannedGap', labelKey: 'planVsActual.unplannedGap' },
];

/**
 * 计划 vs 实际: the server's exact figures as numbers, and per node a bar of planned against received. The bars
 * get the decimal strings as they are; ECharts reads them only to draw, and nothing is added up here.
 */
export function PlanVsActual({ contract }: { contract: SalesContractDetail }) {
  const t = useT();
  const figures = contract.planVsActual;
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('planVsActual.planned'), t('planVsActual.received')] },
      grid: { left: 72, right: 16, bottom: 32, top: 40 },
      xAxis: { type: 'category', data: contract.planNodes.map((node) => node.name) },
      yAxis: { type: 'value' },
      series: [
        { name: t('planVsActual.planned'), type: 'bar', data: contract.planNodes.map((node) => node.amount) },
        {
          name: t('planVsActual.received'),
          type: 'bar',
          data: contract.planNodes.map((node) => node.received),
          itemStyle: { color: '#52c41a' },
        },
      ],
    }),
    [contract.planNodes, t],
  );
  return (
    <Card title={t('planVsActual.title', { date: contract.asOf })}>
      <Row gutter={[16, 16]} data-testid="plan-vs-actual">
        {FIGURES.map((figure) => (
          <Col key={figure.key} xs={12} md={8} xl={4}>
            <Statistic
              title={t(figure.labelKey)}
              valueRender={() => (
                <span data-testid={`pva-${figure.key}`}>
                  <MoneyText amount={figures[figure.key]} currency={contract.currency} />
                </span>
              )}
            />
          </Col>
        ))}
      </Row>
      {contract.planNodes.length > 0 ? (
        <Chart
          option={option}
          ariaLabel={t('planVsActual.chartLabel')}
          height={240}
          testId="plan-vs-actual-chart"
        />
      ) : null}
    </Card>
  );
}
