import type { ReceiptDetail } from '@huikuan/core/contracts';
import { Alert, App, Button, DatePicker, Flex, Modal, Popconfirm, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useLocale, useT } from '../../app/locale';
import { useErrorText } from '../../ui/errors';
import { useToday } from '../../ui/form-date';
import { useIdempotencyKey } from '../../ui/idempotency';
import { formatDecimalAmount } from '../../ui/money-format';
import { MoneyText } from '../../ui/MoneyText';
import { AllocationLines, buildSplit, type SplitAmounts } from './AllocationLines';
import { useAllocate, useAutoAllocate } from './api';
import { useAllocationTargets } from './targets';

/**
 * 核销: split the receipt over open invoices and plan nodes, or let the server apply it oldest-due first.
 * Whatever is not applied stays on account; the remainder shown is the server's answer, not a sum made here.
 */
export function AllocateModal({ receipt, onClose }: { receipt: ReceiptDetail; onClose: () => void }) {
  const t = useT();
  const today = useToday();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const errorText = useErrorText();
  // Two different actions, two keys: a manual split and an auto-allocation must never share one.
  const splitKey = useIdempotencyKey();
  const autoKey = useIdempotencyKey();
  const allocate = useAllocate();
  const autoAllocate = useAutoAllocate();
  const { targets, isLoading } = useAllocationTargets(receipt.customerId, receipt.currency);
  const [amounts, setAmounts] = useState<SplitAmounts>({});
  const [invalidKeys, setInvalidKeys] = useState<string[]>([]);
  const [allocatedOn, setAllocatedOn] = useState(today);
  const [failure, setFailure] = useState<unknown>(null);
  const [inputProblem, setInputProblem] = useState<string | null>(null);

  const done = (updated: ReceiptDetail) => {
    const unapplied = formatDecimalAmount(updated.unapplied, updated.currency, locale) ?? updated.unapplied;
    void message.success(t('allocation.done', { unapplied }));
    onClose();
  };
  const submit = () => {
    const split = buildSplit(targets, amounts);
    setInvalidKeys(split.invalidKeys);
    if (split.invalidKeys.length > 0 || split.lines.length === 0) {
      setFailure(null);
      setInputProblem(t(split.lines.length === 0 ? 'allocation.nothingEntered' : 'validation.amount'));
      return;
    }
    setInputProblem(null);
    setFailure(null);
    allocate.mutate(
      { id: receipt.id, allocatedOn, lines: split.lines, headers: splitKey.headers },
      { onSuccess: done, onError: setFailure },
    );
  };
  const runAuto = () => {
    setInputProblem(null);
    setFailure(null);
    autoAllocate.mutate(
      { id: receipt.id, allocatedOn, headers: autoKey.headers },
      { onSuccess: done, onError: setFailure },
    );
  };

  return (
    <Modal
      open
      width={860}
      title={t('allocation.title')}
      onCancel={onClose}
      footer={
        <Flex justify="space-between">
          <Popconfirm title={t('allocation.autoConfirm')} onConfirm={runAuto}>
            <Button loading={autoAllocate.isPending} data-testid="allocate-auto">
              {t('allocation.auto')}
            </Button>
          </Popconfirm>
          <Space>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              loading={allocate.isPending}
              onClick={submit}
              data-testid="allocate-submit"
            >
              {t('allocation.submit')}
            </Button>
          </Space>
        </Flex>
      }
    >
      {failure === null && inputProblem === null ? null : (
        <Alert
          type="error"
          showIcon
          title={inputProblem ?? errorText(failure)}
          style={{ marginBottom: 16 }}
        />
      )}
      <Flex gap={24} wrap align="center" style={{ marginBottom: 12 }}>
        <Typography.Text>
          {t('receipts.amount')}: <MoneyText amount={receipt.amount} currency={receipt.currency} />
        </Typography.Text>
        <Typography.Text>
          {t('receipts.unapplied')}:{' '}
          <strong data-testid="allocate-unapplied">
            <MoneyText amount={receipt.unapplied} currency={receipt.currency} />
          </strong>
        </Typography.Text>
        <Space>
          <Typography.Text>{t('allocation.allocatedOn')}</Typography.Text>
          <DatePicker
            value={dayjs(allocatedOn)}
            allowClear={false}
            onChange={(value) => {
              if (value) setAllocatedOn(value.format('YYYY-MM-DD'));
            }}
          />
        </Space>
      </Flex>
      <AllocationLines
        targets={targets}
        amounts={amounts}
        invalidKeys={invalidKeys}
        isLoading={isLoading}
        onChange={setAmounts}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        {t('allocation.help')}
      </Typography.Paragraph>
    </Modal>
  );
}
