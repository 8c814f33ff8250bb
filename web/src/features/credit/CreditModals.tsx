import type { CustomerCredit } from '@huikuan/core/contracts';
import { Alert, App, DatePicker, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useT } from '../../app/locale';
import { normalizeDecimalText } from '../../ui/decimal-input';
import { useErrorText } from '../../ui/errors';
import { dateFieldProps, useToday } from '../../ui/form-date';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { ModalFooter } from '../../ui/ModalFooter';
import { requiredRule } from '../auth/rules';
import { useRequestCreditOverride, useSetCreditLimit } from './api';

type ModalProps = { customerId: string; credit: CustomerCredit; onClose: () => void };

const NON_NEGATIVE_DECIMAL = /^\d+(\.\d+)?$/;

/** Admins and finance set the limit in the customer's currency; an empty field removes it. */
export function CreditLimitModal({ customerId, credit, onClose }: ModalProps) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ limit: string; reason: string }>();
  const save = useSetCreditLimit(customerId);
  const [failure, setFailure] = useState<unknown>(null);
  const submit = (values: { limit?: string; reason?: string }) => {
    const text = normalizeDecimalText(values.limit ?? '');
    save.mutate(
      { limit: text === '' ? null : text, ...(values.reason ? { reason: values.reason } : {}) },
      {
        onSuccess: () => {
          void message.success(t('credit.limitSaved'));
          onClose();
        },
        onError: (error) => {
          if (!applyApiErrorToForm(form, error, ['limit', 'reason'])) setFailure(error);
        },
      },
    );
  };
  return (
    <Modal
      open
      title={t('credit.limitTitle')}
      onCancel={onClose}
      footer={
        <ModalFooter
          onCancel={onClose}
          onOk={() => form.submit()}
          isLoading={save.isPending}
          okTestId="credit-limit-submit"
        />
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Typography.Paragraph type="secondary">
        {t('credit.limitHelp', { currency: credit.currency })}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ limit: credit.limit ?? '' }} onFinish={submit}>
        <Form.Item
          name="limit"
          label={`${t('credit.limit')} (${credit.currency})`}
          rules={[
            {
              validator: (_rule, value: string | undefined) => {
                const text = normalizeDecimalText(value ?? '');
                return text === '' || NON_NEGATIVE_DECIMAL.test(text)
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('credit.validation.amount')));
              },
            },
          ]}
        >
          <Input inputMode="decimal" data-testid="credit-limit-input" />
        </Form.Item>
        <Form.Item name="reason" label={t('common.reason')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type OverrideValues = { amount: string; validUntil: string; reason: string };

/** 信用放行: asks finance for an exception; nothing changes until it is approved. */
export function CreditOverrideModal({ customerId, credit, onClose }: ModalProps) {
  const t = useT();
  const today = useToday();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<OverrideValues>();
  const request = useRequestCreditOverride(customerId);
  const [failure, setFailure] = useState<unknown>(null);
  const submit = (values: OverrideValues) =>
    request.mutate(
      { ...values, amount: normalizeDecimalText(values.amount) },
      {
        onSuccess: () => {
          void message.success(t('credit.overrideRequested'));
          onClose();
        },
        onError: (error) => {
          if (!applyApiErrorToForm(form, error, ['amount', 'validUntil', 'reason'])) setFailure(error);
        },
      },
    );
  return (
    <Modal
      open
      title={t('credit.overrideTitle')}
      onCancel={onClose}
      footer={
        <ModalFooter
          onCancel={onClose}
          onOk={() => form.submit()}
          isLoading={request.isPending}
          okTestId="credit-override-submit"
        />
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Typography.Paragraph type="secondary">{t('credit.overrideHelp')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ amount: '0', validUntil: today }}
        onFinish={submit}
      >
        <Form.Item
          name="amount"
          label={t('credit.overrideAmount', { currency: credit.currency })}
          extra={t('credit.overrideAmountHelp')}
          rules={[
            requiredRule(t),
            {
              validator: (_rule, value: string | undefined) =>
                NON_NEGATIVE_DECIMAL.test(normalizeDecimalText(value ?? ''))
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('credit.validation.amount'))),
            },
          ]}
        >
          <Input inputMode="decimal" data-testid="credit-override-amount" />
        </Form.Item>
        <Form.Item
          name="validUntil"
          label={t('credit.overrideValidUntil')}
          rules={[requiredRule(t)]}
          {...dateFieldProps}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="reason" label={t('common.reason')} rules={[requiredRule(t), { max: 1000 }]}>
          <Input.TextArea rows={3} data-testid="credit-override-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
