import type { ImportPreview } from '@huikuan/core';
import { Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useImportText } from './messages';

type Field = ImportPreview['fields'][number];

type MappingEditorProps = {
  preview: ImportPreview;
  mapping: Record<string, string>;
  onChange: (mapping: Record<string, string>) => void;
};

/** For each field of the kind, which column of the file feeds it; required fields are marked. */
export function MappingEditor({ preview, mapping, onChange }: MappingEditorProps) {
  const tx = useImportText();
  const options = preview.headers
    .filter((header) => header !== '')
    .map((header) => ({ value: header, label: header }));
  const setColumn = (field: string, column: string | undefined) => {
    const next = { ...mapping };
    if (column === undefined) delete next[field];
    else next[field] = column;
    onChange(next);
  };
  const columns: TableColumnsType<Field> = [
    {
      title: tx('mapping.field'),
      dataIndex: 'name',
      width: '40%',
      render: (name: string, field) => (
        <span>
          {tx.field(name)}{' '}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {name}
          </Typography.Text>{' '}
          {field.isRequired && <Tag color="red">{tx('mapping.required')}</Tag>}
        </span>
      ),
    },
    {
      title: tx('mapping.column'),
      key: 'column',
      render: (_, field) => (
        <Select
          data-testid={`mapping-${field.name}`}
          style={{ width: '100%' }}
          allowClear
          showSearch
          placeholder={tx('mapping.none')}
          status={field.isRequired && !mapping[field.name] ? 'error' : undefined}
          value={mapping[field.name]}
          options={options}
          onChange={(value: string | undefined) => setColumn(field.name, value)}
        />
      ),
    },
  ];
  return (
    <Table<Field>
      data-testid="import-mapping"
      size="small"
      rowKey="name"
      pagination={false}
      columns={columns}
      dataSource={preview.fields}
    />
  );
}

/** The first rows of the file as text, under the file's own headers. */
export function PreviewRows({ preview }: { preview: ImportPreview }) {
  const columns: TableColumnsType<ImportPreview['rows'][number]> = [
    { title: '#', dataIndex: 'line', width: 60, fixed: 'left' },
    ...preview.headers.map((header, index) => ({
      title: header,
      key: `${index}`,
      render: (_: unknown, row: ImportPreview['rows'][number]) => row.cells[index] ?? '',
      ellipsis: true,
    })),
  ];
  return (
    <Table
      data-testid="import-preview-rows"
      size="small"
      rowKey="line"
      pagination={false}
      scroll={{ x: 'max-content' }}
      columns={columns}
      dataSource={preview.rows}
    />
  );
}
