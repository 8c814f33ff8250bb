import { minorToDecimalString } from '../money';
import type { ImportIssue, ImportKind } from './mapping';

/** Totals of one currency, as exact decimal strings: what the file brings in and how much of it is settled. */
export type ImportCurrencyTotal = { currency: string; amount: string; settledAmount: string };

export type ImportSummary = {
  kind: ImportKind;
  fileName: string;
  rows: number;
  newCustomers: number;
  invoices: number;
  receipts: number;
  allocations: number;
  /** Contract imports only. */
  contracts?: number;
  planNodes?: number;
  totals: ImportCurrencyTotal[];
  /** True once written; a dry run, or a run with any error, writes nothing. */
  isCommitted: boolean;
};

export type ImportResult = { summary: ImportSummary; errors: ImportIssue[] };

/** Adds amounts up per currency, sorted by currency code so output is stable. */
export function totalsByCurrency(
  entries: Iterable<{ currency: string; amountMinor: bigint; settledMinor: bigint }>,
): ImportCurrencyTotal[] {
  const sums = new Map<string, { amount: bigint; settled: bigint }>();
  for (const entry of entries) {
    const sum = sums.get(entry.currency) ?? { amount: 0n, settled: 0n };
    sum.amount += entry.amountMinor;
    sum.settled += entry.settledMinor;
    sums.set(entry.currency, sum);
  }
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currency, sum]) => ({
      currency,
      amount: minorToDecimalString(sum.amount, currency),
      settledAmount: minorToDecimalString(sum.settled, currency),
    }));
}

/** Issues in file order (row, then the order they were found), which is how a person fixes them. */
export function sortIssues(issues: ImportIssue[]): ImportIssue[] {
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => a.issue.row - b.issue.row || a.index - b.index)
    .map(({ issue }) => issue);
}

/** One line per issue, naming file, line, row and column. */
export function formatIssue(fileName: string, issue: ImportIssue): string {
  const where = issue.row === 0 ? 'header' : `row ${issue.row}`;
  return `${fileName}:${issue.line}: ${where}, column "${issue.column}": ${issue.message}`;
}
