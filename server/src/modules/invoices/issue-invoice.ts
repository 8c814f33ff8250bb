import type { InvoiceDetail } from '@huikuan/core/contracts';
import { recordAudit } from '../../platform/audit';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import { runIdempotent } from '../../platform/idempotency';
import type { Actor } from '../../platform/request-context';
import {
  assertCreditAllows,
  invoiceAddedExposureMinor,
  withCreditRefusalRecorded,
} from '../credit/credit-check';
import { invoiceDetailNow } from './create-invoice';
import { visibleInvoiceOrThrow } from './invoice-access';
import { linkInvoiceRequestIn, markInvoiceRequestsIssuedIn } from './invoice-requests';

/**
 * Issues (posts) a draft: from here on the invoice is owed and the database refuses any change to it. Money-moving,
 * so it runs once per idempotency key; the key is asked for only after the invoice proved visible, so a foreign
 * or out-of-scope id is a 404 whatever the headers.
 */
export async function issueInvoice(
  deps: AppDeps,
  actor: Actor,
  invoiceId: string,
  input: { invoiceRequestId?: string | null | undefined },
  idempotencyKey: () => string,
): Promise<InvoiceDetail> {
  return withCreditRefusalRecorded(deps, actor, () =>
    issueInvoiceChecked(deps, actor, invoiceId, input, idempotencyKey),
  );
}

async function issueInvoiceChecked(
  deps: AppDeps,
  actor: Actor,
  invoiceId: string,
  input: { invoiceRequestId?: string | null | undefined },
  idempotencyKey: () => string,
): Promise<InvoiceDetail> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    await visibleInvoiceOrThrow(tx, actor, invoiceId);
    const request = { invoiceId, invoiceRequestId: input.invoiceRequestId ?? null };
    const result = await runIdempotent(
      tx,
      actor.tenantId,
      idempotencyKey(),
      'invoice.issue',
      request,
      async () => {
        const before = await visibleInvoiceOrThrow(tx, actor, invoiceId, { forUpdate: true });
        if (before.status === 'issued') {
          throw new AppError('conflict', { detail: `invoice ${before.number} is already issued` });
        }
        if (before.total_minor === 0n) {
          throw new AppError('conflict', {
            detail: `invoice ${before.number} totals zero; there is nothing to issue`,
          });
        }
        // Evaluated live at the moment the invoice becomes owed: a hold placed since the draft was made applies.
        await assertCreditAllows(deps, tx, actor, {
          customerId: before.customer_id,
          addedExposureMinor: await invoiceAddedExposureMinor(deps, tx, actor.tenantId, {
            totalMinor: before.total_minor,
            contractId: before.contract_id,
          }),
          currency: before.currency,
          action: 'invoice.issue',
        });
        if (input.invoiceRequestId) await linkInvoiceRequestIn(tx, actor, input.invoiceRequestId, before);
        const after = await tx
          .updateTable('invoices')
          .set({
            status: 'issued',
            issued_at: deps.clock.now(),
            issued_by_user_id: actor.userId,
            updated_at: deps.clock.now(),
          })
          .where('tenant_id', '=', actor.tenantId)
          .where('id', '=', invoiceId)
          .returningAll()
          .executeTakeFirstOrThrow();
        await markInvoiceRequestsIssuedIn(tx, actor, invoiceId);
        await recordAudit(tx, actor, {
          action: 'invoice.issued',
          entityType: 'invoice',
          entityId: invoiceId,
          before,
          after,
        });
        return invoiceDetailNow(deps, tx, actor, invoiceId);
      },
    );
    return result.body;
  });
}
