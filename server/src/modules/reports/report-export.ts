import type { Locale } from '@huikuan/core';
import type { ReportFormat } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit';
import { todayIn } from '../../platform/clock';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import { toCsv, toXlsx, type ExportColumnKind, type ExportFile } from '../../platform/export';
import { groupedAmount, renderTableReport } from '../../platform/pdf';
import type { Actor } from '../../platform/request-context';

/**
 * One shape for every report download: a title, the date or period, the filters in words, typed columns, body
 * rows and bold totals. The same table becomes an XLSX sheet (money as exact text, counts and ratios as numbers),
 * a CSV file, or an A4 PDF.
 */

/** 'ratio' is a fraction (0.986) shown as a percentage in the PDF; 'days' a day count with one decimal. */
export type ReportColumnKind = ExportColumnKind | 'ratio' | 'days';
export type ReportCell = string | number | null;

export type ReportTable = {
  /** Stable name for the audit log, e.g. 'aging'. */
  report: string;
  title: string;
  /** The file name before the date, in the caller's language: 账龄分析 → 账龄分析-2026-11-22.xlsx. */
  fileStem: string;
  asOf?: string;
  period?: { from: string; to: string };
  filters: { label: string; value: string }[];
  columns: { header: string; kind: ReportColumnKind }[];
  rows: ReportCell[][];
  totals: ReportCell[][];
  /** What the audit entry records as the request (the query without the format). */
  query: Record<string, unknown>;
};

/** The largest PDF we lay out in one request; a longer report is a 400 asking for filters or the XLSX. */
export const PDF_MAX_ROWS = 5_000;

const CONTENT_TYPES: Record<ReportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
};

function pdfCell(value: ReportCell, kind: ReportColumnKind): string {
  if (value === null || value === '') return kind === 'text' || kind === 'date' ? '' : '—';
  if (kind === 'money' && typeof value === 'string') return groupedAmount(value);
  if (typeof value === 'number') {
    if (kind === 'ratio') return `${(value * 100).toFixed(1)}%`;
    if (kind === 'days') return value.toFixed(1);
  }
  return String(value);
}

/** Ratios and day counts go to spreadsheets as numbers rounded to what the eye can use; everything else as is. */
function sheetCell(value: ReportCell, kind: ReportColumnKind): ReportCell {
  if (typeof value !== 'number') return value;
  if (kind === 'ratio') return Math.round(value * 1_000_000) / 1_000_000;
  if (kind === 'days') return Math.round(value * 100) / 100;
  return value;
}

function sheetKind(kind: ReportColumnKind): ExportColumnKind {
  return kind === 'ratio' || kind === 'days' ? 'number' : kind;
}

/** Excel refuses sheet names over 31 characters or with any of : \ / ? * [ ]. */
function sheetName(title: string): string {
  return title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31);
}

async function renderTable(
  table: ReportTable,
  format: ReportFormat,
  locale: Locale,
  organization: string,
): Promise<Buffer> {
  if (format === 'pdf') {
    return renderTableReport({
      locale,
      title: table.title,
      subtitle: organization,
      ...(table.asOf === undefined ? {} : { asOf: table.asOf }),
      ...(table.period === undefined ? {} : { period: table.period }),
      filters: table.filters,
      columns: table.columns.map((column) => ({
        header: column.header,
        align: column.kind === 'text' || column.kind === 'date' ? 'left' : 'right',
      })),
      rows: table.rows.map((row) =>
        table.columns.map((column, index) => pdfCell(row[index] ?? null, column.kind)),
      ),
      totals: table.totals.map((row) =>
        table.columns.map((column, index) => pdfCell(row[index] ?? null, column.kind)),
      ),
    });
  }
  const columns = table.columns.map((column, index) => ({
    header: column.header,
    kind: sheetKind(column.kind),
    value: (row: ReportCell[]) => sheetCell(row[index] ?? null, column.kind),
  }));
  const rows = [...table.rows, ...table.totals];
  return format === 'csv' ? toCsv(rows, columns) : toXlsx(rows, columns, sheetName(table.title));
}

type Names = {
  organization: string;
  timezone: string;
  team: string | null;
  salesperson: string | null;
  subject: string | null;
};

/**
 * The filters a download names: the dashboard's team and salesperson, and for a drill-down the group it belongs
 * to (`subject`: a customer, salesperson, team, contract or plan node id; null for "none").
 */
export type ExportFilter = {
  teamId?: string | undefined;
  salespersonId?: string | undefined;
  subject?: { label: string; id: string | null };
};

/**
 * Builds the download and records it in the audit log (reading a whole report is worth recording), looking up
 * in the same statement the names the filter line needs.
 */
export async function buildReportExport(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  locale: Locale,
  format: ReportFormat,
  filter: ExportFilter,
  table: ReportTable,
): Promise<ExportFile> {
  if (format === 'pdf' && table.rows.length > PDF_MAX_ROWS) {
    const detail =
      locale === 'zh-CN'
        ? `PDF 最多 ${PDF_MAX_ROWS} 行，请缩小筛选范围或导出 Excel`
        : `a PDF holds at most ${PDF_MAX_ROWS} rows; narrow the filters or export to Excel`;
    throw new AppError('bad_request', { detail });
  }
  const subjectId = sql`${filter.subject?.id ?? null}::uuid`;
  const names = await deps.db.tenant(actor.tenantId, async (tx) => {
    await recordAudit(tx, actor, {
      action: 'report.exported',
      entityType: 'export',
      entityId: table.report,
      after: { report: table.report, format, query: table.query, rows: table.rows.length },
    });
    const result = await sql<Names>`
      SELECT o.name AS organization, o.timezone,
        (SELECT t.name FROM teams t WHERE t.tenant_id = o.tenant_id AND t.id = ${filter.teamId ?? null}::uuid) AS team,
        (SELECT u.name FROM users u WHERE u.tenant_id = o.tenant_id AND u.id = ${filter.salespersonId ?? null}::uuid)
          AS salesperson,
        coalesce(
          (SELECT c.code || ' ' || c.name FROM customers c WHERE c.tenant_id = o.tenant_id AND c.id = ${subjectId}),
          (SELECT u.name FROM users u WHERE u.tenant_id = o.tenant_id AND u.id = ${subjectId}),
          (SELECT t.name FROM teams t WHERE t.tenant_id = o.tenant_id AND t.id = ${subjectId}),
          (SELECT k.number FROM contracts k WHERE k.tenant_id = o.tenant_id AND k.id = ${subjectId}),
          (SELECT n.name FROM payment_plan_nodes n WHERE n.tenant_id = o.tenant_id AND n.id = ${subjectId})
        ) AS subject
      FROM organizations o WHERE o.tenant_id = ${actor.tenantId}`.execute(tx);
    const row = result.rows[0];
    if (!row) throw new Error(`organization ${actor.tenantId} is missing`);
    return row;
  });
  const isZh = locale === 'zh-CN';
  const filters = [...table.filters];
  if (filter.subject !== undefined) {
    const none = isZh ? '（无）' : '(none)';
    filters.unshift({ label: filter.subject.label, value: names.subject ?? filter.subject.id ?? none });
  }
  if (filter.teamId !== undefined) {
    filters.push({ label: isZh ? '团队' : 'Team', value: names.team ?? filter.teamId });
  }
  if (filter.salespersonId !== undefined) {
    filters.push({
      label: isZh ? '销售员' : 'Salesperson',
      value: names.salesperson ?? filter.salespersonId,
    });
  }
  const date = table.asOf ?? table.period?.to ?? todayIn(deps.clock, names.timezone);
  // A report without a period is as of a date: today's when the request named none.
  const withNames = { ...table, filters, ...(table.period === undefined ? { asOf: date } : {}) };
  return {
    fileName: `${table.fileStem}-${date}.${format}`,
    contentType: CONTENT_TYPES[format],
    content: await renderTable(withNames, format, locale, names.organization),
  };
}
