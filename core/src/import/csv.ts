/**
 * RFC 4180 CSV, written here rather than taken from a package so core stays pure and every edge is ours to test:
 * quoted fields may hold the delimiter, doubled quotes and line breaks; records end in CRLF, LF or CR; a UTF-8 byte
 * order mark at the start is dropped. Each record keeps the file line it started on, for error messages.
 */

export type CsvRecord = { line: number; cells: string[] };

export type CsvOptions = { delimiter?: ',' | ';' | '\t' };

/** A file that cannot be read as CSV at all (not a row error): an unterminated quote, a stray quote. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'CsvSyntaxError';
  }
}

type ParserState = {
  records: CsvRecord[];
  cells: string[];
  field: string;
  line: number;
  recordLine: number;
};

function endRecord(state: ParserState): void {
  state.cells.push(state.field);
  state.field = '';
  // A line with nothing on it separates nothing; spreadsheets leave them at the end of files.
  const isBlank = state.cells.length === 1 && state.cells[0] === '';
  if (!isBlank) state.records.push({ line: state.recordLine, cells: state.cells });
  state.cells = [];
}

/** Reads a quoted field starting after its opening quote; returns the index after the closing quote. */
function readQuoted(text: string, start: number, state: ParserState): number {
  let index = start;
  for (;;) {
    const close = text.indexOf('"', index);
    if (close === -1) throw new CsvSyntaxError(state.recordLine, 'a quoted field is never closed');
    const chunk = text.slice(index, close);
    state.field += chunk;
    state.line += countLineBreaks(chunk);
    if (text[close + 1] === '"') {
      state.field += '"';
      index = close + 2;
      continue;
    }
    return close + 1;
  }
}

function countLineBreaks(chunk: string): number {
  const matches = chunk.match(/\r\n|\r|\n/g);
  return matches ? matches.length : 0;
}

export function parseCsv(input: string, options: CsvOptions = {}): CsvRecord[] {
  const delimiter = options.delimiter ?? ',';
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const state: ParserState = { records: [], cells: [], field: '', line: 1, recordLine: 1 };
  let index = 0;
  let isFieldStart = true;
  const plain = new RegExp(`[^"\\r\\n${delimiter === '\t' ? '\\t' : delimiter}]+`, 'y');
  while (index < text.length) {
    const char = text[index];
    if (char === '"' && isFieldStart && state.field === '') {
      index = readQuoted(text, index + 1, state);
      isFieldStart = false;
      const next = text[index];
      if (next !== undefined && next !== delimiter && next !== '\r' && next !== '\n') {
        throw new CsvSyntaxError(state.line, 'unexpected text after a closing quote');
      }
      continue;
    }
    if (char === delimiter) {
      state.cells.push(state.field);
      state.field = '';
      isFieldStart = true;
      index += 1;
      continue;
    }
    if (char === '\r' || char === '\n') {
      endRecord(state);
      index += char === '\r' && text[index + 1] === '\n' ? 2 : 1;
      state.line += 1;
      state.recordLine = state.line;
      isFieldStart = true;
      continue;
    }
    if (char === '"') throw new CsvSyntaxError(state.line, 'a quote inside an unquoted field');
    // Take the whole run of ordinary characters at once: 100,000-row files are read here.
    plain.lastIndex = index;
    plain.exec(text);
    state.field += text.slice(index, plain.lastIndex);
    isFieldStart = false;
    index = plain.lastIndex;
  }
  if (state.field !== '' || state.cells.length > 0) endRecord(state);
  return state.records;
}
