import type { Letterhead, LetterheadRequest } from '@huikuan/core/contracts';
import { Alert, App, Button, Card, Flex, Form, Image, Input, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useT } from '../../app/locale';
import { useErrorText } from '../../ui/errors';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { useSaveLetterhead, useSetSeal } from './api';

const FIELDS = [
  'legalName',
  'address',
  'phone',
  'email',
  'taxId',
  'bankName',
  'bankAccount',
  'signatory',
] as const;

function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () =>
      resolve(typeof reader.result === 'string' ? reader.result.replace(/^data:[^,]*,/, '') : '');
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

/** 信头: the sender's details and where to pay. */
export function LetterheadCard({ letterhead, canEdit }: { letterhead: Letterhead; canEdit: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<LetterheadRequest>();
  const save = useSaveLetterhead();
  const [failure, setFailure] = useState<unknown>(null);
  const submit = (values: LetterheadRequest) => {
    setFailure(null);
    save.mutate(values, {
      onSuccess: () => void message.success(t('letters.letterheadSaved')),
      onError: (error) => {
        if (!applyApiErrorToForm(form, error, FIELDS)) setFailure(error);
      },
    });
  };
  return (
    <Card title={t('letters.letterhead')}>
      {letterhead.isConfigured ? null : (
        <Alert type="info" showIcon title={t('letters.notConfigured')} style={{ marginBottom: 16 }} />
      )}
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Form form={form} layout="vertical" initialValues={letterhead} onFinish={submit} disabled={!canEdit}>
        {FIELDS.map((name) => (
          <Form.Item
            key={name}
            name={name}
            label={t(`letters.${name}`)}
            rules={name === 'legalName' ? [{ required: true }] : []}
          >
            <Input data-testid={`letterhead-${name}`} />
          </Form.Item>
        ))}
        {canEdit ? (
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="letterhead-save">
            {t('common.save')}
          </Button>
        ) : null}
      </Form>
    </Card>
  );
}

/** 公章: uploaded as PNG/JPEG, checked by the server by its bytes, printed over the signature. */
export function SealCard({ letterhead, canEdit }: { letterhead: Letterhead; canEdit: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const setSeal = useSetSeal();
  const [version, setVersion] = useState(0);
  const apply = (contentBase64: string | null) =>
    setSeal.mutate(contentBase64, {
      onSuccess: () => {
        setVersion((v) => v + 1);
        void message.success(t('letters.sealSaved'));
      },
      onError: (error) => void message.error(errorText(error)),
    });
  return (
    <Card title={t('letters.seal')}>
      <Flex vertical gap={12}>
        <Typography.Text type="secondary">{t('letters.sealHelp')}</Typography.Text>
        {letterhead.seal ? (
          <Image
            src={`/api/letterhead/seal?v=${version}-${letterhead.updatedAt ?? ''}`}
            width={140}
            alt={t('letters.seal')}
            data-testid="seal-image"
          />
        ) : (
          <Typography.Text>{t('letters.noSeal')}</Typography.Text>
        )}
        {canEdit ? (
          <Flex gap={8}>
            <Upload
              accept="image/png,image/jpeg"
              showUploadList={false}
              beforeUpload={(file) => {
                void toBase64(file).then(apply);
                return false;
              }}
            >
              <Button loading={setSeal.isPending} data-testid="seal-upload">
                {t('letters.sealUpload')}
              </Button>
            </Upload>
            {letterhead.seal ? (
              <Button danger onClick={() => apply(null)} data-testid="seal-remove">
                {t('letters.sealRemove')}
              </Button>
            ) : null}
          </Flex>
        ) : null}
      </Flex>
    </Card>
  );
}
