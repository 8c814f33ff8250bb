import type { AuditEntry } from '@huikuan/core/contracts';
import { Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useT } from '../../app/locale';
import { DateText } from '../../ui/DateText';
import { AuditDiff } from './AuditDiff';

type AuditTableProps = {
  entries: readonly AuditEntry[];
  isLoading: boolean;
  /** Record trails already know the entity, so they leave those columns out. */
  showEntity: boolean;
  emptyText: string;
};

function useAuditColumns(showEntity: boolean): TableColumnsType<AuditEntry> {
  const t = useT();
  const actorOf = (entry: AuditEntry) =>
    entry.actorName ?? (entry.actorTokenId === null ? t('audit.system') : t('audit.apiToken'));
  const columns: TableColumnsType<AuditEntry> = [
    { key: 'at', title: t('audit.at'), render: (_, entry) => <DateText value={entry.at} /> },
    { key: 'actor', title: t('audit.actor'), render: (_, entry) => actorOf(entry) },
    { key: 'action', title: t('audit.action'), render: (_, entry) => <Tag>{entry.action}</Tag> },
  ];
  if (!showEntity) return columns;
  return [
    ...columns,
    { key: 'entityType', title: t('audit.entityType'), dataIndex: 'entityType' },
    {
      key: 'entityId',
      title: t('audit.entityId'),
      render: (_, entry) => (
        <Typography.Text code copyable={{ text: entry.entityId }}>
          {entry.entityId.length > 13 ? `${entry.entityId.slice(0, 8)}…` : entry.entityId}
        </Typography.Text>
      ),
    },
  ];
}

function ExpandedEntry({ entry }: { entry: AuditEntry }) {
  const t = useT();
  return (
    <div>
      <AuditDiff before={entry.before} after={entry.after} />
      {entry.requestId === null ? null : (
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
          {t('audit.requestId')}: <Typography.Text code>{entry.requestId}</Typography.Text>
        </Typography.Text>
      )}
    </div>
  );
}

/** Audit entries with each row expandable into its before/after diff. */
export function AuditTable({ entries, isLoading, showEntity, emptyText }: AuditTableProps) {
  const columns = useAuditColumns(showEntity);
  return (
    <Table<AuditEntry>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={entries}
      loading={isLoading}
      pagination={false}
      expandable={{ expandedRowRender: (entry) => <ExpandedEntry entry={entry} /> }}
      locale={{ emptyText }}
      scroll={{ x: 'max-content' }}
    />
  );
}
