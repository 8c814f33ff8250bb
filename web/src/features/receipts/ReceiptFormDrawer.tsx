import type { CreateReceiptRequest } from '@huikuan/core/contracts';
import { Alert, App, Button, Col, DatePicker, Drawer, Flex, Form, Input, Row, Select } from 'antd';
import { useState } from 'react';
import { useLocale, useT } from '../../app/locale';
import { useSession } from '../../app/session';
import { amountRules, normalizeDecimalText } from '../../ui/decimal-input';
import { useErrorText } from '../../ui/errors';
import { useIsFinance } from '../../ui/finance';
import { dateFieldProps, useToday } from '../../ui/form-date';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { useIdempotencyKey } from '../../ui/idempotency';
import { currencyOptions } from '../../ui/options';
import { requiredRule } from '../auth/rules';
import { CustomerSelect } from '../customers/CustomerSelect';
import { useCreateReceipt } from './api';
import { useMethodOptions } from './labels';

type ReceiptValues = {
  customerId?: string | null;
  receivedOn: string;
  amount: string;
  currency: string;
  method: CreateReceiptRequest['method'];
  payerName?: string;
  payerAccount?: string;
  bankReference?: string;
  notes?: string;
};

const FIELD_NAMES: readonly string[] = [
  'customerId',
  'receivedOn',
  'amount',
  'currency',
  'method',
  'payerName',
  'payerAccount',
  'bankReference',
  'notes',
];

/**
 * 登记回款: recorded as pending until finance confirms it. Left without a customer (finance only), it goes to
 * the claim pool for the owning salesperson to claim. One idempotency key per opening of this drawer.
 */
export function ReceiptFormDrawer({ onClose }: { onClose: (createdId: string | null) => void }) {
  const t = useT();
  const today = useToday();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const { organization } = useSession();
  const isFinance = useIsFinance();
  const [form] = Form.useForm<ReceiptValues>();
  const key = useIdempotencyKey();
  const create = useCreateReceipt();
  const errorText = useErrorText();
  const methodOptions = useMethodOptions();
  const [failure, setFailure] = useState<unknown>(null);

  const submit = (values: ReceiptValues) => {
    setFailure(null);
    const request: CreateReceiptRequest = {
      ...values,
      customerId: values.customerId ?? null,
      amount: normalizeDecimalText(values.amount),
    };
    create.mutate(
      { ...request, headers: key.headers },
      {
        onSuccess: (created) => {
          void message.success(t('receipts.recorded'));
          onClose(created.id);
        },
        onError: (error) => {
          if (!applyApiErrorToForm(form, error, FIELD_NAMES)) setFailure(error);
        },
      },
    );
  };

  return (
    <Drawer
      open
      size={640}
      title={t('receipts.createTitle')}
      onClose={() => onClose(null)}
      extra={
        <Flex gap={8}>
          <Button onClick={() => onClose(null)}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={create.isPending}
            onClick={() => form.submit()}
            data-testid="receipt-save"
          >
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Form<ReceiptValues>
        form={form}
        layout="vertical"
        initialValues={{
          receivedOn: today,
          currency: organization.baseCurrency,
          method: 'bank_transfer',
        }}
        onFinish={submit}
      >
        <Form.Item
          name="customerId"
          label={t('receipts.customer')}
          help={isFinance ? t('receipts.customerPoolHelp') : undefined}
          rules={isFinance ? [] : [{ required: true, message: t('validation.required') }]}
        >
          <CustomerSelect
            testId="receipt-customer"
            onChange={(_id, customer) => {
              if (customer) form.setFieldsValue({ currency: customer.currency });
            }}
          />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="receivedOn"
              label={t('receipts.receivedOn')}
              rules={[requiredRule(t)]}
              {...dateFieldProps}
            >
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="method" label={t('receipts.method')} rules={[{ required: true }]}>
              <Select options={methodOptions} data-testid="receipt-method" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="amount" label={t('receipts.amount')} rules={amountRules(t)}>
              <Input inputMode="decimal" data-testid="receipt-amount" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="currency" label={t('receipts.currency')} rules={[{ required: true }]}>
              <Select options={currencyOptions(locale)} showSearch={{ optionFilterProp: 'label' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="payerName" label={t('receipts.payerName')}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="payerAccount" label={t('receipts.payerAccount')}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="bankReference" label={t('receipts.bankReference')}>
              <Input data-testid="receipt-bank-reference" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="notes" label={t('receipts.notes')}>
              <Input.TextArea rows={2} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
}
