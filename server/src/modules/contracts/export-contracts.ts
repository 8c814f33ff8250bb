import type { SalesContract } from '@huikuan/core/contracts';
import type { AppDeps } from '../../platform/deps';
import { title, type ListExport } from '../../platform/export';
import { listContracts, type ContractListQuery } from './list-contracts';

export type ContractExportFilters = Omit<ContractListQuery, 'cursor' | 'limit'>;

export function contractExport(deps: AppDeps): ListExport<ContractExportFilters, SalesContract> {
  return {
    list: 'contracts',
    entity: 'contract',
    fileName: title('合同', 'contracts'),
    page: (actor, filters, cursor, limit) => listContracts(deps, actor, { ...filters, cursor, limit }),
    columns: [
      { header: title('合同编号', 'Number'), value: (row) => row.number },
      { header: title('合同名称', 'Title'), value: (row) => row.title },
      { header: title('客户编码', 'Customer code'), value: (row) => row.customerCode },
      { header: title('客户名称', 'Customer'), value: (row) => row.customerName },
      { header: title('签订日期', 'Signed on'), value: (row) => row.signedOn, kind: 'date' },
      { header: title('币种', 'Currency'), value: (row) => row.currency },
      { header: title('合同金额', 'Amount'), value: (row) => row.amount, kind: 'money' },
      {
        header: title('账期（天）', 'Payment terms (days)'),
        value: (row) => row.paymentTermsDays,
        kind: 'number',
      },
      { header: title('付款条款', 'Payment terms'), value: (row) => row.paymentTermsText },
      { header: title('状态', 'Status'), value: (row) => row.status },
      { header: title('备注', 'Notes'), value: (row) => row.notes },
    ],
  };
}
