import type { CalendarDate } from '@huikuan/core';
import type { InvoiceDetail } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import { runIdempotent } from '../../platform/idempotency';
import type { Actor } from '../../platform/request-context';
import { organizationToday } from '../contracts/ledger-input';
import { invoiceDetailNow } from './create-invoice';
import { visibleInvoiceOrThrow, type InvoiceWithCustomer } from './invoice-access';
import { isInvoiceVoided } from './invoice-balance';

/** Voiding reverses the whole invoice, so nothing may have been settled or credited against it. */
async function assertVoidable(tx: Tx, invoice: InvoiceWithCustomer): Promise<void> {
  if (invoice.status !== 'issued') {
    throw new AppError('conflict', { detail: `invoice ${invoice.number} is a draft; delete it instead` });
  }
  if (await isInvoiceVoided(tx, invoice.tenant_id, invoice.id)) {
    throw new AppError('conflict', { detail: `invoice ${invoice.number} is already void` });
  }
  const allocated = await tx
    .selectFrom('allocations')
    .select(sql<string>`coalesce(sum(amount_minor), 0)::text`.as('sum'))
    .where('tenant_id', '=', invoice.tenant_id)
    .where('invoice_id', '=', invoice.id)
    .executeTakeFirst();
  if (BigInt(allocated?.sum ?? '0') !== 0n) {
    throw new AppError('conflict', {
      detail: `invoice ${invoice.number} has receipts allocated to it; reverse those allocations first`,
    });
  }
  const creditNote = await tx
    .selectFrom('credit_notes')
    .select('number')
    .where('tenant_id', '=', invoice.tenant_id)
    .where('invoice_id', '=', invoice.id)
    .where('status', 'in', ['posted', 'pending_approval'])
    .executeTakeFirst();
  if (creditNote) {
    throw new AppError('conflict', {
      detail: `invoice ${invoice.number} has credit note ${creditNote.number}; it can no longer be voided`,
    });
  }
}

/** 作废: an issued invoice with nothing allocated or credited is reversed from a date on, with a reason. */
export async function voidInvoice(
  deps: AppDeps,
  actor: Actor,
  invoiceId: string,
  input: { voidedOn?: CalendarDate | undefined; reason: string },
  idempotencyKey: () => string,
): Promise<InvoiceDetail> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    await visibleInvoiceOrThrow(tx, actor, invoiceId);
    const request = { invoiceId, voidedOn: input.voidedOn ?? null, reason: input.reason };
    const result = await runIdempotent(
      tx,
      actor.tenantId,
      idempotencyKey(),
      'invoice.void',
      request,
      async () => {
        const invoice = await visibleInvoiceOrThrow(tx, actor, invoiceId, { forUpdate: true });
        await assertVoidable(tx, invoice);
        const today = await organizationToday(tx, actor.tenantId, deps.clock);
        const voidedOn = input.voidedOn ?? today;
        if (voidedOn < invoice.invoice_date || voidedOn > today) {
          throw new AppError('validation_failed', {}, [
            {
              path: 'voidedOn',
              message: `Between the invoice date ${invoice.invoice_date} and today ${today}`,
            },
          ]);
        }
        const row = await tx
          .insertInto('invoice_voids')
          .values({
            tenant_id: actor.tenantId,
            invoice_id: invoiceId,
            voided_on: voidedOn,
            reason: input.reason,
            voided_by_user_id: actor.userId,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await recordAudit(tx, actor, {
          action: 'invoice.voided',
          entityType: 'invoice',
          entityId: invoiceId,
          before: invoice,
          after: row,
        });
        return invoiceDetailNow(deps, tx, actor, invoiceId);
      },
    );
    return result.body;
  });
}
