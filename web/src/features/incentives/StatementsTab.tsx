import type { CommissionLineView, CommissionSummary } from '@huikuan/core/contracts';
import {
  App,
  Button,
  Card,
  Empty,
  Flex,
  Input,
  Space,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { withQuery } from '../../app/api';
import { useT } from '../../app/locale';
import { useSession } from '../../app/session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useErrorText } from '../../ui/errors';
import { useFileDownload } from '../../ui/file-download';
import { MoneyText } from '../../ui/MoneyText';
import { useLockStatement, useStatement, useStatementSummary } from './api';
import { currentMonth, isMonth, ratePercentText } from './period';

type SummaryRow = CommissionSummary['items'][number];
type Reason = Parameters<ReturnType<typeof useT>>[0];

function useLineColumns(): TableColumnsType<CommissionLineView> {
  const t = useT();
  return useMemo(
    () => [
      { key: 'no', title: '#', dataIndex: 'lineNo', width: 48 },
      { key: 'on', title: t('incentives.line.on'), dataIndex: 'on' },
      {
        key: 'customer',
        title: t('incentives.line.customer'),
        render: (_, line) => (line.customerCode ? `${line.customerCode} ${line.customerName ?? ''}` : ''),
      },
      { key: 'invoice', title: t('incentives.line.invoice'), dataIndex: 'invoiceNumber' },
      { key: 'late', title: t('incentives.line.daysLate'), dataIndex: 'daysLate', align: 'right' },
      { key: 'age', title: t('incentives.line.ageDays'), dataIndex: 'ageDays', align: 'right' },
      {
        key: 'reasons',
        title: t('incentives.line.reasons'),
        render: (_, line) => (
          <Space size={4} wrap>
            {line.reasons.map((reason) => (
              <Tag
                key={reason}
                color={reason === 'clawback' || reason === 'overdue_penalty' ? 'red' : undefined}
              >
                {t(`incentives.reason.${reason}` as Reason)}
              </Tag>
            ))}
          </Space>
        ),
      },
      {
        key: 'base',
        title: t('incentives.line.base'),
        align: 'right',
        render: (_, line) => <MoneyText amount={line.base} currency={line.currency} />,
      },
      {
        key: 'rate',
        title: t('incentives.line.rate'),
        align: 'right',
        render: (_, line) => ratePercentText(line.rate),
      },
      {
        key: 'commission',
        title: t('incentives.line.commission'),
        align: 'right',
        render: (_, line) => <MoneyText amount={line.commission} currency={line.currency} />,
      },
    ],
    [t],
  );
}

function StatementCard({ userId, period }: { userId: string; period: string }) {
  const t = useT();
  const { user } = useSession();
  const { modal, message } = App.useApp();
  const errorText = useErrorText();
  const statement = useStatement(userId, period);
  const lock = useLockStatement();
  const { isBusy, download } = useFileDownload(t('export.failed'));
  const columns = useLineColumns();
  const data = statement.data;
  if (statement.error) return <ErrorAlert error={statement.error} />;
  if (!data) return <Card loading />;
  const canLock = (user.role === 'finance' || user.role === 'admin') && data.status === 'draft';
  const exportFile = (format: 'xlsx' | 'pdf') =>
    void download(
      withQuery(`/api/commission-statements/${encodeURIComponent(userId)}/export`, { period, format }),
      `commission-${period}.${format}`,
    );
  return (
    <Card
      size="small"
      data-testid="statement-card"
      title={
        <Space>
          <span>
            {data.salespersonName} · {data.period}
          </span>
          <Tag color={data.status === 'locked' ? 'green' : 'default'} data-testid="statement-status">
            {t(`incentives.statements.status.${data.status}`)}
          </Tag>
          {data.lockedAt ? (
            <Typography.Text type="secondary">
              {t('incentives.statements.lockedAt', { at: dayjs(data.lockedAt).format('YYYY-MM-DD HH:mm') })}
            </Typography.Text>
          ) : null}
        </Space>
      }
      extra={
        <Space>
          <Button loading={isBusy} onClick={() => exportFile('xlsx')} data-testid="statement-export-xlsx">
            {t('incentives.statements.exportXlsx')}
          </Button>
          <Button loading={isBusy} onClick={() => exportFile('pdf')} data-testid="statement-export-pdf">
            {t('incentives.statements.exportPdf')}
          </Button>
          {canLock ? (
            <Button
              type="primary"
              data-testid="statement-lock"
              loading={lock.isPending}
              onClick={() =>
                void modal.confirm({
                  title: t('incentives.statements.lock'),
                  content: t('incentives.statements.lockConfirm'),
                  onOk: () =>
                    lock.mutateAsync({ userId, period }).then(
                      () => void message.success(t('incentives.statements.locked')),
                      (error: unknown) => void message.error(errorText(error)),
                    ),
                })
              }
            >
              {t('incentives.statements.lock')}
            </Button>
          ) : null}
        </Space>
      }
    >
      <Table
        rowKey="lineNo"
        size="small"
        pagination={false}
        columns={columns}
        dataSource={data.lines}
        data-testid="statement-lines"
      />
      <Flex gap={24} style={{ marginTop: 12 }}>
        {data.totals.map((total) => (
          <Typography.Text strong key={total.currency} data-testid={`statement-total-${total.currency}`}>
            {t('incentives.statements.collected')}{' '}
            <MoneyText amount={total.collected} currency={total.currency} /> ·{' '}
            {t('incentives.statements.commission')}{' '}
            <MoneyText amount={total.commission} currency={total.currency} />
          </Typography.Text>
        ))}
      </Flex>
    </Card>
  );
}

/** 提成结算单: each salesperson's month, its lines with reasons, exports, and finance's approve-and-lock. */
export function StatementsTab() {
  const t = useT();
  const { user } = useSession();
  const [period, setPeriod] = useState(currentMonth());
  const [draft, setDraft] = useState(period);
  const [selected, setSelected] = useState<string | null>(user.role === 'salesperson' ? user.id : null);
  const summary = useStatementSummary(period);
  const columns: TableColumnsType<SummaryRow> = [
    { key: 'name', title: t('incentives.statements.salesperson'), dataIndex: 'salespersonName' },
    {
      key: 'status',
      title: t('incentives.statements.status'),
      render: (_, row) => <Tag>{t(`incentives.statements.status.${row.status}`)}</Tag>,
    },
    { key: 'lines', title: t('incentives.statements.lines'), dataIndex: 'lineCount', align: 'right' },
    {
      key: 'collected',
      title: t('incentives.statements.collected'),
      align: 'right',
      render: (_, row) => (
        <Flex vertical>
          {row.totals.map((total) => (
            <MoneyText key={total.currency} amount={total.collected} currency={total.currency} />
          ))}
        </Flex>
      ),
    },
    {
      key: 'commission',
      title: t('incentives.statements.commission'),
      align: 'right',
      render: (_, row) => (
        <Flex vertical>
          {row.totals.map((total) => (
            <MoneyText key={total.currency} amount={total.commission} currency={total.currency} />
          ))}
        </Flex>
      ),
    },
    {
      key: 'open',
      title: '',
      render: (_, row) => (
        <Button
          size="small"
          onClick={() => setSelected(row.salespersonId)}
          data-testid={`open-statement-${row.salespersonName}`}
        >
          {t('incentives.statements.open')}
        </Button>
      ),
    },
  ];
  return (
    <Flex vertical gap={16}>
      <Space>
        <Typography.Text>{t('incentives.month')}</Typography.Text>
        <Input
          value={draft}
          style={{ width: 120 }}
          status={isMonth(draft) ? undefined : 'error'}
          data-testid="statements-month"
          onChange={(event) => {
            setDraft(event.target.value);
            if (isMonth(event.target.value)) setPeriod(event.target.value);
          }}
        />
      </Space>
      {summary.error ? <ErrorAlert error={summary.error} /> : null}
      <Table
        rowKey="salespersonId"
        size="small"
        pagination={false}
        loading={summary.isLoading}
        columns={columns}
        dataSource={summary.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('incentives.statements.none')} /> }}
        data-testid="statements-table"
      />
      {selected ? <StatementCard userId={selected} period={period} /> : null}
    </Flex>
  );
}
