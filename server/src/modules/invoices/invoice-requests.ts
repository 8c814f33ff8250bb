import { amountMinorOrThrow } from '../../platform/money-input';
import { minorToDecimalString } from '@huikuan/core';
import type {
  InvoiceRequest,
  createInvoiceRequestRequestSchema,
  invoiceRequestListQuerySchema,
} from '@huikuan/core/contracts';
import { sql, type Selectable } from 'kysely';
import type { z } from 'zod';
import type { InvoiceRequestsTable, InvoicesTable } from '../../db/schema';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { AppError, notFound } from '../../platform/errors';
import { decodeCursor, pageFrom } from '../../platform/pagination';
import { recordScope, type Actor } from '../../platform/request-context';
import { visibleContractOrThrow } from '../contracts/contract-access';
import {
  assertCreditAllows,
  invoiceAddedExposureMinor,
  withCreditRefusalRecorded,
} from '../credit/credit-check';
import { customerScopeCondition, visibleCustomerOrThrow } from '../customers/customer-access';

/** 开票申请: sales asks finance to invoice; finance approves (or rejects), and the issued invoice closes it. */

function toView(row: Selectable<InvoiceRequestsTable>): InvoiceRequest {
  return {
    id: row.id,
    customerId: row.customer_id,
    contractId: row.contract_id,
    planNodeId: row.plan_node_id,
    amount: minorToDecimalString(row.amount_minor, row.currency),
    currency: row.currency,
    notes: row.notes,
    status: row.status as InvoiceRequest['status'],
    invoiceId: row.invoice_id,
    requestedByUserId: row.requested_by_user_id,
    decidedByUserId: row.decided_by_user_id,
    decidedAt: row.decided_at?.toISOString() ?? null,
    decisionComment: row.decision_comment,
    createdAt: row.created_at.toISOString(),
  };
}

async function visibleRequestOrThrow(tx: Tx, actor: Actor, requestId: string, forUpdate = false) {
  let query = tx
    .selectFrom('invoice_requests as r')
    .innerJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'r.tenant_id').onRef('c.id', '=', 'r.customer_id'),
    )
    .selectAll('r')
    .where('r.tenant_id', '=', actor.tenantId)
    .where('r.id', '=', requestId)
    .where(customerScopeCondition(recordScope(actor), 'c'));
  if (forUpdate) query = query.forUpdate('r');
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('invoice request');
  return row;
}

export type CreateInvoiceRequestInput = z.output<typeof createInvoiceRequestRequestSchema>;

export async function createInvoiceRequest(
  deps: AppDeps,
  actor: Actor,
  input: CreateInvoiceRequestInput,
): Promise<InvoiceRequest> {
  return withCreditRefusalRecorded(deps, actor, () => createInvoiceRequestChecked(deps, actor, input));
}

async function createInvoiceRequestChecked(
  deps: AppDeps,
  actor: Actor,
  input: CreateInvoiceRequestInput,
): Promise<InvoiceRequest> {
  if (!actor.userId) throw new AppError('forbidden');
  const requesterId = actor.userId;
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const customer = await visibleCustomerOrThrow(tx, actor, input.customerId);
    if (input.planNodeId && !input.contractId) {
      throw new AppError('validation_failed', {}, [
        { path: 'planNodeId', message: 'A plan node needs its contract' },
      ]);
    }
    const contract = input.contractId ? await visibleContractOrThrow(tx, actor, input.contractId) : null;
    if (contract && contract.customer_id !== customer.id) {
      throw new AppError('validation_failed', {}, [
        { path: 'contractId', message: 'The contract belongs to another customer' },
      ]);
    }
    if (input.planNodeId && contract) {
      const node = await tx
        .selectFrom('payment_plan_nodes')
        .select('id')
        .where('tenant_id', '=', actor.tenantId)
        .where('id', '=', input.planNodeId)
        .where('contract_id', '=', contract.id)
        .executeTakeFirst();
      if (!node) {
        throw new AppError('validation_failed', {}, [
          { path: 'planNodeId', message: 'No such plan node on this contract' },
        ]);
      }
    }
    const currency = contract?.currency ?? customer.currency;
    const amountMinor = amountMinorOrThrow(input.amount, currency, 'amount');
    await assertCreditAllows(deps, tx, actor, {
      customerId: customer.id,
      addedExposureMinor: await invoiceAddedExposureMinor(deps, tx, actor.tenantId, {
        totalMinor: amountMinor,
        contractId: contract?.id ?? null,
      }),
      currency,
      action: 'invoice_request.create',
    });
    const row = await tx
      .insertInto('invoice_requests')
      .values({
        tenant_id: actor.tenantId,
        customer_id: customer.id,
        contract_id: contract?.id ?? null,
        plan_node_id: input.planNodeId ?? null,
        amount_minor: amountMinor,
        currency,
        notes: input.notes ?? null,
        requested_by_user_id: requesterId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'invoice_request.created',
      entityType: 'invoice_request',
      entityId: row.id,
      after: row,
    });
    return toView(row);
  });
}

/** Finance (or an admin) decides, never the person who asked. */
export async function decideInvoiceRequest(
  deps: AppDeps,
  actor: Actor,
  requestId: string,
  input: { decision: 'approve' | 'reject'; comment?: string | undefined },
): Promise<InvoiceRequest> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await visibleRequestOrThrow(tx, actor, requestId, true);
    if (actor.role !== 'finance' && actor.role !== 'admin') throw new AppError('forbidden');
    if (before.requested_by_user_id === actor.userId) throw new AppError('forbidden');
    if (before.status !== 'pending') {
      throw new AppError('conflict', { detail: `the invoice request is already ${before.status}` });
    }
    const after = await tx
      .updateTable('invoice_requests')
      .set({
        status: input.decision === 'approve' ? 'approved' : 'rejected',
        decided_by_user_id: actor.userId,
        decided_at: deps.clock.now(),
        decision_comment: input.comment ?? null,
      })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', requestId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: input.decision === 'approve' ? 'invoice_request.approved' : 'invoice_request.rejected',
      entityType: 'invoice_request',
      entityId: requestId,
      before,
      after,
    });
    return toView(after);
  });
}

export async function getInvoiceRequest(
  deps: AppDeps,
  actor: Actor,
  requestId: string,
): Promise<InvoiceRequest> {
  return toView(await deps.db.tenant(actor.tenantId, (tx) => visibleRequestOrThrow(tx, actor, requestId)));
}

export type InvoiceRequestListQuery = z.output<typeof invoiceRequestListQuerySchema>;

/** Requests about customers in the actor's scope, newest first. */
export async function listInvoiceRequests(deps: AppDeps, actor: Actor, query: InvoiceRequestListQuery) {
  const after = decodeCursor(query.cursor, 2);
  const rows = await deps.db.tenant(actor.tenantId, (tx) => {
    let select = tx
      .selectFrom('invoice_requests as r')
      .innerJoin('customers as c', (join) =>
        join.onRef('c.tenant_id', '=', 'r.tenant_id').onRef('c.id', '=', 'r.customer_id'),
      )
      .selectAll('r')
      // The cursor carries created_at at full (microsecond) precision; a JS Date would cut it to milliseconds.
      .select(sql<string>`r.created_at::text`.as('created_at_text'))
      .where('r.tenant_id', '=', actor.tenantId)
      .where(customerScopeCondition(recordScope(actor), 'c'));
    if (query.status) select = select.where('r.status', '=', query.status);
    if (query.customerId) select = select.where('r.customer_id', '=', query.customerId);
    if (after) {
      const [createdAt = '', id = ''] = after;
      select = select.where(sql<boolean>`(r.created_at, r.id) < (${createdAt}::timestamptz, ${id}::uuid)`);
    }
    return select
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(query.limit + 1)
      .execute();
  });
  const page = pageFrom(rows, query.limit, (row) => [row.created_at_text, row.id]);
  return { items: page.items.map((row) => toView(row)), nextCursor: page.nextCursor };
}

/** Ties an approved request to the draft that fulfils it; one request, one invoice. */
export async function linkInvoiceRequestIn(
  tx: Tx,
  actor: Actor,
  requestId: string,
  invoice: Pick<Selectable<InvoicesTable>, 'id' | 'customer_id'>,
): Promise<void> {
  const request = await visibleRequestOrThrow(tx, actor, requestId, true);
  if (request.customer_id !== invoice.customer_id) {
    throw new AppError('validation_failed', {}, [
      { path: 'invoiceRequestId', message: 'The invoice request is for another customer' },
    ]);
  }
  if (request.invoice_id === invoice.id) return;
  if (request.status !== 'approved' || request.invoice_id !== null) {
    throw new AppError('conflict', {
      detail:
        request.status === 'approved'
          ? 'the invoice request is already being invoiced by another invoice'
          : `the invoice request is ${request.status}, not approved`,
    });
  }
  await tx
    .updateTable('invoice_requests')
    .set({ invoice_id: invoice.id })
    .where('tenant_id', '=', actor.tenantId)
    .where('id', '=', requestId)
    .execute();
  await recordAudit(tx, actor, {
    action: 'invoice_request.linked',
    entityType: 'invoice_request',
    entityId: requestId,
    before: request,
    after: { ...request, invoice_id: invoice.id },
  });
}

export async function unlinkInvoiceRequestsIn(tx: Tx, actor: Actor, invoiceId: string): Promise<void> {
  await tx
    .updateTable('invoice_requests')
    .set({ invoice_id: null })
    .where('tenant_id', '=', actor.tenantId)
    .where('invoice_id', '=', invoiceId)
    .where('status', '=', 'approved')
    .execute();
}

/** Issuing the invoice fulfils the requests linked to it. */
export async function markInvoiceRequestsIssuedIn(tx: Tx, actor: Actor, invoiceId: string): Promise<void> {
  const rows = await tx
    .updateTable('invoice_requests')
    .set({ status: 'issued' })
    .where('tenant_id', '=', actor.tenantId)
    .where('invoice_id', '=', invoiceId)
    .where('status', '=', 'approved')
    .returningAll()
    .execute();
  for (const row of rows) {
    await recordAudit(tx, actor, {
      action: 'invoice_request.issued',
      entityType: 'invoice_request',
      entityId: row.id,
      after: row,
    });
  }
}
