import type { KpiRow } from '@huikuan/core/contracts';
import { Drawer, Flex, Table, Typography, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { useLocale } from '../../app/locale';
import { MoneyText } from '../../ui/MoneyText';
import { useKpis } from './api';
import { monthEnd, toSearch, type ReportFilters } from './report-filters';
import { ReportExportButton } from './ReportExportButton';

type MonthDrawerProps = {
  /** 'YYYY-MM', or null when closed. */
  month: string | null;
  /** The period's last day, which cuts the current month short. */
  periodTo: string;
  filters: ReportFilters;
  onClose: () => void;
};

function percent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}

/** The rows behind a month of the trend charts: that month's KPIs per salesperson, and its aging. */
export function MonthDrawer({ month, periodTo, filters, onClose }: MonthDrawerProps) {
  const { t } = useLocale();
  const from = month === null ? periodTo : `${month}-01`;
  const end = month === null ? periodTo : monthEnd(month);
  const to = end < periodTo ? end : periodTo;
  const kpis = useKpis({ from, to }, filters, 'salesperson', { enabled: month !== null });
  const columns = useMemo(
    (): TableColumnsType<KpiRow> => [
      {
        key: 'name',
        title: t('reports.month.salesperson'),
        render: (_, row) => row.name ?? t('aging.none'),
      },
      {
        key: 'invoiced',
        title: t('reports.chart.invoiced'),
        align: 'right',
        render: (_, row) => <MoneyText amount={row.invoiced} currency={row.currency} />,
      },
      {
        key: 'collected',
        title: t('reports.chart.collected'),
        align: 'right',
        render: (_, row) => <MoneyText amount={row.collected} currency={row.currency} />,
      },
      {
        key: 'ending',
        title: t('reports.kpi.open'),
        align: 'right',
        render: (_, row) => <MoneyText amount={row.endingAR} currency={row.currency} />,
      },
      {
        key: 'rate',
        title: t('reports.kpi.collectionRate'),
        align: 'right',
        render: (_, row) => percent(row.collectionRate),
      },
      { key: 'cei', title: 'CEI', align: 'right', render: (_, row) => percent(row.cei) },
    ],
    [t],
  );
  return (
    <Drawer
      open={month !== null}
      onClose={onClose}
      size="large"
      destroyOnHidden
      title={t('reports.month.title', { month: month ?? '' })}
      data-testid="month-drawer"
      extra={
        month === null ? null : (
          <ReportExportButton
            path="/api/reports/kpis/export"
            params={{ from, to, by: 'salesperson', ...filters }}
            testId="month-export"
            size="small"
          />
        )
      }
    >
      <Flex vertical gap={12}>
        <Link
          to={`/aging?${new URLSearchParams(toSearch({ asOf: to, by: 'salesperson', ...filters })).toString()}`}
        >
          {t('reports.month.agingLink', { date: to })}
        </Link>
        <Table<KpiRow>
          rowKey={(row) => `${row.key ?? 'none'}-${row.currency}`}
          size="small"
          columns={columns}
          dataSource={kpis.data?.rows ?? []}
          loading={kpis.isPending}
          pagination={false}
          scroll={{ x: 'max-content' }}
        />
        <Typography.Text type="secondary">{`${from} – ${to}`}</Typography.Text>
      </Flex>
    </Drawer>
  );
}
