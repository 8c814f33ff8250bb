import type { Allocation, ReceiptDetail } from '@huikuan/core/contracts';
import { Alert, App, DatePicker, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useT } from '../../app/locale';
import { useErrorText } from '../../ui/errors';
import { dateFieldProps, useToday } from '../../ui/form-date';
import { useIdempotencyKey } from '../../ui/idempotency';
import { ModalFooter } from '../../ui/ModalFooter';
import { MoneyText } from '../../ui/MoneyText';
import { requiredRule } from '../auth/rules';
import { useConfirmReceipt, useReverseAllocation, useReverseReceipt } from './api';

/** 回款确认: from here the receipt is locked and counts in balances. */
export function ConfirmReceiptModal({ receipt, onClose }: { receipt: ReceiptDetail; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const key = useIdempotencyKey();
  const confirm = useConfirmReceipt();
  const [failure, setFailure] = useState<unknown>(null);
  const onOk = () =>
    confirm.mutate(
      { id: receipt.id, headers: key.headers },
      {
        onSuccess: () => {
          void message.success(t('receipts.confirmed'));
          onClose();
        },
        onError: setFailure,
      },
    );
  return (
    <Modal
      open
      title={t('receipts.confirmTitle')}
      onCancel={onClose}
      footer={
        <ModalFooter
          onCancel={onClose}
          onOk={onOk}
          okText={t('receipts.confirm')}
          isLoading={confirm.isPending}
          okTestId="receipt-confirm-submit"
        />
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Typography.Paragraph>
        {t('receipts.confirmHelp')} <MoneyText amount={receipt.amount} currency={receipt.currency} />
      </Typography.Paragraph>
    </Modal>
  );
}

type ReasonValues = { reason: string; reversedOn: string };

/** A reversal dated reversedOn, with a reason; shared by receipts and allocations. */
function ReversalModal(props: {
  title: string;
  help: string;
  isPending: boolean;
  failure: unknown;
  okTestId: string;
  onSubmit: (values: ReasonValues) => void;
  onClose: () => void;
}) {
  const t = useT();
  const today = useToday();
  const errorText = useErrorText();
  const [form] = Form.useForm<ReasonValues>();
  return (
    <Modal
      open
      title={props.title}
      onCancel={props.onClose}
      footer={
        <ModalFooter
          onCancel={props.onClose}
          onOk={() => form.submit()}
          okText={t('common.reverse')}
          isLoading={props.isPending}
          okTestId={props.okTestId}
        />
      }
    >
      {props.failure === null ? null : (
        <Alert type="error" showIcon title={errorText(props.failure)} style={{ marginBottom: 16 }} />
      )}
      <Typography.Paragraph type="secondary">{props.help}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ reversedOn: today }} onFinish={props.onSubmit}>
        <Form.Item
          name="reversedOn"
          label={t('common.reversedOn')}
          rules={[requiredRule(t)]}
          {...dateFieldProps}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="reason" label={t('common.reason')} rules={[requiredRule(t), { max: 500 }]}>
          <Input.TextArea rows={2} data-testid="reversal-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function ReverseReceiptModal({ receipt, onClose }: { receipt: ReceiptDetail; onClose: () => void }) {
  const t = useT();
  const key = useIdempotencyKey();
  const reverse = useReverseReceipt();
  const [failure, setFailure] = useState<unknown>(null);
  return (
    <ReversalModal
      title={t('receipts.reverseTitle')}
      help={t('receipts.reverseHelp')}
      isPending={reverse.isPending}
      failure={failure}
      okTestId="receipt-reverse-submit"
      onClose={onClose}
      onSubmit={(values) =>
        reverse.mutate(
          { id: receipt.id, ...values, headers: key.headers },
          { onSuccess: onClose, onError: setFailure },
        )
      }
    />
  );
}

export function ReverseAllocationModal({
  allocation,
  onClose,
}: {
  allocation: Allocation;
  onClose: () => void;
}) {
  const t = useT();
  const key = useIdempotencyKey();
  const reverse = useReverseAllocation();
  const [failure, setFailure] = useState<unknown>(null);
  return (
    <ReversalModal
      title={t('allocation.reverseTitle')}
      help={t('allocation.reverseHelp')}
      isPending={reverse.isPending}
      failure={failure}
      okTestId="allocation-reverse-submit"
      onClose={onClose}
      onSubmit={(values) =>
        reverse.mutate(
          { allocationId: allocation.id, ...values, headers: key.headers },
          { onSuccess: onClose, onError: setFailure },
        )
      }
    />
  );
}
