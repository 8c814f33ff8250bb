import { Table, Typography, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { useT } from '../../app/locale';
import { diffSnapshots, type DiffRow } from './audit-diff';

const CHANGE_COLORS: Record<DiffRow['change'], string> = {
  added: '#f6ffed',
  removed: '#fff1f0',
  changed: '#fffbe6',
};

function SnapshotValue({ value }: { value: unknown }) {
  if (value === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return (
    <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontSize: 12 }}>{text}</pre>
  );
}

/** Side-by-side view of the fields an audit entry changed. */
export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const t = useT();
  const rows = useMemo(() => diffSnapshots(before, after), [before, after]);
  const columns: TableColumnsType<DiffRow> = [
    {
      key: 'field',
      title: t('audit.field'),
      width: 200,
      render: (_, row) => <Typography.Text code>{row.field || '·'}</Typography.Text>,
    },
    { key: 'before', title: t('audit.before'), render: (_, row) => <SnapshotValue value={row.before} /> },
    { key: 'after', title: t('audit.after'), render: (_, row) => <SnapshotValue value={row.after} /> },
  ];
  if (rows.length === 0) return <Typography.Text type="secondary">{t('audit.noChanges')}</Typography.Text>;
  return (
    <div data-testid="audit-diff">
      <Table<DiffRow>
        rowKey="field"
        size="small"
        columns={columns}
        dataSource={rows}
        pagination={false}
        onRow={(row) => ({ style: { background: CHANGE_COLORS[row.change] } })}
      />
    </div>
  );
}
