import type { ApprovalRequest } from '@huikuan/core/contracts';
import type { AppDeps } from '../../platform/deps';
import { title, type ListExport } from '../../platform/export';
import { listApprovals, type ApprovalListQuery } from './approvals';

export type ApprovalExportFilters = Omit<ApprovalListQuery, 'cursor' | 'limit'>;

export function approvalExport(deps: AppDeps): ListExport<ApprovalExportFilters, ApprovalRequest> {
  return {
    list: 'approvals',
    entity: 'approval',
    fileName: title('审批', 'approvals'),
    page: (actor, filters, cursor, limit) => listApprovals(deps, actor, { ...filters, cursor, limit }),
    columns: [
      { header: title('类型', 'Kind'), value: (row) => row.kind },
      { header: title('状态', 'Status'), value: (row) => row.status },
      { header: title('客户ID', 'Customer ID'), value: (row) => row.customerId },
      { header: title('币种', 'Currency'), value: (row) => row.currency },
      { header: title('金额', 'Amount'), value: (row) => row.amount, kind: 'money' },
      { header: title('原因', 'Reason'), value: (row) => row.reason },
      { header: title('申请时间', 'Requested at'), value: (row) => row.createdAt },
      { header: title('审批时间', 'Decided at'), value: (row) => row.decidedAt },
      { header: title('审批意见', 'Decision comment'), value: (row) => row.decisionComment },
    ],
  };
}
