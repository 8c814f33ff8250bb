import type { Locale } from '@huikuan/core';
import { Alert, Button, Form, Input, Select, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useLocale } from '../../app/locale';
import { useErrorText } from '../../ui/errors';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { currencyOptions, localeOptions, timeZoneOptions } from '../../ui/options';
import { useBeginSession, useSignup } from './api';
import { AuthCard } from './AuthCard';
import { emailRules, newPasswordRules, requiredRule, slugRules } from './rules';
import { suggestSlug } from './slug';

type SignupValues = {
  organizationName: string;
  slug: string;
  baseCurrency: string;
  timezone: string;
  locale: Locale;
  adminName: string;
  email: string;
  password: string;
};

const FIELD_NAMES: readonly (keyof SignupValues)[] = [
  'organizationName',
  'slug',
  'baseCurrency',
  'timezone',
  'locale',
  'adminName',
  'email',
  'password',
];

const CODE_FIELDS = { slug_taken: 'slug', email_taken: 'email' };

export function SignupPage() {
  const { t, locale } = useLocale();
  const [form] = Form.useForm<SignupValues>();
  const navigate = useNavigate();
  const signup = useSignup();
  const beginSession = useBeginSession();
  const errorText = useErrorText();
  // Until the user edits the slug, it follows the organization name.
  const [isSlugEdited, setSlugEdited] = useState(false);
  const [unplacedError, setUnplacedError] = useState<unknown>(null);
  const currencies = useMemo(() => currencyOptions(locale), [locale]);

  const onValuesChange = (changed: Partial<SignupValues>) => {
    if (changed.slug !== undefined) setSlugEdited(true);
    if (changed.organizationName !== undefined && !isSlugEdited) {
      form.setFieldValue('slug', suggestSlug(changed.organizationName));
    }
  };

  const submit = (values: SignupValues) => {
    setUnplacedError(null);
    signup.mutate(values, {
      onSuccess: (session) => {
        beginSession(session);
        void navigate('/', { replace: true, flushSync: true });
      },
      onError: (error) => {
        if (!applyApiErrorToForm(form, error, FIELD_NAMES, CODE_FIELDS)) setUnplacedError(error);
      },
    });
  };

  return (
    <AuthCard
      title={t('auth.signupTitle')}
      subtitle={t('auth.signupSubtitle')}
      footer={
        <Typography.Text>
          {t('auth.haveAccount')} <Link to="/login">{t('auth.goLogin')}</Link>
        </Typography.Text>
      }
    >
      {unplacedError === null ? null : (
        <Alert
          type="error"
          showIcon
          title={errorText(unplacedError)}
          data-testid="signup-error"
          style={{ marginBottom: 16 }}
        />
      )}
      <Form<SignupValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ baseCurrency: 'CNY', timezone: 'Asia/Shanghai', locale }}
        onValuesChange={onValuesChange}
        onFinish={submit}
      >
        <Form.Item
          name="organizationName"
          label={t('auth.organizationName')}
          rules={[requiredRule(t), { max: 200 }]}
        >
          <Input autoComplete="organization" />
        </Form.Item>
        <Form.Item name="slug" label={t('auth.slug')} extra={t('auth.slugHelp')} rules={slugRules(t)}>
          <Input autoComplete="off" spellCheck={false} />
        </Form.Item>
        <Form.Item name="baseCurrency" label={t('auth.baseCurrency')} rules={[requiredRule(t)]}>
          <Select options={currencies} showSearch={{ optionFilterProp: 'label' }} />
        </Form.Item>
        <Form.Item name="timezone" label={t('auth.timezone')} rules={[requiredRule(t)]}>
          <Select options={timeZoneOptions()} showSearch={{ optionFilterProp: 'label' }} />
        </Form.Item>
        <Form.Item name="locale" label={t('auth.orgLocale')} rules={[requiredRule(t)]}>
          <Select options={localeOptions()} />
        </Form.Item>
        <Form.Item name="adminName" label={t('auth.adminName')} rules={[requiredRule(t), { max: 100 }]}>
          <Input autoComplete="name" />
        </Form.Item>
        <Form.Item name="email" label={t('auth.email')} rules={emailRules(t)}>
          <Input type="email" autoComplete="email" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('auth.password')}
          extra={t('auth.passwordHelp')}
          rules={newPasswordRules(t)}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={signup.isPending} data-testid="signup-submit">
          {t('auth.signupSubmit')}
        </Button>
      </Form>
    </AuthCard>
  );
}
