import type { CalendarDate } from '../calendar-date';
import { RowCheck, type ImportOptions } from './cells';
import {
  normalizeHeader,
  rowReader,
  type ImportIssue,
  type ImportTable,
  type ResolvedMapping,
} from './mapping';

/** Methods an import may record; offsets and settlement in goods only come from approvals. */
export const IMPORTABLE_RECEIPT_METHODS = [
  'bank_transfer',
  'wechat_pay',
  'alipay',
  'card_pos',
  'cheque',
  'cash',
  'online',
  'prepayment_balance',
] as const;
export type ImportableReceiptMethod = (typeof IMPORTABLE_RECEIPT_METHODS)[number];

const METHOD_WORDS: Record<string, ImportableReceiptMethod> = {
  银行转账: 'bank_transfer',
  转账: 'bank_transfer',
  电汇: 'bank_transfer',
  银行: 'bank_transfer',
  微信: 'wechat_pay',
  微信支付: 'wechat_pay',
  支付宝: 'alipay',
  刷卡: 'card_pos',
  pos: 'card_pos',
  支票: 'cheque',
  现金: 'cash',
  在线支付: 'online',
  预付款: 'prepayment_balance',
};

export type ReceiptImportRow = {
  row: number;
  line: number;
  customerCode: string;
  receivedDate: CalendarDate;
  amountMinor: bigint;
  currency: string;
  method: ImportableReceiptMethod;
  payerName: string | null;
  payerAccount: string | null;
  bankReference: string | null;
  invoiceNumber: string | null;
  notes: string | null;
};

function checkMethod(check: RowCheck): ImportableReceiptMethod {
  const text = check.reader.text('method');
  if (text === '') return 'bank_transfer';
  const key = normalizeHeader(text);
  const known = IMPORTABLE_RECEIPT_METHODS.find((method) => normalizeHeader(method) === key);
  const method = known ?? (Object.hasOwn(METHOD_WORDS, key) ? METHOD_WORDS[key] : undefined);
  if (method === undefined) {
    check.fail('method', `"${text}" is not a receipt method (${IMPORTABLE_RECEIPT_METHODS.join(', ')})`);
    return 'bank_transfer';
  }
  return method;
}

function checkReceiptRow(check: RowCheck, options: ImportOptions): ReceiptImportRow | null {
  const customerCode = check.required('customerCode', 64);
  const receivedDate = check.date('receivedDate', options.dateFormat, true);
  const currency = check.currency('currency', options.defaultCurrency);
  const amountMinor = check.amount('amount', currency, options.decimal, true);
  const method = checkMethod(check);
  const payerName = check.optional('payerName', 200);
  const payerAccount = check.optional('payerAccount', 100);
  const bankReference = check.optional('bankReference', 200);
  const invoiceNumber = check.optional('invoiceNumber', 64);
  const notes = check.optional('notes', 2000);
  if (check.issues.length > 0 || !receivedDate || !currency || amountMinor === null) return null;
  const { row, line } = check.reader;
  return {
    row,
    line,
    customerCode,
    receivedDate,
    amountMinor,
    currency,
    method,
    payerName,
    payerAccount,
    bankReference,
    invoiceNumber,
    notes,
  };
}

export function checkReceiptRows(
  table: ImportTable,
  resolved: ResolvedMapping,
  options: ImportOptions,
  onRow: (done: number) => void = () => {},
): { rows: ReceiptImportRow[]; issues: ImportIssue[] } {
  const rows: ReceiptImportRow[] = [];
  const issues: ImportIssue[] = [];
  table.rows.forEach((record, index) => {
    const check = new RowCheck(rowReader(resolved, record, index + 1));
    const checked = checkReceiptRow(check, options);
    issues.push(...check.issues);
    if (checked) rows.push(checked);
    onRow(index + 1);
  });
  return { rows, issues };
}
