import type { CreateSalesContractRequest } from '@huikuan/core/contracts';
import {
  Alert,
  App,
  Button,
  Col,
  DatePicker,
  Divider,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
} from 'antd';
import { useState } from 'react';
import { useLocale, useT } from '../../app/locale';
import { useCan } from '../../app/session';
import { amountRules, normalizeDecimalText } from '../../ui/decimal-input';
import { useErrorText } from '../../ui/errors';
import { dateFieldProps, useToday } from '../../ui/form-date';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { currencyOptions } from '../../ui/options';
import { requiredRule } from '../auth/rules';
import { CustomerSelect } from '../customers/CustomerSelect';
import { useUserOptions } from '../users/api';
import { useCreateContract } from './api';
import { toPlanNodeInput, type PlanNodeValues } from './plan-node-values';
import { PlanNodesEditor } from './PlanNodesEditor';

type ContractValues = {
  number: string;
  customerId: string;
  title?: string;
  ownerUserId?: string | null;
  amount: string;
  currency?: string;
  signedOn: string;
  paymentTermsDays?: number | null;
  paymentTermsText?: string;
  notes?: string;
  planNodes: PlanNodeValues[];
};

const FIELD_NAMES: readonly string[] = [
  'number',
  'customerId',
  'title',
  'ownerUserId',
  'amount',
  'currency',
  'signedOn',
  'paymentTermsDays',
  'paymentTermsText',
  'notes',
  'planNodes',
];

function toRequest(values: ContractValues): CreateSalesContractRequest {
  return {
    number: values.number,
    customerId: values.customerId,
    title: values.title ?? null,
    ownerUserId: values.ownerUserId ?? undefined,
    amount: normalizeDecimalText(values.amount),
    currency: values.currency,
    signedOn: values.signedOn,
    // Blank terms fall back to the customer's on the server.
    paymentTermsDays: values.paymentTermsDays ?? undefined,
    paymentTermsText: values.paymentTermsText ?? null,
    notes: values.notes ?? null,
    planNodes: values.planNodes.map(toPlanNodeInput),
  };
}

/** New contract with its payment plan; the currency and terms default from the chosen customer. */
export function ContractFormDrawer({ onClose }: { onClose: (createdId: string | null) => void }) {
  const t = useT();
  const today = useToday();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<ContractValues>();
  const create = useCreateContract();
  const errorText = useErrorText();
  const canListUsers = useCan()('users.read');
  const users = useUserOptions({ enabled: canListUsers });
  const [failure, setFailure] = useState<unknown>(null);

  const submit = (values: ContractValues) => {
    setFailure(null);
    create.mutate(toRequest(values), {
      onSuccess: (created) => {
        void message.success(t('contracts.created'));
        onClose(created.id);
      },
      onError: (error) => {
        if (!applyApiErrorToForm(form, error, FIELD_NAMES, { conflict: 'number' })) setFailure(error);
      },
    });
  };

  return (
    <Drawer
      open
      size={920}
      title={t('contracts.createTitle')}
      onClose={() => onClose(null)}
      extra={
        <Flex gap={8}>
          <Button onClick={() => onClose(null)}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={create.isPending}
            onClick={() => form.submit()}
            data-testid="contract-save"
          >
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Form<ContractValues>
        form={form}
        layout="vertical"
        initialValues={{ signedOn: today, planNodes: [] }}
        onFinish={submit}
      >
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="number" label={t('contracts.number')} rules={[requiredRule(t), { max: 64 }]}>
              <Input data-testid="contract-number" />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item
              name="customerId"
              label={t('contracts.customer')}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <CustomerSelect
                testId="contract-customer"
                onChange={(_id, customer) => {
                  if (customer) form.setFieldsValue({ currency: customer.currency });
                }}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="title" label={t('contracts.title')}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="ownerUserId" label={t('contracts.owner')}>
              <Select
                allowClear
                disabled={!canListUsers}
                showSearch={{ optionFilterProp: 'label' }}
                options={(users.data ?? []).map((user) => ({ value: user.id, label: user.name }))}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="amount" label={t('contracts.amount')} rules={amountRules(t)}>
              <Input inputMode="decimal" data-testid="contract-amount" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="currency" label={t('contracts.currency')}>
              <Select options={currencyOptions(locale)} showSearch={{ optionFilterProp: 'label' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="signedOn"
              label={t('contracts.signedOn')}
              rules={[requiredRule(t)]}
              {...dateFieldProps}
            >
              <DatePicker style={{ width: '100%' }} data-testid="contract-signed-on" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="paymentTermsDays" label={t('contracts.paymentTermsDays')}>
              <InputNumber
                min={0}
                max={3650}
                precision={0}
                style={{ width: '100%' }}
                suffix={t('common.days')}
              />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item name="paymentTermsText" label={t('contracts.paymentTermsText')}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="notes" label={t('contracts.notes')}>
              <Input.TextArea rows={2} />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start">{t('contracts.plan')}</Divider>
        <PlanNodesEditor listName="planNodes" />
      </Form>
    </Drawer>
  );
}
