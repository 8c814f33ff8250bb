import { RowCheck, type ImportOptions } from './cells';
import { rowReader, type ImportIssue, type ImportTable, type ResolvedMapping } from './mapping';

export type CustomerImportRow = {
  row: number;
  line: number;
  code: string;
  name: string;
  shortName: string | null;
  ownerEmail: string | null;
  paymentTermsDays: number | null;
  currency: string;
  segment: string | null;
  phone: string | null;
  unifiedCreditCode: string | null;
  notes: string | null;
};

/**
 * The key a 统一社会信用代码 compares by: trimmed, upper-case (the codes are letters and digits), null when empty.
 * An organization keeps one customer per legal entity (server migration 0019).
 */
export function creditCodeKey(code: string | null | undefined): string | null {
  const key = code?.trim().toUpperCase() ?? '';
  return key === '' ? null : key;
}

function checkCustomerRow(check: RowCheck, options: ImportOptions): CustomerImportRow | null {
  const code = check.required('code', 64);
  const name = check.required('name', 200);
  const shortName = check.optional('shortName', 100);
  const ownerEmail = check.optional('ownerEmail', 320)?.toLowerCase() ?? null;
  if (ownerEmail !== null && !/^[^@\s]+@[^@\s]+$/.test(ownerEmail)) {
    check.fail('ownerEmail', `"${ownerEmail}" is not an email address`);
  }
  const paymentTermsDays = check.integer('paymentTermsDays', 0, 3650);
  const currency = check.currency('currency', options.defaultCurrency);
  const segment = check.optional('segment', 100);
  const phone = check.optional('phone', 50);
  const unifiedCreditCode = check.optional('unifiedCreditCode', 50);
  const notes = check.optional('notes', 2000);
  if (check.issues.length > 0 || currency === null) return null;
  const { row, line } = check.reader;
  return {
    row,
    line,
    code,
    name,
    shortName,
    ownerEmail,
    paymentTermsDays,
    currency,
    segment,
    phone,
    unifiedCreditCode,
    notes,
  };
}

export function checkCustomerRows(
  table: ImportTable,
  resolved: ResolvedMapping,
  options: ImportOptions,
  onRow: (done: number) => void = () => {},
): { rows: CustomerImportRow[]; issues: ImportIssue[] } {
  const rows: CustomerImportRow[] = [];
  const issues: ImportIssue[] = [];
  const firstRowOfCode = new Map<string, number>();
  const firstRowOfCreditCode = new Map<string, number>();
  table.rows.forEach((record, index) => {
    const check = new RowCheck(rowReader(resolved, record, index + 1));
    const checked = checkCustomerRow(check, options);
    const code = check.reader.text('code');
    const earlier = code === '' ? undefined : firstRowOfCode.get(code);
    if (earlier !== undefined) check.fail('code', `customer code ${code} is also on row ${earlier}`);
    else if (code !== '') firstRowOfCode.set(code, index + 1);
    const creditCode = creditCodeKey(check.reader.text('unifiedCreditCode'));
    const earlierEntity = creditCode === null ? undefined : firstRowOfCreditCode.get(creditCode);
    if (creditCode !== null && earlierEntity !== undefined) {
      check.fail('unifiedCreditCode', `unified credit code ${creditCode} is also on row ${earlierEntity}`);
    } else if (creditCode !== null) firstRowOfCreditCode.set(creditCode, index + 1);
    issues.push(...check.issues);
    if (checked && check.issues.length === 0) rows.push(checked);
    onRow(index + 1);
  });
  return { rows, issues };
}
