import type { CreateCustomerRequest, Customer } from '@huikuan/core/contracts';
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
  Switch,
} from 'antd';
import { useState } from 'react';
import { useLocale, useT } from '../../app/locale';
import { useCan, useSession } from '../../app/session';
import { amountRules, normalizeDecimalText } from '../../ui/decimal-input';
import { useErrorText } from '../../ui/errors';
import { dateFieldProps } from '../../ui/form-date';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { currencyOptions } from '../../ui/options';
import { requiredRule } from '../auth/rules';
import { useTeams } from '../teams/api';
import { useUserOptions } from '../users/api';
import { useSaveCustomer } from './api';

type CustomerValues = Omit<CreateCustomerRequest, 'registeredCapital'> & {
  registeredCapital?: string | null;
  isActive?: boolean;
};

const TEXT_FIELDS = [
  'shortName',
  'unifiedCreditCode',
  'registeredAddress',
  'officeAddress',
  'phone',
  'website',
  'legalRepresentative',
  'industry',
  'companySize',
  'financialCondition',
  'notes',
  'invoiceRequirements',
  'paymentBank',
  'fundsSituation',
] as const;

const FIELD_NAMES: readonly string[] = [
  'code',
  'name',
  'ownerUserId',
  'teamId',
  'segment',
  'tags',
  'paymentTermsDays',
  'currency',
  'foundedOn',
  'registeredCapital',
  'registeredCapitalCurrency',
  'booksClosingDay',
  'transferCycleDays',
  'isActive',
  ...TEXT_FIELDS,
];

function initialValues(customer: Customer | null, baseCurrency: string): CustomerValues {
  if (customer === null)
    return { code: '', name: '', paymentTermsDays: 30, currency: baseCurrency, tags: [] };
  return Object.fromEntries(
    Object.entries(customer).filter(([key]) => FIELD_NAMES.includes(key)),
  ) as CustomerValues;
}

/** The form's values as the API takes them: blank money is "not known" (null), never zero. */
function toRequest(values: CustomerValues): CreateCustomerRequest {
  const capital = values.registeredCapital ?? '';
  return {
    ...values,
    registeredCapital: capital.trim() === '' ? null : normalizeDecimalText(capital),
    ownerUserId: values.ownerUserId ?? null,
    teamId: values.teamId ?? null,
  };
}

type CustomerFormDrawerProps = { customer: Customer | null; onClose: (saved: Customer | null) => void };

export function CustomerFormDrawer({ customer, onClose }: CustomerFormDrawerProps) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const { organization } = useSession();
  const [form] = Form.useForm<CustomerValues>();
  const save = useSaveCustomer();
  const errorText = useErrorText();
  const [failure, setFailure] = useState<unknown>(null);

  const submit = (values: CustomerValues) => {
    setFailure(null);
    save.mutate(
      { id: customer?.id ?? null, request: toRequest(values) },
      {
        onSuccess: (saved) => {
          void message.success(t('common.saved'));
          onClose(saved);
        },
        onError: (error) => {
          if (!applyApiErrorToForm(form, error, FIELD_NAMES, { conflict: 'code' })) setFailure(error);
        },
      },
    );
  };

  return (
    <Drawer
      open
      size="large"
      title={t(customer === null ? 'customers.createTitle' : 'customers.editTitle')}
      onClose={() => onClose(null)}
      extra={
        <Flex gap={8}>
          <Button onClick={() => onClose(null)}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={save.isPending}
            onClick={() => form.submit()}
            data-testid="customer-save"
          >
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Form<CustomerValues>
        form={form}
        layout="vertical"
        initialValues={initialValues(customer, organization.baseCurrency)}
        onFinish={submit}
      >
        <BasicFields isEditing={customer !== null} />
        <Divider titlePlacement="start">{t('customers.section.creditFile')}</Divider>
        <CreditFileFields currencies={currencyOptions(locale)} />
        <Divider titlePlacement="start">{t('customers.section.nineQuestions')}</Divider>
        <NineQuestionFields />
      </Form>
    </Drawer>
  );
}

function BasicFields({ isEditing }: { isEditing: boolean }) {
  const t = useT();
  const { locale } = useLocale();
  const canListUsers = useCan()('users.read');
  const users = useUserOptions({ enabled: canListUsers });
  const teams = useTeams();
  return (
    <Row gutter={16}>
      <Col span={8}>
        <Form.Item name="code" label={t('customers.code')} rules={[requiredRule(t), { max: 64 }]}>
          <Input data-testid="customer-code" />
        </Form.Item>
      </Col>
      <Col span={16}>
        <Form.Item name="name" label={t('customers.name')} rules={[requiredRule(t), { max: 200 }]}>
          <Input data-testid="customer-name" />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item
          name="ownerUserId"
          label={t('customers.owner')}
          help={canListUsers ? undefined : t('customers.ownerDefault')}
        >
          <Select
            allowClear
            disabled={!canListUsers}
            options={(users.data ?? []).map((user) => ({ value: user.id, label: user.name }))}
            showSearch={{ optionFilterProp: 'label' }}
          />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="teamId" label={t('customers.team')}>
          <Select
            allowClear
            options={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
          />
        </Form.Item>
      </Col>
      <Col span={8}>
        <Form.Item name="segment" label={t('customers.segment')} rules={[{ max: 50 }]}>
          <Input />
        </Form.Item>
      </Col>
      <Col span={16}>
        <Form.Item name="tags" label={t('customers.tags')}>
          <Select mode="tags" tokenSeparators={[',', '，']} open={false} />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item
          name="paymentTermsDays"
          label={t('customers.paymentTermsDays')}
          rules={[{ required: true }]}
        >
          <InputNumber min={0} max={3650} precision={0} style={{ width: '100%' }} suffix={t('common.days')} />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="currency" label={t('customers.currency')} rules={[{ required: true }]}>
          <Select options={currencyOptions(locale)} showSearch={{ optionFilterProp: 'label' }} />
        </Form.Item>
      </Col>
      {isEditing ? (
        <Col span={12}>
          <Form.Item name="isActive" label={t('customers.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
      ) : null}
    </Row>
  );
}

function TextItem({
  name,
  label,
  span = 12,
  rows,
}: {
  name: string;
  label: string;
  span?: number;
  rows?: number;
}) {
  return (
    <Col span={span}>
      <Form.Item name={name} label={label}>
        {rows === undefined ? <Input /> : <Input.TextArea rows={rows} />}
      </Form.Item>
    </Col>
  );
}

function CreditFileFields({ currencies }: { currencies: { value: string; label: string }[] }) {
  const t = useT();
  return (
    <Row gutter={16}>
      <TextItem name="shortName" label={t('customers.shortName')} />
      <TextItem name="unifiedCreditCode" label={t('customers.unifiedCreditCode')} />
      <Col span={12}>
        <Form.Item name="foundedOn" label={t('customers.foundedOn')} {...dateFieldProps}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <TextItem name="legalRepresentative" label={t('customers.legalRepresentative')} />
      <Col span={12}>
        <Form.Item
          name="registeredCapital"
          label={t('customers.registeredCapital')}
          rules={amountRules(t, { required: false })}
        >
          <Input inputMode="decimal" />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="registeredCapitalCurrency" label={t('customers.registeredCapitalCurrency')}>
          <Select allowClear options={currencies} showSearch={{ optionFilterProp: 'label' }} />
        </Form.Item>
      </Col>
      <TextItem name="registeredAddress" label={t('customers.registeredAddress')} span={24} />
      <TextItem name="officeAddress" label={t('customers.officeAddress')} span={24} />
      <TextItem name="phone" label={t('customers.phone')} />
      <TextItem name="website" label={t('customers.website')} />
      <TextItem name="industry" label={t('customers.industry')} />
      <TextItem name="companySize" label={t('customers.companySize')} />
      <TextItem name="financialCondition" label={t('customers.financialCondition')} span={24} rows={2} />
      <TextItem name="notes" label={t('customers.notes')} span={24} rows={2} />
    </Row>
  );
}

function NineQuestionFields() {
  const t = useT();
  return (
    <Row gutter={16}>
      <TextItem name="invoiceRequirements" label={t('customers.invoiceRequirements')} span={24} rows={2} />
      <Col span={12}>
        <Form.Item name="booksClosingDay" label={t('customers.booksClosingDay')}>
          <InputNumber min={1} max={31} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="transferCycleDays" label={t('customers.transferCycleDays')}>
          <InputNumber min={0} max={365} precision={0} style={{ width: '100%' }} suffix={t('common.days')} />
        </Form.Item>
      </Col>
      <TextItem name="paymentBank" label={t('customers.paymentBank')} span={24} />
      <TextItem name="fundsSituation" label={t('customers.fundsSituation')} span={24} rows={2} />
    </Row>
  );
}
