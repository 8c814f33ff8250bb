import {
  agingColumnLabel,
  receivableClassLabel,
  type DashboardCurrency,
  type DashboardGroup,
  type KpiRow,
  type KpiTrend,
} from '@huikuan/core/contracts';
import { Card, Col, DatePicker, Flex, Row, Segmented, Skeleton, Statistic, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useLocale } from '../../app/locale';
import { useSession } from '../../app/session';
import { Chart } from '../../ui/Chart';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useToday } from '../../ui/form-date';
import { MoneyText } from '../../ui/MoneyText';
import { Page } from '../../ui/Page';
import { useDashboardSummary, useKpis, useKpiTrend, type AgingItemsQuery } from './api';
import { AgingItemsDrawer } from './AgingItemsDrawer';
import {
  bucketStackClick,
  bucketStackOption,
  classesOption,
  dsoCeiOption,
  groupStackClick,
  groupStackOption,
  invoicedCollectedOption,
  type MonthPoint,
} from './chart-options';
import { CreditHoldsPanel } from './CreditHoldsPanel';
import { MonthDrawer } from './MonthDrawer';
import {
  filtersFrom,
  monthsInPeriod,
  periodFrom,
  toSearch,
  type DrillTarget,
  type ReportFilters,
} from './report-filters';
import { ReportExportButton } from './ReportExportButton';
import { ReportFiltersBar } from './ReportFiltersBar';
import { TopOverdueCard } from './TopOverdueCard';
import { useAmountFormat } from './use-amount-format';

function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)}%`;
}

function days(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toFixed(1);
}

function Stat({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <Card size="small" style={{ height: '100%' }}>
      <Statistic title={title} valueRender={() => <span data-testid={testId}>{children}</span>} />
    </Card>
  );
}

function StatsRow({ section, kpi }: { section: DashboardCurrency | undefined; kpi: KpiRow | undefined }) {
  const { t } = useLocale();
  const currency = section?.currency ?? kpi?.currency ?? '';
  const money = (amount: string | undefined) =>
    amount === undefined ? '—' : <MoneyText amount={amount} currency={currency} />;
  const stats: { key: string; title: string; value: ReactNode }[] = [
    { key: 'open', title: t('reports.kpi.open'), value: money(section?.total ?? '0') },
    { key: 'overdue', title: t('reports.kpi.overdue'), value: money(section?.overdue ?? '0') },
    { key: 'provision', title: t('reports.kpi.provision'), value: money(section?.provision ?? '0') },
    { key: 'invoiced', title: t('reports.kpi.invoiced'), value: money(kpi?.invoiced) },
    { key: 'collected', title: t('reports.kpi.collected'), value: money(kpi?.collected) },
    { key: 'collection-rate', title: t('reports.kpi.collectionRate'), value: percent(kpi?.collectionRate) },
    { key: 'cei', title: t('reports.kpi.cei'), value: percent(kpi?.cei) },
    { key: 'dso', title: t('reports.kpi.dso'), value: days(kpi?.dsoCountback) },
    { key: 'overdue-rate', title: t('reports.kpi.overdueRate'), value: percent(kpi?.overdueRate) },
  ];
  return (
    <Flex gap={12} wrap>
      {stats.map((stat) => (
        <div key={stat.key} style={{ flex: '1 1 150px' }}>
          <Stat title={stat.title} testId={`stat-${stat.key}`}>
            {stat.value}
          </Stat>
        </div>
      ))}
    </Flex>
  );
}

function monthPoints(trend: KpiTrend | undefined, currency: string): MonthPoint[] {
  return (trend?.months ?? []).map((month) => {
    const row = month.rows.find((entry) => entry.currency === currency);
    return {
      month: month.month,
      invoiced: row?.invoiced ?? '0',
      collected: row?.collected ?? '0',
      dso: row?.dsoCountback ?? null,
      bestDso: row?.bestPossibleDso ?? null,
      cei: row?.cei ?? null,
    };
  });
}

type ChartCardProps = { title: string; extra?: ReactNode; children: ReactNode; testId: string };

function ChartCard({ title, extra, children, testId }: ChartCardProps) {
  return (
    <Card title={title} extra={extra} data-testid={testId} style={{ height: '100%' }}>
      {children}
    </Card>
  );
}

export function DashboardPage() {
  const { locale, t } = useLocale();
  const { organization } = useSession();
  const navigate = useNavigate();
  const today = useToday();
  const format = useAmountFormat();
  const [searchParams, setSearchParams] = useSearchParams();
  const period = periodFrom(searchParams, today);
  const filters = filtersFrom(searchParams);
  const asOf = period.to;
  const [currencyChoice, setCurrency] = useState<string | null>(null);
  const [drill, setDrill] = useState<AgingItemsQuery | null>(null);
  const [month, setMonth] = useState<string | null>(null);

  const summary = useDashboardSummary(asOf, filters);
  const kpis = useKpis(period, filters);
  const trend = useKpiTrend(asOf, monthsInPeriod(period.from, period.to), filters);

  const currencies = summary.data?.currencies.map((section) => section.currency) ?? [];
  const currency =
    currencyChoice !== null && currencies.includes(currencyChoice)
      ? currencyChoice
      : (currencies[0] ?? organization.baseCurrency);
  const section = summary.data?.currencies.find((entry) => entry.currency === currency);
  const kpi = kpis.data?.rows.find((row) => row.currency === currency);
  const buckets = useMemo(() => summary.data?.buckets ?? [], [summary.data]);
  const points = useMemo(() => monthPoints(trend.data, currency), [trend.data, currency]);

  const update = (next: { period?: { from: string; to: string }; filters?: ReportFilters }) =>
    setSearchParams(toSearch({ ...period, ...filters, ...next.period, ...next.filters }), { replace: true });
  const openDrill = (target: DrillTarget) => setDrill({ asOf, basis: 'due_date', target, filters });
  const groupLabel = useCallback(
    (group: DashboardGroup) => (group.id === null ? t('aging.none') : group.name || group.key),
    [t],
  );
  const bucketLabel = useCallback((key: string) => agingColumnLabel(key, locale), [locale]);
  const filterParams = { teamId: filters.teamId, salespersonId: filters.salespersonId };

  const salespeople = useMemo(() => section?.bySalesperson ?? [], [section]);
  const teams = useMemo(() => section?.byTeam ?? [], [section]);
  const agingOption = useMemo(
    () =>
      bucketStackOption(
        buckets,
        bucketLabel,
        salespeople.map((group) => ({ label: groupLabel(group), columns: group.columns })),
        format,
      ),
    [buckets, salespeople, bucketLabel, groupLabel, format],
  );
  const bySalespersonOption = useMemo(
    () =>
      groupStackOption(
        salespeople.map((group) => ({ label: groupLabel(group), columns: group.columns })),
        buckets,
        bucketLabel,
        format,
      ),
    [salespeople, buckets, bucketLabel, groupLabel, format],
  );
  const byTeamOption = useMemo(
    () =>
      groupStackOption(
        teams.map((group) => ({ label: groupLabel(group), columns: group.columns })),
        buckets,
        bucketLabel,
        format,
      ),
    [teams, buckets, bucketLabel, groupLabel, format],
  );
  const invoicedOption = useMemo(
    () =>
      invoicedCollectedOption(
        points,
        { invoiced: t('reports.chart.invoiced'), collected: t('reports.chart.collected') },
        format,
      ),
    [points, t, format],
  );
  const trendOption = useMemo(
    () =>
      dsoCeiOption(points, {
        dso: t('reports.chart.dso'),
        bestDso: t('reports.chart.bestDso'),
        cei: t('reports.chart.cei'),
      }),
    [points, t],
  );
  const classOption = useMemo(
    () =>
      classesOption(
        (section?.classes ?? []).map((entry) => ({
          label: receivableClassLabel(entry.class, locale),
          open: entry.open,
          provision: entry.provision,
        })),
        { open: t('reports.chart.open'), provision: t('reports.chart.provision') },
        format,
      ),
    [section, locale, t, format],
  );

  const drillGroup = (
    groups: readonly DashboardGroup[],
    by: 'salesperson' | 'team',
    index: number,
    bucket: string,
  ) => {
    const group = groups[index];
    if (group !== undefined) openDrill({ by, key: group.id ?? 'none', bucket, label: groupLabel(group) });
  };
  const hint = <Typography.Text type="secondary">{t('reports.chart.clickHint')}</Typography.Text>;

  return (
    <Page
      title={t('reports.title')}
      extra={
        currencies.length > 1 ? (
          <Segmented value={currency} options={currencies} onChange={(value) => setCurrency(value)} />
        ) : null
      }
    >
      <Card>
        <ReportFiltersBar filters={filters} onChange={(next) => update({ filters: next })}>
          <DatePicker.RangePicker
            allowClear={false}
            value={[dayjs(period.from), dayjs(period.to)]}
            onChange={(values) => {
              const [from, to] = values ?? [];
              if (from && to)
                update({ period: { from: from.format('YYYY-MM-DD'), to: to.format('YYYY-MM-DD') } });
            }}
            data-testid="dashboard-period"
          />
          <Typography.Text type="secondary">{t('reports.filters.asOfHint')}</Typography.Text>
        </ReportFiltersBar>
      </Card>
      {[summary, kpis, trend].map((query, index) =>
        query.isError ? (
          <ErrorAlert key={index} error={query.error} onRetry={() => void query.refetch()} />
        ) : null,
      )}
      {summary.data === undefined ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : (
        <Flex vertical gap={16} data-testid="dashboard" data-as-of={asOf}>
          <StatsRow section={section} kpi={kpi} />
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={14}>
              <ChartCard
                title={t('reports.chart.aging')}
                testId="card-aging"
                extra={
                  <ReportExportButton
                    path="/api/reports/aging/export"
                    params={{ asOf, by: 'salesperson', ...filterParams }}
                    testId="dashboard-aging-export"
                    size="small"
                  />
                }
              >
                <Chart
                  option={agingOption}
                  ariaLabel={t('reports.chart.aging')}
                  height={340}
                  testId="chart-aging"
                  onItemClick={(click) => {
                    const hit = bucketStackClick(click, buckets);
                    if (hit) drillGroup(salespeople, 'salesperson', hit.groupIndex, hit.bucket);
                  }}
                />
                {hint}
              </ChartCard>
            </Col>
            <Col xs={24} xl={10}>
              <ChartCard
                title={t('reports.chart.classes')}
                testId="card-classes"
                extra={
                  <ReportExportButton
                    path="/api/reports/provision/export"
                    params={{ asOf, ...filterParams }}
                    testId="dashboard-provision-export"
                    size="small"
                  />
                }
              >
                <Chart
                  option={classOption}
                  ariaLabel={t('reports.chart.classes')}
                  height={340}
                  testId="chart-classes"
                  onItemClick={() =>
                    void navigate(
                      `/aging?${new URLSearchParams(toSearch({ asOf, view: 'classes', ...filterParams })).toString()}`,
                    )
                  }
                />
                {hint}
              </ChartCard>
            </Col>
            <Col xs={24} xl={12}>
              <ChartCard
                title={t('reports.chart.invoicedCollected')}
                testId="card-invoiced"
                extra={
                  <ReportExportButton
                    path="/api/reports/kpi-trend/export"
                    params={{ to: asOf, months: monthsInPeriod(period.from, period.to), ...filterParams }}
                    testId="dashboard-trend-export"
                    size="small"
                  />
                }
              >
                <Chart
                  option={invoicedOption}
                  ariaLabel={t('reports.chart.invoicedCollected')}
                  height={300}
                  testId="chart-invoiced"
                  onItemClick={(click) => setMonth(points[click.dataIndex]?.month ?? null)}
                />
                {hint}
              </ChartCard>
            </Col>
            <Col xs={24} xl={12}>
              <ChartCard title={t('reports.chart.dsoCei')} testId="card-trend">
                <Chart
                  option={trendOption}
                  ariaLabel={t('reports.chart.dsoCei')}
                  height={300}
                  testId="chart-trend"
                  onItemClick={(click) => setMonth(points[click.dataIndex]?.month ?? null)}
                />
                {hint}
              </ChartCard>
            </Col>
            <Col xs={24} xl={12}>
              <ChartCard title={t('reports.chart.bySalesperson')} testId="card-salesperson">
                <Chart
                  option={bySalespersonOption}
                  ariaLabel={t('reports.chart.bySalesperson')}
                  height={300}
                  testId="chart-salesperson"
                  onItemClick={(click) => {
                    const hit = groupStackClick(click, buckets);
                    if (hit) drillGroup(salespeople, 'salesperson', hit.groupIndex, hit.column);
                  }}
                />
              </ChartCard>
            </Col>
            <Col xs={24} xl={12}>
              <ChartCard title={t('reports.chart.byTeam')} testId="card-team">
                <Chart
                  option={byTeamOption}
                  ariaLabel={t('reports.chart.byTeam')}
                  height={300}
                  testId="chart-team"
                  onItemClick={(click) => {
                    const hit = groupStackClick(click, buckets);
                    if (hit) drillGroup(teams, 'team', hit.groupIndex, hit.column);
                  }}
                />
              </ChartCard>
            </Col>
            <Col xs={24} xl={16}>
              <TopOverdueCard
                customers={section?.topOverdue ?? []}
                currency={currency}
                exportParams={{ asOf, ...filterParams }}
                onDrill={(customer) =>
                  openDrill({
                    by: 'customer',
                    key: customer.customerId,
                    bucket: null,
                    label: `${customer.code} · ${customer.name}`,
                  })
                }
              />
            </Col>
            <Col xs={24} xl={8}>
              <CreditHoldsPanel />
            </Col>
          </Row>
        </Flex>
      )}
      <AgingItemsDrawer query={drill} onClose={() => setDrill(null)} />
      <MonthDrawer month={month} periodTo={period.to} filters={filters} onClose={() => setMonth(null)} />
    </Page>
  );
}
