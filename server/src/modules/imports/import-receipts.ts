import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { AllocationsTable, ReceiptsTable } from '../../db/schema';
import { invoiceBalancesAsOf } from '../receipts/balances';
import { chunk } from './batches';
import type { ImportIssue, ReceiptImportRow, ResolvedMapping } from '@huikuan/core';
import { issueAt, type ImportContext, type KindOutcome } from './import-context';
import { customersByCode, invoicesByNumber, type ExistingInvoice } from './lookups';

/** The far end of the calendar: an invoice's open amount after everything ever recorded against it. */
const END_OF_TIME = '9999-12-31';

type PlannedReceipt = {
  row: ReceiptImportRow;
  customerId: string;
  invoiceId: string | null;
  allocatedMinor: bigint;
};

type Plan = { issues: ImportIssue[]; receipts: PlannedReceipt[] };

function allocationProblem(
  row: ReceiptImportRow,
  customerId: string,
  invoice: ExistingInvoice | undefined,
): string | null {
  if (!invoice || invoice.status !== 'issued') return `no issued invoice ${row.invoiceNumber ?? ''}`;
  if (invoice.customerId !== customerId) return `invoice ${invoice.number} belongs to another customer`;
  if (invoice.currency !== row.currency)
    return `invoice ${invoice.number} is in ${invoice.currency}, not ${row.currency}`;
  if (row.receivedDate < invoice.invoiceDate) {
    return `received ${row.receivedDate}, before invoice ${invoice.number} was dated ${invoice.invoiceDate}`;
  }
  return null;
}

/**
 * Each receipt with an invoice number is applied to that invoice on its received date, up to what is still open
 * (counting earlier rows of the same file); the rest stays unapplied credit, as an overpayment does.
 */
async function planReceipts(
  ctx: ImportContext,
  rows: readonly ReceiptImportRow[],
  mapping: ResolvedMapping['mapping'],
): Promise<Plan> {
  const tenantId = ctx.actor.tenantId;
  const customers = await customersByCode(
    ctx.tx,
    tenantId,
    rows.map((row) => row.customerCode),
  );
  const invoices = await invoicesByNumber(
    ctx.tx,
    tenantId,
    rows.flatMap((row) => row.invoiceNumber ?? []),
  );
  const open = new Map<string, bigint>();
  for (const batch of chunk([...invoices.values()].map((invoice) => invoice.id))) {
    const balances = await invoiceBalancesAsOf(ctx.tx, tenantId, batch, END_OF_TIME);
    for (const [id, balance] of balances) open.set(id, balance.openMinor);
  }
  const plan: Plan = { issues: [], receipts: [] };
  for (const row of rows) {
    const customer = customers.get(row.customerCode);
    if (!customer) {
      const message = `customer ${row.customerCode} does not exist; import customers first`;
      plan.issues.push(issueAt(row, mapping.customerCode ?? 'customerCode', message));
      continue;
    }
    if (row.invoiceNumber === null) {
      plan.receipts.push({ row, customerId: customer.id, invoiceId: null, allocatedMinor: 0n });
      continue;
    }
    const invoice = invoices.get(row.invoiceNumber);
    const problem = allocationProblem(row, customer.id, invoice);
    const openMinor = invoice ? (open.get(invoice.id) ?? 0n) : 0n;
    const column = mapping.invoiceNumber ?? 'invoiceNumber';
    if (problem !== null || !invoice) plan.issues.push(issueAt(row, column, problem ?? 'no such invoice'));
    else if (openMinor <= 0n)
      plan.issues.push(issueAt(row, column, `invoice ${invoice.number} has nothing open`));
    else {
      const allocatedMinor = row.amountMinor < openMinor ? row.amountMinor : openMinor;
      open.set(invoice.id, openMinor - allocatedMinor);
      plan.receipts.push({ row, customerId: customer.id, invoiceId: invoice.id, allocatedMinor });
    }
  }
  return plan;
}

function rowsOf(ctx: ImportContext, batch: readonly PlannedReceipt[]) {
  const { actor, now } = ctx;
  const receipts: Insertable<ReceiptsTable>[] = [];
  const allocations: Insertable<AllocationsTable>[] = [];
  for (const planned of batch) {
    const { row } = planned;
    const id = randomUUID();
    const common = { tenant_id: actor.tenantId, currency: row.currency, created_by_user_id: actor.userId };
    receipts.push({
      ...common,
      id,
      customer_id: planned.customerId,
      received_on: row.receivedDate,
      amount_minor: row.amountMinor,
      method: row.method,
      payer_name: row.payerName,
      payer_account: row.payerAccount,
      bank_reference: row.bankReference,
      notes: row.notes,
      status: 'confirmed',
      confirmed_by_user_id: actor.userId,
      confirmed_at: now,
    });
    if (planned.invoiceId !== null) {
      allocations.push({
        ...common,
        receipt_id: id,
        invoice_id: planned.invoiceId,
        amount_minor: planned.allocatedMinor,
        allocated_on: row.receivedDate,
        reason: 'Imported',
      });
    }
  }
  return { receipts, allocations };
}

export async function importReceiptRows(
  ctx: ImportContext,
  rows: readonly ReceiptImportRow[],
  mapping: ResolvedMapping['mapping'],
): Promise<KindOutcome> {
  const plan = await planReceipts(ctx, rows, mapping);
  const counts = {
    newCustomers: 0,
    invoices: 0,
    receipts: plan.receipts.length,
    allocations: plan.receipts.filter((planned) => planned.invoiceId !== null).length,
    totals: plan.receipts.map((planned) => ({
      currency: planned.row.currency,
      amountMinor: planned.row.amountMinor,
      settledMinor: planned.allocatedMinor,
    })),
  };
  if (plan.issues.length > 0 || ctx.isDryRun) return { issues: plan.issues, counts };
  // Every receipt before any allocation, so the allocations' foreign-key checks are planned on a full table.
  const { receipts, allocations } = rowsOf(ctx, plan.receipts);
  const total = receipts.length + allocations.length;
  let done = 0;
  for (const batch of chunk(receipts)) {
    await ctx.tx.insertInto('receipts').values(batch).execute();
    done += batch.length;
    ctx.onProgress('write', done, total);
  }
  for (const batch of chunk(allocations)) {
    await ctx.tx.insertInto('allocations').values(batch).execute();
    done += batch.length;
    ctx.onProgress('write', done, total);
  }
  return { issues: [], counts };
}
