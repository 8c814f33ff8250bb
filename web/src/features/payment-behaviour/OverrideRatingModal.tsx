import { CREDIT_RATINGS, type CreditRating } from '@huikuan/core';
import { Alert, App, Form, Input, Modal, Radio } from 'antd';
import { useT } from '../../app/locale';
import { useErrorText } from '../../ui/errors';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { ModalFooter } from '../../ui/ModalFooter';
import { useOverrideCreditRating } from './api';

type Values = { rating: CreditRating; reason: string };

/** Finance sets a rating by hand; the reason is required and goes into the audit log with the change. */
export function OverrideRatingModal(props: {
  customerId: string;
  initial: CreditRating | null;
  onClose: () => void;
}) {
  const t = useT();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const save = useOverrideCreditRating(props.customerId);
  const isFieldError = save.isError && applyApiErrorToForm(form, save.error, ['rating', 'reason']);
  return (
    <Modal
      open
      title={t('behaviour.rating.overrideTitle')}
      onCancel={props.onClose}
      footer={
        <ModalFooter
          onCancel={props.onClose}
          onOk={() => form.submit()}
          isLoading={save.isPending}
          okTestId="rating-override-save"
        />
      }
    >
      {save.isError && !isFieldError ? (
        <Alert type="error" showIcon title={errorText(save.error)} style={{ marginBottom: 16 }} />
      ) : null}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ rating: props.initial ?? undefined }}
        onFinish={(values) =>
          save.mutate(
            { rating: values.rating, reason: values.reason.trim() },
            {
              onSuccess: () => {
                void message.success(t('behaviour.rating.saved'));
                props.onClose();
              },
            },
          )
        }
      >
        <Form.Item
          name="rating"
          label={t('behaviour.rating.newRating')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={CREDIT_RATINGS.map((rating) => ({ value: rating, label: rating }))}
            data-testid="rating-override-rating"
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('behaviour.rating.reason')}
          extra={t('behaviour.rating.reasonHint')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 500 }]}
        >
          <Input.TextArea rows={3} data-testid="rating-override-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
