import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { AllocationsTable, InvoicesTable, ReceiptsTable } from '../../db/schema';
import { importCreditIssues } from '../credit/credit-check';
import { chunk } from './batches';
import type { ImportIssue, InvoiceImportRow, ResolvedMapping } from '@huikuan/core';
import { issueAt, type ImportContext, type KindOutcome } from './import-context';
import { customersByCode, invoicesByNumber } from './lookups';

type NewCustomer = { code: string; name: string; currency: string };

/** Problems only the database can show: numbers already used, unknown customers without a name to create them. */
async function checkAgainstLedger(
  ctx: ImportContext,
  rows: readonly InvoiceImportRow[],
  mapping: ResolvedMapping['mapping'],
): Promise<{ issues: ImportIssue[]; customerIds: Map<string, string>; newCustomers: NewCustomer[] }> {
  const tenantId = ctx.actor.tenantId;
  const existing = await customersByCode(
    ctx.tx,
    tenantId,
    rows.map((row) => row.customerCode),
  );
  const taken = await invoicesByNumber(
    ctx.tx,
    tenantId,
    rows.map((row) => row.number),
  );
  const issues: ImportIssue[] = [];
  const newCustomers = new Map<string, NewCustomer>();
  for (const row of rows) {
    if (taken.has(row.number)) {
      issues.push(issueAt(row, mapping.number ?? 'number', `invoice number ${row.number} already exists`));
    }
    if (existing.has(row.customerCode) || newCustomers.has(row.customerCode)) continue;
    if (row.customerName === null) {
      const column = mapping.customerName ?? mapping.customerCode ?? 'customerName';
      issues.push(
        issueAt(row, column, `customer ${row.customerCode} does not exist; give its name to create it`),
      );
      continue;
    }
    newCustomers.set(row.customerCode, {
      code: row.customerCode,
      name: row.customerName,
      currency: row.currency,
    });
  }
  const customerIds = new Map([...existing].map(([code, customer]) => [code, customer.id]));
  return { issues, customerIds, newCustomers: [...newCustomers.values()] };
}

/** New customers get the defaults a person would otherwise type: 30 days' terms, the first invoice's currency. */
async function createCustomers(
  ctx: ImportContext,
  customers: readonly NewCustomer[],
  customerIds: Map<string, string>,
): Promise<void> {
  for (const batch of chunk(customers)) {
    const created = await ctx.tx
      .insertInto('customers')
      .values(
        batch.map((customer) => ({
          tenant_id: ctx.actor.tenantId,
          code: customer.code,
          name: customer.name,
          currency: customer.currency,
        })),
      )
      .returning(['id', 'code'])
      .execute();
    for (const row of created) customerIds.set(row.code, row.id);
  }
}

function invoiceNotes(row: InvoiceImportRow): string | null {
  // The ledger has no dispute flag yet; until it does, the import keeps the fact visible in the notes.
  if (!row.isDisputed) return row.notes;
  return row.notes === null ? '[disputed]' : `[disputed] ${row.notes}`;
}

/**
 * One batch: invoices go in as drafts, then their lines (the lines guard refuses lines of an issued invoice), then
 * all of them are issued in one UPDATE. Returns the new invoices' ids, in row order.
 */
async function writeInvoiceBatch(
  ctx: ImportContext,
  batch: readonly InvoiceImportRow[],
  customerIds: Map<string, string>,
): Promise<string[]> {
  const { tx, actor, now } = ctx;
  const ids = batch.map(() => randomUUID());
  const invoices: Insertable<InvoicesTable>[] = batch.map((row, i) => ({
    tenant_id: actor.tenantId,
    id: ids[i],
    customer_id: customerIds.get(row.customerCode) ?? '',
    number: row.number,
    invoice_date: row.invoiceDate,
    due_date: row.dueDate,
    currency: row.currency,
    subtotal_minor: row.amountMinor,
    tax_minor: 0n,
    total_minor: row.amountMinor,
    notes: invoiceNotes(row),
    created_by_user_id: actor.userId,
  }));
  await tx.insertInto('invoices').values(invoices).execute();
  await tx
    .insertInto('invoice_lines')
    .values(
      batch.map((row, i) => ({
        tenant_id: actor.tenantId,
        invoice_id: ids[i] ?? '',
        line_no: 1,
        description: 'Imported',
        quantity: '1',
        unit_price_minor: row.amountMinor,
        tax_rate_bp: 0,
        amount_minor: row.amountMinor,
        tax_minor: 0n,
      })),
    )
    .execute();
  await tx
    .updateTable('invoices')
    .set({ status: 'issued', issued_at: now, issued_by_user_id: actor.userId, updated_at: now })
    .where('tenant_id', '=', actor.tenantId)
    .where('id', 'in', ids)
    .execute();
  return ids;
}

type Settlement = { receipt: Insertable<ReceiptsTable>; allocation: Insertable<AllocationsTable> };

/** A settled row becomes a confirmed receipt on its settled date and an allocation to its invoice on that date. */
function settlementOf(
  ctx: ImportContext,
  row: InvoiceImportRow,
  invoiceId: string,
  customerIds: Map<string, string>,
): Settlement | null {
  if (!row.settlement) return null;
  const { actor, now } = ctx;
  const receiptId = randomUUID();
  const common = { tenant_id: actor.tenantId, currency: row.currency, created_by_user_id: actor.userId };
  return {
    receipt: {
      ...common,
      id: receiptId,
      customer_id: customerIds.get(row.customerCode) ?? null,
      received_on: row.settlement.date,
      amount_minor: row.settlement.amountMinor,
      method: 'bank_transfer',
      notes: `Imported settlement of invoice ${row.number}`,
      status: 'confirmed',
      confirmed_by_user_id: actor.userId,
      confirmed_at: now,
    },
    allocation: {
      ...common,
      receipt_id: receiptId,
      invoice_id: invoiceId,
      amount_minor: row.settlement.amountMinor,
      allocated_on: row.settlement.date,
      reason: 'Imported settlement',
    },
  };
}

/**
 * All receipts go in before any allocation. The foreign-key check behind each allocation runs a cached plan; made
 * while the receipts table was nearly empty it scans the table for every row, which turned 100,000 rows quadratic.
 */
async function writeSettlements(
  ctx: ImportContext,
  settlements: readonly Settlement[],
  progress: { done: number; total: number },
): Promise<void> {
  for (const batch of chunk(settlements)) {
    await ctx.tx
      .insertInto('receipts')
      .values(batch.map((s) => s.receipt))
      .execute();
    progress.done += batch.length;
    ctx.onProgress('write', progress.done, progress.total);
  }
  for (const batch of chunk(settlements)) {
    await ctx.tx
      .insertInto('allocations')
      .values(batch.map((s) => s.allocation))
      .execute();
    progress.done += batch.length;
    ctx.onProgress('write', progress.done, progress.total);
  }
}

export async function importInvoiceRows(
  ctx: ImportContext,
  rows: readonly InvoiceImportRow[],
  mapping: ResolvedMapping['mapping'],
): Promise<KindOutcome> {
  const checked = await checkAgainstLedger(ctx, rows, mapping);
  // 停止供货: an invoice for an existing customer on credit hold (or beyond its limit) refuses the whole file. What
  // a row adds is what stays open of it after its settlement.
  const creditIssues = await importCreditIssues(
    ctx.tx,
    ctx.actor,
    ctx.now,
    rows.flatMap((row) => {
      const customerId = checked.customerIds.get(row.customerCode);
      if (!customerId) return [];
      const addedExposureMinor = row.amountMinor - (row.settlement?.amountMinor ?? 0n);
      return [{ row: row.row, line: row.line, customerId, addedExposureMinor, currency: row.currency }];
    }),
    mapping.customerCode ?? 'customerCode',
    'import.invoices',
  );
  const issues = [...checked.issues, ...creditIssues];
  const settled = rows.filter((row) => row.settlement !== null).length;
  const counts = {
    newCustomers: checked.newCustomers.length,
    invoices: rows.length,
    receipts: settled,
    allocations: settled,
    totals: rows.map((row) => ({
      currency: row.currency,
      amountMinor: row.amountMinor,
      settledMinor: row.settlement?.amountMinor ?? 0n,
    })),
  };
  if (issues.length > 0 || ctx.isDryRun) return { issues, counts };
  await createCustomers(ctx, checked.newCustomers, checked.customerIds);
  const settlements: Settlement[] = [];
  // Invoices, then receipts, then allocations: each row written counts once.
  const progress = { done: 0, total: rows.length + 2 * settled };
  for (const batch of chunk(rows)) {
    const ids = await writeInvoiceBatch(ctx, batch, checked.customerIds);
    batch.forEach((row, i) => {
      const settlement = settlementOf(ctx, row, ids[i] ?? '', checked.customerIds);
      if (settlement) settlements.push(settlement);
    });
    progress.done += batch.length;
    ctx.onProgress('write', progress.done, progress.total);
  }
  await writeSettlements(ctx, settlements, progress);
  return { issues: [], counts };
}
