import type { Locale } from '@huikuan/core';
import { Alert, App, Button, Card, Form, Input, Select } from 'antd';
import { useMemo, useState } from 'react';
import { useLocale } from '../../app/locale';
import { useCan, useSession } from '../../app/session';
import { useErrorText } from '../../ui/errors';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { currencyOptions, localeOptions, timeZoneOptions } from '../../ui/options';
import { Page } from '../../ui/Page';
import { requiredRule } from '../auth/rules';
import { useUpdateOrganization } from './api';

type OrganizationValues = { name: string; baseCurrency: string; timezone: string; locale: Locale };

const FIELD_NAMES: readonly (keyof OrganizationValues)[] = ['name', 'baseCurrency', 'timezone', 'locale'];

export function OrganizationPage() {
  const { t, locale } = useLocale();
  const { organization } = useSession();
  const canManage = useCan()('org.manage');
  const [form] = Form.useForm<OrganizationValues>();
  const update = useUpdateOrganization();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [failure, setFailure] = useState<unknown>(null);
  const currencies = useMemo(() => currencyOptions(locale), [locale]);

  const submit = (values: OrganizationValues) => {
    setFailure(null);
    update.mutate(values, {
      onSuccess: () => void message.success(t('common.saved')),
      onError: (error) => {
        if (!applyApiErrorToForm(form, error, FIELD_NAMES)) setFailure(error);
      },
    });
  };

  return (
    <Page title={t('org.title')}>
      <Card style={{ maxWidth: 640 }}>
        {canManage ? null : (
          <Alert type="info" showIcon title={t('common.readOnly')} style={{ marginBottom: 16 }} />
        )}
        {failure === null ? null : (
          <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
        )}
        <Form<OrganizationValues>
          form={form}
          layout="vertical"
          disabled={!canManage}
          initialValues={{
            name: organization.name,
            baseCurrency: organization.baseCurrency,
            timezone: organization.timezone,
            locale: organization.locale,
          }}
          onFinish={submit}
        >
          <Form.Item label={t('org.slug')}>
            <Input value={organization.slug} disabled />
          </Form.Item>
          <Form.Item name="name" label={t('org.name')} rules={[requiredRule(t), { max: 200 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="baseCurrency" label={t('org.baseCurrency')} extra={t('org.baseCurrencyHelp')}>
            <Select options={currencies} showSearch={{ optionFilterProp: 'label' }} />
          </Form.Item>
          <Form.Item name="timezone" label={t('org.timezone')} extra={t('org.timezoneHelp')}>
            <Select options={timeZoneOptions()} showSearch={{ optionFilterProp: 'label' }} />
          </Form.Item>
          <Form.Item name="locale" label={t('org.locale')} extra={t('org.localeHelp')}>
            <Select options={localeOptions()} />
          </Form.Item>
          {canManage ? (
            <Button
              type="primary"
              htmlType="submit"
              loading={update.isPending}
              data-testid="organization-save"
            >
              {t('common.save')}
            </Button>
          ) : null}
        </Form>
      </Card>
    </Page>
  );
}
