import type { ImportJobListItem } from '@huikuan/core';
import { Card, Table, Typography, type TableColumnsType } from 'antd';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useRecentImportJobs } from './api';
import { JobStatusTag } from './JobPanel';
import { useImportText } from './messages';

/** The latest jobs (the user's own; finance and admins see everyone's); a click opens one. */
export function RecentJobs({ onOpen }: { onOpen: (jobId: string) => void }) {
  const tx = useImportText();
  const jobs = useRecentImportJobs();
  const columns: TableColumnsType<ImportJobListItem> = [
    {
      title: tx('recent.created'),
      dataIndex: 'createdAt',
      width: 170,
      render: (at: string) => <DateText value={at} />,
    },
    { title: tx('recent.file'), dataIndex: 'fileName', ellipsis: true },
    {
      title: tx('recent.kind'),
      dataIndex: 'kind',
      render: (kind: ImportJobListItem['kind']) => tx(`kind.${kind}`),
    },
    {
      title: tx('recent.mode'),
      dataIndex: 'isDryRun',
      render: (isDryRun: boolean) => (isDryRun ? tx('job.dryRun') : tx('job.commit')),
    },
    {
      title: tx('recent.status'),
      dataIndex: 'status',
      render: (status: ImportJobListItem['status']) => <JobStatusTag status={status} />,
    },
    {
      title: tx('recent.result'),
      key: 'result',
      render: (_, job) =>
        job.status !== 'succeeded' ? (
          (job.failure ?? '')
        ) : job.errorCount > 0 ? (
          <Typography.Text type="danger">{tx('recent.errors', { count: job.errorCount })}</Typography.Text>
        ) : (
          tx('recent.ok')
        ),
    },
  ];
  return (
    <Card title={tx('recent.title')}>
      {jobs.isError ? (
        <ErrorAlert error={jobs.error} onRetry={() => void jobs.refetch()} />
      ) : (
        <Table<ImportJobListItem>
          data-testid="import-recent-jobs"
          size="small"
          rowKey="id"
          loading={jobs.isLoading}
          columns={columns}
          dataSource={jobs.data ?? []}
          locale={{ emptyText: tx('recent.empty') }}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          onRow={(job) => ({ onClick: () => onOpen(job.id), style: { cursor: 'pointer' } })}
        />
      )}
    </Card>
  );
}
