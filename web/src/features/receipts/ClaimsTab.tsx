import type { Claim } from '@huikuan/core/contracts';
import { App, Button, Flex, Modal, Select, Table, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useT } from '../../app/locale';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useErrorText } from '../../ui/errors';
import { useIsFinance } from '../../ui/finance';
import { useIdempotencyKey } from '../../ui/idempotency';
import { LoadMore } from '../../ui/LoadMore';
import { ModalFooter } from '../../ui/ModalFooter';
import { MoneyText } from '../../ui/MoneyText';
import { DecisionModal } from '../approvals/DecisionModal';
import { useClaimsPages, useConfirmClaim, useRejectClaim, type ClaimStatus } from './api';
import { ClaimStatusTag } from './labels';
import { ExportButton } from '../../ui/ExportButton';

type Deciding = { claim: Claim; decision: 'approve' | 'reject' };

function SplitText({ claim }: { claim: Claim }) {
  const t = useT();
  if (claim.split.length === 0) return <span>{t('claims.noSplit')}</span>;
  return (
    <Flex vertical>
      {claim.split.map((line, index) => (
        <span key={index}>
          {line.invoiceId === null ? (
            t('allocation.kind.node')
          ) : (
            <Link to={`/invoices/${line.invoiceId}`}>{t('allocation.kind.invoice')}</Link>
          )}{' '}
          <MoneyText amount={line.amount} currency={claim.currency} />
        </span>
      ))}
    </Flex>
  );
}

function useClaimColumns(onDecide: ((deciding: Deciding) => void) | null): TableColumnsType<Claim> {
  const t = useT();
  return useMemo(
    () => [
      {
        key: 'receivedOn',
        title: t('receipts.receivedOn'),
        render: (_, c) => (
          <Link to={`/receipts/${c.receiptId}`}>
            <DateText value={c.receivedOn} />
          </Link>
        ),
      },
      {
        key: 'amount',
        title: t('receipts.amount'),
        align: 'right',
        render: (_, c) => <MoneyText amount={c.amount} currency={c.currency} />,
      },
      { key: 'payer', title: t('receipts.payerName'), render: (_, c) => c.payerName ?? '—' },
      { key: 'reference', title: t('receipts.bankReference'), render: (_, c) => c.bankReference ?? '—' },
      {
        key: 'customer',
        title: t('receipts.customer'),
        render: (_, c) => (
          <Link to={`/customers/${c.customerId}`}>{`${c.customerCode} · ${c.customerName}`}</Link>
        ),
      },
      { key: 'evidence', title: t('claims.evidence'), render: (_, c) => c.evidence ?? '—' },
      { key: 'split', title: t('claims.proposedSplit'), render: (_, c) => <SplitText claim={c} /> },
      { key: 'status', title: t('common.status'), render: (_, c) => <ClaimStatusTag status={c.status} /> },
      { key: 'comment', title: t('approvals.comment'), render: (_, c) => c.decisionComment ?? '—' },
      {
        key: 'actions',
        title: t('common.actions'),
        render: (_, c) =>
          c.status === 'pending' && onDecide !== null ? (
            <Flex gap={8}>
              <Button
                size="small"
                type="primary"
                onClick={() => onDecide({ claim: c, decision: 'approve' })}
                data-testid={`claim-confirm-${c.id}`}
              >
                {t('claims.confirm')}
              </Button>
              <Button size="small" danger onClick={() => onDecide({ claim: c, decision: 'reject' })}>
                {t('approvals.reject')}
              </Button>
            </Flex>
          ) : null,
      },
    ],
    [t, onDecide],
  );
}

/** Claims waiting for finance: confirming allocates the receipt to the claimed customer as proposed. */
export function ClaimsTab() {
  const t = useT();
  const isFinance = useIsFinance();
  const [status, setStatus] = useState<ClaimStatus | null>('pending');
  const [deciding, setDeciding] = useState<Deciding | null>(null);
  const pages = useClaimsPages({ status, receiptId: null });
  const claims = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);
  const columns = useClaimColumns(isFinance ? setDeciding : null);
  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap>
        <Select<ClaimStatus | 'all'>
          style={{ width: 160 }}
          value={status ?? 'all'}
          options={[
            ...(['pending', 'confirmed', 'rejected'] as const).map((value) => ({
              value,
              label: t(`claims.status.${value}`),
            })),
            { value: 'all' as const, label: t('common.all') },
          ]}
          onChange={(value) => setStatus(value === 'all' ? null : value)}
        />
        <ExportButton path="/api/receipt-claims" filters={{ status }} testId="claims-export" />
      </Flex>
      {pages.isError ? <ErrorAlert error={pages.error} onRetry={() => void pages.refetch()} /> : null}
      <div data-testid="claims-table">
        <Table<Claim>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={claims}
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
      {deciding?.decision === 'approve' ? (
        <ConfirmClaimModal claim={deciding.claim} onClose={() => setDeciding(null)} />
      ) : null}
      {deciding?.decision === 'reject' ? (
        <RejectClaimModal claim={deciding.claim} onClose={() => setDeciding(null)} />
      ) : null}
    </Flex>
  );
}

/** Confirming a claim moves money (the split becomes allocations), so it carries an idempotency key. */
function ConfirmClaimModal({ claim, onClose }: { claim: Claim; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const key = useIdempotencyKey();
  const confirm = useConfirmClaim();
  const [failure, setFailure] = useState<unknown>(null);
  const onOk = () =>
    confirm.mutate(
      { id: claim.id, headers: key.headers },
      {
        onSuccess: () => {
          void message.success(t('claims.confirmed'));
          onClose();
        },
        onError: setFailure,
      },
    );
  return (
    <Modal
      open
      title={t('claims.confirmTitle')}
      onCancel={onClose}
      footer={
        <ModalFooter
          onCancel={onClose}
          onOk={onOk}
          okText={t('claims.confirm')}
          isLoading={confirm.isPending}
          okTestId="claim-confirm-submit"
        />
      }
    >
      {failure === null ? null : (
        <Typography.Paragraph type="danger">{errorText(failure)}</Typography.Paragraph>
      )}
      <Typography.Paragraph>
        {t('claims.confirmHelp', { customer: `${claim.customerCode} · ${claim.customerName}` })}{' '}
        <MoneyText amount={claim.amount} currency={claim.currency} />
      </Typography.Paragraph>
      <SplitText claim={claim} />
    </Modal>
  );
}

function RejectClaimModal({ claim, onClose }: { claim: Claim; onClose: () => void }) {
  const t = useT();
  const reject = useRejectClaim();
  const [failure, setFailure] = useState<unknown>(null);
  return (
    <DecisionModal
      decision="reject"
      title={t('claims.rejectTitle')}
      isPending={reject.isPending}
      failure={failure}
      isCommentRequired
      onClose={onClose}
      onSubmit={(comment) =>
        reject.mutate({ id: claim.id, comment: comment ?? '' }, { onSuccess: onClose, onError: setFailure })
      }
    />
  );
}
