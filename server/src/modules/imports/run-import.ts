import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { isSupportedCurrency } from '@huikuan/core';
import { recordAudit, type AuditActor } from '../../platform/audit';
import type { Database } from '../../platform/db';
import { AppError } from '../../platform/errors';
import {
  checkContractRows,
  checkCustomerRows,
  checkInvoiceRows,
  checkReceiptRows,
  isValidDateFormat,
  resolveMapping,
  sortIssues,
  totalsByCurrency,
  type ColumnMapping,
  type ImportIssue,
  type ImportKind,
  type ImportOptions,
  type ImportResult,
  type ImportSummary,
  type ImportTable,
  type ResolvedMapping,
} from '@huikuan/core';
import type { ImportContext, ImportCounts, ImportProgress, KindOutcome } from './import-context';
import { importContractGroups } from './import-contracts';
import { importCustomerRows } from './import-customers';
import { importInvoiceRows } from './import-invoices';
import { importReceiptRows } from './import-receipts';
import { readTable, type FileFormat, type TextEncoding } from './read-file';

export type ImportRequest = {
  kind: ImportKind;
  fileName: string;
  content: Uint8Array;
  format?: FileFormat | undefined;
  encoding?: TextEncoding | undefined;
  mapping?: ColumnMapping | undefined;
  dateFormat?: string | undefined;
  /** For rows that name no currency; the organization's base currency when absent. */
  currency?: string | undefined;
  decimalSeparator?: '.' | ',' | undefined;
  delimiter?: ',' | ';' | '\t' | undefined;
  isDryRun: boolean;
};

const NO_COUNTS: ImportCounts = { newCustomers: 0, invoices: 0, receipts: 0, allocations: 0, totals: [] };
const NO_CONTRACT_COUNTS: ImportCounts = { ...NO_COUNTS, contracts: 0, planNodes: 0 };

function assertOptions(request: ImportRequest): void {
  const issues: { path: string; message: string }[] = [];
  if (request.dateFormat !== undefined && !isValidDateFormat(request.dateFormat)) {
    issues.push({ path: 'dateFormat', message: 'a date format needs YYYY, MM (or M) and DD (or D)' });
  }
  if (request.currency !== undefined && !isSupportedCurrency(request.currency)) {
    issues.push({ path: 'currency', message: `unsupported currency ${request.currency}` });
  }
  if (issues.length > 0) throw new AppError('validation_failed', {}, issues);
}

/** A kind's rows checked on their own, and the writer that checks them against the ledger and writes them. */
type CheckedKind = { issues: ImportIssue[]; write(ctx: ImportContext): Promise<KindOutcome> };

function checkRows(
  kind: ImportKind,
  table: ImportTable,
  resolved: ResolvedMapping,
  options: ImportOptions,
  onProgress: ImportProgress,
): CheckedKind {
  const total = table.rows.length;
  // Every 1,000 rows is often enough for a bar and cheap enough not to slow the check down.
  const onRow = (done: number) => {
    if (done % 1000 === 0 || done === total) onProgress('validate', done, total);
  };
  const { mapping } = resolved;
  switch (kind) {
    case 'invoices': {
      const checked = checkInvoiceRows(table, resolved, options, onRow);
      return { issues: checked.issues, write: (ctx) => importInvoiceRows(ctx, checked.rows, mapping) };
    }
    case 'customers': {
      const checked = checkCustomerRows(table, resolved, options, onRow);
      return { issues: checked.issues, write: (ctx) => importCustomerRows(ctx, checked.rows, mapping) };
    }
    case 'receipts': {
      const checked = checkReceiptRows(table, resolved, options, onRow);
      return { issues: checked.issues, write: (ctx) => importReceiptRows(ctx, checked.rows, mapping) };
    }
    case 'contracts': {
      const checked = checkContractRows(table, resolved, options, onRow);
      return { issues: checked.issues, write: (ctx) => importContractGroups(ctx, checked.groups, mapping) };
    }
  }
}

function summaryOf(
  request: ImportRequest,
  rows: number,
  counts: ImportCounts,
  isCommitted: boolean,
): ImportSummary {
  const { totals, ...numbers } = request.kind === 'contracts' ? { ...NO_CONTRACT_COUNTS, ...counts } : counts;
  return {
    kind: request.kind,
    fileName: request.fileName,
    rows,
    ...numbers,
    totals: totalsByCurrency(totals),
    isCommitted,
  };
}

/**
 * Reads, checks and (unless a dry run) writes one file, all or nothing: every row is checked first and every
 * problem reported; only a file without any is written, in one tenant transaction with one audit entry.
 */
export async function runImport(
  db: Database,
  actor: AuditActor,
  request: ImportRequest,
  now: Date,
  onProgress: ImportProgress = () => {},
): Promise<ImportResult> {
  assertOptions(request);
  onProgress('parse', 0, 1);
  const read = await readTable(request.fileName, request.content, request);
  onProgress('parse', 1, 1);
  if (!read.table) return { summary: summaryOf(request, 0, NO_COUNTS, false), errors: read.issues };
  const table = read.table;
  const { resolved, issues: headerIssues } = resolveMapping(request.kind, table, request.mapping);
  if (headerIssues.length > 0) {
    return { summary: summaryOf(request, table.rows.length, NO_COUNTS, false), errors: headerIssues };
  }
  const result = await db.tenant(actor.tenantId, async (tx) => {
    const organization = await tx
      .selectFrom('organizations')
      .select('base_currency')
      .where('tenant_id', '=', actor.tenantId)
      .executeTakeFirstOrThrow();
    const options: ImportOptions = {
      dateFormat: request.dateFormat ?? 'YYYY-MM-DD',
      defaultCurrency: request.currency ?? organization.base_currency.trim(),
      decimal: request.decimalSeparator === ',' ? { decimalSeparator: ',' } : {},
    };
    const checked = checkRows(request.kind, table, resolved, options, onProgress);
    const rowIssues = checked.issues;
    // Rows that failed on their own are not looked up; the database checks the rest, with nothing written yet.
    const isDryRun = request.isDryRun || rowIssues.length > 0;
    const ctx: ImportContext = { tx, actor, now, isDryRun, onProgress };
    const outcome = await checked.write(ctx);
    const errors = sortIssues([...rowIssues, ...outcome.issues]);
    const isCommitted = !isDryRun && errors.length === 0;
    const summary = summaryOf(request, table.rows.length, outcome.counts, isCommitted);
    if (isCommitted) {
      const { isCommitted: _, ...counts } = summary;
      await recordAudit(tx, actor, {
        action: 'import.committed',
        entityType: 'import',
        entityId: randomUUID(),
        after: counts,
      });
    }
    return { summary, errors };
  });
  if (result.summary.isCommitted) await refreshPlannerStatistics(db);
  return result;
}

/**
 * A large import changes table sizes by orders of magnitude. PGlite has no autovacuum, so without fresh statistics
 * the planner keeps plans made for near-empty tables (foreign-key checks on allocations scanned whole tables,
 * making later writes quadratic). ANALYZE needs the table owner, hence the system connection.
 */
async function refreshPlannerStatistics(db: Database): Promise<void> {
  await db.system((tx) =>
    sql`ANALYZE customers, invoices, invoice_lines, receipts, allocations, credit_notes, invoice_voids`.execute(
      tx,
    ),
  );
}
