import { LETTER_KINDS, LETTER_PLACEHOLDERS, type LetterKind, type Locale } from '@huikuan/core';
import type { LetterTemplateInput, LetterTemplateView } from '@huikuan/core/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useLocale, useT } from '../../app/locale';
import { useSession } from '../../app/session';
import { useErrorText } from '../../ui/errors';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { CustomerSelect } from '../customers/CustomerSelect';
import { useResetTemplate, useSaveTemplate, useTemplatePreview } from './api';
import { LetterPreviewFrame } from './LetterPreviewFrame';

const FIELDS = ['title', 'salutation', 'paragraphs', 'closing', 'signature', 'deadlineDays'];

/** Live preview: the unsaved wording, half a second after the last keystroke. */
function useLivePreview(
  kind: LetterKind,
  locale: Locale,
  template: LetterTemplateInput | undefined,
  customerId: string | null,
) {
  const preview = useTemplatePreview();
  const { mutate } = preview;
  const body = JSON.stringify(template ?? null);
  useEffect(() => {
    if (!template) return undefined;
    const timer = setTimeout(
      () => mutate({ kind, locale, template, ...(customerId ? { customerId } : {}) }),
      500,
    );
    return () => clearTimeout(timer);
    // The serialized body stands for the template: a new object with the same words must not refetch.
  }, [kind, locale, body, customerId, mutate]);
  return preview;
}

async function downloadPdfPreview(csrfToken: string, locale: Locale, body: unknown, fileName: string) {
  const response = await fetch('/api/letter-templates/preview/pdf', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken, 'Accept-Language': locale },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** 函件措辞: one kind and language at a time, with its placeholders and a live preview beside the form. */
export function TemplateEditor({
  templates,
  canEdit,
}: {
  templates: LetterTemplateView[];
  canEdit: boolean;
}) {
  const t = useT();
  const { locale: uiLocale } = useLocale();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const session = useSession();
  const [kind, setKind] = useState<LetterKind>('dunning_letter');
  const [locale, setLocale] = useState<Locale>('zh-CN');
  const [customerId, setCustomerId] = useState<string | null>(null);
  const [form] = Form.useForm<LetterTemplateInput>();
  const values = Form.useWatch([], form);
  const current = templates.find((item) => item.kind === kind && item.locale === locale);
  const save = useSaveTemplate();
  const reset = useResetTemplate();
  const preview = useLivePreview(kind, locale, values, customerId);
  const [failure, setFailure] = useState<unknown>(null);
  useEffect(() => {
    if (current) form.setFieldsValue(current.template);
  }, [current, form]);
  const submit = (template: LetterTemplateInput) => {
    setFailure(null);
    save.mutate(
      { kind, locale, template },
      {
        onSuccess: () => void message.success(t('letters.templateSaved')),
        onError: (error) => {
          if (!applyApiErrorToForm(form, error, FIELDS)) setFailure(error);
        },
      },
    );
  };
  const restore = () =>
    reset.mutate({ kind, locale }, { onSuccess: () => void message.success(t('letters.templateReset')) });
  return (
    <Card
      title={t('letters.templates')}
      extra={
        <Space wrap>
          <Select
            value={kind}
            onChange={setKind}
            style={{ width: 200 }}
            data-testid="template-kind"
            options={LETTER_KINDS.map((value) => ({ value, label: t(`letters.kind.${value}`) }))}
          />
          <Radio.Group
            value={locale}
            onChange={(event) => setLocale(event.target.value as Locale)}
            options={[
              { value: 'zh-CN', label: t('locale.zh-CN') },
              { value: 'en', label: t('locale.en') },
            ]}
          />
          <Tag color={current?.isCustomized ? 'blue' : 'default'}>
            {t(current?.isCustomized ? 'letters.customized' : 'letters.builtIn')}
          </Tag>
        </Space>
      }
    >
      <Row gutter={24}>
        <Col xs={24} xl={11}>
          {failure === null ? null : (
            <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
          )}
          <Form form={form} layout="vertical" onFinish={submit} disabled={!canEdit}>
            <Form.Item name="title" label={t('letters.templateTitle')} rules={[{ required: true }]}>
              <Input data-testid="template-title" />
            </Form.Item>
            <Form.Item name="salutation" label={t('letters.salutation')}>
              <Input />
            </Form.Item>
            <Form.List name="paragraphs">
              {(fields, { add, remove }) => (
                <Flex vertical gap={8} style={{ marginBottom: 16 }}>
                  <Typography.Text>{t('letters.paragraphs')}</Typography.Text>
                  {fields.map((field) => (
                    <Flex key={field.key} gap={8} align="start">
                      <Form.Item name={field.name} style={{ flex: 1, marginBottom: 0 }}>
                        <Input.TextArea
                          autoSize={{ minRows: 2, maxRows: 8 }}
                          data-testid={`template-paragraph-${field.name}`}
                        />
                      </Form.Item>
                      {canEdit && fields.length > 1 ? (
                        <Button onClick={() => remove(field.name)}>−</Button>
                      ) : null}
                    </Flex>
                  ))}
                  {canEdit ? <Button onClick={() => add('')}>{t('letters.addParagraph')}</Button> : null}
                </Flex>
              )}
            </Form.List>
            <Form.Item name="closing" label={t('letters.closing')}>
              <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
            </Form.Item>
            <Form.Item name="signature" label={t('letters.signature')}>
              <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
            </Form.Item>
            <Form.Item name="deadlineDays" label={t('letters.deadlineDays')} rules={[{ required: true }]}>
              <InputNumber min={0} max={365} />
            </Form.Item>
            {canEdit ? (
              <Space>
                <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="template-save">
                  {t('common.save')}
                </Button>
                <Button onClick={restore} loading={reset.isPending} disabled={!current?.isCustomized}>
                  {t('letters.resetTemplate')}
                </Button>
              </Space>
            ) : null}
          </Form>
          <Typography.Paragraph style={{ marginTop: 16 }}>
            <Typography.Text strong>{t('letters.placeholders')}</Typography.Text>
          </Typography.Paragraph>
          <Flex wrap gap={4}>
            {LETTER_PLACEHOLDERS.map((name) => (
              <Tag key={name}>{`{{${name}}}`}</Tag>
            ))}
          </Flex>
        </Col>
        <Col xs={24} xl={13}>
          <Flex vertical gap={8}>
            <Flex justify="space-between" align="center" wrap gap={8}>
              <Typography.Text strong>{t('letters.livePreview')}</Typography.Text>
              <Space wrap>
                <CustomerSelect
                  value={customerId}
                  onChange={(id) => setCustomerId(id)}
                  placeholder={t('letters.previewCustomer')}
                  style={{ width: 260 }}
                />
                <Button
                  onClick={() =>
                    void downloadPdfPreview(
                      session.csrfToken,
                      uiLocale,
                      { kind, locale, template: values, ...(customerId ? { customerId } : {}) },
                      `${kind}-${locale}.pdf`,
                    ).catch(() => void message.error(t('letters.downloadFailed')))
                  }
                  data-testid="template-pdf"
                >
                  {t('letters.downloadPreview')}
                </Button>
              </Space>
            </Flex>
            {preview.isError ? <Alert type="warning" showIcon title={errorText(preview.error)} /> : null}
            {preview.data ? <LetterPreviewFrame html={preview.data.html} /> : null}
          </Flex>
        </Col>
      </Row>
    </Card>
  );
}
