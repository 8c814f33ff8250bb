import type { AuditEntry } from '@huikuan/core/contracts';
import type { AppDeps } from '../../platform/deps';
import { title, type ListExport } from '../../platform/export';
import { listAudit, type AuditQuery } from './list-audit';

export type AuditExportFilters = Omit<AuditQuery, 'cursor' | 'limit'>;

function json(value: unknown): string {
  return value === null || value === undefined ? '' : JSON.stringify(value);
}

export function auditExport(deps: AppDeps): ListExport<AuditExportFilters, AuditEntry> {
  return {
    list: 'audit',
    entity: 'audit',
    fileName: title('审计日志', 'audit'),
    page: (actor, filters, cursor, limit) => listAudit(deps, actor, { ...filters, cursor, limit }),
    columns: [
      { header: title('时间', 'At'), value: (row) => row.at },
      { header: title('操作人', 'Actor'), value: (row) => row.actorName },
      { header: title('操作', 'Action'), value: (row) => row.action },
      { header: title('对象类型', 'Entity type'), value: (row) => row.entityType },
      { header: title('对象ID', 'Entity ID'), value: (row) => row.entityId },
      { header: title('变更前', 'Before'), value: (row) => json(row.before) },
      { header: title('变更后', 'After'), value: (row) => json(row.after) },
      { header: title('请求ID', 'Request ID'), value: (row) => row.requestId },
    ],
  };
}
