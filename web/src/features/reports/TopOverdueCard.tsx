import type { OverdueCustomer } from '@huikuan/core/contracts';
import { Button, Card, Table, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router';
import type { QueryParams } from '../../app/api';
import { useLocale } from '../../app/locale';
import { MoneyText } from '../../ui/MoneyText';
import { ReportExportButton } from './ReportExportButton';

type TopOverdueCardProps = {
  customers: readonly OverdueCustomer[];
  currency: string;
  exportParams: QueryParams;
  onDrill: (customer: OverdueCustomer) => void;
};

/** The customers owing the most past due, largest first; each opens its overdue invoices. */
export function TopOverdueCard({ customers, currency, exportParams, onDrill }: TopOverdueCardProps) {
  const { t } = useLocale();
  const columns = useMemo(
    (): TableColumnsType<OverdueCustomer> => [
      { key: 'rank', title: t('reports.top.rank'), width: 56, render: (_, __, index) => index + 1 },
      {
        key: 'customer',
        title: t('reports.top.customer'),
        render: (_, row) => <Link to={`/customers/${row.customerId}`}>{`${row.code} · ${row.name}`}</Link>,
      },
      {
        key: 'overdue',
        title: t('reports.top.overdue'),
        align: 'right',
        render: (_, row) => <MoneyText amount={row.overdue} currency={currency} />,
      },
      {
        key: 'open',
        title: t('reports.top.open'),
        align: 'right',
        render: (_, row) => <MoneyText amount={row.open} currency={currency} />,
      },
      { key: 'oldest', title: t('reports.top.oldest'), align: 'right', dataIndex: 'oldestDaysPastDue' },
      { key: 'invoices', title: t('reports.top.invoices'), align: 'right', dataIndex: 'overdueInvoices' },
      {
        key: 'details',
        title: '',
        render: (_, row) => (
          <Button
            type="link"
            size="small"
            onClick={() => onDrill(row)}
            data-testid={`top-overdue-${row.code}`}
          >
            {t('reports.top.details')}
          </Button>
        ),
      },
    ],
    [t, currency, onDrill],
  );
  return (
    <Card
      title={t('reports.top.title')}
      data-testid="card-top-overdue"
      extra={
        <ReportExportButton
          path="/api/reports/top-overdue/export"
          params={{ ...exportParams, limit: 50 }}
          testId="dashboard-top-export"
          size="small"
        />
      }
    >
      <Table<OverdueCustomer>
        rowKey="customerId"
        size="small"
        columns={columns}
        dataSource={[...customers]}
        pagination={false}
        scroll={{ x: 'max-content' }}
      />
    </Card>
  );
}
