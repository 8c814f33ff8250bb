import type { InvoiceDetail } from '@huikuan/core/contracts';
import { Alert, App, Button, Card, DatePicker, Form, Input, Modal, Radio, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useT } from '../../app/locale';
import { DateText } from '../../ui/DateText';
import { useErrorText } from '../../ui/errors';
import { dateFieldProps } from '../../ui/form-date';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { ModalFooter } from '../../ui/ModalFooter';
import { requiredRule } from '../auth/rules';
import { useProductCondition, useRecordProductCondition } from './api';

type ConditionValues = { condition: 'normal' | 'abnormal'; effectiveOn?: string | null; reason: string };

function RecordConditionModal({ invoice, onClose }: { invoice: InvoiceDetail; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<ConditionValues>();
  const recordCondition = useRecordProductCondition(invoice.id);
  const [failure, setFailure] = useState<unknown>(null);
  const submit = (values: ConditionValues) =>
    recordCondition.mutate(
      {
        condition: values.condition,
        reason: values.reason,
        ...(values.effectiveOn ? { effectiveOn: values.effectiveOn } : {}),
      },
      {
        onSuccess: () => {
          void message.success(t('productCondition.recorded'));
          onClose();
        },
        onError: (error) => {
          if (!applyApiErrorToForm(form, error, ['condition', 'effectiveOn', 'reason'])) setFailure(error);
        },
      },
    );
  return (
    <Modal
      open
      title={t('productCondition.recordTitle', { number: invoice.number })}
      onCancel={onClose}
      footer={
        <ModalFooter
          onCancel={onClose}
          onOk={() => form.submit()}
          isLoading={recordCondition.isPending}
          okTestId="product-condition-submit"
        />
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ condition: 'abnormal' }}>
        <Form.Item name="condition" label={t('productCondition.title')}>
          <Radio.Group
            options={[
              { value: 'normal', label: t('productCondition.normal') },
              { value: 'abnormal', label: t('productCondition.abnormal') },
            ]}
          />
        </Form.Item>
        <Form.Item name="effectiveOn" label={t('productCondition.effectiveOn')} {...dateFieldProps}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="reason" label={t('common.reason')} rules={[requiredRule(t), { max: 500 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 产品状况: whether this debt is for normal goods, with its history; aging splits by it (view 产品状况). */
export function ProductConditionCard({ invoice, canWrite }: { invoice: InvoiceDetail; canWrite: boolean }) {
  const t = useT();
  const history = useProductCondition(invoice.id);
  const [isRecording, setRecording] = useState(false);
  const current = history.data?.current ?? 'normal';
  return (
    <Card
      title={t('productCondition.title')}
      extra={
        canWrite && invoice.status !== 'void' ? (
          <Button size="small" onClick={() => setRecording(true)} data-testid="product-condition-record">
            {t('productCondition.record')}
          </Button>
        ) : null
      }
    >
      <Tag color={current === 'abnormal' ? 'red' : 'green'} data-testid="product-condition">
        {t(`productCondition.${current}`)}
      </Tag>
      {(history.data?.entries ?? []).map((entry) => (
        <Typography.Paragraph key={entry.id} type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          <DateText value={entry.effectiveOn} /> · {t(`productCondition.${entry.condition}`)} · {entry.reason}
        </Typography.Paragraph>
      ))}
      {isRecording ? <RecordConditionModal invoice={invoice} onClose={() => setRecording(false)} /> : null}
    </Card>
  );
}
