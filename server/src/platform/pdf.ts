import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { LetterDocument, LetterTable, Locale, ReplySlip } from '@huikuan/core';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';

/**
 * Printable PDFs (reports now, dunning letters and statements later) through pdfmake on the server. Chinese needs
 * a CJK font: Noto Sans SC ships as TTF files in an npm package, so no system font is involved and the same bytes
 * come out on every machine. pdfmake may neither fetch URLs nor read local files: the fonts are handed over as
 * buffers, and a document definition that names an image path or URL is refused rather than followed.
 */

const require = createRequire(import.meta.url);
// pdfmake 0.3 exports one configured instance through CommonJS (`module.exports = new pdfmake()`); its in-memory
// file system is not in the type definitions.
const pdfmake = require('pdfmake') as typeof import('pdfmake') & {
  virtualfs: { writeFileSync(name: string, content: Buffer): void };
};

pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy(() => false);

export const PDF_FONT = 'NotoSansSC';

const FONT_FILES = {
  'NotoSansSC-Regular.ttf': '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  'NotoSansSC-Bold.ttf': '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
} as const;

let fontsLoaded: Promise<void> | null = null;

/**
 * Reads the two font files once per process (about 10 MB each) into pdfmake's in-memory file system, where it
 * finds them by name without touching the disk (the local access policy refuses every real path).
 */
function loadFonts(): Promise<void> {
  fontsLoaded ??= (async () => {
    for (const [name, file] of Object.entries(FONT_FILES)) {
      pdfmake.virtualfs.writeFileSync(name, await readFile(require.resolve(file)));
    }
    pdfmake.setFonts({
      [PDF_FONT]: {
        normal: 'NotoSansSC-Regular.ttf',
        bold: 'NotoSansSC-Bold.ttf',
        italics: 'NotoSansSC-Regular.ttf',
        bolditalics: 'NotoSansSC-Bold.ttf',
      },
    });
  })().catch((error: unknown) => {
    fontsLoaded = null;
    throw error;
  });
  return fontsLoaded;
}

/** Any document in the house font; the building block for reports, letters and statements. */
export async function renderPdf(definition: TDocumentDefinitions): Promise<Buffer> {
  await loadFonts();
  const document = pdfmake.createPdf({
    ...definition,
    defaultStyle: { font: PDF_FONT, fontSize: 9, ...definition.defaultStyle },
    info: { creator: 'Huikuan', producer: 'Huikuan', ...definition.info },
  });
  return document.getBuffer();
}

/** "第 2 页，共 5 页" / "Page 2 of 5", centred at the foot of every page. */
export function pageNumberFooter(locale: Locale) {
  return (currentPage: number, pageCount: number): Content => ({
    text:
      locale === 'zh-CN' ? `第 ${currentPage} 页，共 ${pageCount} 页` : `Page ${currentPage} of ${pageCount}`,
    alignment: 'center',
    fontSize: 8,
    color: '#666666',
    margin: [0, 12, 0, 0],
  });
}

const PLAIN_DECIMAL = /^(-)?(\d+)(\.\d+)?$/;

/** An exact decimal string with thousands separators ("1234567.50" → "1,234,567.50"); never through a float. */
export function groupedAmount(decimal: string): string {
  const match = PLAIN_DECIMAL.exec(decimal);
  if (!match) return decimal;
  const [, minus = '', whole = '0', fraction = ''] = match;
  return `${minus}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction}`;
}

export type PdfAlign = 'left' | 'right' | 'center';

export type PdfColumn = {
  header: string;
  /** Money and counts are right-aligned; text is left-aligned by default. */
  align?: PdfAlign;
  /** Column width in points, '*' to share the rest, 'auto' (default) to fit the content. */
  width?: number | '*' | 'auto';
};

export type TableReport = {
  locale: Locale;
  title: string;
  /** A line under the title, e.g. the organization's name. */
  subtitle?: string;
  /** The date the figures are as of, printed "截至 2026-11-22" / "As of 2026-11-22". */
  asOf?: string;
  /** A period instead of (or besides) a date, printed "期间 …" / "Period …". */
  period?: { from: string; to: string };
  /** The filters in words, one line: "分组：客户；团队：华东". */
  filters?: readonly { label: string; value: string }[];
  columns: readonly PdfColumn[];
  /** Cell texts, already formatted (see groupedAmount for money). */
  rows: readonly (readonly string[])[];
  /** Bold rows after the body, e.g. one total per currency. */
  totals?: readonly (readonly string[])[];
  /** Landscape by default past six columns. */
  orientation?: 'portrait' | 'landscape';
};

function headerLines(report: TableReport): Content[] {
  const isZh = report.locale === 'zh-CN';
  const lines: Content[] = [{ text: report.title, fontSize: 15, bold: true, margin: [0, 0, 0, 4] }];
  if (report.subtitle) lines.push({ text: report.subtitle, fontSize: 10, margin: [0, 0, 0, 2] });
  const facts: string[] = [];
  if (report.asOf) facts.push(isZh ? `截至 ${report.asOf}` : `As of ${report.asOf}`);
  if (report.period) {
    facts.push(
      isZh
        ? `期间 ${report.period.from} 至 ${report.period.to}`
        : `Period ${report.period.from} to ${report.period.to}`,
    );
  }
  if (report.filters && report.filters.length > 0) {
    const separator = isZh ? '；' : '; ';
    const colon = isZh ? '：' : ': ';
    facts.push(report.filters.map((filter) => `${filter.label}${colon}${filter.value}`).join(separator));
  }
  if (facts.length > 0) lines.push({ text: facts.join('    '), fontSize: 9, color: '#444444' });
  return lines;
}

function tableBody(report: TableReport): TableCell[][] {
  const alignOf = (index: number): PdfAlign => report.columns[index]?.align ?? 'left';
  const header: TableCell[] = report.columns.map((column) => ({
    text: column.header,
    bold: true,
    alignment: column.align ?? 'left',
    fillColor: '#eeeeee',
  }));
  const body: TableCell[][] = [header];
  if (report.rows.length === 0) {
    body.push([
      {
        text: report.locale === 'zh-CN' ? '无数据' : 'No data',
        colSpan: report.columns.length,
        alignment: 'center',
        color: '#888888',
      },
      ...report.columns.slice(1).map(() => ({ text: '' })),
    ]);
  }
  for (const row of report.rows) {
    body.push(report.columns.map((_, index) => ({ text: row[index] ?? '', alignment: alignOf(index) })));
  }
  for (const row of report.totals ?? []) {
    body.push(
      report.columns.map((_, index) => ({
        text: row[index] ?? '',
        alignment: alignOf(index),
        bold: true,
        fillColor: '#f6f6f6',
      })),
    );
  }
  return body;
}

/**
 * A report as a table on A4: title, filters and date, the header repeated on every page, money right-aligned,
 * totals in bold, page numbers at the foot. The text is real text (extractable, searchable), not an image.
 */
export function renderTableReport(report: TableReport): Promise<Buffer> {
  const orientation = report.orientation ?? (report.columns.length > 6 ? 'landscape' : 'portrait');
  return renderPdf({
    pageSize: 'A4',
    pageOrientation: orientation,
    pageMargins: [36, 36, 36, 48],
    info: { title: report.title },
    footer: pageNumberFooter(report.locale),
    content: [
      ...headerLines(report),
      {
        margin: [0, 10, 0, 0],
        table: {
          headerRows: 1,
          widths: report.columns.map((column) => column.width ?? 'auto'),
          body: tableBody(report),
        },
        layout: {
          hLineWidth: () => 0.5,
          vLineWidth: () => 0.5,
          hLineColor: () => '#bbbbbb',
          vLineColor: () => '#bbbbbb',
        },
      },
    ],
  });
}

/** A seal (公章) image: PNG or JPEG bytes, already checked by their magic bytes. */
export type PdfSeal = { contentType: 'image/png' | 'image/jpeg'; bytes: Uint8Array };

const LETTER_TABLE_LAYOUT = {
  hLineWidth: () => 0.5,
  vLineWidth: () => 0.5,
  hLineColor: () => '#999999',
  vLineColor: () => '#999999',
};

function letterTable(table: LetterTable): Content[] {
  const alignOf = (index: number) => table.columns[index]?.align ?? 'left';
  const body: TableCell[][] = [
    table.columns.map((column) => ({
      text: column.header,
      bold: true,
      alignment: column.align,
      fillColor: '#eeeeee',
    })),
    ...table.rows.map((row) => row.map((text, index): TableCell => ({ text, alignment: alignOf(index) }))),
    ...table.totals.map((row) =>
      row.map((text, index): TableCell => ({
        text,
        alignment: alignOf(index),
        bold: true,
        fillColor: '#f6f6f6',
      })),
    ),
  ];
  return [
    ...(table.caption ? [{ text: table.caption, bold: true, margin: [0, 6, 0, 2] } as Content] : []),
    {
      table: { headerRows: 1, widths: table.columns.map((_, index) => (index === 0 ? '*' : 'auto')), body },
      layout: LETTER_TABLE_LAYOUT,
      fontSize: 9,
      margin: [0, 4, 0, 8],
    },
  ];
}

/** The signature block at the right, with the seal stamped over it (drawn last, slightly transparent, like ink). */
function letterSignature(letter: LetterDocument, seal: PdfSeal | null): Content {
  const lines: Content[] = [
    ...letter.signature.lines.map((line): Content => ({ text: line, alignment: 'center' })),
    { text: letter.signature.date, alignment: 'center' },
  ];
  if (seal && letter.signature.hasSeal) {
    const base64 = Buffer.from(seal.bytes).toString('base64');
    lines.push({
      image: `data:${seal.contentType};base64,${base64}`,
      fit: [110, 110],
      opacity: 0.85,
      // Detached from the flow: centred on the lines above it, as a stamp sits over the company's name and date.
      relativePosition: { x: 55, y: -30 - 16 * lines.length },
    });
  }
  return {
    columns: [
      { width: '*', text: '' },
      { width: 220, stack: lines, unbreakable: true },
    ],
    margin: [0, 24, 0, 0],
  };
}

/** The reply slip (回执) is cut off and sent back, so it never splits across pages. */
function replySlipContent(slip: ReplySlip): Content {
  const box = (part: ReplySlip['agree']): TableCell => ({
    stack: [
      { text: part.label, bold: true, margin: [0, 0, 0, 6] },
      ...part.lines.map((line): Content => ({ text: line === '' ? ' ' : line, margin: [0, 4, 0, 0] })),
    ],
    margin: [4, 4, 4, 8],
  });
  return {
    unbreakable: true,
    stack: [
      {
        canvas: [{ type: 'line', x1: 0, y1: 0, x2: 483, y2: 0, dash: { length: 4 }, lineWidth: 0.8 }],
        margin: [0, 24, 0, 8],
      },
      { text: slip.title, alignment: 'center', bold: true, fontSize: 13, margin: [0, 0, 0, 8] },
      { text: slip.addressee },
      { text: slip.intro, margin: [0, 2, 0, 6] },
      {
        table: { widths: ['*', '*'], body: [[box(slip.agree), box(slip.disagree)]] },
        layout: LETTER_TABLE_LAYOUT,
      },
    ],
  };
}

/**
 * A letter (催款函, 律师函, 对账单, 对账函 …) on A4 from the same document model as its HTML: letterhead, title, date,
 * wording, the tables and amount lines drawn by code, the signature with the seal over it, and the reply slip.
 */
export function renderLetterPdf(letter: LetterDocument, seal: PdfSeal | null): Promise<Buffer> {
  const isZh = letter.locale === 'zh-CN';
  const text = (value: string, extra: Record<string, unknown> = {}): Content => ({ text: value, ...extra });
  return renderPdf({
    pageSize: 'A4',
    pageMargins: [56, 48, 56, 56],
    info: { title: letter.title },
    footer: pageNumberFooter(letter.locale),
    defaultStyle: { fontSize: 10.5, lineHeight: 1.35 },
    content: [
      text(letter.letterhead.name, { fontSize: 16, bold: true, alignment: 'center' }),
      ...letter.letterhead.lines.map((line) =>
        text(line, { fontSize: 8.5, color: '#555555', alignment: 'center' }),
      ),
      { canvas: [{ type: 'line', x1: 0, y1: 0, x2: 483, y2: 0, lineWidth: 1.2 }], margin: [0, 6, 0, 10] },
      text(letter.title, { fontSize: 18, bold: true, alignment: 'center', characterSpacing: isZh ? 4 : 0 }),
      text(letter.dateLine, { alignment: 'right', margin: [0, 4, 0, 10] }),
      text(letter.salutation, { margin: [0, 0, 0, 6] }),
      ...letter.paragraphs.map((paragraph) =>
        text(paragraph, { leadingIndent: isZh ? 21 : 0, margin: [0, 0, 0, 6] }),
      ),
      ...letter.tables.flatMap(letterTable),
      ...letter.summary.map((line) => text(line, { bold: true, margin: [0, 2, 0, 2] })),
      ...letter.payment.map((line) => text(line, { margin: [0, 2, 0, 2] })),
      ...letter.closing.map((line, index) =>
        text(line, { margin: [index === 0 && isZh ? 21 : 0, index === 0 ? 10 : 0, 0, 0] }),
      ),
      letterSignature(letter, seal),
      ...(letter.replySlip ? [replySlipContent(letter.replySlip)] : []),
    ],
  });
}
