import type { Claim, claimListQuerySchema, Receipt } from '@huikuan/core/contracts';
import type { z } from 'zod';
import type { AppDeps } from '../../platform/deps';
import { title, type ListExport } from '../../platform/export';
import { listClaims } from './claims';
import { listReceipts, type ReceiptListQuery } from './list-receipts';

export type ReceiptExportFilters = Omit<ReceiptListQuery, 'cursor' | 'limit'>;
export type ClaimExportFilters = Omit<z.output<typeof claimListQuerySchema>, 'cursor' | 'limit'>;

export function receiptExport(deps: AppDeps): ListExport<ReceiptExportFilters, Receipt> {
  return {
    list: 'receipts',
    entity: 'receipt',
    fileName: title('收款', 'receipts'),
    page: (actor, filters, cursor, limit) => listReceipts(deps, actor, { ...filters, cursor, limit }),
    columns: [
      { header: title('收款日期', 'Received on'), value: (row) => row.receivedOn, kind: 'date' },
      { header: title('客户编码', 'Customer code'), value: (row) => row.customerCode },
      { header: title('客户名称', 'Customer'), value: (row) => row.customerName },
      { header: title('币种', 'Currency'), value: (row) => row.currency },
      { header: title('金额', 'Amount'), value: (row) => row.amount, kind: 'money' },
      { header: title('已核销', 'Allocated'), value: (row) => row.allocated, kind: 'money' },
      { header: title('未核销', 'Unapplied'), value: (row) => row.unapplied, kind: 'money' },
      { header: title('收款方式', 'Method'), value: (row) => row.method },
      { header: title('状态', 'Status'), value: (row) => row.status },
      { header: title('付款人', 'Payer'), value: (row) => row.payerName },
      { header: title('付款账号', 'Payer account'), value: (row) => row.payerAccount },
      { header: title('银行流水号', 'Bank reference'), value: (row) => row.bankReference },
      { header: title('备注', 'Notes'), value: (row) => row.notes },
    ],
  };
}

export function claimExport(deps: AppDeps): ListExport<ClaimExportFilters, Claim> {
  return {
    list: 'receipt-claims',
    entity: 'receipt_claim',
    fileName: title('认领', 'receipt-claims'),
    page: (actor, filters, cursor, limit) => listClaims(deps, actor, { ...filters, cursor, limit }),
    columns: [
      { header: title('收款日期', 'Received on'), value: (row) => row.receivedOn, kind: 'date' },
      { header: title('客户编码', 'Customer code'), value: (row) => row.customerCode },
      { header: title('客户名称', 'Customer'), value: (row) => row.customerName },
      { header: title('币种', 'Currency'), value: (row) => row.currency },
      { header: title('金额', 'Amount'), value: (row) => row.amount, kind: 'money' },
      { header: title('付款人', 'Payer'), value: (row) => row.payerName },
      { header: title('银行流水号', 'Bank reference'), value: (row) => row.bankReference },
      { header: title('状态', 'Status'), value: (row) => row.status },
      { header: title('凭证说明', 'Evidence'), value: (row) => row.evidence },
      { header: title('认领时间', 'Claimed at'), value: (row) => row.createdAt },
      { header: title('审核意见', 'Decision comment'), value: (row) => row.decisionComment },
    ],
  };
}
