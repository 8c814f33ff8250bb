import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import {
  CsvSyntaxError,
  parseCsv,
  tableFromRecords,
  type CsvRecord,
  type ImportIssue,
  type ImportTable,
} from '@huikuan/core';

export type FileFormat = 'csv' | 'xlsx';
export type TextEncoding = 'auto' | 'utf-8' | 'gbk' | 'gb18030';
export const TEXT_ENCODINGS: readonly TextEncoding[] = ['auto', 'utf-8', 'gbk', 'gb18030'];

/**
 * Text of a CSV file. 'auto' takes UTF-8 when the bytes are valid UTF-8 and GB18030 otherwise: Kingdee and Yonyou
 * export GBK, and GB18030 is a superset of GBK, while random GBK text is almost never valid UTF-8.
 */
export function decodeText(bytes: Uint8Array, encoding: TextEncoding = 'auto'): string {
  return decodeTextDetected(bytes, encoding).text;
}

export type DecodedEncoding = Exclude<TextEncoding, 'auto'>;

/** The text and the encoding it was read in, which a preview shows so a wrong guess can be corrected. */
export function decodeTextDetected(
  bytes: Uint8Array,
  encoding: TextEncoding = 'auto',
): { text: string; encoding: DecodedEncoding } {
  if (encoding === 'gbk' || encoding === 'gb18030') return { text: iconv.decode(bytes, encoding), encoding };
  try {
    return {
      text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes),
      encoding: 'utf-8',
    };
  } catch (error) {
    if (encoding === 'utf-8') throw new FileReadError(1, 'the file is not valid UTF-8; try --encoding gbk');
    if (error instanceof TypeError) return { text: iconv.decode(bytes, 'gb18030'), encoding: 'gb18030' };
    throw error;
  }
}

/** A file that cannot be read as a table at all; reported as an issue on its line. */
export class FileReadError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(reason);
    this.name = 'FileReadError';
  }
}

/** XLSX files are ZIP archives, which start with "PK". */
export function detectFormat(fileName: string, bytes: Uint8Array): FileFormat {
  if (/\.xlsx$/i.test(fileName)) return 'xlsx';
  return bytes[0] === 0x50 && bytes[1] === 0x4b ? 'xlsx' : 'csv';
}

/**
 * Excel stores the double nearest the typed number and shows 15 significant digits; reading it back through
 * 15 digits gives what the user typed (1234.56, not 1234.5600000000001), and integers are kept exactly.
 */
export function excelNumberText(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) return String(value);
  return String(Number(value.toPrecision(15)));
}

function isoDateOf(date: Date): string {
  // Excel dates carry no zone; exceljs builds them as UTC, so the UTC calendar date is the one in the cell.
  const text = date.toISOString();
  return text.endsWith('T00:00:00.000Z') ? text.slice(0, 10) : text.slice(0, 19).replace('T', ' ');
}

function primitiveText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return excelNumberText(value);
  if (value instanceof Date) return isoDateOf(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return '';
}

export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || typeof value !== 'object' || value instanceof Date) return primitiveText(value);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = value.result;
    return typeof result === 'object' && result !== null && !(result instanceof Date)
      ? ''
      : primitiveText(result);
  }
  if ('hyperlink' in value) return String(value.text);
  return '';
}

async function readXlsx(bytes: Uint8Array): Promise<CsvRecord[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  } catch {
    throw new FileReadError(1, 'the file is not a readable XLSX workbook');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new FileReadError(1, 'the workbook has no sheet');
  const records: CsvRecord[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let column = 1; column <= row.cellCount; column += 1)
      cells.push(cellText(row.getCell(column).value));
    if (cells.some((cell) => cell.trim() !== '')) records.push({ line: rowNumber, cells });
  });
  return records;
}

export type ReadOptions = { format?: FileFormat; encoding?: TextEncoding; delimiter?: ',' | ';' | '\t' };

export type ReadTableResult = {
  table: ImportTable | null;
  issues: ImportIssue[];
  format: FileFormat;
  /** The text encoding used (CSV only). */
  encoding: DecodedEncoding | null;
};

/** Reads CSV or the first sheet of an XLSX workbook into a header row and data rows. */
export async function readTable(
  fileName: string,
  bytes: Uint8Array,
  options: ReadOptions = {},
): Promise<ReadTableResult> {
  const format = options.format ?? detectFormat(fileName, bytes);
  let encoding: DecodedEncoding | null = null;
  const fail = (line: number, message: string) => ({
    table: null,
    issues: [{ row: 0, line, column: '', message }],
    format,
    encoding,
  });
  try {
    let records: CsvRecord[];
    if (format === 'xlsx') records = await readXlsx(bytes);
    else {
      const decoded = decodeTextDetected(bytes, options.encoding);
      encoding = decoded.encoding;
      records = parseCsv(decoded.text, { delimiter: options.delimiter ?? ',' });
    }
    if (records.length === 0) return fail(1, 'the file is empty');
    return { table: tableFromRecords(records), issues: [], format, encoding };
  } catch (error) {
    if (error instanceof CsvSyntaxError) return fail(error.line, error.reason);
    if (error instanceof FileReadError) return fail(error.line, error.message);
    throw error;
  }
}
