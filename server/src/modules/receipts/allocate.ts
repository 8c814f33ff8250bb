import { amountMinorOrThrow } from '../../platform/money-input';
import { minorToDecimalString, planOldestDueFirst, type CalendarDate } from '@huikuan/core';
import type { AllocationLineInput, ReceiptDetail } from '@huikuan/core/contracts';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { invoiceHeadroomFrom, receiptHeadroomFrom } from './balances';
import { conflict, dateIssue, ledgerWrite, organizationSettings, requireFinance } from './receipt-support';
import { lockVisibleReceiptOrThrow, receiptDetailOrThrow, type LockedReceipt } from './receipt-view';

export type PlannedLine = {
  invoiceId: string | null;
  planNodeId: string | null;
  amountMinor: bigint;
  /** Where the line came from in the request, for error paths: "lines.2". */
  path: string;
};

export function plannedLinesOf(lines: readonly AllocationLineInput[], currency: string, prefix: string) {
  return lines.map((line, index): PlannedLine => ({
    invoiceId: line.invoiceId ?? null,
    planNodeId: line.planNodeId ?? null,
    amountMinor: amountMinorOrThrow(line.amount, currency, `${prefix}.${index}.amount`),
    path: `${prefix}.${index}`,
  }));
}

function lineIssue(path: string, message: string): AppError {
  return new AppError('validation_failed', {}, [{ path, message }]);
}

/** A receipt can be applied only once confirmed, while it has a customer and is not reversed. */
export function assertAllocatable(receipt: LockedReceipt): string {
  if (receipt.status !== 'confirmed') throw conflict('confirm the receipt before allocating it');
  if (receipt.isReversed) throw conflict('the receipt is reversed');
  if (receipt.customer_id === null) throw conflict('the receipt has no customer yet; claim it first');
  return receipt.customer_id;
}

/**
 * Locks the invoices in id order (after the receipt, which the caller locked) and checks that each belongs to the
 * customer, is in the receipt's currency, is issued by the allocation date and is not voided.
 */
export async function lockInvoicesOrThrow(
  tx: Tx,
  receipt: LockedReceipt,
  lines: readonly PlannedLine[],
  allocatedOn: string,
) {
  const ids = [...new Set(lines.flatMap((line) => (line.invoiceId ? [line.invoiceId] : [])))].sort();
  if (ids.length === 0) return new Map<string, { plan_node_id: string | null }>();
  const rows = await tx
    .selectFrom('invoices')
    .select(['id', 'customer_id', 'currency', 'invoice_date', 'status', 'plan_node_id'])
    .where('tenant_id', '=', receipt.tenant_id)
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute();
  const voided = await tx
    .selectFrom('invoice_voids')
    .select('invoice_id')
    .where('tenant_id', '=', receipt.tenant_id)
    .where('invoice_id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  const voidedIds = new Set(voided.map((row) => row.invoice_id));
  for (const line of lines) {
    if (!line.invoiceId) continue;
    const invoice = byId.get(line.invoiceId);
    const at = `${line.path}.invoiceId`;
    if (!invoice || invoice.customer_id !== receipt.customer_id || invoice.status !== 'issued') {
      throw lineIssue(at, "Not an issued invoice of this receipt's customer");
    }
    if (invoice.currency !== receipt.currency) {
      throw lineIssue(at, `The invoice is in ${invoice.currency}, the receipt in ${receipt.currency}`);
    }
    if (voidedIds.has(invoice.id)) throw lineIssue(at, 'The invoice is voided');
    if (invoice.invoice_date > allocatedOn) {
      throw lineIssue(at, `The invoice is dated ${invoice.invoice_date}, after the allocation date`);
    }
    if (line.planNodeId && invoice.plan_node_id && invoice.plan_node_id !== line.planNodeId) {
      throw lineIssue(`${line.path}.planNodeId`, 'The invoice belongs to another plan node');
    }
  }
  return byId;
}

/** Plan nodes must sit on a contract of the receipt's customer, in the receipt's currency. */
export async function checkPlanNodesOrThrow(tx: Tx, receipt: LockedReceipt, lines: readonly PlannedLine[]) {
  const ids = [...new Set(lines.flatMap((line) => (line.planNodeId ? [line.planNodeId] : [])))];
  if (ids.length === 0) return;
  const rows = await tx
    .selectFrom('payment_plan_nodes as n')
    .innerJoin('contracts as k', (join) =>
      join.onRef('k.tenant_id', '=', 'n.tenant_id').onRef('k.id', '=', 'n.contract_id'),
    )
    .select(['n.id', 'n.currency', 'k.customer_id'])
    .where('n.tenant_id', '=', receipt.tenant_id)
    .where('n.id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const line of lines) {
    if (!line.planNodeId) continue;
    const node = byId.get(line.planNodeId);
    const at = `${line.path}.planNodeId`;
    if (!node || node.customer_id !== receipt.customer_id) {
      throw lineIssue(at, "Not a plan node of this receipt's customer");
    }
    if (node.currency !== receipt.currency) {
      throw lineIssue(at, `The plan node is in ${node.currency}, the receipt in ${receipt.currency}`);
    }
  }
}

function sumPerInvoice(lines: readonly PlannedLine[]): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const line of lines) {
    if (line.invoiceId) sums.set(line.invoiceId, (sums.get(line.invoiceId) ?? 0n) + line.amountMinor);
  }
  return sums;
}

/**
 * The one place allocations are written. The caller has locked the receipt; this locks the invoices, re-reads
 * what is left under those locks and refuses anything that would over-apply the receipt or over-settle an invoice
 * on any date from `allocatedOn` on. The deferred trigger in the schema checks the totals again at commit.
 */
export async function applyAllocationsIn(
  tx: Tx,
  actor: Actor,
  receipt: LockedReceipt,
  lines: readonly PlannedLine[],
  allocatedOn: CalendarDate,
  today: CalendarDate,
): Promise<void> {
  assertAllocatable(receipt);
  if (allocatedOn < receipt.received_on) {
    throw dateIssue('allocatedOn', `Must be on or after the receipt date ${receipt.received_on}`);
  }
  if (allocatedOn > today) throw dateIssue('allocatedOn', 'An allocation cannot be dated in the future');
  await lockInvoicesOrThrow(tx, receipt, lines, allocatedOn);
  await checkPlanNodesOrThrow(tx, receipt, lines);
  const total = lines.reduce((sum, line) => sum + line.amountMinor, 0n);
  const receiptRoom = await receiptHeadroomFrom(tx, actor.tenantId, receipt.id, allocatedOn);
  if (total > receiptRoom) {
    throw conflict(
      `the split adds up to ${minorToDecimalString(total, receipt.currency)} but only ` +
        `${minorToDecimalString(receiptRoom, receipt.currency)} of the receipt is unapplied`,
    );
  }
  const perInvoice = sumPerInvoice(lines);
  const invoiceRoom = await invoiceHeadroomFrom(tx, actor.tenantId, [...perInvoice.keys()], allocatedOn);
  for (const [invoiceId, amountMinor] of perInvoice) {
    const room = invoiceRoom.get(invoiceId) ?? 0n;
    if (amountMinor > room) {
      throw conflict(
        `invoice ${invoiceId} is open for ${minorToDecimalString(room, receipt.currency)}, ` +
          `less than the ${minorToDecimalString(amountMinor, receipt.currency)} allocated to it`,
      );
    }
  }
  const rows = await tx
    .insertInto('allocations')
    .values(
      lines.map((line) => ({
        tenant_id: actor.tenantId,
        receipt_id: receipt.id,
        invoice_id: line.invoiceId,
        plan_node_id: line.planNodeId,
        amount_minor: line.amountMinor,
        currency: receipt.currency,
        allocated_on: allocatedOn,
        created_by_user_id: actor.userId,
      })),
    )
    .returningAll()
    .execute();
  for (const row of rows) {
    await recordAudit(tx, actor, {
      action: 'allocation.created',
      entityType: 'allocation',
      entityId: row.id,
      after: row,
    });
  }
}

export async function allocateReceipt(
  deps: AppDeps,
  actor: Actor,
  receiptId: string,
  input: { allocatedOn?: string | undefined; lines: AllocationLineInput[] },
  idempotencyKey: string,
): Promise<ReceiptDetail> {
  requireFinance(actor);
  const request = { receiptId, ...input };
  return ledgerWrite(deps, actor, idempotencyKey, 'receipt.allocate', request, async (tx) => {
    const receipt = await lockVisibleReceiptOrThrow(tx, actor, receiptId);
    const { today } = await organizationSettings(tx, actor.tenantId, deps.clock);
    const lines = plannedLinesOf(input.lines, receipt.currency, 'lines');
    await applyAllocationsIn(tx, actor, receipt, lines, (input.allocatedOn ?? today) as CalendarDate, today);
    return receiptDetailOrThrow(tx, actor, receiptId);
  });
}

/** Oldest due first over the customer's open invoices in the receipt's currency; the rest stays on account. */
export async function autoAllocateReceipt(
  deps: AppDeps,
  actor: Actor,
  receiptId: string,
  input: { allocatedOn?: string | undefined },
  idempotencyKey: string,
): Promise<ReceiptDetail> {
  requireFinance(actor);
  const request = { receiptId, ...input };
  return ledgerWrite(deps, actor, idempotencyKey, 'receipt.auto_allocate', request, async (tx) => {
    const receipt = await lockVisibleReceiptOrThrow(tx, actor, receiptId);
    const customerId = assertAllocatable(receipt);
    const { today } = await organizationSettings(tx, actor.tenantId, deps.clock);
    const allocatedOn = (input.allocatedOn ?? today) as CalendarDate;
    const candidates = await tx
      .selectFrom('invoices as i')
      .select(['i.id', 'i.due_date'])
      .where('i.tenant_id', '=', actor.tenantId)
      .where('i.customer_id', '=', customerId)
      .where('i.currency', '=', receipt.currency)
      .where('i.status', '=', 'issued')
      .where('i.invoice_date', '<=', allocatedOn)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('invoice_voids as v')
              .select('v.invoice_id')
              .whereRef('v.tenant_id', '=', 'i.tenant_id')
              .whereRef('v.invoice_id', '=', 'i.id'),
          ),
        ),
      )
      .orderBy('i.id')
      .forUpdate()
      .execute();
    const rooms = await invoiceHeadroomFrom(
      tx,
      actor.tenantId,
      candidates.map((row) => row.id),
      allocatedOn,
    );
    const available = await receiptHeadroomFrom(tx, actor.tenantId, receipt.id, allocatedOn);
    const plan = planOldestDueFirst(available > 0n ? available : 0n, [
      ...candidates.map((row) => ({
        id: row.id,
        dueDate: row.due_date as CalendarDate,
        openMinor: rooms.get(row.id) ?? 0n,
      })),
    ]);
    const lines = plan.lines.map((line, index) => ({
      invoiceId: line.id,
      planNodeId: null,
      amountMinor: line.amountMinor,
      path: `auto.${index}`,
    }));
    if (lines.length > 0) await applyAllocationsIn(tx, actor, receipt, lines, allocatedOn, today);
    return receiptDetailOrThrow(tx, actor, receiptId);
  });
}
