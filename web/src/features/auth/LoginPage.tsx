import type { LoginRequest } from '@huikuan/core/contracts';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useT } from '../../app/locale';
import { useErrorText } from '../../ui/errors';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { useBeginSession, useLogin } from './api';
import { AuthCard } from './AuthCard';
import { safeNextPath } from './next-path';
import { emailRules, slugRules } from './rules';

type LoginValues = { organizationSlug: string; email: string; password: string };

const FIELD_NAMES: readonly (keyof LoginValues)[] = ['organizationSlug', 'email', 'password'];
const LAST_SLUG_KEY = 'huikuan.lastOrganizationSlug';

function readLastSlug(): string {
  try {
    return window.localStorage.getItem(LAST_SLUG_KEY) ?? '';
  } catch {
    return '';
  }
}

function rememberSlug(slug: string): void {
  try {
    window.localStorage.setItem(LAST_SLUG_KEY, slug);
  } catch {
    // Only a convenience for the next sign-in.
  }
}

export function LoginPage() {
  const t = useT();
  const [form] = Form.useForm<LoginValues>();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const login = useLogin();
  const beginSession = useBeginSession();
  const errorText = useErrorText();
  const [failure, setFailure] = useState<unknown>(null);

  const submit = (values: LoginRequest) => {
    setFailure(null);
    login.mutate(values, {
      onSuccess: (session) => {
        rememberSlug(values.organizationSlug);
        beginSession(session);
        void navigate(safeNextPath(searchParams.get('next')), { replace: true, flushSync: true });
      },
      onError: (error) => {
        // Wrong password, locked or disabled accounts are not about one field: say it above the form.
        if (!applyApiErrorToForm(form, error, FIELD_NAMES)) setFailure(error);
      },
    });
  };

  return (
    <AuthCard
      title={t('auth.loginTitle')}
      subtitle={t('auth.loginSubtitle')}
      footer={
        <Typography.Text>
          {t('auth.noAccount')} <Link to="/signup">{t('auth.goSignup')}</Link>
        </Typography.Text>
      }
    >
      {failure === null ? null : (
        <Alert
          type="error"
          showIcon
          title={errorText(failure)}
          data-testid="login-error"
          style={{ marginBottom: 16 }}
        />
      )}
      <Form<LoginValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ organizationSlug: readLastSlug() }}
        onFinish={submit}
      >
        <Form.Item name="organizationSlug" label={t('auth.organizationSlug')} rules={slugRules(t)}>
          <Input autoComplete="organization" spellCheck={false} />
        </Form.Item>
        <Form.Item name="email" label={t('auth.email')} rules={emailRules(t)}>
          <Input type="email" autoComplete="username" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('auth.password')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={login.isPending} data-testid="login-submit">
          {t('auth.loginSubmit')}
        </Button>
      </Form>
    </AuthCard>
  );
}
