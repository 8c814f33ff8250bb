import { LETTER_KINDS, type LetterKind, type Locale } from '@huikuan/core';
import type { Letter, LetterPreview, LetterRequest } from '@huikuan/core/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Form,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import { useState } from 'react';
import { useT } from '../../app/locale';
import { useSession } from '../../app/session';
import { DateText } from '../../ui/DateText';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useErrorText } from '../../ui/errors';
import { useFileDownload } from '../../ui/file-download';
import { dateFieldProps, useToday } from '../../ui/form-date';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { useIdempotencyKey } from '../../ui/idempotency';
import { useCustomerLetters, useGenerateLetter, useLetterPreview } from './api';
import { LetterPreviewFrame } from './LetterPreviewFrame';

type FormValues = {
  kind: LetterKind;
  locale: Locale;
  asOf: string;
  periodFrom: string | null;
  isEmailed: boolean;
};

const FIELDS = ['kind', 'locale', 'asOf', 'periodFrom', 'invoiceIds'];

function requestOf(values: FormValues): LetterRequest {
  return {
    kind: values.kind,
    locale: values.locale,
    asOf: values.asOf,
    ...(values.kind === 'statement' && values.periodFrom ? { periodFrom: values.periodFrom } : {}),
    isEmailed: values.isEmailed,
  };
}

/** Choose kind, language and date; preview the HTML; generate, archive and (optionally) e-mail the PDF. */
function GenerateLetterModal({ customerId, onClose }: { customerId: string; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const session = useSession();
  const today = useToday();
  const key = useIdempotencyKey();
  const [form] = Form.useForm<FormValues>();
  const kind = Form.useWatch('kind', form);
  const preview = useLetterPreview(customerId);
  const generate = useGenerateLetter(customerId, key.headers);
  const [shown, setShown] = useState<LetterPreview | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const mayIssueLawyerLetter = session.user.role === 'legal' || session.user.role === 'admin';
  const onError = (error: unknown) => {
    if (!applyApiErrorToForm(form, error, FIELDS)) setFailure(error);
  };
  const showPreview = async () => {
    setFailure(null);
    const values = await form.validateFields();
    preview.mutate(requestOf(values), { onSuccess: setShown, onError });
  };
  const submit = (values: FormValues) => {
    setFailure(null);
    generate.mutate(requestOf(values), {
      onSuccess: () => {
        key.renew();
        void message.success(t('letters.generated'));
        onClose();
      },
      onError,
    });
  };
  return (
    <Modal
      open
      width={shown ? 900 : 560}
      title={t('letters.generateTitle')}
      onCancel={onClose}
      footer={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            onClick={() => void showPreview()}
            loading={preview.isPending}
            data-testid="letter-preview-button"
          >
            {t('letters.preview')}
          </Button>
          <Button
            type="primary"
            onClick={() => form.submit()}
            loading={generate.isPending}
            data-testid="letter-generate-submit"
          >
            {t('common.create')}
          </Button>
        </Space>
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          kind: 'dunning_letter',
          locale: session.organization.locale === 'en' ? 'en' : 'zh-CN',
          asOf: today,
          periodFrom: null,
          isEmailed: false,
        }}
        onFinish={submit}
        onValuesChange={() => setShown(null)}
      >
        <Form.Item name="kind" label={t('letters.kind')} rules={[{ required: true }]}>
          <Select
            data-testid="letter-kind"
            options={LETTER_KINDS.map((value) => ({
              value,
              label: t(`letters.kind.${value}`),
              disabled: value === 'lawyer_letter' && !mayIssueLawyerLetter,
            }))}
          />
        </Form.Item>
        {kind === 'lawyer_letter' || !mayIssueLawyerLetter ? (
          <Alert type="info" showIcon title={t('letters.lawyerHelp')} style={{ marginBottom: 16 }} />
        ) : null}
        <Form.Item name="locale" label={t('letters.locale')}>
          <Radio.Group
            options={[
              { value: 'zh-CN', label: t('locale.zh-CN') },
              { value: 'en', label: t('locale.en') },
            ]}
          />
        </Form.Item>
        <Space wrap>
          {kind === 'statement' ? (
            <Form.Item name="periodFrom" label={t('letters.periodFrom')} {...dateFieldProps}>
              <DatePicker />
            </Form.Item>
          ) : null}
          <Form.Item name="asOf" label={t('letters.asOf')} rules={[{ required: true }]} {...dateFieldProps}>
            <DatePicker allowClear={false} />
          </Form.Item>
        </Space>
        <Form.Item name="isEmailed" valuePropName="checked">
          <Checkbox data-testid="letter-emailed">{t('letters.isEmailed')}</Checkbox>
        </Form.Item>
      </Form>
      {shown ? <LetterPreviewFrame html={shown.html} height={560} /> : null}
    </Modal>
  );
}

/** 函件: generate a letter or statement for this customer and see every letter sent to them. */
export function LettersTab({ customerId, canWrite }: { customerId: string; canWrite: boolean }) {
  const t = useT();
  const letters = useCustomerLetters(customerId);
  const [isGenerating, setGenerating] = useState(false);
  const { isBusy, download } = useFileDownload(t('letters.downloadFailed'));
  const columns = [
    {
      key: 'title',
      title: t('letters.title'),
      render: (_: unknown, letter: Letter) => (
        <Space>
          <span>{letter.title}</span>
          <Tag>{t(`letters.kind.${letter.kind}`)}</Tag>
        </Space>
      ),
    },
    {
      key: 'asOf',
      title: t('letters.asOf'),
      render: (_: unknown, letter: Letter) =>
        letter.periodFrom ? `${letter.periodFrom} ~ ${letter.asOf}` : letter.asOf,
    },
    {
      key: 'source',
      title: t('letters.source'),
      render: (_: unknown, letter: Letter) => (
        <Space>
          <span>{t(`letters.source.${letter.source}`)}</span>
          {letter.messageId ? <Tag color="blue">{t('letters.emailed')}</Tag> : null}
        </Space>
      ),
    },
    {
      key: 'createdAt',
      title: t('letters.createdAt'),
      render: (_: unknown, letter: Letter) => <DateText value={letter.createdAt} />,
    },
    {
      key: 'actions',
      title: t('common.actions'),
      render: (_: unknown, letter: Letter) => (
        <Button
          size="small"
          loading={isBusy}
          data-testid={`letter-download-${letter.id}`}
          onClick={() => void download(`/api/letters/${letter.id}/pdf`, `${letter.title}.pdf`)}
        >
          {t('letters.download')}
        </Button>
      ),
    },
  ];
  return (
    <Card
      title={t('letters.archive')}
      extra={
        canWrite ? (
          <Button type="primary" onClick={() => setGenerating(true)} data-testid="letter-generate">
            {t('letters.generate')}
          </Button>
        ) : null
      }
    >
      {letters.isError ? (
        <ErrorAlert error={letters.error} onRetry={() => void letters.refetch()} />
      ) : (
        <Table
          rowKey="id"
          size="small"
          loading={letters.isLoading}
          dataSource={letters.data?.items ?? []}
          columns={columns}
          pagination={false}
          locale={{ emptyText: t('letters.empty') }}
          data-testid="letters-table"
        />
      )}
      {isGenerating ? (
        <GenerateLetterModal customerId={customerId} onClose={() => setGenerating(false)} />
      ) : null}
    </Card>
  );
}
