import type { Target, TargetRequest } from '@huikuan/core/contracts';
import {
  App,
  Button,
  Card,
  Checkbox,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Select,
  Space,
  Table,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useMemo, useState } from 'react';
import { useT } from '../../app/locale';
import { useSession } from '../../app/session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useErrorText } from '../../ui/errors';
import { MoneyText } from '../../ui/MoneyText';
import { useTeams } from '../teams/api';
import { useUserOptions } from '../users/api';
import { useCreateTarget, useDeleteTarget, useSplitTarget, useTargets } from './api';
import { currentMonth, isPeriod, percentText } from './period';

type LineForm = { dimension: 'class' | 'vintage'; key: string; weight: number; amount: string };
type TargetForm = { amount: string; carryShortfall: boolean; lines?: LineForm[] };

function ProgressCell({ target }: { target: Target }) {
  const percent = target.completion === null ? 0 : Math.round(target.completion * 1000) / 10;
  return (
    <Progress
      percent={Math.min(percent, 100)}
      format={() => percentText(target.completion)}
      status={percent >= 100 ? 'success' : 'active'}
      size="small"
      data-testid={`progress-${target.level}-${target.name}`}
    />
  );
}

function useColumns(onSplit: ((target: Target) => void) | null, onDelete: ((target: Target) => void) | null) {
  const t = useT();
  return useMemo((): TableColumnsType<Target> => {
    const money = (pick: (target: Target) => string) => (_: unknown, target: Target) => (
      <MoneyText amount={pick(target)} currency={target.currency} />
    );
    const columns: TableColumnsType<Target> = [
      {
        key: 'level',
        title: t('incentives.targets.level'),
        render: (_, row) => t(`incentives.targets.level.${row.level}`),
      },
      { key: 'name', title: t('incentives.targets.subject'), dataIndex: 'name' },
      { key: 'measure', title: '', render: (_, row) => t(`incentives.targets.measure.${row.measure}`) },
      {
        key: 'target',
        title: t('incentives.targets.target'),
        align: 'right',
        render: money((row) => row.effectiveTarget),
      },
      {
        key: 'carried',
        title: t('incentives.targets.carriedIn'),
        align: 'right',
        render: money((row) => row.carriedIn),
      },
      {
        key: 'actual',
        title: t('incentives.targets.actual'),
        align: 'right',
        render: money((row) => row.actual),
      },
      {
        key: 'progress',
        title: t('incentives.targets.progress'),
        width: 180,
        render: (_, row) => <ProgressCell target={row} />,
      },
      {
        key: 'weighted',
        title: t('incentives.targets.weighted'),
        align: 'right',
        render: (_, row) => percentText(row.weightedCompletion),
      },
      {
        key: 'shortfall',
        title: t('incentives.targets.shortfall'),
        align: 'right',
        render: money((row) => row.shortfall),
      },
    ];
    if (onSplit === null || onDelete === null) return columns;
    return [
      ...columns,
      {
        key: 'actions',
        title: t('common.actions'),
        render: (_, row) => (
          <Space>
            {row.level !== 'salesperson' ? (
              <Button size="small" onClick={() => onSplit(row)} data-testid={`split-${row.level}`}>
                {t('incentives.targets.split')}
              </Button>
            ) : null}
            <Button size="small" danger onClick={() => onDelete(row)}>
              {t('common.delete')}
            </Button>
          </Space>
        ),
      },
    ];
  }, [t, onSplit, onDelete]);
}

const CLASS_KEYS = ['normal', 'abnormal', 'key', 'non_key'] as const;

function TargetLines() {
  const t = useT();
  return (
    <Form.List name="lines">
      {(fields, { add, remove }) => (
        <Flex vertical gap={8}>
          <Typography.Text type="secondary">{t('incentives.targets.lines')}</Typography.Text>
          {fields.map((field) => (
            <Space key={field.key} align="baseline" wrap>
              <Form.Item name={[field.name, 'dimension']} initialValue="vintage" noStyle>
                <Select
                  style={{ width: 120 }}
                  options={[
                    { value: 'vintage', label: t('incentives.targets.vintage') },
                    { value: 'class', label: t('incentives.targets.class') },
                  ]}
                />
              </Form.Item>
              <Form.Item name={[field.name, 'key']} rules={[{ required: true }]} noStyle>
                <Select
                  style={{ width: 140 }}
                  placeholder={t('incentives.targets.key')}
                  options={[
                    ...CLASS_KEYS.map((key) => ({ value: key, label: t(`incentives.class.${key}`) })),
                    ...[0, 1, 2, 3, 4].map((back) => {
                      const year = String(new Date().getFullYear() - back);
                      return { value: year, label: year };
                    }),
                  ]}
                />
              </Form.Item>
              <Form.Item name={[field.name, 'weight']} initialValue={1} noStyle>
                <InputNumber min={0} max={1000} placeholder={t('incentives.targets.weight')} />
              </Form.Item>
              <Form.Item name={[field.name, 'amount']} rules={[{ required: true }]} noStyle>
                <Input style={{ width: 140 }} placeholder={t('incentives.targets.amount')} />
              </Form.Item>
              <Button onClick={() => remove(field.name)}>{t('common.delete')}</Button>
            </Space>
          ))}
          <Button onClick={() => add()} style={{ alignSelf: 'flex-start' }}>
            {t('incentives.targets.addLine')}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}

function NewTargetCard({ period }: { period: string }) {
  const t = useT();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [form] = Form.useForm<TargetForm>();
  const create = useCreateTarget();
  const submit = (values: TargetForm) => {
    const request: TargetRequest = {
      period,
      level: 'organization',
      amount: values.amount,
      carryShortfall: values.carryShortfall,
      lines: (values.lines ?? []).map((line) => ({ ...line, weight: line.weight })),
    };
    create.mutate(request, {
      onSuccess: () => {
        void message.success(t('incentives.targets.saved'));
        form.resetFields();
      },
      onError: (error) => void message.error(errorText(error)),
    });
  };
  return (
    <Card title={t('incentives.targets.new')} size="small">
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ carryShortfall: false }}>
        <Space align="end" wrap>
          <Form.Item name="amount" label={t('incentives.targets.amount')} rules={[{ required: true }]}>
            <Input style={{ width: 180 }} data-testid="target-amount" />
          </Form.Item>
          <Form.Item name="carryShortfall" valuePropName="checked">
            <Checkbox>{t('incentives.targets.carry')}</Checkbox>
          </Form.Item>
        </Space>
        <TargetLines />
        <Button
          type="primary"
          htmlType="submit"
          loading={create.isPending}
          style={{ marginTop: 12 }}
          data-testid="target-save"
        >
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}

type Part = { kind: 'team' | 'salesperson'; id: string; weight: number };

function SplitModal({ target, onClose }: { target: Target; onClose: () => void }) {
  const t = useT();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const teams = useTeams();
  const users = useUserOptions();
  const split = useSplitTarget();
  const [parts, setParts] = useState<Part[]>([]);
  const options = [
    ...(target.level === 'organization'
      ? (teams.data ?? []).map((team) => ({
          value: `team:${team.id}`,
          label: `${t('incentives.targets.team')} · ${team.name}`,
        }))
      : []),
    ...(users.data ?? []).map((user) => ({
      value: `salesperson:${user.id}`,
      label: `${t('incentives.targets.salesperson')} · ${user.name}`,
    })),
  ];
  const submit = () =>
    split.mutate(
      {
        id: target.id,
        parts: parts.map((part) =>
          part.kind === 'team'
            ? { teamId: part.id, weight: part.weight }
            : { userId: part.id, weight: part.weight },
        ),
      },
      {
        onSuccess: () => {
          void message.success(t('incentives.targets.saved'));
          onClose();
        },
        onError: (error) => void message.error(errorText(error)),
      },
    );
  return (
    <Modal
      open
      title={t('incentives.targets.splitTitle', { name: target.name })}
      onCancel={onClose}
      onOk={submit}
      okButtonProps={{ disabled: parts.length === 0, loading: split.isPending, id: 'split-save' }}
      width={640}
    >
      <Typography.Paragraph type="secondary">{t('incentives.targets.splitHint')}</Typography.Paragraph>
      <Flex vertical gap={8}>
        {parts.map((part, index) => (
          <Space key={`${part.kind}:${part.id}`}>
            <Typography.Text style={{ minWidth: 240, display: 'inline-block' }}>
              {options.find((option) => option.value === `${part.kind}:${part.id}`)?.label}
            </Typography.Text>
            <InputNumber
              min={0}
              value={part.weight}
              data-testid={`split-weight-${index}`}
              onChange={(value) =>
                setParts(parts.map((p, i) => (i === index ? { ...p, weight: Number(value ?? 0) } : p)))
              }
            />
            <Button onClick={() => setParts(parts.filter((_, i) => i !== index))}>
              {t('common.delete')}
            </Button>
          </Space>
        ))}
        <Select
          placeholder={t('incentives.targets.addPart')}
          value={null}
          data-testid="split-add"
          showSearch
          optionFilterProp="label"
          options={options.filter((option) => !parts.some((p) => `${p.kind}:${p.id}` === option.value))}
          onChange={(value: string) => {
            const [kind, id] = value.split(':');
            setParts([...parts, { kind: kind === 'team' ? 'team' : 'salesperson', id: id ?? '', weight: 1 }]);
          }}
        />
      </Flex>
    </Modal>
  );
}

/** 回款目标: the period's organization target, its split to teams and people, and live progress. */
export function TargetsTab() {
  const t = useT();
  const { user } = useSession();
  const { modal, message } = App.useApp();
  const errorText = useErrorText();
  const [period, setPeriod] = useState(currentMonth());
  const [draft, setDraft] = useState(period);
  const [splitting, setSplitting] = useState<Target | null>(null);
  const targets = useTargets(period);
  const remove = useDeleteTarget();
  const canSet = ['admin', 'finance', 'sales_manager'].includes(user.role);
  const onDelete = (target: Target) =>
    void modal.confirm({
      title: t('common.delete'),
      onOk: () =>
        remove.mutateAsync(target.id).then(
          () => void message.success(t('incentives.targets.deleted')),
          (error: unknown) => void message.error(errorText(error)),
        ),
    });
  const columns = useColumns(canSet ? setSplitting : null, canSet ? onDelete : null);
  const items = targets.data?.items ?? [];
  const hasOrganization = items.some(
    (item) => item.level === 'organization' && item.measure === 'collection',
  );
  return (
    <Flex vertical gap={16}>
      <Space>
        <Typography.Text>{t('incentives.period')}</Typography.Text>
        <Input
          value={draft}
          status={isPeriod(draft) ? undefined : 'error'}
          title={t('incentives.periodHint')}
          style={{ width: 140 }}
          data-testid="targets-period"
          onChange={(event) => {
            setDraft(event.target.value);
            if (isPeriod(event.target.value)) setPeriod(event.target.value);
          }}
        />
        <Typography.Text type="secondary">{t('incentives.periodHint')}</Typography.Text>
      </Space>
      {targets.error ? <ErrorAlert error={targets.error} /> : null}
      <Table
        rowKey="id"
        size="small"
        loading={targets.isLoading}
        columns={columns}
        dataSource={items}
        pagination={false}
        locale={{ emptyText: t('incentives.targets.none') }}
        data-testid="targets-table"
        expandable={{
          rowExpandable: (row) => row.lines.length > 0,
          expandedRowRender: (row) => (
            <Table
              rowKey={(line) => `${line.dimension}:${line.key}`}
              size="small"
              pagination={false}
              dataSource={row.lines}
              columns={[
                {
                  key: 'key',
                  title: t('incentives.targets.key'),
                  render: (_, line) =>
                    line.dimension === 'class'
                      ? t(`incentives.class.${line.key as (typeof CLASS_KEYS)[number]}`)
                      : line.key,
                },
                { key: 'weight', title: t('incentives.targets.weight'), dataIndex: 'weight' },
                {
                  key: 'target',
                  title: t('incentives.targets.target'),
                  render: (_, line) => <MoneyText amount={line.target} currency={row.currency} />,
                },
                {
                  key: 'collected',
                  title: t('incentives.targets.actual'),
                  render: (_, line) => <MoneyText amount={line.collected} currency={row.currency} />,
                },
                {
                  key: 'completion',
                  title: t('incentives.targets.progress'),
                  render: (_, line) => percentText(line.completion),
                },
              ]}
            />
          ),
        }}
      />
      {canSet && !hasOrganization && (user.role === 'admin' || user.role === 'finance') ? (
        <NewTargetCard period={period} />
      ) : null}
      {splitting ? <SplitModal target={splitting} onClose={() => setSplitting(null)} /> : null}
    </Flex>
  );
}
