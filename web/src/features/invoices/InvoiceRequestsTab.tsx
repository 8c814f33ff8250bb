import { PlusOutlined } from '@ant-design/icons';
import type { InvoiceRequest } from '@huikuan/core/contracts';
import { Alert, Button, Flex, Form, Input, Modal, Select, Table, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useT } from '../../app/locale';
import { useCan, useSession } from '../../app/session';
import { amountRules, normalizeDecimalText } from '../../ui/decimal-input';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useErrorText } from '../../ui/errors';
import { useIsFinance } from '../../ui/finance';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { LoadMore } from '../../ui/LoadMore';
import { ModalFooter } from '../../ui/ModalFooter';
import { MoneyText } from '../../ui/MoneyText';
import { DecisionModal, type Decision } from '../approvals/DecisionModal';
import { useContract, useContractsPages } from '../contracts/api';
import { CustomerSelect } from '../customers/CustomerSelect';
import {
  useCreateInvoiceRequest,
  useDecideInvoiceRequest,
  useInvoiceRequestsPages,
  type InvoiceRequestFilters,
} from './api';
import { InvoiceFormDrawer, type InvoicePreset } from './InvoiceFormDrawer';
import { InvoiceRequestStatusTag } from './labels';
import { ExportButton } from '../../ui/ExportButton';

type Deciding = { request: InvoiceRequest; decision: Decision };

function useRequestColumns(actions: {
  onDecide: ((deciding: Deciding) => void) | null;
  onFulfil: ((request: InvoiceRequest) => void) | null;
}): TableColumnsType<InvoiceRequest> {
  const t = useT();
  const { user } = useSession();
  return useMemo(
    () => [
      { key: 'createdAt', title: t('common.createdAt'), render: (_, r) => <DateText value={r.createdAt} /> },
      {
        key: 'customer',
        title: t('invoices.customer'),
        render: (_, r) => <Link to={`/customers/${r.customerId}`}>{t('common.open')}</Link>,
      },
      {
        key: 'amount',
        title: t('invoiceRequests.amount'),
        align: 'right',
        render: (_, r) => <MoneyText amount={r.amount} currency={r.currency} />,
      },
      { key: 'notes', title: t('invoices.notes'), render: (_, r) => r.notes ?? '—' },
      {
        key: 'status',
        title: t('common.status'),
        render: (_, r) => <InvoiceRequestStatusTag status={r.status} />,
      },
      { key: 'comment', title: t('approvals.comment'), render: (_, r) => r.decisionComment ?? '—' },
      {
        key: 'actions',
        title: t('common.actions'),
        render: (_, r) => (
          <Flex gap={8}>
            {r.status === 'pending' && actions.onDecide !== null && r.requestedByUserId !== user.id ? (
              <>
                <Button
                  size="small"
                  type="primary"
                  onClick={() => actions.onDecide?.({ request: r, decision: 'approve' })}
                >
                  {t('approvals.approve')}
                </Button>
                <Button
                  size="small"
                  danger
                  onClick={() => actions.onDecide?.({ request: r, decision: 'reject' })}
                >
                  {t('approvals.reject')}
                </Button>
              </>
            ) : null}
            {r.status === 'approved' && actions.onFulfil !== null ? (
              <Button size="small" onClick={() => actions.onFulfil?.(r)}>
                {t('invoiceRequests.fulfil')}
              </Button>
            ) : null}
            {r.invoiceId === null ? null : (
              <Link to={`/invoices/${r.invoiceId}`}>{t('invoices.invoice')}</Link>
            )}
          </Flex>
        ),
      },
    ],
    [t, actions, user.id],
  );
}

/** 开票申请: sales asks, finance approves and issues the invoice that fulfils the request. */
export function InvoiceRequestsTab() {
  const t = useT();
  const navigate = useNavigate();
  const canWrite = useCan()('records.write');
  const isFinance = useIsFinance();
  const [filters, setFilters] = useState<InvoiceRequestFilters>({ status: 'pending' });
  const [isCreating, setCreating] = useState(false);
  const [deciding, setDeciding] = useState<Deciding | null>(null);
  const [preset, setPreset] = useState<InvoicePreset | null>(null);
  const pages = useInvoiceRequestsPages(filters);
  const rows = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);
  const actions = useMemo(
    () => ({
      onDecide: isFinance ? setDeciding : null,
      onFulfil:
        isFinance && canWrite
          ? (r: InvoiceRequest) =>
              setPreset({
                customerId: r.customerId,
                contractId: r.contractId,
                planNodeId: r.planNodeId,
                invoiceRequestId: r.id,
                amount: r.amount,
                notes: r.notes,
              })
          : null,
    }),
    [isFinance, canWrite],
  );
  const columns = useRequestColumns(actions);
  return (
    <Flex vertical gap={16}>
      <Flex gap={8} justify="space-between" wrap>
        <Select<NonNullable<InvoiceRequestFilters['status']> | 'all'>
          style={{ width: 160 }}
          value={filters.status ?? 'all'}
          options={[
            ...(['pending', 'approved', 'rejected', 'issued'] as const).map((value) => ({
              value,
              label: t(`invoiceRequests.status.${value}`),
            })),
            { value: 'all' as const, label: t('common.all') },
          ]}
          onChange={(status) => setFilters({ status: status === 'all' ? null : status })}
        />
        <Flex gap={8}>
          <ExportButton path="/api/invoice-requests" filters={filters} testId="invoice-requests-export" />
          {canWrite ? (
            <Button
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="invoice-request-create"
            >
              {t('invoiceRequests.create')}
            </Button>
          ) : null}
        </Flex>
      </Flex>
      {pages.isError ? <ErrorAlert error={pages.error} onRetry={() => void pages.refetch()} /> : null}
      <div data-testid="invoice-requests-table">
        <Table<InvoiceRequest>
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
      {isCreating ? <InvoiceRequestModal onClose={() => setCreating(false)} /> : null}
      {deciding === null ? null : <RequestDecision deciding={deciding} onClose={() => setDeciding(null)} />}
      {preset === null ? null : (
        <InvoiceFormDrawer
          preset={preset}
          onClose={(createdId) => {
            setPreset(null);
            if (createdId !== null) void navigate(`/invoices/${createdId}`);
          }}
        />
      )}
    </Flex>
  );
}

function RequestDecision({ deciding, onClose }: { deciding: Deciding; onClose: () => void }) {
  const t = useT();
  const decide = useDecideInvoiceRequest();
  const [failure, setFailure] = useState<unknown>(null);
  return (
    <DecisionModal
      decision={deciding.decision}
      title={t(
        deciding.decision === 'approve' ? 'invoiceRequests.approveTitle' : 'invoiceRequests.rejectTitle',
      )}
      summary={
        <p>
          <MoneyText amount={deciding.request.amount} currency={deciding.request.currency} />
        </p>
      }
      isPending={decide.isPending}
      failure={failure}
      onClose={onClose}
      onSubmit={(comment) =>
        decide.mutate(
          { id: deciding.request.id, decision: deciding.decision, comment },
          { onSuccess: onClose, onError: setFailure },
        )
      }
    />
  );
}

type RequestValues = {
  customerId: string;
  contractId?: string | null;
  planNodeId?: string | null;
  amount: string;
  notes?: string;
};

function InvoiceRequestModal({ onClose }: { onClose: () => void }) {
  const t = useT();
  const errorText = useErrorText();
  const [form] = Form.useForm<RequestValues>();
  const create = useCreateInvoiceRequest();
  const [failure, setFailure] = useState<unknown>(null);
  const customerId = Form.useWatch('customerId', form) ?? null;
  const contractId = Form.useWatch('contractId', form) ?? null;
  const contracts = useContractsPages({ search: '', customerId, status: 'active' });
  const contract = useContract(contractId);
  const submit = (values: RequestValues) =>
    create.mutate(
      { ...values, amount: normalizeDecimalText(values.amount) },
      {
        onSuccess: onClose,
        onError: (error) => {
          if (
            !applyApiErrorToForm(form, error, ['customerId', 'contractId', 'planNodeId', 'amount', 'notes'])
          )
            setFailure(error);
        },
      },
    );
  return (
    <Modal
      open
      title={t('invoiceRequests.create')}
      onCancel={onClose}
      footer={
        <ModalFooter
          onCancel={onClose}
          onOk={() => form.submit()}
          isLoading={create.isPending}
          okTestId="invoice-request-save"
        />
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Form<RequestValues> form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="customerId"
          label={t('invoices.customer')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <CustomerSelect onChange={() => form.setFieldsValue({ contractId: null, planNodeId: null })} />
        </Form.Item>
        <Form.Item name="contractId" label={t('invoices.contract')}>
          <Select
            allowClear
            disabled={customerId === null}
            options={(contracts.data?.pages.flatMap((page) => page.items) ?? []).map((c) => ({
              value: c.id,
              label: c.number,
            }))}
            onChange={() => form.setFieldsValue({ planNodeId: null })}
          />
        </Form.Item>
        <Form.Item name="planNodeId" label={t('invoices.planNode')}>
          <Select
            allowClear
            disabled={contractId === null}
            options={(contract.data?.planNodes ?? []).map((node) => ({
              value: node.id,
              label: `${node.seq}. ${node.name}`,
            }))}
          />
        </Form.Item>
        <Form.Item name="amount" label={t('invoiceRequests.amount')} rules={amountRules(t)}>
          <Input inputMode="decimal" />
        </Form.Item>
        <Form.Item name="notes" label={t('invoices.notes')}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
