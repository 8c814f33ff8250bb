import { PlusOutlined } from '@ant-design/icons';
import type { ApiToken } from '@huikuan/core/contracts';
import {
  App,
  Button,
  Card,
  Empty,
  Flex,
  Popconfirm,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useState } from 'react';
import { useT } from '../../app/locale';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useErrorText } from '../../ui/errors';
import { Page } from '../../ui/Page';
import { useApiTokens, useRevokeApiToken } from './api';
import { CreateTokenModal } from './CreateTokenModal';

type TokenStatus = 'active' | 'revoked' | 'expired';

function statusOf(token: ApiToken, now: number): TokenStatus {
  if (token.revokedAt !== null) return 'revoked';
  if (token.expiresAt !== null && Date.parse(token.expiresAt) <= now) return 'expired';
  return 'active';
}

const STATUS_COLORS: Record<TokenStatus, string> = { active: 'green', revoked: 'default', expired: 'orange' };

function useRevokeWithFeedback() {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const mutation = useRevokeApiToken();
  const revoke = (token: ApiToken) =>
    mutation.mutate(token.id, {
      onSuccess: () => void message.success(t('tokens.revoked')),
      onError: (error) => void message.error(errorText(error)),
    });
  return { revoke, revokingId: mutation.isPending ? (mutation.variables ?? null) : null };
}

function useTokenColumns(): TableColumnsType<ApiToken> {
  const t = useT();
  const { revoke, revokingId } = useRevokeWithFeedback();
  const now = Date.now();
  return [
    { key: 'name', title: t('tokens.name'), dataIndex: 'name' },
    {
      key: 'prefix',
      title: t('tokens.prefix'),
      render: (_, token) => <Typography.Text code>{token.prefix}…</Typography.Text>,
    },
    {
      key: 'scopes',
      title: t('tokens.scopes'),
      render: (_, token) => token.scopes.map((scope) => <Tag key={scope}>{t(`tokens.scope.${scope}`)}</Tag>),
    },
    {
      key: 'status',
      title: t('common.status'),
      render: (_, token) => {
        const status = statusOf(token, now);
        return <Tag color={STATUS_COLORS[status]}>{t(`tokens.status.${status}`)}</Tag>;
      },
    },
    {
      key: 'expires',
      title: t('tokens.expiresAt'),
      render: (_, token) => <DateText value={token.expiresAt} empty={t('tokens.neverExpires')} />,
    },
    {
      key: 'lastUsed',
      title: t('tokens.lastUsed'),
      render: (_, token) => <DateText value={token.lastUsedAt} empty={t('tokens.neverUsed')} />,
    },
    {
      key: 'created',
      title: t('common.createdAt'),
      render: (_, token) => <DateText value={token.createdAt} />,
    },
    {
      key: 'actions',
      title: t('common.actions'),
      render: (_, token) =>
        statusOf(token, now) === 'revoked' ? null : (
          <Popconfirm title={t('common.confirmRevoke')} onConfirm={() => revoke(token)}>
            <Button
              size="small"
              danger
              loading={revokingId === token.id}
              data-testid={`api-token-revoke-${token.name}`}
            >
              {t('common.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];
}

export function ApiTokensPage() {
  const t = useT();
  const tokens = useApiTokens();
  const columns = useTokenColumns();
  const [isCreating, setCreating] = useState(false);
  return (
    <Page
      title={t('tokens.title')}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          data-testid="api-token-create"
        >
          {t('common.create')}
        </Button>
      }
    >
      <Card>
        <Flex vertical gap={16}>
          <Typography.Text type="secondary">{t('tokens.intro')}</Typography.Text>
          {tokens.isError ? <ErrorAlert error={tokens.error} onRetry={() => void tokens.refetch()} /> : null}
          <div data-testid="api-tokens-table">
            <Table<ApiToken>
              rowKey="id"
              columns={columns}
              dataSource={tokens.data ?? []}
              loading={tokens.isPending}
              pagination={{ pageSize: 50, hideOnSinglePage: true }}
              locale={{ emptyText: <Empty description={t('tokens.empty')} /> }}
              scroll={{ x: 'max-content' }}
            />
          </div>
        </Flex>
      </Card>
      {isCreating ? <CreateTokenModal onClose={() => setCreating(false)} /> : null}
    </Page>
  );
}
