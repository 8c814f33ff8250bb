import { amountMinorOrThrow } from '../../platform/money-input';
import type { CreateReceiptRequest, ReceiptDetail } from '@huikuan/core/contracts';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { visibleCustomerOrThrow } from '../customers/customer-access';
import {
  conflict,
  dateIssue,
  isFinance,
  ledgerWrite,
  organizationSettings,
  requireFinance,
  translateLedgerError,
} from './receipt-support';
import { lockVisibleReceiptOrThrow, receiptDetailOrThrow } from './receipt-view';

export type ReceiptInput = {
  customerId?: string | null | undefined;
  receivedOn?: string | undefined;
  amount?: string | undefined;
  currency?: string | undefined;
  method?: CreateReceiptRequest['method'] | undefined;
  payerName?: string | null | undefined;
  payerAccount?: string | null | undefined;
  bankReference?: string | null | undefined;
  notes?: string | null | undefined;
};

/** The customer must be visible to the actor; only finance posts a receipt without one into the claim pool. */
async function checkCustomer(tx: Tx, actor: Actor, customerId: string | null): Promise<void> {
  if (customerId === null) {
    if (!isFinance(actor)) {
      throw new AppError('validation_failed', {}, [
        { path: 'customerId', message: 'Only finance posts receipts without a customer into the claim pool' },
      ]);
    }
    return;
  }
  await visibleCustomerOrThrow(tx, actor, customerId);
}

async function checkReceivedOn(tx: Tx, deps: AppDeps, actor: Actor, receivedOn: string): Promise<void> {
  const { today } = await organizationSettings(tx, actor.tenantId, deps.clock);
  if (receivedOn > today) throw dateIssue('receivedOn', 'A receipt cannot be dated in the future');
}

/** Records a receipt as pending; it moves no balance until finance confirms it. */
export async function createReceipt(
  deps: AppDeps,
  actor: Actor,
  input: CreateReceiptRequest,
  idempotencyKey: string,
): Promise<ReceiptDetail> {
  const amountMinor = amountMinorOrThrow(input.amount, input.currency, 'amount');
  return ledgerWrite(deps, actor, idempotencyKey, 'receipt.create', input, async (tx) => {
    const customerId = input.customerId ?? null;
    await checkCustomer(tx, actor, customerId);
    await checkReceivedOn(tx, deps, actor, input.receivedOn);
    const row = await tx
      .insertInto('receipts')
      .values({
        tenant_id: actor.tenantId,
        customer_id: customerId,
        received_on: input.receivedOn,
        amount_minor: amountMinor,
        currency: input.currency,
        method: input.method,
        payer_name: input.payerName ?? null,
        payer_account: input.payerAccount ?? null,
        bank_reference: input.bankReference ?? null,
        notes: input.notes ?? null,
        created_by_user_id: actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'receipt.created',
      entityType: 'receipt',
      entityId: row.id,
      after: row,
    });
    return receiptDetailOrThrow(tx, actor, row.id);
  });
}

/** A pending receipt belongs to whoever recorded it until finance confirms it. */
async function lockEditableOrThrow(tx: Tx, actor: Actor, receiptId: string) {
  const receipt = await lockVisibleReceiptOrThrow(tx, actor, receiptId);
  if (receipt.created_by_user_id !== actor.userId && !isFinance(actor)) throw new AppError('forbidden');
  if (receipt.status !== 'pending') throw conflict('a confirmed receipt is locked; reverse it instead');
  return receipt;
}

export async function updateReceipt(
  deps: AppDeps,
  actor: Actor,
  receiptId: string,
  input: ReceiptInput,
): Promise<ReceiptDetail> {
  return deps.db
    .tenant(actor.tenantId, async (tx) => {
      const before = await lockEditableOrThrow(tx, actor, receiptId);
      const currency = input.currency ?? before.currency;
      if (input.amount === undefined && currency !== before.currency) {
        throw dateIssue('amount', 'Give the amount again when changing the currency');
      }
      const amountMinor =
        input.amount === undefined
          ? before.amount_minor
          : amountMinorOrThrow(input.amount, currency, 'amount');
      if (input.customerId !== undefined) await checkCustomer(tx, actor, input.customerId);
      if (input.receivedOn !== undefined) await checkReceivedOn(tx, deps, actor, input.receivedOn);
      const after = await tx
        .updateTable('receipts')
        .set({
          ...(input.customerId !== undefined ? { customer_id: input.customerId } : {}),
          ...(input.receivedOn !== undefined ? { received_on: input.receivedOn } : {}),
          amount_minor: amountMinor,
          currency,
          ...(input.method !== undefined ? { method: input.method } : {}),
          ...(input.payerName !== undefined ? { payer_name: input.payerName } : {}),
          ...(input.payerAccount !== undefined ? { payer_account: input.payerAccount } : {}),
          ...(input.bankReference !== undefined ? { bank_reference: input.bankReference } : {}),
          ...(input.notes !== undefined ? { notes: input.notes } : {}),
        })
        .where('tenant_id', '=', actor.tenantId)
        .where('id', '=', receiptId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, actor, {
        action: 'receipt.updated',
        entityType: 'receipt',
        entityId: receiptId,
        before,
        after,
      });
      return receiptDetailOrThrow(tx, actor, receiptId);
    })
    .catch(translateLedgerError);
}

/** Only a pending receipt may go; nothing refers to it yet (claims and allocations need a confirmed one). */
export async function deleteReceipt(deps: AppDeps, actor: Actor, receiptId: string): Promise<void> {
  await deps.db
    .tenant(actor.tenantId, async (tx) => {
      const before = await lockEditableOrThrow(tx, actor, receiptId);
      await tx
        .deleteFrom('receipts')
        .where('tenant_id', '=', actor.tenantId)
        .where('id', '=', receiptId)
        .execute();
      await recordAudit(tx, actor, {
        action: 'receipt.deleted',
        entityType: 'receipt',
        entityId: receiptId,
        before,
      });
    })
    .catch(translateLedgerError);
}

/** 回款确认: finance confirms; from here the receipt is locked (a trigger enforces it) and counts in balances. */
export async function confirmReceipt(
  deps: AppDeps,
  actor: Actor,
  receiptId: string,
  idempotencyKey: string,
): Promise<ReceiptDetail> {
  requireFinance(actor);
  return ledgerWrite(deps, actor, idempotencyKey, 'receipt.confirm', { receiptId }, async (tx) => {
    const before = await lockVisibleReceiptOrThrow(tx, actor, receiptId);
    if (before.status !== 'pending') throw conflict('this receipt is already confirmed');
    const after = await tx
      .updateTable('receipts')
      .set({ status: 'confirmed', confirmed_at: deps.clock.now(), confirmed_by_user_id: actor.userId })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', receiptId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'receipt.confirmed',
      entityType: 'receipt',
      entityId: receiptId,
      before,
      after,
    });
    return receiptDetailOrThrow(tx, actor, receiptId);
  });
}
