import { APPROVAL_KINDS, type ApprovalKind, type ApprovalRequest } from '@huikuan/core/contracts';
import { approverRoles } from '@huikuan/core';
import { App, Button, Card, Flex, Popconfirm, Select, Table, Tag, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useT } from '../../app/locale';
import { useCan, useSession } from '../../app/session';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useErrorText } from '../../ui/errors';
import { LoadMore } from '../../ui/LoadMore';
import { MoneyText } from '../../ui/MoneyText';
import { Page } from '../../ui/Page';
import { useUserOptions } from '../users/api';
import {
  useApprovalsPages,
  useCancelApproval,
  useDecideApproval,
  type ApprovalFilters,
  type ApprovalStatus,
} from './api';
import { DecisionModal, type Decision } from './DecisionModal';
import { ExportButton } from '../../ui/ExportButton';

const STATUS_COLORS: Record<ApprovalStatus, string> = {
  pending: 'gold',
  approved: 'green',
  rejected: 'red',
  cancelled: 'default',
};

type Deciding = { approval: ApprovalRequest; decision: Decision };

/** The invoice an approval is about: the subject itself, or the one its payload names (credit notes). */
function invoiceLinkOf(approval: ApprovalRequest): { id: string; label: string } | null {
  const payloadId = approval.payload.invoiceId;
  const payloadNumber = approval.payload.invoiceNumber;
  const label = typeof payloadNumber === 'string' ? payloadNumber : approval.subjectId.slice(0, 8);
  if (typeof payloadId === 'string') return { id: payloadId, label };
  if (approval.subjectType === 'invoice') return { id: approval.subjectId, label };
  return null;
}

function useApprovalColumns(actions: {
  onDecide: (deciding: Deciding) => void;
  onCancel: (approval: ApprovalRequest) => void;
}): TableColumnsType<ApprovalRequest> {
  const t = useT();
  const { user } = useSession();
  const canWrite = useCan()('records.write');
  const users = useUserOptions({ enabled: useCan()('users.read') });
  return useMemo(() => {
    const nameOf = (id: string) => users.data?.find((u) => u.id === id)?.name ?? id.slice(0, 8);
    // Segregation of duties: never the requester, and only the roles allowed for the kind.
    const canDecide = (a: ApprovalRequest) =>
      canWrite &&
      a.status === 'pending' &&
      a.requestedByUserId !== user.id &&
      approverRoles(a.kind).includes(user.role);
    return [
      { key: 'createdAt', title: t('common.createdAt'), render: (_, a) => <DateText value={a.createdAt} /> },
      { key: 'kind', title: t('approvals.kind'), render: (_, a) => t(`approvals.kind.${a.kind}`) },
      {
        key: 'subject',
        title: t('approvals.subject'),
        render: (_, a) => {
          const link = invoiceLinkOf(a);
          return link === null ? a.subjectType : <Link to={`/invoices/${link.id}`}>{link.label}</Link>;
        },
      },
      {
        key: 'customer',
        title: t('invoices.customer'),
        render: (_, a) =>
          a.customerId === null ? '—' : <Link to={`/customers/${a.customerId}`}>{t('common.open')}</Link>,
      },
      {
        key: 'amount',
        title: t('approvals.amount'),
        align: 'right',
        render: (_, a) =>
          a.amount === null || a.currency === null ? (
            '—'
          ) : (
            <MoneyText amount={a.amount} currency={a.currency} />
          ),
      },
      { key: 'reason', title: t('common.reason'), dataIndex: 'reason' },
      { key: 'requester', title: t('approvals.requester'), render: (_, a) => nameOf(a.requestedByUserId) },
      {
        key: 'status',
        title: t('common.status'),
        render: (_, a) => <Tag color={STATUS_COLORS[a.status]}>{t(`approvals.status.${a.status}`)}</Tag>,
      },
      { key: 'comment', title: t('approvals.comment'), render: (_, a) => a.decisionComment ?? '—' },
      {
        key: 'actions',
        title: t('common.actions'),
        render: (_, a) => (
          <Flex gap={8}>
            {canDecide(a) ? (
              <>
                <Button
                  size="small"
                  type="primary"
                  onClick={() => actions.onDecide({ approval: a, decision: 'approve' })}
                  data-testid={`approval-approve-${a.id}`}
                >
                  {t('approvals.approve')}
                </Button>
                <Button
                  size="small"
                  danger
                  onClick={() => actions.onDecide({ approval: a, decision: 'reject' })}
                  data-testid={`approval-reject-${a.id}`}
                >
                  {t('approvals.reject')}
                </Button>
              </>
            ) : null}
            {a.status === 'pending' && a.requestedByUserId === user.id ? (
              <Popconfirm title={t('approvals.confirmCancel')} onConfirm={() => actions.onCancel(a)}>
                <Button size="small">{t('approvals.cancel')}</Button>
              </Popconfirm>
            ) : null}
          </Flex>
        ),
      },
    ];
  }, [t, user, canWrite, users.data, actions]);
}

export function ApprovalsPage() {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [filters, setFilters] = useState<ApprovalFilters>({ status: 'pending', kind: null });
  const [deciding, setDeciding] = useState<Deciding | null>(null);
  const pages = useApprovalsPages(filters);
  const cancel = useCancelApproval();
  const rows = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);
  const actions = useMemo(
    () => ({
      onDecide: setDeciding,
      onCancel: (a: ApprovalRequest) =>
        cancel.mutate(a.id, { onError: (error) => void message.error(errorText(error)) }),
    }),
    [cancel, message, errorText],
  );
  const columns = useApprovalColumns(actions);
  return (
    <Page title={t('nav.approvals')}>
      <Card>
        <Flex vertical gap={16}>
          <Flex gap={8} wrap>
            <Select<ApprovalStatus | 'all'>
              style={{ width: 160 }}
              value={filters.status ?? 'all'}
              options={[
                ...(['pending', 'approved', 'rejected', 'cancelled'] as const).map((value) => ({
                  value,
                  label: t(`approvals.status.${value}`),
                })),
                { value: 'all' as const, label: t('common.all') },
              ]}
              onChange={(status) => setFilters({ ...filters, status: status === 'all' ? null : status })}
            />
            <Select<ApprovalKind>
              allowClear
              placeholder={t('approvals.kind')}
              style={{ width: 200 }}
              options={APPROVAL_KINDS.map((value) => ({ value, label: t(`approvals.kind.${value}`) }))}
              onChange={(kind) => setFilters({ ...filters, kind: kind ?? null })}
            />
            <ExportButton path="/api/approvals" filters={filters} testId="approvals-export" />
          </Flex>
          {pages.isError ? <ErrorAlert error={pages.error} onRetry={() => void pages.refetch()} /> : null}
          <div data-testid="approvals-table">
            <Table<ApprovalRequest>
              rowKey="id"
              size="middle"
              columns={columns}
              dataSource={rows}
              loading={pages.isPending}
              pagination={false}
              scroll={{ x: 'max-content' }}
            />
          </div>
          <LoadMore
            hasNextPage={pages.hasNextPage}
            isFetchingNextPage={pages.isFetchingNextPage}
            onLoadMore={() => void pages.fetchNextPage()}
          />
        </Flex>
      </Card>
      {deciding === null ? null : <ApprovalDecision deciding={deciding} onClose={() => setDeciding(null)} />}
    </Page>
  );
}

function ApprovalDecision({ deciding, onClose }: { deciding: Deciding; onClose: () => void }) {
  const t = useT();
  const decide = useDecideApproval();
  const [failure, setFailure] = useState<unknown>(null);
  const { approval, decision } = deciding;
  return (
    <DecisionModal
      decision={decision}
      title={t(decision === 'approve' ? 'approvals.approveTitle' : 'approvals.rejectTitle', {
        kind: t(`approvals.kind.${approval.kind}`),
      })}
      summary={
        <p>
          {approval.reason}
          {approval.amount !== null && approval.currency !== null ? (
            <>
              {' · '}
              <MoneyText amount={approval.amount} currency={approval.currency} />
            </>
          ) : null}
        </p>
      }
      isPending={decide.isPending}
      failure={failure}
      onClose={onClose}
      onSubmit={(comment) =>
        decide.mutate({ id: approval.id, decision, comment }, { onSuccess: onClose, onError: setFailure })
      }
    />
  );
}
