import type { InvoiceDetail } from '@huikuan/core/contracts';
import { Alert, App, DatePicker, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useT } from '../../app/locale';
import { amountRules, normalizeDecimalText } from '../../ui/decimal-input';
import { useErrorText } from '../../ui/errors';
import { dateFieldProps, useToday } from '../../ui/form-date';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { useIdempotencyKey } from '../../ui/idempotency';
import { ModalFooter } from '../../ui/ModalFooter';
import { MoneyText } from '../../ui/MoneyText';
import { requiredRule } from '../auth/rules';
import { useCreateCreditNote, useRequestSettlement, useVoidInvoice, type SettlementKind } from './api';

type ModalProps = { invoice: InvoiceDetail; onClose: () => void };

function OpenLine({ invoice }: { invoice: InvoiceDetail }) {
  const t = useT();
  return (
    <Typography.Paragraph>
      {t('invoices.openNow')}{' '}
      {invoice.open === null ? '—' : <MoneyText amount={invoice.open} currency={invoice.currency} />}
    </Typography.Paragraph>
  );
}

/** Voiding posts a reversal dated voidedOn; the invoice itself is never edited. */
export function VoidInvoiceModal({ invoice, onClose }: ModalProps) {
  const t = useT();
  const today = useToday();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const key = useIdempotencyKey();
  const [form] = Form.useForm<{ reason: string; voidedOn: string }>();
  const voidInvoice = useVoidInvoice();
  const [failure, setFailure] = useState<unknown>(null);
  const submit = (body: { reason: string; voidedOn: string }) =>
    voidInvoice.mutate(
      { id: invoice.id, headers: key.headers, body },
      {
        onSuccess: () => {
          void message.success(t('invoices.voided'));
          onClose();
        },
        onError: (error) => {
          if (!applyApiErrorToForm(form, error, ['reason', 'voidedOn'])) setFailure(error);
        },
      },
    );
  return (
    <Modal
      open
      title={t('invoices.voidTitle', { number: invoice.number })}
      onCancel={onClose}
      footer={
        <ModalFooter
          onCancel={onClose}
          onOk={() => form.submit()}
          okText={t('invoices.void')}
          isLoading={voidInvoice.isPending}
          okTestId="invoice-void-submit"
        />
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Typography.Paragraph type="secondary">{t('invoices.voidHelp')}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ voidedOn: today }} onFinish={submit}>
        <Form.Item
          name="voidedOn"
          label={t('invoices.voidedOn')}
          rules={[requiredRule(t)]}
          {...dateFieldProps}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="reason" label={t('common.reason')} rules={[requiredRule(t), { max: 500 }]}>
          <Input.TextArea rows={2} data-testid="invoice-void-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type CreditNoteValues = { number: string; amount: string; issuedOn: string; reason: string };

/** 红字冲销: a new record that reduces the invoice; above the threshold it waits for approval. */
export function CreditNoteModal({ invoice, onClose }: ModalProps) {
  const t = useT();
  const today = useToday();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const key = useIdempotencyKey();
  const [form] = Form.useForm<CreditNoteValues>();
  const create = useCreateCreditNote();
  const [failure, setFailure] = useState<unknown>(null);
  const submit = (values: CreditNoteValues) =>
    create.mutate(
      {
        id: invoice.id,
        headers: key.headers,
        body: { ...values, amount: normalizeDecimalText(values.amount) },
      },
      {
        onSuccess: (note) => {
          void message.success(
            t(note.status === 'pending_approval' ? 'creditNotes.pendingApproval' : 'creditNotes.posted'),
          );
          onClose();
        },
        onError: (error) => {
          if (
            !applyApiErrorToForm(form, error, ['number', 'amount', 'issuedOn', 'reason'], {
              conflict: 'number',
            })
          )
            setFailure(error);
        },
      },
    );
  return (
    <Modal
      open
      title={t('creditNotes.createTitle', { number: invoice.number })}
      onCancel={onClose}
      footer={
        <ModalFooter
          onCancel={onClose}
          onOk={() => form.submit()}
          isLoading={create.isPending}
          okTestId="credit-note-submit"
        />
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <OpenLine invoice={invoice} />
      <Typography.Paragraph type="secondary">{t('creditNotes.help')}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ issuedOn: today }} onFinish={submit}>
        <Form.Item name="number" label={t('creditNotes.number')} rules={[requiredRule(t), { max: 64 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="amount" label={t('creditNotes.amount')} rules={amountRules(t)}>
          <Input inputMode="decimal" suffix={invoice.currency} data-testid="credit-note-amount" />
        </Form.Item>
        <Form.Item
          name="issuedOn"
          label={t('creditNotes.issuedOn')}
          rules={[requiredRule(t)]}
          {...dateFieldProps}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="reason" label={t('common.reason')} rules={[requiredRule(t), { max: 500 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type SettlementValues = {
  amount: string;
  reason: string;
  counterparty?: string;
  goodsDescription?: string;
  settledOn?: string | null;
};

/** 减免 / 三角债 / 以货抵债: filed as an approval request; nothing changes until it is approved. */
export function SettlementModal({ invoice, kind, onClose }: ModalProps & { kind: SettlementKind }) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<SettlementValues>();
  const request = useRequestSettlement();
  const [failure, setFailure] = useState<unknown>(null);
  const submit = (values: SettlementValues) => {
    const body: Record<string, string> = {
      amount: normalizeDecimalText(values.amount),
      reason: values.reason,
    };
    if (kind === 'offset-requests') body.counterparty = values.counterparty ?? '';
    if (kind === 'goods-settlement-requests') body.goodsDescription = values.goodsDescription ?? '';
    if (kind !== 'waivers' && kind !== 'write-offs' && values.settledOn) body.settledOn = values.settledOn;
    request.mutate(
      { id: invoice.id, kind, body },
      {
        onSuccess: () => {
          void message.success(t('approvals.submitted'));
          onClose();
        },
        onError: (error) => {
          if (
            !applyApiErrorToForm(form, error, [
              'amount',
              'reason',
              'counterparty',
              'goodsDescription',
              'settledOn',
            ])
          )
            setFailure(error);
        },
      },
    );
  };
  return (
    <Modal
      open
      title={t(`settlement.title.${kind}`, { number: invoice.number })}
      onCancel={onClose}
      footer={
        <ModalFooter
          onCancel={onClose}
          onOk={() => form.submit()}
          okText={t('approvals.submit')}
          isLoading={request.isPending}
          okTestId="settlement-submit"
        />
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <OpenLine invoice={invoice} />
      <Alert type="info" showIcon title={t('settlement.needsApproval')} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="amount" label={t('settlement.amount')} rules={amountRules(t)}>
          <Input inputMode="decimal" suffix={invoice.currency} />
        </Form.Item>
        {kind === 'offset-requests' ? (
          <Form.Item name="counterparty" label={t('settlement.counterparty')} rules={[requiredRule(t)]}>
            <Input />
          </Form.Item>
        ) : null}
        {kind === 'goods-settlement-requests' ? (
          <Form.Item name="goodsDescription" label={t('settlement.goods')} rules={[requiredRule(t)]}>
            <Input.TextArea rows={2} />
          </Form.Item>
        ) : null}
        {kind === 'waivers' || kind === 'write-offs' ? null : (
          <Form.Item name="settledOn" label={t('settlement.settledOn')} {...dateFieldProps}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        )}
        <Form.Item name="reason" label={t('common.reason')} rules={[requiredRule(t)]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
