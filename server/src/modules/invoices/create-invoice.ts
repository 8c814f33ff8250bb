import type { InvoiceDetail, createInvoiceRequestSchema } from '@huikuan/core/contracts';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import { isUniqueViolation } from '../../platform/db-errors';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { organizationToday } from '../contracts/ledger-input';
import {
  assertCreditAllows,
  invoiceAddedExposureMinor,
  withCreditRefusalRecorded,
} from '../credit/credit-check';
import { visibleCustomerOrThrow } from '../customers/customer-access';
import { visibleInvoiceOrThrow } from './invoice-access';
import { invoiceLineRows, resolveInvoiceContext, totalsOfRows, type LineRow } from './invoice-content';
import { invoiceDetail } from './invoice-views';
import { linkInvoiceRequestIn } from './invoice-requests';

export type CreateInvoiceInput = z.output<typeof createInvoiceRequestSchema>;

export function numberTaken(number: string): AppError {
  return new AppError('conflict', { detail: `invoice number "${number}" is already used` });
}

export async function insertLines(tx: Tx, tenantId: string, invoiceId: string, rows: readonly LineRow[]) {
  return tx
    .insertInto('invoice_lines')
    .values(rows.map((row) => ({ ...row, tenant_id: tenantId, invoice_id: invoiceId })))
    .returningAll()
    .execute();
}

export async function invoiceDetailNow(deps: AppDeps, tx: Tx, actor: Actor, invoiceId: string) {
  const row = await visibleInvoiceOrThrow(tx, actor, invoiceId);
  return invoiceDetail(tx, actor.tenantId, row, await organizationToday(tx, actor.tenantId, deps.clock));
}

/** A draft invoice: nothing is owed until it is issued, so it can still change or go. */
export async function createInvoice(
  deps: AppDeps,
  actor: Actor,
  input: CreateInvoiceInput,
): Promise<InvoiceDetail> {
  return withCreditRefusalRecorded(deps, actor, () => createInvoiceChecked(deps, actor, input));
}

async function createInvoiceChecked(
  deps: AppDeps,
  actor: Actor,
  input: CreateInvoiceInput,
): Promise<InvoiceDetail> {
  try {
    return await deps.db.tenant(actor.tenantId, async (tx) => {
      const customer = await visibleCustomerOrThrow(tx, actor, input.customerId);
      const context = await resolveInvoiceContext(tx, actor, {
        ...input,
        customer,
        contractId: input.contractId ?? null,
        planNodeId: input.planNodeId ?? null,
      });
      const lineRows = invoiceLineRows(input, context.currency);
      const totals = totalsOfRows(lineRows);
      // A customer on credit hold gets no new invoice (credit notes excepted); a draft is checked for what it
      // would add once issued, and issuing checks again.
      await assertCreditAllows(deps, tx, actor, {
        customerId: customer.id,
        addedExposureMinor: await invoiceAddedExposureMinor(deps, tx, actor.tenantId, {
          totalMinor: totals.totalMinor,
          contractId: context.contractId,
        }),
        currency: context.currency,
        action: 'invoice.create',
      });
      const invoice = await tx
        .insertInto('invoices')
        .values({
          tenant_id: actor.tenantId,
          customer_id: customer.id,
          contract_id: context.contractId,
          plan_node_id: context.planNodeId,
          number: input.number,
          invoice_date: context.invoiceDate,
          due_date: context.dueDate,
          currency: context.currency,
          subtotal_minor: totals.subtotalMinor,
          tax_minor: totals.taxMinor,
          total_minor: totals.totalMinor,
          notes: input.notes ?? null,
          created_by_user_id: actor.userId,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const lines = await insertLines(tx, actor.tenantId, invoice.id, lineRows);
      if (input.invoiceRequestId) await linkInvoiceRequestIn(tx, actor, input.invoiceRequestId, invoice);
      await recordAudit(tx, actor, {
        action: 'invoice.created',
        entityType: 'invoice',
        entityId: invoice.id,
        after: { ...invoice, lines },
      });
      return invoiceDetailNow(deps, tx, actor, invoice.id);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw numberTaken(input.number);
    throw error;
  }
}
