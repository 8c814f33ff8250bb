import type { CsvRecord } from './csv';

/**
 * Which column of a file feeds which field. Defaults come from the header names (English field names and the
 * headers Chinese accounting software writes); `--map field=Column` or a saved preset overrides them.
 */

export type ImportKind = 'invoices' | 'customers' | 'receipts' | 'contracts';
export const IMPORT_KINDS: readonly ImportKind[] = ['customers', 'contracts', 'invoices', 'receipts'];

export type FieldSpec = { name: string; isRequired: boolean; aliases: readonly string[] };

/** Field name → column header, as a preset stores it. Serializes to JSON as it is. */
export type ColumnMapping = Record<string, string>;

/** One problem with one cell (or the header, row 0), named the way a person finds it in the file. */
export type ImportIssue = { row: number; line: number; column: string; message: string };

/** A file read into a header row and data rows, whatever its format. */
export type ImportTable = { headers: string[]; headerLine: number; rows: CsvRecord[] };

const customerCode: FieldSpec = {
  name: 'customerCode',
  isRequired: true,
  aliases: ['客户编码', '客户代码', '客户编号', '客户id', 'customerid'],
};
const notes: FieldSpec = { name: 'notes', isRequired: false, aliases: ['备注', '说明', 'remark', 'memo'] };
const currency: FieldSpec = { name: 'currency', isRequired: false, aliases: ['币种', '币别', '货币'] };

export const IMPORT_FIELDS: Readonly<Record<ImportKind, readonly FieldSpec[]>> = {
  invoices: [
    customerCode,
    { name: 'customerName', isRequired: false, aliases: ['客户名称', '客户名', '客户全称'] },
    {
      name: 'number',
      isRequired: true,
      aliases: [
        '发票号',
        '发票号码',
        '发票编号',
        '单据编号',
        '单据号',
        'invoicenumber',
        'invoiceno',
        'invoice',
      ],
    },
    {
      name: 'invoiceDate',
      isRequired: true,
      aliases: ['开票日期', '发票日期', '单据日期', '业务日期', 'date'],
    },
    { name: 'dueDate', isRequired: true, aliases: ['到期日', '到期日期', '应收日期', '收款到期日'] },
    {
      name: 'amount',
      isRequired: true,
      aliases: ['金额', '发票金额', '价税合计', '应收金额', '含税金额', 'total'],
    },
    currency,
    { name: 'settledDate', isRequired: false, aliases: ['回款日期', '收款日期', '结清日期', 'paiddate'] },
    { name: 'settledAmount', isRequired: false, aliases: ['回款金额', '收款金额', '已收金额', 'paidamount'] },
    { name: 'disputed', isRequired: false, aliases: ['是否争议', '争议', 'isdisputed', 'dispute'] },
    notes,
  ],
  customers: [
    { name: 'code', isRequired: true, aliases: ['客户编码', '客户代码', '客户编号', 'customercode'] },
    { name: 'name', isRequired: true, aliases: ['客户名称', '客户名', '客户全称', 'customername'] },
    { name: 'shortName', isRequired: false, aliases: ['简称', '客户简称'] },
    { name: 'ownerEmail', isRequired: false, aliases: ['负责人邮箱', '业务员邮箱', '销售邮箱', 'owner'] },
    {
      name: 'paymentTermsDays',
      isRequired: false,
      aliases: ['账期', '账期天数', '付款天数', 'paymentterms'],
    },
    currency,
    { name: 'segment', isRequired: false, aliases: ['客户分类', '分类', '行业'] },
    { name: 'phone', isRequired: false, aliases: ['电话', '联系电话'] },
    { name: 'unifiedCreditCode', isRequired: false, aliases: ['统一社会信用代码', '信用代码'] },
    notes,
  ],
  receipts: [
    customerCode,
    { name: 'receivedDate', isRequired: true, aliases: ['回款日期', '收款日期', '到账日期', '日期', 'date'] },
    { name: 'amount', isRequired: true, aliases: ['金额', '回款金额', '收款金额', '到账金额'] },
    currency,
    { name: 'method', isRequired: false, aliases: ['收款方式', '结算方式', '付款方式', '方式'] },
    {
      name: 'payerName',
      isRequired: false,
      aliases: ['付款人', '付款单位', '付款方', '付款人名称', 'payer'],
    },
    { name: 'payerAccount', isRequired: false, aliases: ['付款账号', '付款人账号', '对方账号'] },
    {
      name: 'bankReference',
      isRequired: false,
      aliases: ['银行流水号', '流水号', '交易流水号', '银行参考号'],
    },
    { name: 'invoiceNumber', isRequired: false, aliases: ['发票号', '发票号码', '核销发票号'] },
    notes,
  ],
  // One row per payment plan node; rows with the same contract number make one contract.
  contracts: [
    {
      name: 'contractNumber',
      isRequired: true,
      aliases: ['合同编号', '合同号', '合同编码', 'contractno', 'contract'],
    },
    customerCode,
    { name: 'customerName', isRequired: false, aliases: ['客户名称', '客户名', '客户全称'] },
    { name: 'amount', isRequired: true, aliases: ['合同金额', '金额', '合同总额', 'contractamount'] },
    currency,
    { name: 'signedDate', isRequired: true, aliases: ['签订日期', '签约日期', '合同日期', 'signedon'] },
    { name: 'paymentTermsDays', isRequired: false, aliases: ['账期', '账期天数', '付款天数'] },
    { name: 'title', isRequired: false, aliases: ['合同名称', '合同标题', '项目名称'] },
    { name: 'nodeName', isRequired: false, aliases: ['节点名称', '回款节点', '节点', 'node'] },
    { name: 'nodeAmount', isRequired: false, aliases: ['节点金额', '计划回款金额', '计划金额'] },
    { name: 'nodePercent', isRequired: false, aliases: ['节点比例', '回款比例', '比例', 'percent'] },
    { name: 'nodeDueDate', isRequired: false, aliases: ['节点到期日', '计划回款日期', '到期日', '应收日期'] },
    { name: 'nodeTrigger', isRequired: false, aliases: ['触发条件', '节点触发', '触发事件', 'trigger'] },
    {
      name: 'nodeOffsetDays',
      isRequired: false,
      aliases: ['触发后天数', '延后天数', '偏移天数', 'offsetdays'],
    },
  ],
};

/** Header text compared loosely: case, spaces, underscores, hyphens and full-width forms do not matter. */
export function normalizeHeader(header: string): string {
  return header
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/[\s_\-\u3000*]/g, '')
    .toLowerCase();
}

/** Where each field is read from: field name → column index. */
export type ResolvedMapping = { columns: Map<string, number>; mapping: ColumnMapping };

function defaultColumn(field: FieldSpec, normalizedHeaders: string[]): number {
  const candidates = [field.name, ...field.aliases].map(normalizeHeader);
  for (const candidate of candidates) {
    const index = normalizedHeaders.indexOf(candidate);
    if (index !== -1) return index;
  }
  return -1;
}

/**
 * Applies the defaults, then the overrides. Every problem comes back at once: an unknown field, a column the file
 * does not have, a required field left unmapped.
 */
export function resolveMapping(
  kind: ImportKind,
  table: Pick<ImportTable, 'headers' | 'headerLine'>,
  overrides: ColumnMapping = {},
): { resolved: ResolvedMapping; issues: ImportIssue[] } {
  const fields = IMPORT_FIELDS[kind];
  const normalized = table.headers.map(normalizeHeader);
  const columns = new Map<string, number>();
  const issues: ImportIssue[] = [];
  const headerIssue = (column: string, message: string) =>
    issues.push({ row: 0, line: table.headerLine, column, message });
  for (const field of fields) {
    const index = defaultColumn(field, normalized);
    if (index !== -1) columns.set(field.name, index);
  }
  for (const [fieldName, column] of Object.entries(overrides)) {
    if (!fields.some((field) => field.name === fieldName)) {
      headerIssue(column, `unknown field "${fieldName}"; fields are ${fields.map((f) => f.name).join(', ')}`);
      continue;
    }
    const exact = table.headers.findIndex((header) => header.trim() === column.trim());
    const index = exact !== -1 ? exact : normalized.indexOf(normalizeHeader(column));
    if (index === -1) headerIssue(column, `the file has no column "${column}" (mapped to ${fieldName})`);
    else columns.set(fieldName, index);
  }
  for (const field of fields) {
    if (field.isRequired && !columns.has(field.name)) {
      headerIssue(
        field.name,
        `no column for required field "${field.name}"; name one with --map ${field.name}=Column`,
      );
    }
  }
  const mapping: ColumnMapping = {};
  for (const [fieldName, index] of columns) mapping[fieldName] = table.headers[index] ?? '';
  return { resolved: { columns, mapping }, issues };
}

/** The table read from records: the first non-empty record is the header row. */
export function tableFromRecords(records: CsvRecord[]): ImportTable {
  const [header, ...rows] = records;
  return {
    headers: header ? header.cells.map((cell) => cell.trim()) : [],
    headerLine: header?.line ?? 1,
    rows,
  };
}

/** A row's view through the mapping: trimmed text of a field, '' when absent; and its column's header. */
export type RowReader = {
  row: number;
  line: number;
  text(field: string): string;
  column(field: string): string;
};

export function rowReader(resolved: ResolvedMapping, record: CsvRecord, rowNumber: number): RowReader {
  return {
    row: rowNumber,
    line: record.line,
    text: (field) => {
      const index = resolved.columns.get(field);
      return index === undefined ? '' : (record.cells[index] ?? '').trim();
    },
    column: (field) => resolved.mapping[field] ?? field,
  };
}
