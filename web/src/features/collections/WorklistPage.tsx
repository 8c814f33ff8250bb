import type { WorklistRow } from '@huikuan/core/contracts';
import {
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Flex,
  Input,
  Modal,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { useT } from '../../app/locale';
import { useCan, useSession } from '../../app/session';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useErrorText } from '../../ui/errors';
import { useToday } from '../../ui/form-date';
import { LoadMore } from '../../ui/LoadMore';
import { MoneyText } from '../../ui/MoneyText';
import { Page } from '../../ui/Page';
import { useUserOptions } from '../users/api';
import { useBulkWorklist, useRefreshWorklist, useWorklist, type WorklistFilters } from './api';
import { ApproachTag, nextStepText, ReasonsText, scoreColor, typeOptions } from './labels';

type BulkKind = 'assign_collector' | 'set_delinquency_type' | 'create_call_tasks' | 'snooze';

/**
 * 催收工作台: the caller's cases (or everyone's in their scope) by priority, with the reasons, the suggested
 * approach (文收/武收) and the next step; overdue invoices beneath each customer; bulk actions on the selection.
 */
export function WorklistPage() {
  const t = useT();
  const can = useCan();
  const { message } = App.useApp();
  const errorText = useErrorText();
  // A salesperson starts with their own cases; managers, finance and legal with everyone in their scope.
  const { recordScope } = useSession();
  const [filters, setFilters] = useState<WorklistFilters>({
    collector: recordScope.kind === 'own' ? 'mine' : 'all',
  });
  const [selected, setSelected] = useState<string[]>([]);
  const [bulk, setBulk] = useState<BulkKind | null>(null);
  const worklist = useWorklist(filters);
  const refresh = useRefreshWorklist();
  const rows = worklist.data?.pages.flatMap((page) => page.items) ?? [];
  const refreshedAt = worklist.data?.pages[0]?.refreshedAt ?? null;
  const canWrite = can('records.write');
  const onRefresh = () =>
    refresh.mutate(undefined, {
      onSuccess: (result) =>
        void message.success(t('collections.worklist.refreshed', { count: result.cases })),
      onError: (error) => void message.error(errorText(error)),
    });
  return (
    <Page
      title={t('collections.worklist.title')}
      extra={
        <Space>
          <Typography.Text type="secondary" data-testid="worklist-refreshed-at">
            {refreshedAt === null ? (
              t('collections.worklist.neverRefreshed')
            ) : (
              <>
                {t('collections.worklist.refreshedAt', { time: '' })}
                <DateText value={refreshedAt} />
              </>
            )}
          </Typography.Text>
          {canWrite ? (
            <Button onClick={onRefresh} loading={refresh.isPending} data-testid="worklist-refresh">
              {t('collections.worklist.refresh')}
            </Button>
          ) : null}
        </Space>
      }
    >
      <Card>
        <Flex vertical gap={12}>
          <WorklistFilterBar filters={filters} onChange={setFilters} />
          {canWrite ? (
            <Flex gap={8} wrap align="center">
              <Typography.Text type="secondary">
                {t('collections.worklist.selected', { count: selected.length })}
              </Typography.Text>
              {(['assign_collector', 'set_delinquency_type', 'create_call_tasks', 'snooze'] as const).map(
                (kind) => (
                  <Button
                    key={kind}
                    size="small"
                    disabled={selected.length === 0}
                    onClick={() => setBulk(kind)}
                    data-testid={`worklist-bulk-${kind}`}
                  >
                    {t(BULK_LABELS[kind])}
                  </Button>
                ),
              )}
            </Flex>
          ) : null}
          {worklist.isError ? (
            <ErrorAlert error={worklist.error} onRetry={() => void worklist.refetch()} />
          ) : null}
          <WorklistTable
            rows={rows}
            isLoading={worklist.isPending}
            selected={selected}
            onSelect={setSelected}
          />
          <LoadMore
            hasNextPage={worklist.hasNextPage}
            isFetchingNextPage={worklist.isFetchingNextPage}
            onLoadMore={() => void worklist.fetchNextPage()}
          />
        </Flex>
      </Card>
      {bulk === null ? null : (
        <BulkModal
          kind={bulk}
          customerIds={selected}
          onClose={(isDone) => {
            setBulk(null);
            if (isDone) setSelected([]);
          }}
        />
      )}
    </Page>
  );
}

const BULK_LABELS = {
  assign_collector: 'collections.bulk.assign',
  set_delinquency_type: 'collections.bulk.type',
  create_call_tasks: 'collections.bulk.callTasks',
  snooze: 'collections.bulk.snooze',
} as const;

function WorklistFilterBar({
  filters,
  onChange,
}: {
  filters: WorklistFilters;
  onChange: (filters: WorklistFilters) => void;
}) {
  const t = useT();
  const can = useCan();
  const users = useUserOptions({ enabled: can('users.read') });
  return (
    <Flex gap={8} wrap align="center">
      <Segmented
        value={filters.collector === 'mine' || filters.collector === 'all' ? filters.collector : 'user'}
        onChange={(value) => onChange({ ...filters, collector: value === 'user' ? 'mine' : String(value) })}
        options={[
          { value: 'mine', label: t('collections.worklist.collector.mine') },
          { value: 'all', label: t('collections.worklist.collector.all') },
        ]}
        data-testid="worklist-collector"
      />
      {can('users.read') ? (
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('collections.worklist.collector')}
          value={filters.collector === 'mine' || filters.collector === 'all' ? undefined : filters.collector}
          onChange={(value?: string) => onChange({ ...filters, collector: value ?? 'all' })}
          options={(users.data ?? []).map((user) => ({ value: user.id, label: user.name }))}
        />
      ) : null}
      <Input.Search
        allowClear
        style={{ width: 200 }}
        placeholder={t('collections.worklist.search')}
        onSearch={(search) => onChange({ ...filters, search })}
      />
      <Select
        allowClear
        style={{ width: 120 }}
        placeholder={t('collections.col.approach')}
        value={filters.approach}
        onChange={(approach?: string) => onChange({ ...filters, approach })}
        options={[
          { value: 'soft', label: t('collections.approach.soft') },
          { value: 'hard', label: t('collections.approach.hard') },
        ]}
      />
      <Select
        allowClear
        style={{ width: 150 }}
        placeholder={t('collections.case.type')}
        value={filters.delinquencyType}
        onChange={(delinquencyType?: string) => onChange({ ...filters, delinquencyType })}
        options={typeOptions(t)}
      />
      <Checkbox
        checked={filters.brokenPromiseOnly ?? false}
        onChange={(event) => onChange({ ...filters, brokenPromiseOnly: event.target.checked })}
        data-testid="worklist-broken-only"
      >
        {t('collections.worklist.brokenOnly')}
      </Checkbox>
      <Checkbox
        checked={filters.includeSnoozed ?? false}
        onChange={(event) => onChange({ ...filters, includeSnoozed: event.target.checked })}
      >
        {t('collections.worklist.includeSnoozed')}
      </Checkbox>
    </Flex>
  );
}

function WorklistTable({
  rows,
  isLoading,
  selected,
  onSelect,
}: {
  rows: WorklistRow[];
  isLoading: boolean;
  selected: string[];
  onSelect: (ids: string[]) => void;
}) {
  const t = useT();
  const today = useToday();
  return (
    <Table<WorklistRow>
      rowKey="customerId"
      size="small"
      loading={isLoading}
      dataSource={rows}
      pagination={false}
      data-testid="worklist-table"
      locale={{ emptyText: t('collections.worklist.empty') }}
      rowSelection={{ selectedRowKeys: selected, onChange: (keys) => onSelect(keys.map(String)) }}
      expandable={{
        rowExpandable: (row) => row.invoices.length > 0,
        expandedRowRender: (row) => <InvoicesBeneath row={row} />,
      }}
      columns={[
        {
          title: t('collections.col.score'),
          width: 80,
          render: (_v, row) => (
            <Tag color={scoreColor(row.score)} data-testid="case-score">
              {row.score}
            </Tag>
          ),
        },
        {
          title: t('collections.col.customer'),
          render: (_v, row) => (
            <Flex vertical gap={2}>
              <Space size={4} wrap>
                <Link to={`/collections/${row.customerId}`} data-testid="case-link">
                  {`${row.customerCode} · ${row.customerName}`}
                </Link>
                {row.hasBrokenPromise ? (
                  <Tag color="red" data-testid="case-broken-tag">
                    {t('collections.brokenTag')}
                  </Tag>
                ) : null}
                {row.openPromiseUntil ? <Tag color="blue">{t('collections.promisedTag')}</Tag> : null}
                {row.snoozedUntil && row.snoozedUntil > today ? (
                  <Tag>{t('collections.snoozedTag', { date: row.snoozedUntil })}</Tag>
                ) : null}
              </Space>
              <ReasonsText reasons={row.reasons} />
            </Flex>
          ),
        },
        {
          title: t('collections.col.overdue'),
          align: 'right',
          render: (_v, row) => (
            <Flex vertical align="end">
              <MoneyText amount={row.overdue} currency={row.currency} />
              {row.otherCurrencies.length > 0 ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('collections.otherCurrencies', { currencies: row.otherCurrencies.join('、') })}
                </Typography.Text>
              ) : null}
            </Flex>
          ),
        },
        {
          title: t('collections.col.days'),
          render: (_v, row) =>
            row.maxDaysOverdue > 0 ? t('collections.days', { days: row.maxDaysOverdue }) : '—',
        },
        { title: t('collections.col.approach'), render: (_v, row) => <ApproachTag row={row} /> },
        {
          title: t('collections.col.nextStep'),
          render: (_v, row) => <span data-testid="case-next-step">{nextStepText(t, row.nextStep)}</span>,
        },
        { title: t('collections.col.collector'), render: (_v, row) => row.collectorName ?? '—' },
      ]}
    />
  );
}

function InvoicesBeneath({ row }: { row: WorklistRow }) {
  const t = useT();
  return (
    <Table
      rowKey="invoiceId"
      size="small"
      pagination={false}
      dataSource={row.invoices}
      columns={[
        {
          title: t('collections.col.invoice'),
          render: (_v, invoice) => <Link to={`/invoices/${invoice.invoiceId}`}>{invoice.number}</Link>,
        },
        { title: t('collections.col.dueDate'), dataIndex: 'dueDate' },
        {
          title: t('collections.col.days'),
          render: (_v, invoice) => t('collections.days', { days: invoice.daysOverdue }),
        },
        {
          title: t('collections.col.open'),
          align: 'right',
          render: (_v, invoice) => <MoneyText amount={invoice.open} currency={invoice.currency} />,
        },
        {
          title: t('collections.col.disputed'),
          align: 'right',
          render: (_v, invoice) =>
            invoice.disputed === '0.00' || /^0(\.0+)?$/.test(invoice.disputed) ? (
              '—'
            ) : (
              <MoneyText amount={invoice.disputed} currency={invoice.currency} />
            ),
        },
        {
          title: '',
          render: (_v, invoice) =>
            invoice.isPromised ? <Tag color="blue">{t('collections.promisedTag')}</Tag> : null,
        },
      ]}
    />
  );
}

function BulkModal({
  kind,
  customerIds,
  onClose,
}: {
  kind: BulkKind;
  customerIds: string[];
  onClose: (isDone: boolean) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const can = useCan();
  const users = useUserOptions({ enabled: kind === 'assign_collector' && can('users.read') });
  const today = useToday();
  const bulk = useBulkWorklist();
  const [value, setValue] = useState<string | null>(kind === 'create_call_tasks' ? today : null);
  const submit = () => {
    const body =
      kind === 'assign_collector'
        ? { action: kind, customerIds, collectorUserId: value }
        : kind === 'set_delinquency_type'
          ? { action: kind, customerIds, delinquencyType: value as never }
          : kind === 'snooze'
            ? { action: kind, customerIds, snoozedUntil: value }
            : { action: kind, customerIds, dueOn: value ?? today };
    bulk.mutate(body, {
      onSuccess: (result) => {
        void message.success(t('collections.bulk.done', { count: result.updated }));
        onClose(true);
      },
      onError: (error) => void message.error(errorText(error)),
    });
  };
  const isDate = kind === 'create_call_tasks' || kind === 'snooze';
  return (
    <Modal
      open
      title={t(BULK_LABELS[kind])}
      onCancel={() => onClose(false)}
      onOk={submit}
      confirmLoading={bulk.isPending}
      okButtonProps={{ 'data-testid': 'worklist-bulk-submit' }}
    >
      <Typography.Paragraph type="secondary">
        {t('collections.worklist.selected', { count: customerIds.length })}
      </Typography.Paragraph>
      {isDate ? (
        <DatePicker
          allowClear={kind === 'snooze'}
          value={value ? dayjs(value) : null}
          onChange={(date) => setValue(date ? date.format('YYYY-MM-DD') : null)}
          placeholder={t(kind === 'snooze' ? 'collections.bulk.snoozeUntil' : 'collections.bulk.dueOn')}
          data-testid="worklist-bulk-date"
        />
      ) : (
        <Select
          allowClear
          style={{ width: '100%' }}
          value={value ?? undefined}
          onChange={(next?: string) => setValue(next ?? null)}
          placeholder={t('collections.bulk.clear')}
          options={
            kind === 'set_delinquency_type'
              ? typeOptions(t)
              : (users.data ?? []).map((user) => ({ value: user.id, label: user.name }))
          }
          data-testid="worklist-bulk-select"
        />
      )}
    </Modal>
  );
}
