import { IMPORT_FIELDS, resolveMapping, type ImportPreview } from '@huikuan/core';
import { readTable } from './read-file';
import type { ImportRequest } from './run-import';

const PREVIEW_ROWS = 20;

/**
 * What the mapping editor needs before anything is checked: the encoding the file was read in, its header row, the
 * mapping the headers suggest (overridden by the request's, when it gives one) and the first rows as text. Touches
 * no database. Mapping problems (a column the file lacks, a required field unmapped) come back as errors.
 */
export async function previewImport(
  request: Omit<ImportRequest, 'isDryRun' | 'currency' | 'dateFormat' | 'decimalSeparator'>,
): Promise<ImportPreview> {
  const read = await readTable(request.fileName, request.content, request);
  const fields = IMPORT_FIELDS[request.kind].map(({ name, isRequired }) => ({ name, isRequired }));
  const base = { format: read.format, encoding: read.encoding, fields };
  if (!read.table) {
    return { ...base, headers: [], headerLine: 1, rowCount: 0, mapping: {}, rows: [], errors: read.issues };
  }
  const { table } = read;
  const { resolved, issues } = resolveMapping(request.kind, table, request.mapping);
  return {
    ...base,
    headers: table.headers,
    headerLine: table.headerLine,
    rowCount: table.rows.length,
    mapping: resolved.mapping,
    rows: table.rows.slice(0, PREVIEW_ROWS).map((record) => ({
      line: record.line,
      cells: table.headers.map((_, index) => record.cells[index] ?? ''),
    })),
    errors: issues,
  };
}
