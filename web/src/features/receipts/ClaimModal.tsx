import type { Receipt } from '@huikuan/core/contracts';
import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useT } from '../../app/locale';
import { useErrorText } from '../../ui/errors';
import { ModalFooter } from '../../ui/ModalFooter';
import { MoneyText } from '../../ui/MoneyText';
import { requiredRule } from '../auth/rules';
import { CustomerSelect } from '../customers/CustomerSelect';
import { AllocationLines, buildSplit, type SplitAmounts } from './AllocationLines';
import { useCreateClaim } from './api';
import { useAllocationTargets } from './targets';

/** 回款认领: the salesperson names the customer, gives evidence and proposes a split; finance decides. */
export function ClaimModal({ receipt, onClose }: { receipt: Receipt; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ customerId: string; evidence: string }>();
  const create = useCreateClaim();
  const customerId: string | null = Form.useWatch('customerId', form) ?? null;
  const { targets, isLoading } = useAllocationTargets(customerId, receipt.currency);
  const [amounts, setAmounts] = useState<SplitAmounts>({});
  const [invalidKeys, setInvalidKeys] = useState<string[]>([]);
  const [failure, setFailure] = useState<unknown>(null);

  const submit = ({ customerId: chosen, evidence }: { customerId: string; evidence: string }) => {
    const split = buildSplit(targets, amounts);
    setInvalidKeys(split.invalidKeys);
    if (split.invalidKeys.length > 0) return;
    create.mutate(
      { receiptId: receipt.id, customerId: chosen, evidence, split: split.lines },
      {
        onSuccess: () => {
          void message.success(t('claims.submitted'));
          onClose();
        },
        onError: setFailure,
      },
    );
  };
  return (
    <Modal
      open
      width={860}
      title={t('claims.title')}
      onCancel={onClose}
      footer={
        <ModalFooter
          onCancel={onClose}
          onOk={() => form.submit()}
          isLoading={create.isPending}
          okTestId="claim-submit"
        />
      }
    >
      {failure === null ? null : (
        <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} />
      )}
      <Typography.Paragraph>
        {t('claims.receiptLine', {
          payer: receipt.payerName ?? '—',
          reference: receipt.bankReference ?? '—',
        })}{' '}
        <MoneyText amount={receipt.amount} currency={receipt.currency} />
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="customerId"
          label={t('receipts.customer')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <CustomerSelect testId="claim-customer" onChange={() => setAmounts({})} />
        </Form.Item>
        <Form.Item name="evidence" label={t('claims.evidence')} rules={[requiredRule(t), { max: 2000 }]}>
          <Input.TextArea
            rows={2}
            placeholder={t('claims.evidencePlaceholder')}
            data-testid="claim-evidence"
          />
        </Form.Item>
      </Form>
      {customerId === null ? null : (
        <>
          <Typography.Text strong>{t('claims.proposedSplit')}</Typography.Text>
          <AllocationLines
            targets={targets}
            amounts={amounts}
            invalidKeys={invalidKeys}
            isLoading={isLoading}
            onChange={setAmounts}
          />
        </>
      )}
    </Modal>
  );
}
