import type {
  DunningAction,
  DunningPlannedAction,
  DunningPreview,
  DunningRun,
} from '@huikuan/core/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Flex,
  Popconfirm,
  Progress,
  Space,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { Translate } from '../../app/i18n';
import { useT } from '../../app/locale';
import { useSession } from '../../app/session';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useErrorText } from '../../ui/errors';
import { useToday } from '../../ui/form-date';
import { MoneyText } from '../../ui/MoneyText';
import { Page } from '../../ui/Page';
import { usePreview, useRun, useRunActions, useRunFinished, useRuns, useStartRun } from './api';

const MANAGERS = new Set(['admin', 'finance', 'sales_manager']);
const STATUS_COLORS: Record<DunningRun['status'], string> = {
  running: 'processing',
  succeeded: 'green',
  failed: 'red',
  interrupted: 'orange',
};

function stepText(
  t: Translate,
  action: { step: DunningPlannedAction['step']; channel: DunningPlannedAction['channel'] },
) {
  const kind = t(`dunning.kind.${action.step}`);
  return action.channel === null ? kind : `${kind} · ${t(`dunning.channel.${action.channel}`)}`;
}

function usePreviewColumns(): TableColumnsType<DunningPlannedAction> {
  const t = useT();
  return [
    {
      key: 'customer',
      title: t('dunning.runs.customer'),
      render: (_, a) => <Link to={`/customers/${a.customerId}`}>{`${a.customer} ${a.customerName}`}</Link>,
    },
    {
      key: 'invoice',
      title: t('dunning.runs.invoice'),
      render: (_, a) => <Link to={`/invoices/${a.invoiceId}`}>{a.invoice}</Link>,
    },
    { key: 'dueDate', title: t('dunning.runs.dueDate'), render: (_, a) => <DateText value={a.dueDate} /> },
    { key: 'daysOverdue', title: t('dunning.runs.daysOverdue'), align: 'right', dataIndex: 'daysOverdue' },
    {
      key: 'chased',
      title: t('dunning.runs.chased'),
      align: 'right',
      render: (_, a) => <MoneyText amount={a.chased} currency={a.currency} />,
    },
    { key: 'step', title: t('dunning.policies.kind'), render: (_, a) => stepText(t, a) },
    { key: 'policy', title: t('dunning.runs.policy'), dataIndex: 'policyName' },
  ];
}

function useActionColumns(): TableColumnsType<DunningAction> {
  const t = useT();
  return [
    {
      key: 'customer',
      title: t('dunning.runs.customer'),
      render: (_, a) => `${a.customer} ${a.customerName}`,
    },
    {
      key: 'invoice',
      title: t('dunning.runs.invoice'),
      render: (_, a) => <Link to={`/invoices/${a.invoiceId}`}>{a.invoice}</Link>,
    },
    { key: 'daysOverdue', title: t('dunning.runs.daysOverdue'), align: 'right', dataIndex: 'daysOverdue' },
    { key: 'step', title: t('dunning.policies.kind'), render: (_, a) => stepText(t, a) },
    { key: 'outcome', title: t('dunning.runs.outcome'), render: (_, a) => t(`dunning.outcome.${a.outcome}`) },
  ];
}

function kindCounts(t: Translate, counts: Record<string, number>) {
  return Object.entries(counts).map(([kind, count]) => (
    <Tag key={kind}>{`${t(`dunning.kind.${kind as DunningPlannedAction['step']}`)} ${count}`}</Tag>
  ));
}

/** One run: its progress bar while it runs (polled), then its results and actions. */
function RunDetail({ runId, onClose }: { runId: string; onClose: () => void }) {
  const t = useT();
  const run = useRun(runId);
  const actions = useRunActions(run.data?.status === 'running' ? null : runId);
  const columns = useActionColumns();
  const view = run.data;
  // The list below the drawer was read when the run started; refresh it (and what the run wrote) once it ends.
  const isFinished = view !== undefined && view.status !== 'running';
  const onFinished = useRunFinished();
  useEffect(() => {
    if (isFinished) void onFinished();
  }, [isFinished, onFinished]);
  const percent = view && view.total > 0 ? Math.floor((view.done * 100) / view.total) : 100;
  return (
    <Drawer open width={960} title={t('dunning.runs.actions')} onClose={onClose}>
      {run.isError ? <ErrorAlert error={run.error} onRetry={() => void run.refetch()} /> : null}
      {view ? (
        <Flex vertical gap={12}>
          <Progress
            percent={percent}
            status={view.status === 'failed' ? 'exception' : undefined}
            data-testid="dunning-run-progress"
          />
          <Descriptions size="small" column={3}>
            <Descriptions.Item label={t('dunning.runs.asOf')}>
              <DateText value={view.asOf} />
            </Descriptions.Item>
            <Descriptions.Item label={t('common.status')}>
              <Tag color={STATUS_COLORS[view.status]} data-testid="dunning-run-status">
                {t(`dunning.runs.status.${view.status}`)}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item
              label={t('dunning.runs.progress')}
            >{`${view.done}/${view.total}`}</Descriptions.Item>
            <Descriptions.Item label={t('dunning.runs.fired')}>{view.fired}</Descriptions.Item>
            <Descriptions.Item label={t('dunning.runs.paused')}>{view.paused}</Descriptions.Item>
            <Descriptions.Item label={t('dunning.runs.errors')}>{view.errorCount}</Descriptions.Item>
          </Descriptions>
          <Space wrap>{kindCounts(t, view.countsByKind)}</Space>
          {view.failure ? <Alert type="error" message={view.failure} /> : null}
          {view.errors.map((error) => (
            <Alert
              key={`${error.invoice}-${error.message}`}
              type="warning"
              message={`${error.invoice}: ${error.message}`}
            />
          ))}
          <Table<DunningAction>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={actions.data?.items ?? []}
            loading={actions.isPending && view.status !== 'running'}
            pagination={false}
            data-testid="dunning-run-actions"
          />
        </Flex>
      ) : null}
    </Drawer>
  );
}

function PreviewCard({ onStarted }: { onStarted: (run: DunningRun) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  // Today where the organization is, not where the browser is (06:00 in Shanghai is still yesterday in UTC).
  const today = useToday();
  const [asOf, setAsOf] = useState<Dayjs>(() => dayjs(today));
  const [preview, setPreview] = useState<DunningPreview | null>(null);
  const previewing = usePreview();
  const starting = useStartRun();
  const columns = usePreviewColumns();
  const date = asOf.format('YYYY-MM-DD');
  return (
    <Card>
      <Flex vertical gap={12}>
        <Space wrap>
          <Typography.Text>{t('dunning.runs.asOf')}</Typography.Text>
          <DatePicker
            value={asOf}
            allowClear={false}
            data-testid="dunning-as-of"
            onChange={(value: Dayjs | null) => {
              if (value) setAsOf(value);
              setPreview(null);
            }}
          />
          <Button
            loading={previewing.isPending}
            onClick={() =>
              previewing.mutate(date, {
                onSuccess: setPreview,
                onError: (e) => void message.error(errorText(e)),
              })
            }
            data-testid="dunning-preview"
          >
            {t('dunning.runs.preview')}
          </Button>
          <Popconfirm
            title={t('dunning.runs.runConfirm', { total: preview?.total ?? 0 })}
            disabled={preview === null}
            onConfirm={() =>
              starting.mutate(date, {
                onSuccess: (run) => {
                  setPreview(null);
                  onStarted(run);
                },
                onError: (e) => void message.error(errorText(e)),
              })
            }
          >
            <Button
              type="primary"
              disabled={preview === null}
              loading={starting.isPending}
              data-testid="dunning-run"
            >
              {t('dunning.runs.run')}
            </Button>
          </Popconfirm>
        </Space>
        {preview ? (
          <>
            <Typography.Text data-testid="dunning-preview-summary">
              {t('dunning.runs.previewSummary', {
                openItems: preview.openItems,
                total: preview.total,
                paused: preview.pausedItems,
              })}
            </Typography.Text>
            <Space wrap>{kindCounts(t, preview.countsByKind)}</Space>
            {preview.isTruncated ? (
              <Typography.Text type="secondary">
                {t('dunning.runs.truncated', { shown: preview.actions.length })}
              </Typography.Text>
            ) : null}
            <Table<DunningPlannedAction>
              rowKey={(a) => `${a.invoiceId}-${a.step}-${a.offsetDays}-${a.channel ?? ''}`}
              size="small"
              columns={columns}
              dataSource={preview.actions}
              pagination={{ pageSize: 50, showSizeChanger: false }}
              data-testid="dunning-preview-table"
            />
          </>
        ) : null}
      </Flex>
    </Card>
  );
}

function useRunColumns(onOpen: (id: string) => void): TableColumnsType<DunningRun> {
  const t = useT();
  return [
    {
      key: 'startedAt',
      title: t('dunning.runs.startedAt'),
      render: (_, r) => <DateText value={r.startedAt} />,
    },
    {
      key: 'asOf',
      title: t('dunning.runs.asOf'),
      render: (_, r) => <DateText value={r.asOf} withTime={false} />,
    },
    {
      key: 'source',
      title: t('dunning.runs.source'),
      render: (_, r) => t(`dunning.runs.source.${r.source}`),
    },
    {
      key: 'status',
      title: t('common.status'),
      render: (_, r) => <Tag color={STATUS_COLORS[r.status]}>{t(`dunning.runs.status.${r.status}`)}</Tag>,
    },
    { key: 'progress', title: t('dunning.runs.progress'), render: (_, r) => `${r.done}/${r.total}` },
    { key: 'fired', title: t('dunning.runs.fired'), align: 'right', dataIndex: 'fired' },
    { key: 'paused', title: t('dunning.runs.paused'), align: 'right', dataIndex: 'paused' },
    { key: 'errors', title: t('dunning.runs.errors'), align: 'right', dataIndex: 'errorCount' },
    {
      key: 'open',
      title: t('common.actions'),
      render: (_, r) => (
        <Button size="small" onClick={() => onOpen(r.id)}>
          {t('common.open')}
        </Button>
      ),
    },
  ];
}

/** 催收运行: preview and start a run, follow its progress, and read past runs with their actions. */
export function DunningRunsPage() {
  const t = useT();
  const { user } = useSession();
  const canRun = MANAGERS.has(user.role);
  const runs = useRuns();
  const [openRunId, setOpenRunId] = useState<string | null>(null);
  const columns = useRunColumns(setOpenRunId);
  return (
    <Page title={t('dunning.runs.title')}>
      <Typography.Paragraph type="secondary">{t('dunning.runs.intro')}</Typography.Paragraph>
      {canRun ? <PreviewCard onStarted={(run) => setOpenRunId(run.id)} /> : null}
      <Card title={t('dunning.runs.history')}>
        {runs.isError ? <ErrorAlert error={runs.error} onRetry={() => void runs.refetch()} /> : null}
        <Table<DunningRun>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={runs.data?.items ?? []}
          loading={runs.isPending}
          pagination={false}
          data-testid="dunning-runs-table"
        />
      </Card>
      {openRunId === null ? null : <RunDetail runId={openRunId} onClose={() => setOpenRunId(null)} />}
    </Page>
  );
}
