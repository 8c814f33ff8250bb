import type { CalendarDate } from '@huikuan/core';
import type { InvoiceDetail, updateInvoiceRequestSchema } from '@huikuan/core/contracts';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import { isUniqueViolation } from '../../platform/db-errors';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { visibleCustomerOrThrow } from '../customers/customer-access';
import { insertLines, invoiceDetailNow, numberTaken } from './create-invoice';
import { visibleInvoiceOrThrow, type InvoiceWithCustomer } from './invoice-access';
import { invoiceLineRows, resolveInvoiceContext, totalsOfRows } from './invoice-content';
import { unlinkInvoiceRequestsIn } from './invoice-requests';

export type UpdateInvoiceInput = z.output<typeof updateInvoiceRequestSchema>;

/** The API's answer to any change of a posted invoice; the database trigger refuses it as well. */
export function postedInvoiceConflict(invoice: { number: string }): AppError {
  return new AppError('conflict', {
    detail: `invoice ${invoice.number} is issued and cannot be changed; void it or issue a credit note`,
  });
}

async function lockDraftOrThrow(tx: Tx, actor: Actor, invoiceId: string): Promise<InvoiceWithCustomer> {
  const invoice = await visibleInvoiceOrThrow(tx, actor, invoiceId, { forUpdate: true });
  if (invoice.status !== 'draft') throw postedInvoiceConflict(invoice);
  return invoice;
}

async function currentLineRows(tx: Tx, tenantId: string, invoiceId: string) {
  const rows = await tx
    .selectFrom('invoice_lines')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('invoice_id', '=', invoiceId)
    .orderBy('line_no')
    .execute();
  return rows.map(({ tenant_id: _tenant, invoice_id: _invoice, ...line }) => line);
}

/**
 * The draft's content after the edit: where it belongs, when it is due, and its lines (the given ones, or the
 * stored ones when neither lines nor an amount are given and the currency stays).
 */
async function revisedContent(tx: Tx, actor: Actor, before: InvoiceWithCustomer, input: UpdateInvoiceInput) {
  const customer = await visibleCustomerOrThrow(tx, actor, before.customer_id);
  const number = input.number ?? before.number;
  const context = await resolveInvoiceContext(tx, actor, {
    customer,
    contractId: input.contractId === undefined ? before.contract_id : input.contractId,
    // A new contract drops the old contract's node unless a node is given with it.
    planNodeId:
      input.planNodeId !== undefined
        ? input.planNodeId
        : input.contractId === undefined
          ? before.plan_node_id
          : null,
    number,
    invoiceDate: input.invoiceDate ?? (before.invoice_date as CalendarDate),
    // A changed date or contract recomputes the due date from the terms unless one is given.
    dueDate:
      input.dueDate ??
      (input.invoiceDate === undefined && input.contractId === undefined
        ? (before.due_date as CalendarDate)
        : undefined),
  });
  const hasNewLines = input.lines !== undefined || input.amount !== undefined;
  if (!hasNewLines && context.currency !== before.currency) {
    throw new AppError('validation_failed', {}, [
      { path: 'lines', message: `The currency becomes ${context.currency}; give the lines again in it` },
    ]);
  }
  const lineRows = hasNewLines
    ? invoiceLineRows({ ...input, number }, context.currency)
    : await currentLineRows(tx, actor.tenantId, before.id);
  return { context, lineRows, hasNewLines, number };
}

/** Edits a draft; given lines (or an amount) replace the old ones, and the totals are computed again. */
export async function updateInvoice(
  deps: AppDeps,
  actor: Actor,
  invoiceId: string,
  input: UpdateInvoiceInput,
): Promise<InvoiceDetail> {
  try {
    return await deps.db.tenant(actor.tenantId, async (tx) => {
      const before = await lockDraftOrThrow(tx, actor, invoiceId);
      const { context, lineRows, hasNewLines, number } = await revisedContent(tx, actor, before, input);
      const totals = totalsOfRows(lineRows);
      if (hasNewLines) {
        await tx
          .deleteFrom('invoice_lines')
          .where('tenant_id', '=', actor.tenantId)
          .where('invoice_id', '=', invoiceId)
          .execute();
        await insertLines(tx, actor.tenantId, invoiceId, lineRows);
      }
      const after = await tx
        .updateTable('invoices')
        .set({
          contract_id: context.contractId,
          plan_node_id: context.planNodeId,
          number,
          invoice_date: context.invoiceDate,
          due_date: context.dueDate,
          currency: context.currency,
          subtotal_minor: totals.subtotalMinor,
          tax_minor: totals.taxMinor,
          total_minor: totals.totalMinor,
          ...(input.notes !== undefined ? { notes: input.notes } : {}),
          updated_at: deps.clock.now(),
        })
        .where('tenant_id', '=', actor.tenantId)
        .where('id', '=', invoiceId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, actor, {
        action: 'invoice.updated',
        entityType: 'invoice',
        entityId: invoiceId,
        before,
        after: { ...after, lines: lineRows },
      });
      return invoiceDetailNow(deps, tx, actor, invoiceId);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw numberTaken(input.number ?? '');
    throw error;
  }
}

/** Only a draft can be deleted; an issued invoice is corrected by a void or a credit note. */
export async function deleteDraftInvoice(deps: AppDeps, actor: Actor, invoiceId: string): Promise<void> {
  await deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await lockDraftOrThrow(tx, actor, invoiceId);
    const lines = await currentLineRows(tx, actor.tenantId, invoiceId);
    await unlinkInvoiceRequestsIn(tx, actor, invoiceId);
    await tx
      .deleteFrom('invoice_lines')
      .where('tenant_id', '=', actor.tenantId)
      .where('invoice_id', '=', invoiceId)
      .execute();
    await tx
      .deleteFrom('invoices')
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', invoiceId)
      .execute();
    await recordAudit(tx, actor, {
      action: 'invoice.deleted',
      entityType: 'invoice',
      entityId: invoiceId,
      before: { ...before, lines },
    });
  });
}
