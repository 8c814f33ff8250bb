import type { MessageChannel } from '@huikuan/core';
import { MESSAGE_CHANNELS } from '@huikuan/core';
import type { MessageStatusFilter, OutboundMessage } from '@huikuan/core/contracts';
import { App, Button, Card, Flex, Popconfirm, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useT } from '../../app/locale';
import { useCan, useSession } from '../../app/session';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useErrorText } from '../../ui/errors';
import { LoadMore } from '../../ui/LoadMore';
import { Page } from '../../ui/Page';
import { useDeliverNow, useDismissMessage, useMessages, useResendMessage } from './api';
import { channelLabel, deliveryErrorText, MessageStatusTag } from './labels';
import { MessageDrawer } from './MessageDrawer';

const STATUS_FILTERS: readonly MessageStatusFilter[] = ['problem', 'queued', 'sent', 'dismissed'];
type StatusChoice = MessageStatusFilter | 'all';

const RESENDABLE = new Set(['failed', 'dead', 'unknown', 'dismissed']);
const DISMISSABLE = new Set(['queued', 'failed', 'dead', 'unknown']);

/** 发送记录: every message with its delivery result; problems first, with resend and dismiss. */
export function MessageLogPage() {
  const t = useT();
  const { user } = useSession();
  const canWrite = useCan()('records.write');
  const [searchParams, setSearchParams] = useSearchParams();
  const customerId = searchParams.get('customerId') ?? undefined;
  const [status, setStatus] = useState<StatusChoice>('all');
  const [channel, setChannel] = useState<MessageChannel | undefined>(undefined);
  const [openId, setOpenId] = useState<string | null>(null);
  const messages = useMessages({ status: status === 'all' ? undefined : status, channel, customerId });
  const rows = messages.data?.pages.flatMap((page) => page.items) ?? [];
  const canDeliver = user.role === 'admin' || user.role === 'finance';

  return (
    <Page title={t('messaging.log.title')} extra={canDeliver ? <DeliverNowButton /> : null}>
      <Card>
        <Flex vertical gap={16}>
          <Typography.Text type="secondary">{t('messaging.log.help')}</Typography.Text>
          <Flex wrap gap={8} align="center">
            <Segmented<StatusChoice>
              value={status}
              onChange={setStatus}
              data-testid="message-status-filter"
              options={(['all', ...STATUS_FILTERS] as const).map((value) => ({
                value,
                label: t(`messaging.status.${value}`),
              }))}
            />
            <Select<MessageChannel>
              allowClear
              style={{ minWidth: 160 }}
              placeholder={t('messaging.log.allChannels')}
              value={channel}
              onChange={(value) => setChannel(value)}
              options={MESSAGE_CHANNELS.map((value) => ({ value, label: channelLabel(t, value) }))}
              data-testid="message-channel-filter"
            />
            {customerId ? (
              <Tag closable onClose={() => setSearchParams({})}>
                {`${t('messaging.log.customer')}: ${rows[0]?.customerName ?? customerId}`}
              </Tag>
            ) : null}
          </Flex>
          {messages.isError ? (
            <ErrorAlert error={messages.error} onRetry={() => void messages.refetch()} />
          ) : null}
          <MessageTable rows={rows} isLoading={messages.isPending} canWrite={canWrite} onOpen={setOpenId} />
          <LoadMore
            hasNextPage={messages.hasNextPage}
            isFetchingNextPage={messages.isFetchingNextPage}
            onLoadMore={() => void messages.fetchNextPage()}
          />
        </Flex>
      </Card>
      <MessageDrawer messageId={openId} onClose={() => setOpenId(null)} />
    </Page>
  );
}

function DeliverNowButton() {
  const t = useT();
  const deliver = useDeliverNow();
  const { message } = App.useApp();
  const errorText = useErrorText();
  return (
    <Button
      loading={deliver.isPending}
      data-testid="deliver-now"
      onClick={() =>
        deliver.mutate(undefined, {
          onSuccess: (report) => void message.success(t('messaging.log.delivered', { ...report })),
          onError: (error) => void message.error(errorText(error)),
        })
      }
    >
      {t('messaging.log.deliverNow')}
    </Button>
  );
}

type MessageTableProps = {
  rows: OutboundMessage[];
  isLoading: boolean;
  canWrite: boolean;
  onOpen: (id: string) => void;
};

function MessageTable({ rows, isLoading, canWrite, onOpen }: MessageTableProps) {
  const t = useT();
  return (
    <Table<OutboundMessage>
      rowKey="id"
      size="small"
      loading={isLoading}
      dataSource={rows}
      pagination={false}
      locale={{ emptyText: t('messaging.log.empty') }}
      data-testid="message-log-table"
      scroll={{ x: 1100 }}
      columns={[
        {
          title: t('messaging.log.createdAt'),
          width: 150,
          render: (_v, row) => <DateText value={row.createdAt} />,
        },
        { title: t('messaging.log.channel'), width: 100, render: (_v, row) => channelLabel(t, row.channel) },
        {
          title: t('messaging.log.customer'),
          width: 160,
          render: (_v, row) =>
            row.customerId ? <Link to={`/customers/${row.customerId}`}>{row.customerName}</Link> : '—',
        },
        {
          title: t('messaging.log.recipient'),
          render: (_v, row) => recipientText(row, t('messaging.log.group')),
        },
        {
          title: t('messaging.log.subject'),
          render: (_v, row) => (
            <Typography.Link onClick={() => onOpen(row.id)} data-testid="message-subject">
              {row.subject}
            </Typography.Link>
          ),
        },
        {
          title: t('messaging.log.result'),
          render: (_v, row) => <ResultCell row={row} />,
        },
        {
          title: t('common.actions'),
          width: 170,
          fixed: 'right',
          render: (_v, row) => (canWrite ? <RowActions row={row} /> : null),
        },
      ]}
    />
  );
}

function recipientText(row: OutboundMessage, groupLabel: string): string {
  if (row.channel === 'wecom' || row.channel === 'dingtalk' || row.channel === 'feishu') return groupLabel;
  if (row.recipient === null) return '—';
  // In-app recipients are users: their name reads better than their id.
  if (row.channel === 'in_app') return row.recipientName ?? row.recipient;
  return row.recipientName ? `${row.recipientName} <${row.recipient}>` : row.recipient;
}

function ResultCell({ row }: { row: OutboundMessage }) {
  const t = useT();
  return (
    <Flex vertical gap={2} align="flex-start">
      <MessageStatusTag status={row.status} />
      {row.lastError ? (
        <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid="message-error">
          {deliveryErrorText(t, row.lastError)}
        </Typography.Text>
      ) : null}
      {row.status === 'failed' && row.nextAttemptAt ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('messaging.log.nextAttempt')}: <DateText value={row.nextAttemptAt} />
        </Typography.Text>
      ) : null}
      {row.status === 'sent' ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          <DateText value={row.sentAt} />
        </Typography.Text>
      ) : null}
    </Flex>
  );
}

function RowActions({ row }: { row: OutboundMessage }) {
  const t = useT();
  const resend = useResendMessage();
  const dismiss = useDismissMessage();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const onError = (error: unknown) => void message.error(errorText(error));
  return (
    <Space size={4}>
      {RESENDABLE.has(row.status) ? (
        <Button
          size="small"
          loading={resend.isPending}
          data-testid="message-resend"
          onClick={() =>
            resend.mutate(row.id, {
              onSuccess: () => void message.success(t('messaging.log.resent')),
              onError,
            })
          }
        >
          {t('messaging.log.resend')}
        </Button>
      ) : null}
      {DISMISSABLE.has(row.status) ? (
        <Popconfirm
          title={t('messaging.log.confirmDismiss')}
          onConfirm={() =>
            dismiss.mutate(row.id, {
              onSuccess: () => void message.success(t('messaging.log.dismissed')),
              onError,
            })
          }
        >
          <Button size="small" loading={dismiss.isPending} data-testid="message-dismiss">
            {t('messaging.log.dismiss')}
          </Button>
        </Popconfirm>
      ) : null}
    </Space>
  );
}
