import ExcelJS from 'exceljs';
import { minorToDecimalString, type Locale, type Money } from '@huikuan/core';
import { z } from 'zod';
import { recordAudit } from './audit';
import { todayIn, type Clock } from './clock';
import type { Tx } from './db';
import type { AppDeps } from './deps';
import { AppError } from './errors';
import type { Actor } from './request-context';

/**
 * Exports of lists to CSV and XLSX. Both are safe against formula injection: a customer named "=HYPERLINK(…)"
 * must come out as that text, never as a formula a spreadsheet runs. Money is exact decimal text, never a float.
 */

export type ExportValue = string | number | bigint | boolean | Date | Money | null | undefined;

export type ExportColumnKind = 'text' | 'money' | 'date' | 'number';

export type ExportColumn<Row> = {
  header: string;
  value: (row: Row) => ExportValue;
  /** 'text' by default. Money values are Money or exact decimal strings; dates are 'YYYY-MM-DD' or Date. */
  kind?: ExportColumnKind;
};

/** Characters that make Excel, LibreOffice or Sheets read a cell as a formula (OWASP's list). */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

function isMoney(value: ExportValue): value is Money {
  return typeof value === 'object' && value !== null && !(value instanceof Date) && 'amountMinor' in value;
}

/** The cell's text, before any neutralizing. */
function cellText(value: ExportValue, kind: ExportColumnKind): string {
  if (value === null || value === undefined) return '';
  if (isMoney(value)) return minorToDecimalString(value.amountMinor, value.currency);
  if (value instanceof Date) return kind === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

/** A number written by us (money, counts) may start with '-'; anything else starting like a formula is text. */
function isTrustedNumber(text: string, kind: ExportColumnKind): boolean {
  return (kind === 'money' || kind === 'number') && PLAIN_DECIMAL.test(text);
}

/** The text with a leading apostrophe when a spreadsheet would otherwise run it as a formula. */
export function neutralizeFormula(text: string, kind: ExportColumnKind = 'text'): string {
  if (isTrustedNumber(text, kind)) return text;
  return FORMULA_START.test(text.trimStart()) || FORMULA_START.test(text) ? `'${text}` : text;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV with a UTF-8 byte order mark (without it Excel reads Chinese as mojibake) and CRLF line ends (RFC 4180). */
export function toCsv<Row>(rows: Iterable<Row>, columns: readonly ExportColumn<Row>[]): Buffer {
  const lines = [columns.map((column) => csvField(neutralizeFormula(column.header))).join(',')];
  for (const row of rows) {
    const fields = columns.map((column) => {
      const kind = column.kind ?? 'text';
      return csvField(neutralizeFormula(cellText(column.value(row), kind), kind));
    });
    lines.push(fields.join(','));
  }
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/**
 * XLSX with every value written as a typed cell: strings are shared-string text cells (never formulas), money is
 * exact text formatted as text, plain numbers are numbers. A formula-like string also gets the apostrophe so a
 * copy out of the sheet stays harmless.
 */
export async function toXlsx<Row>(
  rows: Iterable<Row>,
  columns: readonly ExportColumn<Row>[],
  sheetName = 'Export',
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.columns = columns.map((column) => ({
    header: neutralizeFormula(column.header),
    width: Math.min(Math.max(column.header.length + 4, 12), 40),
    style: column.kind === 'money' ? { numFmt: '@', alignment: { horizontal: 'right' } } : { numFmt: '@' },
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) {
    sheet.addRow(
      columns.map((column) => {
        const kind = column.kind ?? 'text';
        const value = column.value(row);
        if (kind === 'number' && typeof value === 'number' && Number.isFinite(value)) return value;
        return neutralizeFormula(cellText(value, kind), kind);
      }),
    );
  }
  const buffer = await workbook.xlsx.writeBuffer();
  return Buffer.from(buffer);
}

/** The largest export we build in one request; more than this is a 400 asking for narrower filters. */
export const EXPORT_MAX_ROWS = 200_000;
/** Rows fetched per keyset page while walking a list for an export. */
export const EXPORT_PAGE_SIZE = 1000;

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** Merged into each list's query schema (without cursor and limit) to make its export's query. */
export const exportFormatShape = { format: z.enum(EXPORT_FORMATS).default('xlsx') };

/** A column title in both languages. */
export function title(zhCN: string, en: string): Record<Locale, string> {
  return { 'zh-CN': zhCN, en };
}

/** A column whose title follows the request's language. */
export type LocalizedExportColumn<Row> = Omit<ExportColumn<Row>, 'header'> & {
  header: Record<Locale, string>;
};

export type ListPage<Row> = { items: Row[]; nextCursor: string | null };
export type PageFetcher<Row> = (cursor: string | undefined, limit: number) => Promise<ListPage<Row>>;

/** How one list exports: its name (file name and audit), columns, and the list use case it pages through. */
export type ListExport<Filters, Row> = {
  /** 'invoices': the file is invoices-2026-11-22.xlsx and the audit action invoice.exported. */
  list: string;
  entity: string;
  fileName: Record<Locale, string>;
  columns: readonly LocalizedExportColumn<Row>[];
  page: (actor: Actor, filters: Filters, cursor: string | undefined, limit: number) => Promise<ListPage<Row>>;
};

function tooManyRows(maxRows: number, locale: Locale): AppError {
  const detail =
    locale === 'zh-CN'
      ? `导出超过 ${maxRows} 行，请缩小筛选范围`
      : `the export has more than ${maxRows} rows; narrow the filters`;
  return new AppError('bad_request', { detail });
}

/**
 * Every row of a list, walking its keyset pages: the same use case, filters and record scope as the list screen,
 * a bounded page at a time, refusing with a 400 past `maxRows` instead of building a file nobody can open.
 */
export async function collectPages<Row>(
  fetchPage: PageFetcher<Row>,
  options: { maxRows?: number; pageSize?: number; locale?: Locale } = {},
): Promise<Row[]> {
  const maxRows = options.maxRows ?? EXPORT_MAX_ROWS;
  const pageSize = options.pageSize ?? EXPORT_PAGE_SIZE;
  const rows: Row[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor, pageSize);
    for (const item of page.items) rows.push(item);
    if (rows.length > maxRows) throw tooManyRows(maxRows, options.locale ?? 'zh-CN');
    if (page.nextCursor === null) return rows;
    cursor = page.nextCursor;
  }
}

export type ExportFile = { fileName: string; contentType: string; content: Buffer };

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

async function organizationTodayOf(tx: Tx, tenantId: string, clock: Clock): Promise<string> {
  const organization = await tx
    .selectFrom('organizations')
    .select('timezone')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return todayIn(clock, organization?.timezone ?? 'Asia/Shanghai');
}

/**
 * The whole filtered list as a CSV or XLSX file. Reading every row of a list is worth recording, so the export is
 * audited (which list, which filters, how many rows) in a transaction of its own after the rows are read.
 */
export async function buildListExport<Filters, Row>(
  deps: AppDeps,
  actor: Actor,
  definition: ListExport<Filters, Row>,
  query: Filters & { format: ExportFormat },
  locale: Locale,
): Promise<ExportFile> {
  const { format, ...rest } = query;
  const filters = rest as Filters;
  const rows = await collectPages((cursor, limit) => definition.page(actor, filters, cursor, limit), {
    locale,
  });
  const columns = definition.columns.map((column) => ({ ...column, header: column.header[locale] }));
  const today = await deps.db.tenant(actor.tenantId, async (tx) => {
    await recordAudit(tx, actor, {
      action: `${definition.entity}.exported`,
      entityType: 'export',
      entityId: definition.list,
      after: { list: definition.list, format, filters, rows: rows.length },
    });
    return organizationTodayOf(tx, actor.tenantId, deps.clock);
  });
  const content =
    format === 'csv' ? toCsv(rows, columns) : await toXlsx(rows, columns, definition.fileName[locale]);
  return {
    fileName: `${definition.fileName[locale]}-${today}.${format}`,
    contentType: CONTENT_TYPES[format],
    content,
  };
}
