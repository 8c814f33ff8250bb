import type { AuditActor } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { ImportIssue } from '@huikuan/core';

export type ImportPhase = 'parse' | 'validate' | 'write';

/** Progress of one phase; the CLI draws a bar from it and a UI job can report it. */
export type ImportProgress = (phase: ImportPhase, done: number, total: number) => void;

/** What a kind's writer gets: the transaction, who is importing, the time and whether to write at all. */
export type ImportContext = {
  tx: Tx;
  actor: AuditActor;
  now: Date;
  isDryRun: boolean;
  onProgress: ImportProgress;
};

export type ImportCounts = {
  newCustomers: number;
  invoices: number;
  receipts: number;
  allocations: number;
  contracts?: number;
  planNodes?: number;
  totals: { currency: string; amountMinor: bigint; settledMinor: bigint }[];
};

/** A kind's outcome: either problems found against the database (and nothing written), or what was written. */
export type KindOutcome = { issues: ImportIssue[]; counts: ImportCounts };

export function issueAt(row: { row: number; line: number }, column: string, message: string): ImportIssue {
  return { row: row.row, line: row.line, column, message };
}
