import { DISPUTE_REASON_CODES, type Dispute } from '@huikuan/core/contracts';
import { Alert, App, Button, Card, DatePicker, Form, Input, Modal, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { useT } from '../../app/locale';
import { amountRules, normalizeDecimalText } from '../../ui/decimal-input';
import { DateText } from '../../ui/DateText';
import { useErrorText } from '../../ui/errors';
import { dateFieldProps, useToday } from '../../ui/form-date';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { LoadMore } from '../../ui/LoadMore';
import { ModalFooter } from '../../ui/ModalFooter';
import { MoneyText } from '../../ui/MoneyText';
import { requiredRule } from '../auth/rules';
import { useCustomerDisputes, useDisputableInvoices, useRaiseDispute, useResolveDispute } from './api';

const STATUS_COLORS: Record<Dispute['status'], string> = {
  open: 'red',
  resolved_valid: 'blue',
  resolved_invalid: 'green',
  withdrawn: 'default',
};

type RaiseValues = {
  invoiceId: string | null;
  amount: string;
  reasonCode: Dispute['reasonCode'];
  description?: string;
  openedOn: string;
};

function RaiseDisputeModal({ customerId, onClose }: { customerId: string; onClose: () => void }) {
  const t = useT();
  const today = useToday();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<RaiseValues>();
  const invoices = useDisputableInvoices(customerId, true);
  const raise = useRaiseDispute();
  const [failure, setFailure] = useState<unknown>(null);
  const submit = (values: RaiseValues) =>
    raise.mutate(
      {
        customerId,
        invoiceId: values.invoiceId ?? null,
        amount: normalizeDecimalText(values.amount),
        reasonCode: values.reasonCode,
        openedOn: values.openedOn,
        ...(values.description ? { description: values.description } : {}),
      },
      {
        onSuccess: () => {
          void message.success(t('disputes.raised'));
          onClose();
        },
        onError: (error) => {
          const fields = ['invoiceId', 'amount', 'reasonCode', 'description', 'openedOn'];
          if (!applyApiErrorToForm(form, error, fields)) setFailure(error);
        },
      },
    );
  return (
    <Modal
      open
      title={t('disputes.raiseTitle')}
      onCancel={onClose}
      footer={
        <ModalFooter
          onCancel={onClose}
          onOk={() => form.submit()}
          isLoading={raise.isPending}
          okTestId="dispute-raise-submit"
        />
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ invoiceId: null, reasonCode: 'quality', openedOn: today }}
        onFinish={submit}
      >
        <Form.Item name="invoiceId" label={t('disputes.invoice')}>
          <Select
            loading={invoices.isPending}
            data-testid="dispute-invoice"
            options={[
              { value: null, label: t('disputes.invoiceNone') },
              ...(invoices.data ?? []).map((invoice) => ({
                value: invoice.id,
                label: `${invoice.number} · ${invoice.total} ${invoice.currency}`,
              })),
            ]}
          />
        </Form.Item>
        <Form.Item name="amount" label={t('disputes.amount')} rules={amountRules(t)}>
          <Input inputMode="decimal" data-testid="dispute-amount" />
        </Form.Item>
        <Form.Item name="reasonCode" label={t('disputes.reasonCode')} rules={[requiredRule(t)]}>
          <Select
            options={DISPUTE_REASON_CODES.map((code) => ({
              value: code,
              label: t(`disputes.reason.${code}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="openedOn"
          label={t('disputes.openedOn')}
          rules={[requiredRule(t)]}
          {...dateFieldProps}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="description" label={t('disputes.description')} rules={[{ max: 4000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type ResolveValues = { outcome: 'resolved_valid' | 'resolved_invalid' | 'withdrawn'; note?: string };

function ResolveDisputeModal({ dispute, onClose }: { dispute: Dispute; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<ResolveValues>();
  const resolve = useResolveDispute();
  const [failure, setFailure] = useState<unknown>(null);
  const submit = (values: ResolveValues) =>
    resolve.mutate(
      { id: dispute.id, body: { outcome: values.outcome, ...(values.note ? { note: values.note } : {}) } },
      {
        onSuccess: () => {
          void message.success(t('disputes.resolved'));
          onClose();
        },
        onError: (error) => {
          if (!applyApiErrorToForm(form, error, ['outcome', 'note'])) setFailure(error);
        },
      },
    );
  return (
    <Modal
      open
      title={t('disputes.resolveTitle')}
      onCancel={onClose}
      footer={
        <ModalFooter
          onCancel={onClose}
          onOk={() => form.submit()}
          isLoading={resolve.isPending}
          okTestId="dispute-resolve-submit"
        />
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Form form={form} layout="vertical" initialValues={{ outcome: 'resolved_valid' }} onFinish={submit}>
        <Form.Item name="outcome" label={t('disputes.outcome')} rules={[requiredRule(t)]}>
          <Select
            options={(['resolved_valid', 'resolved_invalid', 'withdrawn'] as const).map((outcome) => ({
              value: outcome,
              label: t(`disputes.status.${outcome}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('disputes.note')} rules={[{ max: 4000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 争议: the customer's disputes, newest first; open ones above the threshold hold the customer. */
export function DisputesCard({ customerId, canWrite }: { customerId: string; canWrite: boolean }) {
  const t = useT();
  const disputes = useCustomerDisputes(customerId);
  const [isRaising, setRaising] = useState(false);
  const [resolving, setResolving] = useState<Dispute | null>(null);
  const rows = disputes.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Card
      size="small"
      title={t('disputes.title')}
      extra={
        canWrite ? (
          <Button onClick={() => setRaising(true)} data-testid="dispute-raise">
            {t('disputes.raise')}
          </Button>
        ) : null
      }
    >
      <Table<Dispute>
        rowKey="id"
        size="small"
        loading={disputes.isPending}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: t('disputes.empty') }}
        data-testid="disputes-table"
        columns={[
          {
            title: t('disputes.openedOn'),
            dataIndex: 'openedOn',
            render: (value: string) => <DateText value={value} />,
          },
          {
            title: t('disputes.invoice'),
            dataIndex: 'invoiceNumber',
            render: (value: string | null) => value ?? '—',
          },
          {
            title: t('disputes.amount'),
            align: 'right',
            render: (_value, dispute) => <MoneyText amount={dispute.amount} currency={dispute.currency} />,
          },
          {
            title: t('disputes.reasonCode'),
            dataIndex: 'reasonCode',
            render: (code: Dispute['reasonCode']) => t(`disputes.reason.${code}`),
          },
          { title: t('disputes.description'), dataIndex: 'description', ellipsis: true },
          {
            title: t('common.status'),
            dataIndex: 'status',
            render: (status: Dispute['status']) => (
              <Tag color={STATUS_COLORS[status]}>{t(`disputes.status.${status}`)}</Tag>
            ),
          },
          {
            title: t('disputes.resolvedOn'),
            dataIndex: 'resolvedOn',
            render: (value: string | null) => <DateText value={value} />,
          },
          {
            title: t('common.actions'),
            render: (_value, dispute) =>
              canWrite && dispute.status === 'open' ? (
                <Button size="small" onClick={() => setResolving(dispute)} data-testid="dispute-resolve">
                  {t('disputes.resolve')}
                </Button>
              ) : null,
          },
        ]}
      />
      {disputes.hasNextPage ? (
        <LoadMore
          hasNextPage={disputes.hasNextPage}
          isFetchingNextPage={disputes.isFetchingNextPage}
          onLoadMore={() => void disputes.fetchNextPage()}
        />
      ) : null}
      {isRaising ? <RaiseDisputeModal customerId={customerId} onClose={() => setRaising(false)} /> : null}
      {resolving ? <ResolveDisputeModal dispute={resolving} onClose={() => setResolving(null)} /> : null}
    </Card>
  );
}
