import type { WriteOff } from '@huikuan/core/contracts';
import { Alert, App, DatePicker, Form, Input, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { useLocale } from '../../app/locale';
import { amountRules, normalizeDecimalText } from '../../ui/decimal-input';
import { useErrorText } from '../../ui/errors';
import { dateFieldProps } from '../../ui/form-date';
import { applyApiErrorToForm } from '../../ui/form-errors';
import { useIdempotencyKey } from '../../ui/idempotency';
import { ModalFooter } from '../../ui/ModalFooter';
import { MoneyText } from '../../ui/MoneyText';
import { formatDecimalAmount } from '../../ui/money-format';
import { requiredRule } from '../auth/rules';
import { useRecoverableReceipts, useRecoverWriteOff } from './api';

type RecoveryValues = { receiptId: string; amount: string; recoveredOn?: string | null };

/** 已核销坏账收回: pick one of the customer's receipts with unapplied money and apply part of it to the write-off. */
export function RecoverModal({ writeOff, onClose }: { writeOff: WriteOff; onClose: () => void }) {
  const { t, locale } = useLocale();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const key = useIdempotencyKey();
  const [form] = Form.useForm<RecoveryValues>();
  const receipts = useRecoverableReceipts(writeOff.customerId);
  const recover = useRecoverWriteOff();
  const [failure, setFailure] = useState<unknown>(null);
  const options = (receipts.data?.items ?? [])
    .filter((receipt) => receipt.currency === writeOff.currency)
    .map((receipt) => ({
      value: receipt.id,
      label: t('writeOffs.receiptOption', {
        date: receipt.receivedOn,
        amount: formatDecimalAmount(receipt.unapplied, receipt.currency, locale) ?? receipt.unapplied,
      }),
    }));
  const submit = (values: RecoveryValues) => {
    recover.mutate(
      {
        id: writeOff.id,
        headers: key.headers,
        receiptId: values.receiptId,
        amount: normalizeDecimalText(values.amount),
        ...(values.recoveredOn ? { recoveredOn: values.recoveredOn } : {}),
      },
      {
        onSuccess: () => {
          key.renew();
          void message.success(t('writeOffs.recoveredToast'));
          onClose();
        },
        onError: (error) => {
          if (!applyApiErrorToForm(form, error, ['receiptId', 'amount', 'recoveredOn'])) setFailure(error);
        },
      },
    );
  };
  return (
    <Modal
      open
      title={t('writeOffs.recoverTitle', { number: writeOff.number })}
      onCancel={onClose}
      footer={
        <ModalFooter
          onCancel={onClose}
          onOk={() => form.submit()}
          isLoading={recover.isPending}
          okTestId="recovery-submit"
        />
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Typography.Paragraph>
        {t('writeOffs.outstanding')}: <MoneyText amount={writeOff.outstanding} currency={writeOff.currency} />
      </Typography.Paragraph>
      {receipts.isSuccess && options.length === 0 ? (
        <Alert type="warning" showIcon title={t('writeOffs.noReceipts')} style={{ marginBottom: 16 }} />
      ) : null}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="receiptId" label={t('writeOffs.receipt')} rules={[requiredRule(t)]}>
          <Select options={options} loading={receipts.isPending} data-testid="recovery-receipt" />
        </Form.Item>
        <Form.Item name="amount" label={t('writeOffs.recovered')} rules={amountRules(t)}>
          <Input inputMode="decimal" suffix={writeOff.currency} data-testid="recovery-amount" />
        </Form.Item>
        <Form.Item name="recoveredOn" label={t('writeOffs.recoveredOn')} {...dateFieldProps}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
