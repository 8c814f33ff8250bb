import { Alert, Form, Input, Modal } from 'antd';
import type { ReactNode } from 'react';
import { useT } from '../../app/locale';
import { useErrorText } from '../../ui/errors';
import { ModalFooter } from '../../ui/ModalFooter';

export type Decision = 'approve' | 'reject';

type DecisionModalProps = {
  decision: Decision;
  title: string;
  summary?: ReactNode;
  isPending: boolean;
  failure: unknown;
  /** A rejection says why; an approval may. */
  isCommentRequired?: boolean;
  onSubmit: (comment: string | undefined) => void;
  onClose: () => void;
};

/** Approve or reject with a comment; shared by approvals, 开票申请 and claims. */
export function DecisionModal(props: DecisionModalProps) {
  const t = useT();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ comment?: string }>();
  const isApprove = props.decision === 'approve';
  return (
    <Modal
      open
      title={props.title}
      onCancel={props.onClose}
      footer={
        <ModalFooter
          onCancel={props.onClose}
          onOk={() => form.submit()}
          okText={t(isApprove ? 'approvals.approve' : 'approvals.reject')}
          isLoading={props.isPending}
          okTestId={isApprove ? 'decision-approve' : 'decision-reject'}
        />
      }
    >
      {props.failure === null ? null : (
        <Alert type="error" showIcon title={errorText(props.failure)} style={{ marginBottom: 16 }} />
      )}
      {props.summary}
      <Form
        form={form}
        layout="vertical"
        onFinish={({ comment }) => props.onSubmit(comment?.trim() || undefined)}
      >
        <Form.Item
          name="comment"
          label={t('approvals.comment')}
          rules={[
            {
              required: props.isCommentRequired ?? !isApprove,
              whitespace: true,
              message: t('validation.required'),
            },
            { max: 1000 },
          ]}
        >
          <Input.TextArea rows={3} data-testid="decision-comment" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
