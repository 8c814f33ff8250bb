import { Alert, App, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useT } from '../../app/locale';
import { useErrorText } from '../../ui/errors';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { ModalFooter } from '../../ui/ModalFooter';
import { useChangePassword, type ChangePasswordRequest } from './api';
import { newPasswordRules } from './rules';

type ChangePasswordValues = ChangePasswordRequest & { confirmPassword: string };

const FIELD_NAMES: readonly (keyof ChangePasswordRequest)[] = ['currentPassword', 'newPassword'];

type ChangePasswordDialogProps = { open: boolean; onClose: () => void };

export function ChangePasswordDialog({ open, onClose }: ChangePasswordDialogProps) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<ChangePasswordValues>();
  const changePassword = useChangePassword();
  const errorText = useErrorText();
  const [failure, setFailure] = useState<unknown>(null);

  const close = () => {
    form.resetFields();
    setFailure(null);
    onClose();
  };

  const submit = ({ currentPassword, newPassword }: ChangePasswordValues) => {
    setFailure(null);
    changePassword.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          void message.success(t('password.changed'));
          close();
        },
        onError: (error) => {
          if (!applyApiErrorToForm(form, error, FIELD_NAMES)) setFailure(error);
        },
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t('password.title')}
      onCancel={close}
      footer={
        <ModalFooter
          onCancel={close}
          onOk={() => form.submit()}
          isLoading={changePassword.isPending}
          okTestId="change-password-submit"
        />
      }
      destroyOnHidden
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Form<ChangePasswordValues> form={form} layout="vertical" requiredMark={false} onFinish={submit}>
        <Form.Item
          name="currentPassword"
          label={t('password.current')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          extra={t('auth.passwordHelp')}
          rules={newPasswordRules(t)}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('validation.required') },
            ({ getFieldValue }) => ({
              validator: (_rule, value: unknown) =>
                value === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('validation.passwordMismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
