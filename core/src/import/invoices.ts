import type { CalendarDate } from '../calendar-date';
import { RowCheck, type ImportOptions } from './cells';
import { rowReader, type ImportIssue, type ImportTable, type ResolvedMapping } from './mapping';

/**
 * One invoice row, checked. A settled date brings the history over: a confirmed receipt on that date, allocated to
 * this invoice on that date, for the settled amount (the whole invoice when no amount is given).
 */
export type InvoiceImportRow = {
  row: number;
  line: number;
  customerCode: string;
  customerName: string | null;
  number: string;
  invoiceDate: CalendarDate;
  dueDate: CalendarDate;
  currency: string;
  amountMinor: bigint;
  settlement: { date: CalendarDate; amountMinor: bigint } | null;
  isDisputed: boolean;
  notes: string | null;
};

function checkSettlement(
  check: RowCheck,
  options: ImportOptions,
  invoice: { invoiceDate: CalendarDate | null; currency: string | null; amountMinor: bigint | null },
): InvoiceImportRow['settlement'] {
  const date = check.date('settledDate', options.dateFormat, false);
  const settledAmount = check.amount('settledAmount', invoice.currency, options.decimal, false);
  if (date === null) {
    if (settledAmount !== null) check.fail('settledDate', 'a settled amount needs a settled date');
    return null;
  }
  if (invoice.invoiceDate !== null && date < invoice.invoiceDate) {
    check.fail('settledDate', `settled on ${date}, before the invoice date ${invoice.invoiceDate}`);
  }
  if (settledAmount !== null && invoice.amountMinor !== null && settledAmount > invoice.amountMinor) {
    check.fail('settledAmount', 'the settled amount is more than the invoice amount');
  }
  const amountMinor = settledAmount ?? invoice.amountMinor;
  return amountMinor === null ? null : { date, amountMinor };
}

function checkInvoiceRow(check: RowCheck, options: ImportOptions): InvoiceImportRow | null {
  const customerCode = check.required('customerCode', 64);
  const customerName = check.optional('customerName', 200);
  const number = check.required('number', 64);
  const invoiceDate = check.date('invoiceDate', options.dateFormat, true);
  const dueDate = check.date('dueDate', options.dateFormat, true);
  const currency = check.currency('currency', options.defaultCurrency);
  const amountMinor = check.amount('amount', currency, options.decimal, true);
  if (invoiceDate !== null && dueDate !== null && dueDate < invoiceDate) {
    check.fail('dueDate', `due ${dueDate}, before the invoice date ${invoiceDate}`);
  }
  const settlement = checkSettlement(check, options, { invoiceDate, currency, amountMinor });
  const isDisputed = check.boolean('disputed');
  const notes = check.optional('notes', 2000);
  if (check.issues.length > 0 || !invoiceDate || !dueDate || !currency || amountMinor === null) return null;
  const { row, line } = check.reader;
  return {
    row,
    line,
    customerCode,
    customerName,
    number,
    invoiceDate,
    dueDate,
    currency,
    amountMinor,
    settlement,
    isDisputed,
    notes,
  };
}

/** Checks every row (all errors, not the first), including invoice numbers repeated within the file. */
export function checkInvoiceRows(
  table: ImportTable,
  resolved: ResolvedMapping,
  options: ImportOptions,
  onRow: (done: number) => void = () => {},
): { rows: InvoiceImportRow[]; issues: ImportIssue[] } {
  const rows: InvoiceImportRow[] = [];
  const issues: ImportIssue[] = [];
  const firstRowOfNumber = new Map<string, number>();
  table.rows.forEach((record, index) => {
    const check = new RowCheck(rowReader(resolved, record, index + 1));
    const checked = checkInvoiceRow(check, options);
    const number = check.reader.text('number');
    const earlier = number === '' ? undefined : firstRowOfNumber.get(number);
    if (earlier !== undefined) check.fail('number', `invoice number ${number} is also on row ${earlier}`);
    else if (number !== '') firstRowOfNumber.set(number, index + 1);
    issues.push(...check.issues);
    if (checked && check.issues.length === 0) rows.push(checked);
    onRow(index + 1);
  });
  return { rows, issues };
}
