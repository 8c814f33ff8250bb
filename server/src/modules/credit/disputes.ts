import { calendarDateOrThrow, minorToDecimalString, type CalendarDate } from '@huikuan/core';
import type {
  Dispute,
  DisputeListQuery,
  ResolveDisputeRequest,
  createDisputeRequestSchema,
} from '@huikuan/core/contracts';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import type { DisputesTable } from '../../db/schema';
import { recordAudit } from '../../platform/audit';
import { todayIn } from '../../platform/clock';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { AppError, notFound } from '../../platform/errors';
import { amountMinorOrThrow } from '../../platform/money-input';
import { decodeCursor, pageFrom } from '../../platform/pagination';
import { recordScope, type Actor } from '../../platform/request-context';
import { assertUsersOfOrganization } from '../contracts/ledger-input';
import { customerScopeCondition, visibleCustomerOrThrow } from '../customers/customer-access';
import { evaluateAndRecordOne } from './customer-credit';
import { loadCreditContext } from './credit-settings';

/**
 * 争议 (minimal; the collection issue extends it): a customer disputes an amount, usually of one invoice. Open
 * disputes above the organization's threshold put the customer on credit hold; resolving or withdrawing releases
 * that cause, recorded in the same transaction.
 */

type DisputeRow = Selectable<DisputesTable> & { invoice_number: string | null };

function toView(row: DisputeRow): Dispute {
  const currency = row.currency.trim();
  return {
    id: row.id,
    customerId: row.customer_id,
    invoiceId: row.invoice_id,
    invoiceNumber: row.invoice_number,
    amount: minorToDecimalString(row.amount_minor, currency),
    currency,
    reasonCode: row.reason_code as Dispute['reasonCode'],
    description: row.description,
    ownerUserId: row.owner_user_id,
    status: row.status as Dispute['status'],
    openedOn: row.opened_on as CalendarDate,
    resolvedOn: row.resolved_on as CalendarDate | null,
    resolutionNote: row.resolution_note,
    createdByUserId: row.created_by_user_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function visibleDisputes(tx: Tx, actor: Actor) {
  return tx
    .selectFrom('disputes as d')
    .innerJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'd.tenant_id').onRef('c.id', '=', 'd.customer_id'),
    )
    .leftJoin('invoices as i', (join) =>
      join.onRef('i.tenant_id', '=', 'd.tenant_id').onRef('i.id', '=', 'd.invoice_id'),
    )
    .selectAll('d')
    .select('i.number as invoice_number')
    .where('d.tenant_id', '=', actor.tenantId)
    .where(customerScopeCondition(recordScope(actor), 'c'));
}

async function disputeViewIn(tx: Tx, actor: Actor, disputeId: string): Promise<Dispute> {
  const row = await visibleDisputes(tx, actor).where('d.id', '=', disputeId).executeTakeFirst();
  if (!row) throw notFound('dispute');
  return toView(row);
}

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', {}, [{ path, message }]);
}

async function disputedInvoiceOrThrow(tx: Tx, actor: Actor, customerId: string, invoiceId: string) {
  const invoice = await tx
    .selectFrom('invoices')
    .select(['id', 'customer_id', 'currency', 'total_minor', 'status'])
    .where('tenant_id', '=', actor.tenantId)
    .where('id', '=', invoiceId)
    .executeTakeFirst();
  if (!invoice || invoice.customer_id !== customerId) {
    throw invalid('invoiceId', 'No such invoice of this customer');
  }
  if (invoice.status !== 'issued') throw invalid('invoiceId', 'Only an issued invoice can be disputed');
  return invoice;
}

export type CreateDisputeInput = z.output<typeof createDisputeRequestSchema>;

export async function raiseDispute(deps: AppDeps, actor: Actor, input: CreateDisputeInput): Promise<Dispute> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const customer = await visibleCustomerOrThrow(tx, actor, input.customerId);
    const invoice = input.invoiceId
      ? await disputedInvoiceOrThrow(tx, actor, customer.id, input.invoiceId)
      : null;
    const currency = (invoice?.currency ?? customer.currency).trim();
    const amountMinor = amountMinorOrThrow(input.amount, currency, 'amount');
    if (invoice && amountMinor > invoice.total_minor) {
      throw invalid('amount', 'The disputed amount is more than the invoice total');
    }
    const ownerUserId = input.ownerUserId === undefined ? actor.userId : input.ownerUserId;
    await assertUsersOfOrganization(tx, actor.tenantId, [{ path: 'ownerUserId', userId: ownerUserId }]);
    const context = await loadCreditContext(tx, actor.tenantId);
    const today = todayIn(deps.clock, context.timezone);
    const openedOn = input.openedOn === undefined ? today : calendarDateOrThrow(input.openedOn);
    if (openedOn > today) throw invalid('openedOn', 'A dispute cannot be opened in the future');
    const row = await tx
      .insertInto('disputes')
      .values({
        tenant_id: actor.tenantId,
        customer_id: customer.id,
        invoice_id: invoice?.id ?? null,
        amount_minor: amountMinor,
        currency,
        reason_code: input.reasonCode,
        description: input.description ?? null,
        owner_user_id: ownerUserId,
        opened_on: openedOn,
        created_by_user_id: actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'dispute.raised',
      entityType: 'dispute',
      entityId: row.id,
      after: row,
    });
    await evaluateAndRecordOne(deps, tx, actor, customer.id, 'write');
    return disputeViewIn(tx, actor, row.id);
  });
}

export async function resolveDispute(
  deps: AppDeps,
  actor: Actor,
  disputeId: string,
  input: ResolveDisputeRequest,
): Promise<Dispute> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    await disputeViewIn(tx, actor, disputeId);
    const before = await tx
      .selectFrom('disputes')
      .selectAll()
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', disputeId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (before.status !== 'open') {
      throw new AppError('conflict', { detail: `the dispute is already ${before.status}` });
    }
    const context = await loadCreditContext(tx, actor.tenantId);
    const today = todayIn(deps.clock, context.timezone);
    const resolvedOn = input.resolvedOn === undefined ? today : calendarDateOrThrow(input.resolvedOn);
    if (resolvedOn > today) throw invalid('resolvedOn', 'A dispute cannot be resolved in the future');
    if (resolvedOn < before.opened_on) throw invalid('resolvedOn', 'Before the dispute was opened');
    const after = await tx
      .updateTable('disputes')
      .set({
        status: input.outcome,
        resolved_on: resolvedOn,
        resolution_note: input.note ?? null,
        updated_at: deps.clock.now(),
      })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', disputeId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: input.outcome === 'withdrawn' ? 'dispute.withdrawn' : 'dispute.resolved',
      entityType: 'dispute',
      entityId: disputeId,
      before,
      after,
    });
    await evaluateAndRecordOne(deps, tx, actor, before.customer_id, 'write');
    return disputeViewIn(tx, actor, disputeId);
  });
}

/** Disputes of customers in scope, newest first (opened on, then id). */
export async function listDisputes(deps: AppDeps, actor: Actor, query: DisputeListQuery) {
  const after = decodeCursor(query.cursor, 2);
  const rows = await deps.db.tenant(actor.tenantId, (tx) => {
    let select = visibleDisputes(tx, actor);
    if (query.customerId) select = select.where('d.customer_id', '=', query.customerId);
    if (query.status) select = select.where('d.status', '=', query.status);
    if (after) {
      const [openedOn = '', id = ''] = after;
      select = select.where((eb) =>
        eb.or([
          eb('d.opened_on', '<', openedOn),
          eb.and([eb('d.opened_on', '=', openedOn), eb('d.id', '<', id)]),
        ]),
      );
    }
    return select
      .orderBy('d.opened_on', 'desc')
      .orderBy('d.id', 'desc')
      .limit(query.limit + 1)
      .execute();
  });
  const page = pageFrom(rows, query.limit, (row) => [row.opened_on, row.id]);
  return { items: page.items.map(toView), nextCursor: page.nextCursor };
}
