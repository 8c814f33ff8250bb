import type { ImportJob } from '@huikuan/core';
import {
  Alert,
  Card,
  Descriptions,
  Flex,
  Progress,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useImportText, type ImportText } from './messages';

type Issue = ImportJob['errors'][number];

const STATUS_COLORS: Record<ImportJob['status'], string> = {
  queued: 'default',
  running: 'processing',
  succeeded: 'success',
  failed: 'error',
};

export function JobStatusTag({ status }: { status: ImportJob['status'] }) {
  const tx = useImportText();
  return <Tag color={STATUS_COLORS[status]}>{tx(`job.status.${status}`)}</Tag>;
}

function percentOf(job: ImportJob): number {
  if (job.status === 'succeeded') return 100;
  if (job.total === 0) return 0;
  return Math.floor((job.done * 100) / job.total);
}

function SummaryView({ job, tx }: { job: ImportJob; tx: ImportText }) {
  const { summary } = job;
  if (summary === null) return null;
  const counts: [string, number | undefined][] =
    summary.kind === 'contracts'
      ? [
          ['summary.contracts', summary.contracts],
          ['summary.planNodes', summary.planNodes],
        ]
      : [
          ['summary.invoices', summary.invoices],
          ['summary.receipts', summary.receipts],
          ['summary.allocations', summary.allocations],
        ];
  const items = [
    { key: 'rows', label: tx('summary.rows'), children: summary.rows },
    { key: 'newCustomers', label: tx('summary.newCustomers'), children: summary.newCustomers },
    ...(summary.kind === 'customers'
      ? []
      : counts.map(([key, value]) => ({ key, label: tx(key as 'summary.rows'), children: value ?? 0 }))),
    ...summary.totals.flatMap((total) => [
      { key: `${total.currency}-amount`, label: tx('summary.amount', total), children: total.amount },
      ...(summary.kind === 'invoices'
        ? [
            {
              key: `${total.currency}-settled`,
              label: tx('summary.settled', total),
              children: total.settledAmount,
            },
          ]
        : []),
    ]),
  ];
  return (
    <Descriptions data-testid="import-summary" size="small" column={{ xs: 1, sm: 2, md: 4 }} items={items} />
  );
}

function ErrorsTable({ job, tx }: { job: ImportJob; tx: ImportText }) {
  const columns: TableColumnsType<Issue> = [
    {
      title: tx('errors.row'),
      dataIndex: 'row',
      width: 80,
      render: (row: number) => (row === 0 ? tx('errors.header') : row),
    },
    { title: tx('errors.line'), dataIndex: 'line', width: 80 },
    { title: tx('errors.column'), dataIndex: 'column', width: 180 },
    { title: tx('errors.message'), dataIndex: 'message' },
  ];
  return (
    <Flex vertical gap={8}>
      {job.errorCount > job.errors.length && (
        <Typography.Text type="secondary">
          {tx('job.errorsCapped', { shown: job.errors.length, count: job.errorCount })}
        </Typography.Text>
      )}
      <Table<Issue>
        data-testid="import-errors-table"
        size="small"
        rowKey={(issue) => `${issue.row}:${issue.line}:${issue.column}:${issue.message}`}
        columns={columns}
        dataSource={job.errors}
        pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
      />
    </Flex>
  );
}

function outcomeAlert(job: ImportJob, tx: ImportText) {
  if (job.status === 'failed')
    return <Alert type="error" showIcon title={job.failure ?? tx('job.status.failed')} />;
  if (job.status !== 'succeeded') return null;
  if (job.errorCount > 0)
    return <Alert type="error" showIcon title={tx('job.hasErrors', { count: job.errorCount })} />;
  return (
    <Alert
      type="success"
      showIcon
      data-testid="import-outcome"
      title={job.isDryRun ? tx('job.cleanDryRun') : tx('job.committed')}
    />
  );
}

/** A job's progress bar while it runs; its summary and every error once it has finished. */
export function JobPanel({ job }: { job: ImportJob }) {
  const tx = useImportText();
  const isFinished = job.status === 'succeeded' || job.status === 'failed';
  return (
    <Card
      title={
        <Flex gap={8} align="center">
          {tx('job.title')} · {job.isDryRun ? tx('job.dryRun') : tx('job.commit')}
          <JobStatusTag status={job.status} />
        </Flex>
      }
    >
      <Flex vertical gap={12}>
        <div data-testid="import-progress">
          <Progress
            percent={percentOf(job)}
            status={job.status === 'failed' ? 'exception' : isFinished ? 'success' : 'active'}
          />
          {!isFinished && job.phase !== null && (
            <Typography.Text type="secondary">
              {tx(`job.phase.${job.phase}`)} {job.done.toLocaleString()}/{job.total.toLocaleString()}
            </Typography.Text>
          )}
        </div>
        {outcomeAlert(job, tx)}
        <SummaryView job={job} tx={tx} />
        {job.errors.length > 0 && <ErrorsTable job={job} tx={tx} />}
      </Flex>
    </Card>
  );
}
