import {
  AGING_DIMENSIONS,
  AGING_VIEWS,
  DISPUTED_COLUMN,
  agingColumnLabel,
  type AgingReport,
} from '@huikuan/core/contracts';
import { Card, DatePicker, Empty, Flex, Segmented, Select, Skeleton, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useLocale } from '../../app/locale';
import { Chart } from '../../ui/Chart';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useToday } from '../../ui/form-date';
import { Page } from '../../ui/Page';
import { useAgingReport, type AgingItemsQuery } from './api';
import { AgingItemsDrawer } from './AgingItemsDrawer';
import { AgingTable, useGroupLabel } from './AgingTable';
import { groupStackClick, groupStackOption } from './chart-options';
import {
  agingStateFrom,
  toSearch,
  type AgingPageState,
  type DrillTarget,
  type ReportFilters,
} from './report-filters';
import { ReportExportButton } from './ReportExportButton';
import { ReportFiltersBar } from './ReportFiltersBar';
import { useAmountFormat } from './use-amount-format';

/** Groups drawn in the chart: the largest by total; the table below has them all. */
const CHART_GROUPS = 15;

function AgingChart({ report, onDrill }: { report: AgingReport; onDrill: (target: DrillTarget) => void }) {
  const { locale, t } = useLocale();
  const labelOf = useGroupLabel();
  const format = useAmountFormat();
  const section = report.currencies[0];
  const groups = useMemo(
    () => [...(section?.rows ?? [])].sort((a, b) => Number(b.total) - Number(a.total)).slice(0, CHART_GROUPS),
    [section],
  );
  const option = useMemo(
    () =>
      groupStackOption(
        groups.map((row) => ({ label: labelOf(row), columns: row.columns })),
        report.columns,
        (key) => agingColumnLabel(key, locale),
        format,
      ),
    [groups, report.columns, labelOf, locale, format],
  );
  if (section === undefined) return <Empty description={t('aging.empty')} />;
  return (
    <Chart
      option={option}
      ariaLabel={t('aging.chartTitle')}
      height={320}
      testId="aging-chart"
      onItemClick={(click) => {
        const hit = groupStackClick(click, report.columns);
        const row = hit === null ? undefined : groups[hit.groupIndex];
        if (hit === null || row === undefined) return;
        onDrill({
          by: report.by,
          key: row.id ?? 'none',
          bucket:
            report.view === 'vintage' || report.view === 'condition' || hit.column === DISPUTED_COLUMN
              ? null
              : hit.column,
          label: labelOf(row),
        });
      }}
    />
  );
}

export function AgingPage() {
  const { t } = useLocale();
  const today = useToday();
  const [searchParams, setSearchParams] = useSearchParams();
  const state = agingStateFrom(searchParams, today);
  const report = useAgingReport(state);
  const [drill, setDrill] = useState<AgingItemsQuery | null>(null);
  const update = (patch: Partial<AgingPageState>) =>
    setSearchParams(toSearch({ ...state, ...patch }), { replace: true });
  const filters: ReportFilters = { teamId: state.teamId, salespersonId: state.salespersonId };
  const { asOf, basis, teamId, salespersonId } = state;
  const onDrill = useCallback(
    (target: DrillTarget) => setDrill({ asOf, basis, target, filters: { teamId, salespersonId } }),
    [asOf, basis, teamId, salespersonId],
  );
  const exportParams = toSearch({ ...state });
  const data = report.data;

  return (
    <Page
      title={t('aging.title')}
      extra={
        <ReportExportButton path="/api/reports/aging/export" params={exportParams} testId="aging-export" />
      }
    >
      <Card>
        <ReportFiltersBar filters={filters} onChange={(next) => update(next)}>
          <DatePicker
            allowClear={false}
            value={dayjs(state.asOf)}
            onChange={(value) => value && update({ asOf: value.format('YYYY-MM-DD') })}
            data-testid="aging-as-of"
          />
          <Select
            style={{ width: 130 }}
            value={state.by}
            options={AGING_DIMENSIONS.map((by) => ({ value: by, label: t(`aging.by.${by}`) }))}
            onChange={(by) => update({ by })}
            data-testid="aging-by"
          />
          <Segmented
            value={state.basis}
            options={(['due_date', 'invoice_date'] as const).map((value) => ({
              value,
              label: t(`aging.basis.${value}`),
            }))}
            onChange={(basis) => update({ basis })}
          />
          <Segmented
            value={state.view}
            options={AGING_VIEWS.map((value) => ({ value, label: t(`aging.view.${value}`) }))}
            onChange={(view) => update({ view })}
            data-testid="aging-view"
          />
          <Segmented
            value={state.disputes}
            options={(['include', 'exclude'] as const).map((value) => ({
              value,
              label: t(`aging.disputes.${value}`),
            }))}
            onChange={(disputes) => update({ disputes })}
            data-testid="aging-disputes"
          />
        </ReportFiltersBar>
      </Card>
      {report.isError ? <ErrorAlert error={report.error} onRetry={() => void report.refetch()} /> : null}
      {data === undefined ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : (
        <>
          <Card
            title={t('aging.chartTitle')}
            extra={<Typography.Text type="secondary">{t('aging.cellHint')}</Typography.Text>}
          >
            <AgingChart report={data} onDrill={onDrill} />
          </Card>
          {data.currencies.length === 0 ? (
            <Card>
              <Empty description={t('aging.empty')} />
            </Card>
          ) : (
            data.currencies.map((section) => (
              <Card
                key={section.currency}
                title={section.currency}
                data-testid={`aging-section-${section.currency}`}
              >
                <AgingTable report={data} section={section} onDrill={onDrill} />
              </Card>
            ))
          )}
          <Flex>
            <Typography.Text type="secondary">{t('aging.settingsHint')}</Typography.Text>
          </Flex>
        </>
      )}
      <AgingItemsDrawer query={drill} onClose={() => setDrill(null)} />
    </Page>
  );
}
