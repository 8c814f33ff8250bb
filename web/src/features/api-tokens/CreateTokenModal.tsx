import { TOKEN_SCOPES, type TokenScope } from '@huikuan/core';
import { Alert, Button, Checkbox, DatePicker, Flex, Form, Input, Modal, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useT } from '../../app/locale';
import { CopyField } from '../../ui/CopyField';
import { useErrorText } from '../../ui/errors';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { ModalFooter } from '../../ui/ModalFooter';
import { requiredRule } from '../auth/rules';
import { useCreateApiToken } from './api';

type TokenValues = { name: string; scopes: TokenScope[]; expiresOn?: Dayjs | null };

const FIELD_NAMES: readonly string[] = ['name', 'scopes'];

/** Create form, then the secret: it is shown here once and never again (only its hash is stored). */
export function CreateTokenModal({ onClose }: { onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<TokenValues>();
  const create = useCreateApiToken();
  const errorText = useErrorText();
  const [failure, setFailure] = useState<unknown>(null);
  const [secret, setSecret] = useState<string | null>(null);

  const submit = (values: TokenValues) => {
    setFailure(null);
    // A chosen expiry day means "valid through that day" in the user's clock.
    const expiresAt = values.expiresOn ? values.expiresOn.endOf('day').toISOString() : null;
    create.mutate(
      { name: values.name, scopes: values.scopes, expiresAt },
      {
        onSuccess: (reply) => setSecret(reply.secret),
        onError: (error) => {
          if (!applyApiErrorToForm(form, error, FIELD_NAMES)) setFailure(error);
        },
      },
    );
  };

  if (secret !== null) {
    return (
      <Modal
        open
        title={t('tokens.secretTitle')}
        // Shown once: a stray click outside must not throw it away.
        mask={{ closable: false }}
        onCancel={onClose}
        footer={
          <Flex justify="flex-end">
            <Button type="primary" onClick={onClose} data-testid="api-token-done">
              {t('common.close')}
            </Button>
          </Flex>
        }
      >
        <Flex vertical gap={12}>
          <Alert type="warning" showIcon title={t('tokens.secretHelp')} />
          <CopyField value={secret} testId="api-token-secret" ariaLabel={t('tokens.secretTitle')} />
        </Flex>
      </Modal>
    );
  }

  return (
    <Modal
      open
      title={t('tokens.createTitle')}
      onCancel={onClose}
      footer={
        <ModalFooter
          onCancel={onClose}
          onOk={() => form.submit()}
          okText={t('common.create')}
          isLoading={create.isPending}
          okTestId="api-token-submit"
        />
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Form<TokenValues> form={form} layout="vertical" initialValues={{ scopes: ['read'] }} onFinish={submit}>
        <Form.Item name="name" label={t('tokens.name')} rules={[requiredRule(t), { max: 100 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="scopes"
          label={t('tokens.scopes')}
          rules={[{ required: true, type: 'array', min: 1, message: t('validation.required') }]}
        >
          <Checkbox.Group
            options={TOKEN_SCOPES.map((scope) => ({ value: scope, label: t(`tokens.scope.${scope}`) }))}
          />
        </Form.Item>
        <Form.Item name="expiresOn" label={t('tokens.expiresAt')}>
          <DatePicker
            placeholder={t('tokens.neverExpires')}
            disabledDate={(day) => day.isBefore(dayjs(), 'day')}
            style={{ width: '100%' }}
          />
        </Form.Item>
        <Typography.Text type="secondary">{t('tokens.intro')}</Typography.Text>
      </Form>
    </Modal>
  );
}
