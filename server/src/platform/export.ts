import ExcelJS from 'exceljs';
import { minorToDecimalString, type Money } from '@huikuan/core';

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
