import { calendarDateInZone, type Role } from '@huikuan/core';
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { ApprovalRequestsTable } from '../../db/schema';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { Actor } from '../../platform/request-context';
import { registerApprovalEffect } from '../approvals/approval-effects';
import { createApprovalRequestIn } from '../approvals/approvals';
import type { DunningActionContext, DunningActionOutcome } from '../dunning/step-registry';
import { archiveLetter, archivedLetterBySourceKey, lockSourceKey } from './archive-letter';
import { openItems } from './letter-data';
import { renderLetterDetail } from './render-letter';
import { dunningAuditActor, organizationLocale, stepKey } from './step-support';

/**
 * 律师函 goes out only after legal (or an admin) approves it. The ladder's step files an approval request of kind
 * lawyer_letter — one per customer per run, like the 催款函 — and answers pending_approval; approving renders the
 * letter as of the decision day (money may have come in meanwhile), archives it and queues its e-mail, in the
 * decision's transaction. Nothing is sent if nothing is overdue any more by then.
 */

type LawyerLetterPayload = {
  sourceKey: string;
  runId: string;
  actionId: string;
  asOf: string;
  locale: 'zh-CN' | 'en';
  invoiceIds: string[];
  invoiceNumbers: string[];
  maxDaysOverdue: number;
};

/**
 * An approval needs someone who asked, and never the one who decides: the customer's owner (the collector), or
 * else an active finance user, sales manager or admin — never legal, who must stay free to approve.
 */
async function requesterFor(tx: Tx, tenantId: string, ownerUserId: string | null) {
  const preference: Role[] = ['salesperson', 'sales_manager', 'finance', 'admin'];
  const rows = await tx
    .selectFrom('users')
    .select(['id', 'role', 'team_id'])
    .where('tenant_id', '=', tenantId)
    .where('is_active', '=', true)
    .where((eb) =>
      eb.or([
        eb('id', '=', ownerUserId ?? '00000000-0000-0000-0000-000000000000'),
        eb('role', 'in', ['finance', 'sales_manager', 'admin']),
      ]),
    )
    .orderBy('created_at')
    .execute();
  const owner = rows.find((row) => row.id === ownerUserId && row.role !== 'legal');
  if (owner) return owner;
  return [...rows].sort((a, b) => preference.indexOf(a.role as Role) - preference.indexOf(b.role as Role))[0];
}

async function existingRequest(tx: Tx, tenantId: string, key: string) {
  return tx
    .selectFrom('approval_requests')
    .select(['id', 'status'])
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'lawyer_letter')
    .where(sql<boolean>`payload->>'sourceKey' = ${key}`)
    .executeTakeFirst();
}

/** The ladder's lawyer_letter step: files the approval request and leaves the rest to the decision. */
export async function requestLawyerLetter(context: DunningActionContext): Promise<DunningActionOutcome> {
  const { tx, tenantId } = context;
  const key = stepKey('lawyer', context);
  await lockSourceKey(tx, key);
  const existing = await existingRequest(tx, tenantId, key);
  if (existing)
    return { outcome: 'pending_approval', refId: existing.id, detail: 'one request per customer per run' };
  const locale = await organizationLocale(tx, tenantId);
  const items = await openItems(tx, {
    tenantId,
    kind: 'lawyer_letter',
    customerId: context.customer.id,
    locale,
    asOf: context.asOf,
    isChasedOnly: true,
  });
  const currencies = [...new Set(items.map((item) => item.currency))];
  const single = currencies.length === 1 ? currencies[0] : undefined;
  const requester = await requesterFor(tx, tenantId, context.customer.ownerUserId);
  if (!requester) return { outcome: 'skipped', detail: 'no active user to file the approval request under' };
  const maxDaysOverdue = Math.max(0, ...items.map((item) => item.daysOverdue));
  const payload: LawyerLetterPayload = {
    sourceKey: key,
    runId: context.runId,
    actionId: context.actionId,
    asOf: context.asOf,
    locale,
    invoiceIds: items.map((item) => item.id),
    invoiceNumbers: items.map((item) => item.number),
    maxDaysOverdue,
  };
  const actor: Actor = {
    ...dunningAuditActor(tenantId, context.runId),
    userId: requester.id,
    role: requester.role as Role,
    teamIds: [],
    tokenScopes: null,
    sessionId: null,
    csrfToken: null,
    ip: 'system',
  };
  const approval = await createApprovalRequestIn(tx, actor, {
    kind: 'lawyer_letter',
    subjectType: 'customer',
    subjectId: context.customer.id,
    customerId: context.customer.id,
    amountMinor: single ? items.reduce((sum, item) => sum + item.openMinor, 0n) : null,
    currency: single ?? null,
    payload,
    reason:
      locale === 'zh-CN'
        ? `催收程序第 ${context.step.offsetDays} 天：${items.length} 张发票逾期未付（最长 ${maxDaysOverdue} 天），申请发送律师函`
        : `Dunning step +${context.step.offsetDays}: ${items.length} invoice(s) overdue (up to ${maxDaysOverdue} days); lawyer's letter requested`,
  });
  return { outcome: 'pending_approval', refId: approval.id };
}

async function onLawyerLetterApproved(
  tx: Tx,
  actor: Actor,
  request: Selectable<ApprovalRequestsTable>,
): Promise<void> {
  const payload = request.payload as Partial<LawyerLetterPayload>;
  const key = `approval:${request.id}`;
  await lockSourceKey(tx, key);
  if (await archivedLetterBySourceKey(tx, actor.tenantId, key)) return;
  const organization = await tx
    .selectFrom('organizations')
    .select('timezone')
    .where('tenant_id', '=', actor.tenantId)
    .executeTakeFirstOrThrow();
  const decidedAt = request.decided_at ?? new Date();
  const letterRequest = {
    tenantId: actor.tenantId,
    kind: 'lawyer_letter' as const,
    customerId: request.subject_id,
    asOf: calendarDateInZone(decidedAt, organization.timezone),
    locale: payload.locale ?? (await organizationLocale(tx, actor.tenantId)),
  };
  const rendered = await renderLetterDetail(tx, { ...letterRequest, isChasedOnly: true });
  if (rendered.invoiceIds.length === 0) {
    await recordAudit(tx, actor, {
      action: 'letter.lawyer_letter_not_needed',
      entityType: 'approval',
      entityId: request.id,
      after: { asOf: letterRequest.asOf, reason: 'nothing overdue is being chased any more' },
    });
    return;
  }
  await archiveLetter(tx, {
    actor,
    request: letterRequest,
    rendered,
    source: { kind: 'approval', approvalRequestId: request.id },
    isEmailed: true,
  });
}

export function registerLawyerLetterApproval(): void {
  registerApprovalEffect('lawyer_letter', { onApproved: onLawyerLetterApproved });
}
