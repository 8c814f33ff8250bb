import { minorToDecimalString, type CalendarDate } from '@huikuan/core';
import type { ApprovalRequest, CustomerIncentiveRequest } from '@huikuan/core/contracts';
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { ApprovalRequestsTable } from '../../db/schema';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import { amountMinorOrThrow } from '../../platform/money-input';
import { recordScope, type Actor } from '../../platform/request-context';
import { registerApprovalEffect } from '../approvals/approval-effects';
import { createApprovalRequestIn, toApprovalView } from '../approvals/approvals';
import { customerScopeCondition, visibleCustomerOrThrow } from '../customers/customer-access';
import { loadIncentiveContext } from './incentive-context';

type Payload = {
  kind: 'discount' | 'service';
  description: string | null;
  invoiceId: string | null;
  payBy: string;
};

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', {}, [{ path, message }]);
}

/**
 * 客户激励: a salesperson proposes a discount or a service for a customer who pays early (by `payBy`). Nothing is
 * offered until a manager, finance or an admin other than the requester approves (approval kind
 * customer_incentive): a written discount needs approval (001 §七 减免字据).
 */
export async function requestCustomerIncentive(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
  input: CustomerIncentiveRequest,
): Promise<ApprovalRequest> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const customer = await visibleCustomerOrThrow(tx, actor, customerId);
    const context = await loadIncentiveContext(tx, actor.tenantId, deps.clock);
    if (input.payBy < context.today) throw invalid('payBy', 'The pay-by date has passed');
    let currency = customer.currency.trim();
    if (input.invoiceId) {
      const invoice = await tx
        .selectFrom('invoices')
        .select(['id', 'currency', 'customer_id'])
        .where('tenant_id', '=', actor.tenantId)
        .where('id', '=', input.invoiceId)
        .executeTakeFirst();
      if (!invoice || invoice.customer_id !== customerId) {
        throw invalid('invoiceId', 'Not an invoice of this customer');
      }
      currency = invoice.currency.trim();
    }
    const amountMinor =
      input.kind === 'discount' && input.amount !== undefined
        ? amountMinorOrThrow(input.amount, currency, 'amount')
        : null;
    const payload: Payload = {
      kind: input.kind,
      description: input.description ?? null,
      invoiceId: input.invoiceId ?? null,
      payBy: input.payBy,
    };
    const approval = await createApprovalRequestIn(tx, actor, {
      kind: 'customer_incentive',
      subjectType: 'customer',
      subjectId: customerId,
      customerId,
      amountMinor,
      currency: amountMinor === null ? null : currency,
      payload: {
        ...payload,
        amount: amountMinor === null ? null : minorToDecimalString(amountMinor, currency),
      },
      reason: input.reason,
    });
    await recordAudit(tx, actor, {
      action: 'customer_incentive.requested',
      entityType: 'customer',
      entityId: customerId,
      after: { approvalRequestId: approval.id, ...payload, amountMinor },
    });
    return toApprovalView(approval);
  });
}

async function grantIncentive(tx: Tx, actor: Actor, request: Selectable<ApprovalRequestsTable>) {
  const payload = request.payload as Partial<Payload> | null;
  if (!payload?.kind || !payload.payBy)
    throw new Error(`customer_incentive ${request.id} has no kind or payBy`);
  const row = await tx
    .insertInto('customer_incentives')
    .values({
      tenant_id: actor.tenantId,
      customer_id: request.customer_id ?? request.subject_id,
      invoice_id: payload.invoiceId ?? null,
      kind: payload.kind,
      amount_minor: request.amount_minor,
      currency: request.currency,
      description: payload.description ?? null,
      pay_by: payload.payBy,
      approval_request_id: request.id,
      requested_by_user_id: request.requested_by_user_id,
      approved_by_user_id: actor.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(tx, actor, {
    action: 'customer_incentive.granted',
    entityType: 'customer',
    entityId: row.customer_id,
    after: row,
  });
}

export function registerCustomerIncentiveEffect(): void {
  registerApprovalEffect('customer_incentive', {
    onApproved: (tx, actor, request) => grantIncentive(tx, actor, request),
  });
}

/** Granted incentives of customers in the actor's scope. */
export async function listCustomerIncentives(deps: AppDeps, actor: Actor, customerId: string | undefined) {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const rows = await sql<{
      id: string;
      customer_id: string;
      invoice_id: string | null;
      kind: string;
      amount_minor: bigint | null;
      currency: string | null;
      description: string | null;
      pay_by: string;
      approval_request_id: string;
      approved_by_user_id: string | null;
      created_at: Date;
    }>`
      SELECT i.id, i.customer_id, i.invoice_id, i.kind, i.amount_minor, i.currency, i.description,
        i.pay_by::text AS pay_by, i.approval_request_id, i.approved_by_user_id, i.created_at
      FROM customer_incentives i
      JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
      WHERE i.tenant_id = ${actor.tenantId} AND ${customerScopeCondition(recordScope(actor), 'c')}
        AND (${customerId ?? null}::uuid IS NULL OR i.customer_id = ${customerId ?? null}::uuid)
      ORDER BY i.created_at DESC, i.id`.execute(tx);
    return {
      items: rows.rows.map((row) => ({
        id: row.id,
        customerId: row.customer_id,
        invoiceId: row.invoice_id,
        kind: row.kind as 'discount' | 'service',
        amount:
          row.amount_minor !== null && row.currency !== null
            ? minorToDecimalString(BigInt(row.amount_minor), row.currency.trim())
            : null,
        currency: row.currency?.trim() ?? null,
        description: row.description,
        payBy: row.pay_by as CalendarDate,
        approvalRequestId: row.approval_request_id,
        approvedByUserId: row.approved_by_user_id,
        createdAt: new Date(row.created_at).toISOString(),
      })),
    };
  });
}
