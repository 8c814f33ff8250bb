import { amountMinorOrThrow } from '../../platform/money-input';
import { minorToDecimalString, type CalendarDate } from '@huikuan/core';
import type { ApprovalRequest } from '@huikuan/core/contracts';
import type { Selectable } from 'kysely';
import type { ApprovalRequestsTable } from '../../db/schema';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { AppError, notFound } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { registerApprovalEffect } from '../approvals/approval-effects';
import { createApprovalRequestIn, toApprovalView } from '../approvals/approvals';
import { visibleCustomerOrThrow } from '../customers/customer-access';
import { applyAllocationsIn } from './allocate';
import { invoiceHeadroomFrom } from './balances';
import { conflict, dateIssue, organizationSettings, translateLedgerError } from './receipt-support';
import { lockVisibleReceiptOrThrow } from './receipt-view';

/** 三角债 (offset between customers) and 以货抵债 (settlement in goods): never without an approval. */
export type SettlementKind = 'offset' | 'goods_settlement';

export type SettlementInput = {
  amount: string;
  reason: string;
  settledOn?: string | undefined;
  counterparty?: string | undefined;
  goodsDescription?: string | undefined;
};

/** Files the request; nothing moves until finance approves it (decideApproval runs the effect below). */
export async function requestSettlement(
  deps: AppDeps,
  actor: Actor,
  invoiceId: string,
  kind: SettlementKind,
  input: SettlementInput,
): Promise<ApprovalRequest> {
  return deps.db
    .tenant(actor.tenantId, async (tx) => {
      const invoice = await tx
        .selectFrom('invoices')
        .selectAll()
        .where('tenant_id', '=', actor.tenantId)
        .where('id', '=', invoiceId)
        .executeTakeFirst();
      if (!invoice) throw notFound('invoice');
      await visibleCustomerOrThrow(tx, actor, invoice.customer_id).catch((error: unknown) => {
        throw error instanceof AppError ? notFound('invoice') : error;
      });
      if (invoice.status !== 'issued') throw conflict('only an issued invoice can be settled');
      const amountMinor = amountMinorOrThrow(input.amount, invoice.currency, 'amount');
      const { today } = await organizationSettings(tx, actor.tenantId, deps.clock);
      const settledOn = input.settledOn ?? today;
      if (settledOn > today || settledOn < invoice.invoice_date) {
        throw dateIssue('settledOn', `Must be between the invoice date ${invoice.invoice_date} and today`);
      }
      const room =
        (await invoiceHeadroomFrom(tx, actor.tenantId, [invoiceId], settledOn)).get(invoiceId) ?? 0n;
      if (amountMinor > room) {
        throw conflict(`the invoice is open for ${minorToDecimalString(room, invoice.currency)} only`);
      }
      const row = await createApprovalRequestIn(tx, actor, {
        kind,
        subjectType: 'invoice',
        subjectId: invoiceId,
        customerId: invoice.customer_id,
        amountMinor,
        currency: invoice.currency,
        payload: {
          invoiceNumber: invoice.number,
          settledOn: input.settledOn ?? null,
          ...(kind === 'offset' ? { counterparty: input.counterparty ?? '' } : {}),
          ...(kind === 'goods_settlement' ? { goodsDescription: input.goodsDescription ?? '' } : {}),
        },
        reason: input.reason,
      });
      return toApprovalView(row);
    })
    .catch(translateLedgerError);
}

type SettlementPayload = { settledOn?: string | null; counterparty?: string; goodsDescription?: string };

/**
 * On approval: a confirmed receipt with the settlement's method for the invoice's customer, applied to the
 * invoice at once. The open balance is checked again under lock; if it no longer fits, the approval fails whole.
 */
async function bookSettlement(
  deps: AppDeps,
  tx: Tx,
  actor: Actor,
  request: Selectable<ApprovalRequestsTable>,
): Promise<void> {
  const kind = request.kind as SettlementKind;
  if (request.amount_minor === null || request.currency === null || request.customer_id === null) {
    throw new Error(`approval ${request.id} lacks the amount or customer of a settlement`);
  }
  const payload = (request.payload ?? {}) as SettlementPayload;
  const { today } = await organizationSettings(tx, actor.tenantId, deps.clock);
  const settledOn = (payload.settledOn ?? today) as CalendarDate;
  const detail =
    kind === 'offset'
      ? `counterparty: ${payload.counterparty ?? ''}`
      : `goods: ${payload.goodsDescription ?? ''}`;
  const receipt = await tx
    .insertInto('receipts')
    .values({
      tenant_id: actor.tenantId,
      customer_id: request.customer_id,
      received_on: settledOn,
      amount_minor: request.amount_minor,
      currency: request.currency,
      method: kind,
      notes: `${request.reason} (${detail}; approval ${request.id})`,
      status: 'confirmed',
      confirmed_at: deps.clock.now(),
      confirmed_by_user_id: actor.userId,
      created_by_user_id: request.requested_by_user_id,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(tx, actor, {
    action: 'receipt.created',
    entityType: 'receipt',
    entityId: receipt.id,
    after: receipt,
  });
  const locked = await lockVisibleReceiptOrThrow(tx, actor, receipt.id);
  const line = {
    invoiceId: request.subject_id,
    planNodeId: null,
    amountMinor: request.amount_minor,
    path: 'invoice',
  };
  await applyAllocationsIn(tx, actor, locked, [line], settledOn, today);
}

export function registerSettlementEffects(deps: AppDeps): void {
  for (const kind of ['offset', 'goods_settlement'] as const) {
    registerApprovalEffect(kind, {
      onApproved: (tx, actor, request) => bookSettlement(deps, tx, actor, request),
    });
  }
}
