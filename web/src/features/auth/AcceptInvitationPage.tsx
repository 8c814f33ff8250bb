import type { Role } from '@huikuan/core';
import { Alert, Button, Form, Input, Result } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useT } from '../../app/locale';
import { useErrorText } from '../../ui/errors';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { FullPageSpin } from '../../ui/FullPageSpin';
import { useRoleLabel } from '../../ui/roles';
import {
  useAcceptInvitation,
  useBeginSession,
  useInvitationPreview,
  type AcceptInvitationRequest,
} from './api';
import { AuthCard } from './AuthCard';
import { newPasswordRules, requiredRule } from './rules';

const FIELD_NAMES: readonly (keyof AcceptInvitationRequest)[] = ['name', 'password'];

export function AcceptInvitationPage() {
  const { token = '' } = useParams();
  const t = useT();
  const preview = useInvitationPreview(token);
  const errorText = useErrorText();

  if (preview.isPending) return <FullPageSpin />;
  if (preview.isError) {
    return (
      <Result
        status="warning"
        title={t('auth.inviteInvalidTitle')}
        subTitle={errorText(preview.error)}
        extra={<Link to="/login">{t('auth.goLogin')}</Link>}
      />
    );
  }
  return <AcceptInvitationForm token={token} {...preview.data} />;
}

type AcceptInvitationFormProps = {
  token: string;
  organizationName: string;
  email: string;
  role: Role;
};

function AcceptInvitationForm({ token, organizationName, email, role }: AcceptInvitationFormProps) {
  const t = useT();
  const roleLabel = useRoleLabel();
  const [form] = Form.useForm<AcceptInvitationRequest>();
  const accept = useAcceptInvitation(token);
  const beginSession = useBeginSession();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const [failure, setFailure] = useState<unknown>(null);

  const submit = (values: AcceptInvitationRequest) => {
    setFailure(null);
    accept.mutate(values, {
      onSuccess: (session) => {
        beginSession(session);
        void navigate('/', { replace: true, flushSync: true });
      },
      onError: (error) => {
        if (!applyApiErrorToForm(form, error, FIELD_NAMES)) setFailure(error);
      },
    });
  };

  return (
    <AuthCard
      title={t('auth.inviteTitle')}
      subtitle={t('auth.inviteSubtitle', { organization: organizationName, role: roleLabel(role) })}
    >
      {failure === null ? null : (
        <Alert
          type="error"
          showIcon
          title={errorText(failure)}
          data-testid="invite-error"
          style={{ marginBottom: 16 }}
        />
      )}
      <Form<AcceptInvitationRequest> form={form} layout="vertical" requiredMark={false} onFinish={submit}>
        <Form.Item label={t('auth.inviteEmail')}>
          <Input value={email} disabled data-testid="invite-email" />
        </Form.Item>
        <Form.Item name="name" label={t('auth.yourName')} rules={[requiredRule(t), { max: 100 }]}>
          <Input autoComplete="name" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('auth.password')}
          extra={t('auth.passwordHelp')}
          rules={newPasswordRules(t)}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          block
          loading={accept.isPending}
          data-testid="invite-accept-submit"
        >
          {t('auth.inviteSubmit')}
        </Button>
      </Form>
    </AuthCard>
  );
}
