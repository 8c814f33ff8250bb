import { RECORDABLE_RECEIPT_METHODS, type Claim, type ReceiptMethod } from '@huikuan/core/contracts';
import { Tag } from 'antd';
import { useCallback, useMemo } from 'react';
import { useT } from '../../app/locale';
import type { ReceiptStatus } from './api';

/** 银行转账 微信支付 支付宝 刷卡/POS 支票 现金 在线支付 预付/返利余额, for the methods a person may record. */
export function useMethodOptions() {
  const t = useT();
  return useMemo(
    () => RECORDABLE_RECEIPT_METHODS.map((value) => ({ value, label: t(`receipts.method.${value}`) })),
    [t],
  );
}

export function useMethodLabel(): (method: ReceiptMethod) => string {
  const t = useT();
  return useCallback((method) => t(`receipts.method.${method}`), [t]);
}

const RECEIPT_STATUS_COLORS: Record<ReceiptStatus, string> = {
  pending: 'gold',
  confirmed: 'green',
  reversed: 'red',
};

export function ReceiptStatusTag({ status }: { status: ReceiptStatus }) {
  const t = useT();
  return (
    <Tag color={RECEIPT_STATUS_COLORS[status]} data-testid="receipt-status">
      {t(`receipts.status.${status}`)}
    </Tag>
  );
}

const CLAIM_STATUS_COLORS: Record<Claim['status'], string> = {
  pending: 'gold',
  confirmed: 'green',
  rejected: 'default',
};

export function ClaimStatusTag({ status }: { status: Claim['status'] }) {
  const t = useT();
  return <Tag color={CLAIM_STATUS_COLORS[status]}>{t(`claims.status.${status}`)}</Tag>;
}

/** Whether a decimal text is non-zero, read from its digits (no arithmetic on money in the browser). */
export function isNonZeroAmount(amount: string | null): boolean {
  return amount !== null && /[1-9]/.test(amount);
}
