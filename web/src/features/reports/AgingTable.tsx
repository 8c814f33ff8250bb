import { DISPUTED_COLUMN, agingColumnLabel, type AgingReport } from '@huikuan/core/contracts';
import { Button, Table, Typography, type TableColumnsType } from 'antd';
import { useCallback, useMemo } from 'react';
import { useLocale } from '../../app/locale';
import { MoneyText } from '../../ui/MoneyText';
import type { DrillTarget } from './report-filters';

type Section = AgingReport['currencies'][number];
type Row = Section['rows'][number];

const ZERO = /^-?0+(\.0+)?$/;

/** A row's label as shown: its key and name, or "(none)" for the group without an entity. */
export function useGroupLabel() {
  const { t } = useLocale();
  return useCallback(
    (row: { id: string | null; key: string; name: string }) =>
      row.id === null
        ? t('aging.none')
        : row.name !== '' && row.name !== row.key
          ? `${row.key} · ${row.name}`
          : row.key,
    [t],
  );
}

type AgingTableProps = {
  report: AgingReport;
  section: Section;
  onDrill: (target: DrillTarget) => void;
};

/**
 * One currency's aging: a row per group, a column per bucket, class or year, and the totals. Every non-zero
 * amount opens the invoices behind it (years of origin have no drill-down of their own: the group's total does).
 */
export function AgingTable({ report, section, onDrill }: AgingTableProps) {
  const { locale, t } = useLocale();
  const labelOf = useGroupLabel();
  // Years and product conditions are not buckets the drill-down takes: those columns drill on the row only.
  const canDrillColumns = report.view !== 'vintage' && report.view !== 'condition';
  const columns = useMemo((): TableColumnsType<Row> => {
    const amount = (row: Row, value: string, bucket: string | null, testId: string) =>
      ZERO.test(value) || (bucket !== null && !canDrillColumns) ? (
        <MoneyText amount={value} currency={section.currency} />
      ) : (
        <Button
          type="link"
          size="small"
          style={{ padding: 0 }}
          data-testid={testId}
          onClick={() => onDrill({ by: report.by, key: row.id ?? 'none', bucket, label: labelOf(row) })}
        >
          <MoneyText amount={value} currency={section.currency} />
        </Button>
      );
    return [
      {
        key: 'group',
        title: t(`aging.by.${report.by}`),
        fixed: 'left',
        render: (_, row) => <Typography.Text>{labelOf(row)}</Typography.Text>,
      },
      ...report.columns.map((column) => ({
        key: column,
        title: agingColumnLabel(column, locale),
        align: 'right' as const,
        render: (_: unknown, row: Row) =>
          amount(
            row,
            row.columns[column] ?? '0',
            // The disputed column is not a bucket: it drills on the row, like a year of origin.
            column === DISPUTED_COLUMN ? null : column,
            `aging-cell-${row.key}-${column}`,
          ),
      })),
      {
        key: 'total',
        title: t('aging.total'),
        align: 'right',
        render: (_, row) => amount(row, row.total, null, `aging-cell-${row.key}-total`),
      },
    ];
  }, [report, section.currency, onDrill, labelOf, locale, t, canDrillColumns]);

  return (
    <Table<Row>
      rowKey={(row) => `${row.id ?? 'none'}`}
      size="small"
      columns={columns}
      dataSource={section.rows}
      pagination={section.rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('aging.empty') }}
      summary={() => (
        <Table.Summary fixed>
          <Table.Summary.Row data-testid={`aging-totals-${section.currency}`}>
            <Table.Summary.Cell index={0}>
              <Typography.Text strong>{t('aging.totalRow')}</Typography.Text>
            </Table.Summary.Cell>
            {report.columns.map((column, index) => (
              <Table.Summary.Cell key={column} index={index + 1} align="right">
                <span data-testid={`aging-total-${section.currency}-${column}`}>
                  <MoneyText amount={section.totals[column] ?? '0'} currency={section.currency} />
                </span>
              </Table.Summary.Cell>
            ))}
            <Table.Summary.Cell index={report.columns.length + 1} align="right">
              <Typography.Text strong data-testid={`aging-total-${section.currency}`}>
                <MoneyText amount={section.total} currency={section.currency} />
              </Typography.Text>
            </Table.Summary.Cell>
          </Table.Summary.Row>
        </Table.Summary>
      )}
    />
  );
}
