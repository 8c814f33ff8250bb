import { calendarDateOrThrow, minorToDecimalString, type CalendarDate } from '@huikuan/core';
import type {
  Dispute,
  DisputeDetail,
  createDisputeRequestSchema,
  resolveDisputeV2RequestSchema,
} from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { notFound } from '../../platform/errors';
import { amountMinorOrThrow } from '../../platform/money-input';
import { recordScope, type Actor } from '../../platform/request-context';
import { createApprovalRequestIn } from '../approvals/approvals';
import { assertUsersOfOrganization } from '../contracts/ledger-input';
import { evaluateAndRecordOne } from '../credit/customer-credit';
import { customerScopeCondition, visibleCustomerOrThrow } from '../customers/customer-access';
import { assertReducibleBy } from '../invoices/invoice-balance';
import { visibleInvoiceOrThrow } from '../invoices/invoice-access';
import { refreshCases } from './case-refresh';
import { conflict, invalid, today, userNames } from './support';

/**
 * 争议 (disputes v2): a customer disputes (part of) an invoice, or an amount of the account. An open dispute pauses
 * the chasing of its disputed part (the dunning pause source) and, above the organization's threshold, holds the
 * customer's credit. It has an owner who can be reassigned; it ends
 *   - valid (争议成立): a credit note of the disputed amount (or less) goes through the approval flow (kind
 *     credit_note) and is linked; chasing of that part stays paused until the credit note is decided;
 *   - invalid (争议不成立): chasing resumes;
 *   - withdrawn by the customer.
 * Every step is an event (dispute_events) and an audit entry; the credit hold and the case are re-evaluated in the
 * same transaction. `status = 'open'` keeps its meaning for the credit and aging modules that read it.
 */

type DisputeRow = {
  id: string;
  tenant_id: string;
  customer_id: string;
  invoice_id: string | null;
  amount_minor: bigint;
  currency: string;
  reason_code: string;
  description: string | null;
  owner_user_id: string | null;
  status: string;
  opened_on: string;
  resolved_on: string | null;
  resolution_note: string | null;
  created_by_user_id: string | null;
  created_at: Date;
  updated_at: Date;
  credit_note_id: string | null;
  approval_request_id: string | null;
  invoice_number: string | null;
  customer_name: string;
  credit_note_number: string | null;
  credit_note_status: string | null;
};

export function toDisputeView(
  row: Omit<
    DisputeRow,
    | 'customer_name'
    | 'credit_note_number'
    | 'credit_note_status'
    | 'credit_note_id'
    | 'approval_request_id'
    | 'tenant_id'
  >,
): Dispute {
  const currency = row.currency.trim();
  return {
    id: row.id,
    customerId: row.customer_id,
    invoiceId: row.invoice_id,
    invoiceNumber: row.invoice_number,
    amount: minorToDecimalString(BigInt(row.amount_minor), currency),
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

function disputeQuery(tx: Tx, tenantId: string) {
  return tx
    .selectFrom('disputes as d')
    .innerJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'd.tenant_id').onRef('c.id', '=', 'd.customer_id'),
    )
    .leftJoin('invoices as i', (join) =>
      join.onRef('i.tenant_id', '=', 'd.tenant_id').onRef('i.id', '=', 'd.invoice_id'),
    )
    .leftJoin('credit_notes as cn', (join) =>
      join.onRef('cn.tenant_id', '=', 'd.tenant_id').onRef('cn.id', '=', 'd.credit_note_id'),
    )
    .selectAll('d')
    .select([
      'i.number as invoice_number',
      'c.name as customer_name',
      'cn.number as credit_note_number',
      'cn.status as credit_note_status',
    ])
    .where('d.tenant_id', '=', tenantId);
}

/** Disputes with owner names, credit notes and events; by customer or ids, in a fixed number of queries. */
export async function disputeDetails(
  tx: Tx,
  tenantId: string,
  filter: { customerId?: string; disputeIds?: readonly string[]; openOnly?: boolean },
): Promise<DisputeDetail[]> {
  let query = disputeQuery(tx, tenantId);
  if (filter.customerId) query = query.where('d.customer_id', '=', filter.customerId);
  if (filter.disputeIds) {
    if (filter.disputeIds.length === 0) return [];
    query = query.where('d.id', 'in', [...filter.disputeIds]);
  }
  if (filter.openOnly) query = query.where('d.status', '=', 'open');
  const rows = (await query.orderBy('d.opened_on', 'desc').orderBy('d.id', 'desc').execute()) as DisputeRow[];
  if (rows.length === 0) return [];
  const events = await tx
    .selectFrom('dispute_events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(
      'dispute_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('seq')
    .execute();
  const names = await userNames(tx, tenantId, [
    ...rows.map((row) => row.owner_user_id),
    ...events.map((event) => event.actor_user_id),
  ]);
  return rows.map((row) => ({
    ...toDisputeView(row),
    customerName: row.customer_name,
    ownerName: row.owner_user_id ? (names.get(row.owner_user_id) ?? null) : null,
    creditNoteId: row.credit_note_id,
    creditNoteNumber: row.credit_note_number,
    creditNoteStatus: row.credit_note_status as DisputeDetail['creditNoteStatus'],
    approvalRequestId: row.approval_request_id,
    pausesChasing:
      row.invoice_id !== null &&
      (row.status === 'open' ||
        (row.status === 'resolved_valid' && row.credit_note_status === 'pending_approval')),
    events: events
      .filter((event) => event.dispute_id === row.id)
      .map((event) => ({
        event: event.event as DisputeDetail['events'][number]['event'],
        ownerUserId: event.owner_user_id,
        note: event.note,
        actorUserId: event.actor_user_id,
        actorName: event.actor_user_id ? (names.get(event.actor_user_id) ?? null) : null,
        occurredAt: event.occurred_at.toISOString(),
      })),
  }));
}

/** A dispute of a customer in scope, locked; out of scope answers 404 like absent. */
async function lockVisibleDispute(tx: Tx, actor: Actor, disputeId: string) {
  const visible = await tx
    .selectFrom('disputes as d')
    .innerJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'd.tenant_id').onRef('c.id', '=', 'd.customer_id'),
    )
    .select('d.id')
    .where('d.tenant_id', '=', actor.tenantId)
    .where('d.id', '=', disputeId)
    .where(customerScopeCondition(recordScope(actor), 'c'))
    .executeTakeFirst();
  if (!visible) throw notFound('dispute');
  return tx
    .selectFrom('disputes')
    .selectAll()
    .where('tenant_id', '=', actor.tenantId)
    .where('id', '=', disputeId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

async function recordEvent(
  tx: Tx,
  actor: Actor,
  disputeId: string,
  event: DisputeDetail['events'][number]['event'],
  ownerUserId: string | null,
  note: string | null,
) {
  await tx
    .insertInto('dispute_events')
    .values({
      tenant_id: actor.tenantId,
      dispute_id: disputeId,
      event,
      owner_user_id: ownerUserId,
      note,
      actor_user_id: actor.userId,
    })
    .execute();
}

async function afterChange(deps: AppDeps, tx: Tx, actor: Actor, customerId: string, todayDate: CalendarDate) {
  await evaluateAndRecordOne(deps, tx, actor, customerId, 'write');
  await refreshCases(tx, actor, todayDate, [customerId]);
}

export async function getDisputeDetail(
  deps: AppDeps,
  actor: Actor,
  disputeId: string,
): Promise<DisputeDetail> {
  return deps.db.tenant(actor.tenantId, (tx) => disputeDetailIn(tx, actor, disputeId));
}

async function disputeDetailIn(tx: Tx, actor: Actor, disputeId: string): Promise<DisputeDetail> {
  const visible = await tx
    .selectFrom('disputes as d')
    .innerJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'd.tenant_id').onRef('c.id', '=', 'd.customer_id'),
    )
    .select('d.id')
    .where('d.tenant_id', '=', actor.tenantId)
    .where('d.id', '=', disputeId)
    .where(customerScopeCondition(recordScope(actor), 'c'))
    .executeTakeFirst();
  if (!visible) throw notFound('dispute');
  const [detail] = await disputeDetails(tx, actor.tenantId, { disputeIds: [disputeId] });
  if (!detail) throw notFound('dispute');
  return detail;
}

export type RaiseDisputeInput = z.output<typeof createDisputeRequestSchema> & {
  activityId?: string | undefined;
};

async function disputedInvoiceOrThrow(tx: Tx, actor: Actor, customerId: string, invoiceId: string) {
  const invoice = await tx
    .selectFrom('invoices')
    .select(['id', 'customer_id', 'currency', 'total_minor', 'status'])
    .where('tenant_id', '=', actor.tenantId)
    .where('id', '=', invoiceId)
    .executeTakeFirst();
  if (!invoice || invoice.customer_id !== customerId)
    throw invalid('invoiceId', 'No such invoice of this customer');
  if (invoice.status !== 'issued') throw invalid('invoiceId', 'Only an issued invoice can be disputed');
  return invoice;
}

export async function raiseDisputeV2(
  deps: AppDeps,
  actor: Actor,
  input: RaiseDisputeInput,
): Promise<DisputeDetail> {
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
    const todayDate = await today(tx, actor.tenantId, deps.clock);
    const openedOn = input.openedOn === undefined ? todayDate : calendarDateOrThrow(input.openedOn);
    if (openedOn > todayDate) throw invalid('openedOn', 'A dispute cannot be opened in the future');
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
        activity_id: input.activityId ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordEvent(tx, actor, row.id, 'opened', ownerUserId, input.description ?? null);
    await recordAudit(tx, actor, {
      action: 'dispute.raised',
      entityType: 'dispute',
      entityId: row.id,
      after: row,
    });
    await afterChange(deps, tx, actor, customer.id, todayDate);
    return disputeDetailIn(tx, actor, row.id);
  });
}

/** 指定负责人: hands the dispute to someone else (audited, an event). */
export async function assignDispute(
  deps: AppDeps,
  actor: Actor,
  disputeId: string,
  input: { ownerUserId: string; note?: string | undefined },
): Promise<DisputeDetail> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await lockVisibleDispute(tx, actor, disputeId);
    if (before.status !== 'open') throw conflict(`the dispute is already ${before.status}`);
    await assertUsersOfOrganization(tx, actor.tenantId, [{ path: 'ownerUserId', userId: input.ownerUserId }]);
    const after = await tx
      .updateTable('disputes')
      .set({ owner_user_id: input.ownerUserId, updated_at: deps.clock.now() })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', disputeId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordEvent(tx, actor, disputeId, 'assigned', input.ownerUserId, input.note ?? null);
    await recordAudit(tx, actor, {
      action: 'dispute.assigned',
      entityType: 'dispute',
      entityId: disputeId,
      before,
      after,
    });
    return disputeDetailIn(tx, actor, disputeId);
  });
}

export type ResolveDisputeInput = z.output<typeof resolveDisputeV2RequestSchema>;

function resolvedOnOrThrow(
  input: { resolvedOn?: string | undefined },
  openedOn: string,
  todayDate: CalendarDate,
) {
  const resolvedOn = input.resolvedOn === undefined ? todayDate : calendarDateOrThrow(input.resolvedOn);
  if (resolvedOn > todayDate) throw invalid('resolvedOn', 'A dispute cannot be resolved in the future');
  if (resolvedOn < openedOn) throw invalid('resolvedOn', 'Before the dispute was opened');
  return resolvedOn;
}

const REASON_LABELS: Record<string, string> = {
  quality: '质量',
  quantity: '数量',
  price: '价格',
  delivery: '交货',
  contract_terms: '合同条款',
  duplicate_billing: '重复开票',
  other: '其他',
};

/** The credit note of a valid dispute, pending approval (kind credit_note) whatever its size. Returns its ids. */
async function requestCreditNote(
  tx: Tx,
  actor: Actor,
  dispute: { id: string; invoice_id: string; reason_code: string; description: string | null },
  amountMinor: bigint,
  number: string | undefined,
  issuedOn: CalendarDate,
) {
  const invoice = await visibleInvoiceOrThrow(tx, actor, dispute.invoice_id, { forUpdate: true });
  await assertReducibleBy(tx, invoice, amountMinor);
  const creditNoteNumber = number ?? `DSP-${invoice.number}-${dispute.id.slice(0, 8)}`;
  const reason =
    `争议成立（${REASON_LABELS[dispute.reason_code] ?? dispute.reason_code}）${dispute.description ? `：${dispute.description}` : ''}`.slice(
      0,
      500,
    );
  const taken = await tx
    .selectFrom('credit_notes')
    .select('id')
    .where('tenant_id', '=', actor.tenantId)
    .where('number', '=', creditNoteNumber)
    .executeTakeFirst();
  if (taken) throw conflict(`credit note number "${creditNoteNumber}" is already used`);
  const note = await tx
    .insertInto('credit_notes')
    .values({
      tenant_id: actor.tenantId,
      invoice_id: invoice.id,
      number: creditNoteNumber,
      amount_minor: amountMinor,
      currency: invoice.currency,
      issued_on: issuedOn < invoice.invoice_date ? invoice.invoice_date : issuedOn,
      reason,
      status: 'pending_approval',
      created_by_user_id: actor.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const approval = await createApprovalRequestIn(tx, actor, {
    kind: 'credit_note',
    subjectType: 'credit_note',
    subjectId: note.id,
    customerId: invoice.customer_id,
    amountMinor,
    currency: invoice.currency,
    payload: {
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      creditNoteNumber,
      disputeId: dispute.id,
    },
    reason,
  });
  const stored = await tx
    .updateTable('credit_notes')
    .set({ approval_request_id: approval.id })
    .where('tenant_id', '=', actor.tenantId)
    .where('id', '=', note.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(tx, actor, {
    action: 'credit_note.requested',
    entityType: 'credit_note',
    entityId: note.id,
    after: stored,
  });
  return { creditNoteId: note.id, approvalRequestId: approval.id };
}

/** Ends an open dispute: valid (with its credit note for approval), invalid, or withdrawn. */
export async function closeDispute(
  deps: AppDeps,
  actor: Actor,
  disputeId: string,
  input: {
    outcome: 'valid' | 'invalid' | 'withdrawn';
    creditAmount?: string | undefined;
    creditNoteNumber?: string | undefined;
    note?: string | undefined;
    resolvedOn?: string | undefined;
  },
): Promise<DisputeDetail> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await lockVisibleDispute(tx, actor, disputeId);
    if (before.status !== 'open') throw conflict(`the dispute is already ${before.status}`);
    const todayDate = await today(tx, actor.tenantId, deps.clock);
    const resolvedOn = resolvedOnOrThrow(input, before.opened_on, todayDate);
    const status =
      input.outcome === 'withdrawn'
        ? 'withdrawn'
        : input.outcome === 'valid'
          ? 'resolved_valid'
          : 'resolved_invalid';
    let credit: { creditNoteId: string; approvalRequestId: string } | null = null;
    if (
      input.outcome !== 'valid' &&
      (input.creditAmount !== undefined || input.creditNoteNumber !== undefined)
    ) {
      throw invalid('creditAmount', 'Only a valid dispute gets a credit note');
    }
    if (input.outcome === 'valid') {
      const currency = before.currency.trim();
      const amountMinor =
        input.creditAmount === undefined
          ? before.amount_minor
          : amountMinorOrThrow(input.creditAmount, currency, 'creditAmount');
      if (amountMinor > before.amount_minor) throw invalid('creditAmount', 'More than the disputed amount');
      if (before.invoice_id === null) {
        if (input.creditAmount !== undefined)
          throw invalid('creditAmount', 'The dispute names no invoice to credit');
      } else {
        credit = await requestCreditNote(
          tx,
          actor,
          { ...before, invoice_id: before.invoice_id },
          amountMinor,
          input.creditNoteNumber,
          resolvedOn,
        );
      }
    }
    const after = await tx
      .updateTable('disputes')
      .set({
        status,
        resolved_on: resolvedOn,
        resolution_note: input.note ?? null,
        resolved_by_user_id: actor.userId,
        credit_note_id: credit?.creditNoteId ?? null,
        approval_request_id: credit?.approvalRequestId ?? null,
        updated_at: deps.clock.now(),
      })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', disputeId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordEvent(tx, actor, disputeId, status, before.owner_user_id, input.note ?? null);
    await recordAudit(tx, actor, {
      action: status === 'withdrawn' ? 'dispute.withdrawn' : 'dispute.resolved',
      entityType: 'dispute',
      entityId: disputeId,
      before,
      after,
    });
    await afterChange(deps, tx, actor, before.customer_id, todayDate);
    return disputeDetailIn(tx, actor, disputeId);
  });
}

/**
 * The disputed part of each invoice whose chasing is paused on `asOf`: disputes open that day (opened on or before,
 * not resolved by then), and valid ones whose credit note still waits for approval. Disputes that name no invoice
 * pause nothing (there is no item to pause); they show on the case. One statement.
 */
export async function disputePausesAsOf(tx: Tx, tenantId: string, asOf: CalendarDate) {
  const result = await sql<{ invoice_id: string; paused: string }>`
    SELECT d.invoice_id, sum(d.amount_minor)::text AS paused
    FROM disputes d
    LEFT JOIN credit_notes cn ON cn.tenant_id = d.tenant_id AND cn.id = d.credit_note_id
    WHERE d.tenant_id = ${tenantId} AND d.invoice_id IS NOT NULL AND d.opened_on <= ${asOf}::date
      AND (d.resolved_on IS NULL OR d.resolved_on > ${asOf}::date
        OR (d.status = 'resolved_valid' AND cn.status = 'pending_approval'))
    GROUP BY d.invoice_id`.execute(tx);
  return result.rows.map((row) => ({ invoiceId: row.invoice_id, pausedMinor: BigInt(row.paused) }));
}
