import type { EvaluationRow } from '@huikuan/core/contracts';
import {
  App,
  Button,
  Card,
  Flex,
  Input,
  List,
  Modal,
  Space,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { ScatterChart, type ScatterSeriesOption } from 'echarts/charts';
import * as echarts from 'echarts/core';
import { useMemo, useState } from 'react';
import { useT } from '../../app/locale';
import { useSession } from '../../app/session';
import { Chart, type ChartOption } from '../../ui/Chart';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useErrorText } from '../../ui/errors';
import { MoneyText } from '../../ui/MoneyText';
import { useAddReviewNote, useEvaluation, useReviewNotes } from './api';
import { currentMonth, isPeriod, percentText } from './period';

// The quadrant chart is the one scatter in the app; registering it here keeps it out of every other page's bundle.
echarts.use([ScatterChart]);

const ATTITUDE_COLORS = {
  passive: '#bfbfbf',
  sales_driven: '#faad14',
  collection_driven: '#1677ff',
  strategic: '#52c41a',
} as const;

/** An achievement ratio on an axis: 1 → "100%". */
function axisPercent(value: number): string {
  return `${Math.round(value * 100)}%`;
}

function QuadrantChart({ rows }: { rows: readonly EvaluationRow[] }) {
  const t = useT();
  const option = useMemo(() => {
    const attitudes = Object.keys(ATTITUDE_COLORS) as (keyof typeof ATTITUDE_COLORS)[];
    const series: ScatterSeriesOption[] = attitudes.map((attitude) => ({
      type: 'scatter',
      name: t(`incentives.attitude.${attitude}`),
      itemStyle: { color: ATTITUDE_COLORS[attitude] },
      symbolSize: 14,
      label: {
        show: true,
        position: 'right',
        formatter: (params: { data?: unknown }) =>
          (params.data as [number, number, string] | undefined)?.[2] ?? '',
      },
      data: rows
        .filter(
          (row) =>
            row.attitude === attitude && row.salesAchievement !== null && row.collectionAchievement !== null,
        )
        .map((row) => [row.salesAchievement ?? 0, row.collectionAchievement ?? 0, row.name]),
      markLine:
        attitude === 'passive'
          ? {
              silent: true,
              symbol: 'none',
              lineStyle: { type: 'dashed', color: '#999' },
              // 100 % on each axis splits the four attitudes; the axes already label the value.
              label: { show: false },
              data: [{ xAxis: 1 }, { yAxis: 1 }],
            }
          : undefined,
    }));
    return {
      tooltip: {
        formatter: (params: { data?: unknown }) => {
          const [x, y, name] = (params.data as [number, number, string] | undefined) ?? [0, 0, ''];
          return `${name}<br/>${t('incentives.eval.salesAchievement')} ${percentText(x)}<br/>${t('incentives.eval.collectionAchievement')} ${percentText(y)}`;
        },
      },
      legend: { top: 0 },
      grid: { left: 64, right: 32, top: 40, bottom: 48 },
      xAxis: {
        type: 'value',
        name: t('incentives.eval.salesAchievement'),
        nameLocation: 'middle',
        nameGap: 28,
        min: 0,
        axisLabel: { formatter: axisPercent },
      },
      yAxis: {
        type: 'value',
        name: t('incentives.eval.collectionAchievement'),
        nameLocation: 'middle',
        nameGap: 48,
        min: 0,
        axisLabel: { formatter: axisPercent },
      },
      series,
    } as unknown as ChartOption;
  }, [rows, t]);
  const plotted = rows.filter((row) => row.salesAchievement !== null && row.collectionAchievement !== null);
  return (
    <Flex vertical gap={8}>
      {plotted.length === 0 && rows.length > 0 ? (
        <Typography.Text type="secondary" data-testid="quadrant-empty">
          {t('incentives.eval.noPoints')}
        </Typography.Text>
      ) : null}
      <Chart option={option} ariaLabel={t('incentives.eval.quadrant')} height={360} testId="quadrant-chart" />
    </Flex>
  );
}

function NotesModal({ row, period, onClose }: { row: EvaluationRow; period: string; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const notes = useReviewNotes(row.key);
  const add = useAddReviewNote();
  const { user } = useSession();
  const [body, setBody] = useState('');
  const canWrite = ['sales_manager', 'finance', 'admin', 'executive'].includes(user.role);
  return (
    <Modal
      open
      title={t('incentives.notes.title', { name: row.name })}
      onCancel={onClose}
      footer={null}
      width={640}
    >
      <List
        loading={notes.isLoading}
        dataSource={notes.data?.items ?? []}
        locale={{ emptyText: t('incentives.notes.none') }}
        renderItem={(note) => (
          <List.Item>
            <List.Item.Meta
              title={`${note.authorName} · ${note.createdAt.slice(0, 10)}${note.period ? ` · ${note.period}` : ''}`}
              description={
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                  {note.body}
                </Typography.Paragraph>
              }
            />
          </List.Item>
        )}
      />
      {canWrite ? (
        <Flex vertical gap={8}>
          <Input.TextArea
            rows={3}
            value={body}
            maxLength={4000}
            placeholder={t('incentives.notes.placeholder')}
            onChange={(e) => setBody(e.target.value)}
          />
          <Button
            type="primary"
            disabled={body.trim() === ''}
            loading={add.isPending}
            style={{ alignSelf: 'flex-end' }}
            onClick={() =>
              add.mutate(
                { userId: row.key, period, body },
                {
                  onSuccess: () => {
                    setBody('');
                    void message.success(t('incentives.notes.saved'));
                  },
                  onError: (error) => void message.error(errorText(error)),
                },
              )
            }
          >
            {t('incentives.notes.add')}
          </Button>
        </Flex>
      ) : null}
    </Modal>
  );
}

function useColumns(
  tracked: boolean,
  onNotes: ((row: EvaluationRow) => void) | null,
  accountability: boolean,
) {
  const t = useT();
  return useMemo((): TableColumnsType<EvaluationRow> => {
    const columns: TableColumnsType<EvaluationRow> = [
      { key: 'rank', title: t('incentives.eval.rank'), dataIndex: 'rank', width: 64 },
      { key: 'name', title: t('incentives.statements.salesperson'), dataIndex: 'name' },
      {
        key: 'attitude',
        title: t('incentives.eval.attitude'),
        render: (_, row) =>
          row.attitude ? (
            <Tag color={ATTITUDE_COLORS[row.attitude]}>{t(`incentives.attitude.${row.attitude}`)}</Tag>
          ) : (
            '—'
          ),
      },
      {
        key: 'invoiced',
        title: t('incentives.eval.invoiced'),
        align: 'right',
        render: (_, row) => <MoneyText amount={row.invoiced} currency={row.currency} />,
      },
      {
        key: 'collected',
        title: t('incentives.eval.collected'),
        align: 'right',
        render: (_, row) => <MoneyText amount={row.collected} currency={row.currency} />,
      },
      {
        key: 'sales',
        title: t('incentives.eval.salesAchievement'),
        align: 'right',
        render: (_, row) => percentText(row.salesAchievement),
      },
      {
        key: 'coll',
        title: t('incentives.eval.collectionAchievement'),
        align: 'right',
        render: (_, row) => percentText(row.collectionAchievement),
      },
      {
        // Both achievements share one basis (own targets only when both are set), so it is shown once.
        key: 'basis',
        title: t('incentives.eval.basis'),
        render: (_, row) => t(`incentives.eval.basis.${row.achievementBasis}`),
      },
      {
        key: 'rate',
        title: t('incentives.eval.collectionRate'),
        align: 'right',
        render: (_, row) => percentText(row.collectionRate),
      },
      {
        key: 'dso',
        title: t('incentives.eval.dso'),
        align: 'right',
        render: (_, row) => (row.dso === null ? '—' : row.dso.toFixed(1)),
      },
      {
        key: 'overdue',
        title: t('incentives.eval.overdueShare'),
        align: 'right',
        render: (_, row) => percentText(row.overdueShare),
      },
      {
        key: 'broken',
        title: t('incentives.eval.brokenPromises'),
        align: 'right',
        render: (_, row) => (tracked ? (row.brokenPromises ?? 0) : t('incentives.eval.notTracked')),
      },
    ];
    if (accountability) {
      columns.push({
        key: 'shortfall',
        title: t('incentives.eval.shortfall'),
        align: 'right',
        render: (_, row) =>
          row.accountabilityShortfall === null ? (
            '—'
          ) : (
            <MoneyText amount={row.accountabilityShortfall} currency={row.currency} />
          ),
      });
    }
    if (onNotes) {
      columns.push({
        key: 'notes',
        title: '',
        render: (_, row) => (
          <Button size="small" onClick={() => onNotes(row)}>
            {t('incentives.notes.open')}
          </Button>
        ),
      });
    }
    return columns;
  }, [t, tracked, onNotes, accountability]);
}

/** 业绩评估: the four attitudes as a quadrant, the ranking, and the manager's review notes. */
export function EvaluationTab() {
  const t = useT();
  const [period, setPeriod] = useState(currentMonth());
  const [draft, setDraft] = useState(period);
  const [notesFor, setNotesFor] = useState<EvaluationRow | null>(null);
  const evaluation = useEvaluation(period);
  const data = evaluation.data;
  const columns = useColumns(
    data?.brokenPromisesTracked ?? false,
    setNotesFor,
    data?.accountabilityMode ?? false,
  );
  const teamColumns = useColumns(data?.brokenPromisesTracked ?? false, null, false);
  return (
    <Flex vertical gap={16}>
      <Space>
        <Typography.Text>{t('incentives.period')}</Typography.Text>
        <Input
          value={draft}
          style={{ width: 140 }}
          status={isPeriod(draft) ? undefined : 'error'}
          data-testid="evaluation-period"
          onChange={(event) => {
            setDraft(event.target.value);
            if (isPeriod(event.target.value)) setPeriod(event.target.value);
          }}
        />
      </Space>
      {evaluation.error ? <ErrorAlert error={evaluation.error} /> : null}
      <Card size="small" title={t('incentives.eval.quadrant')}>
        <QuadrantChart rows={data?.salespeople ?? []} />
      </Card>
      <Card size="small" title={t('incentives.eval.salespeople')}>
        <Table
          rowKey="key"
          size="small"
          pagination={false}
          loading={evaluation.isLoading}
          columns={columns}
          dataSource={data?.salespeople ?? []}
          data-testid="evaluation-table"
          scroll={{ x: true }}
        />
      </Card>
      {(data?.teams.length ?? 0) > 0 ? (
        <Card size="small" title={t('incentives.eval.teams')}>
          <Table
            rowKey="key"
            size="small"
            pagination={false}
            columns={teamColumns}
            dataSource={data?.teams ?? []}
            scroll={{ x: true }}
          />
        </Card>
      ) : null}
      {notesFor ? <NotesModal row={notesFor} period={period} onClose={() => setNotesFor(null)} /> : null}
    </Flex>
  );
}
