import type { MessageChannel } from '@huikuan/core';
import type { MessageListQuery, OutboundMessage, OutboundMessageDetail } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { AppError, notFound } from '../../platform/errors';
import { decodeCursor, pageFrom } from '../../platform/pagination';
import { recordScope, type Actor } from '../../platform/request-context';
import { deliverDueMessages } from './deliver-messages';
import { deliverInApp } from './in-app';
import { messageDetail, messagesQuery, toViews } from './message-view';
import { resolveRecipient } from './recipients';

/** 发送记录: the message log with each message's delivery result, and the two things a person does with a problem. */

const PROBLEM_STATUSES = ['failed', 'dead', 'unknown'];

export async function listMessages(deps: AppDeps, actor: Actor, query: MessageListQuery) {
  const after = decodeCursor(query.cursor, 2);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    let select = messagesQuery(tx, actor.tenantId, recordScope(actor));
    if (query.status === 'problem') select = select.where('m.status', 'in', PROBLEM_STATUSES);
    else if (query.status) select = select.where('m.status', '=', query.status);
    if (query.channel) select = select.where('m.channel', '=', query.channel);
    if (query.customerId) select = select.where('m.customer_id', '=', query.customerId);
    if (after) {
      const [createdKey = '', id = ''] = after;
      select = select.where(sql<boolean>`(m.created_at, m.id) < (${createdKey}::timestamptz, ${id}::uuid)`);
    }
    const rows = await select
      .orderBy('m.created_at', 'desc')
      .orderBy('m.id', 'desc')
      .limit(query.limit + 1)
      .execute();
    const page = pageFrom(rows, query.limit, (row) => [row.created_key, row.id]);
    return { items: await toViews(tx, actor.tenantId, page.items), nextCursor: page.nextCursor };
  });
}

export async function getMessage(
  deps: AppDeps,
  actor: Actor,
  messageId: string,
): Promise<OutboundMessageDetail> {
  const detail = await deps.db.tenant(actor.tenantId, (tx) =>
    messageDetail(tx, actor.tenantId, recordScope(actor), messageId),
  );
  if (!detail) throw notFound('message');
  return detail;
}

/** Every message about one customer, newest first, for the customer timeline (casework). */
export async function listCustomerMessages(
  tx: Tx,
  tenantId: string,
  customerId: string,
  limit = 500,
): Promise<OutboundMessage[]> {
  const rows = await messagesQuery(tx, tenantId, null)
    .where('m.customer_id', '=', customerId)
    .orderBy('m.created_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(limit)
    .execute();
  return toViews(tx, tenantId, rows);
}

async function visibleMessageOrThrow(tx: Tx, actor: Actor, messageId: string) {
  const row = await messagesQuery(tx, actor.tenantId, recordScope(actor))
    .where('m.id', '=', messageId)
    .forUpdate('m')
    .executeTakeFirst();
  if (!row) throw notFound('message');
  return row;
}

const RESENDABLE = new Set(['failed', 'dead', 'unknown', 'dismissed']);
const DISMISSABLE = new Set(['queued', 'failed', 'dead', 'unknown']);

/**
 * Sends a failed, dead, unknown or dismissed message again, now: back to queued with a fresh set of attempts. A
 * message that had no recipient looks for one again (the contact may have been fixed). Audited; then delivered at
 * once, outside the transaction, so the person sees the result.
 */
export async function resendMessage(
  deps: AppDeps,
  actor: Actor,
  messageId: string,
): Promise<OutboundMessageDetail> {
  const needsDelivery = await deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await visibleMessageOrThrow(tx, actor, messageId);
    if (!RESENDABLE.has(before.status)) {
      throw new AppError('conflict', { detail: `a ${before.status} message cannot be resent` });
    }
    const recipient =
      before.recipient === null
        ? await resolveRecipient(tx, actor.tenantId, before.customer_id, before.channel as MessageChannel)
        : { ok: true as const, address: before.recipient, name: before.recipient_name };
    await tx
      .updateTable('outbound_messages')
      .set({
        status: recipient.ok ? 'queued' : 'failed',
        recipient: recipient.ok ? recipient.address : null,
        recipient_name: recipient.name,
        attempts: 0,
        next_attempt_at: null,
        claimed_at: null,
        last_error: recipient.ok ? null : recipient.reason,
        updated_at: sql<Date>`now()`,
      })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', messageId)
      .execute();
    if (recipient.ok && before.channel === 'in_app') await deliverInApp(tx, actor.tenantId, messageId);
    await recordAudit(tx, actor, {
      action: 'message.resend',
      entityType: 'outbound_message',
      entityId: messageId,
      before: { status: before.status, recipient: before.recipient, lastError: before.last_error },
      after: { status: recipient.ok ? 'queued' : 'failed', recipient: recipient.address },
    });
    return recipient.ok && before.channel !== 'in_app';
  });
  if (needsDelivery) {
    await deliverDueMessages(deps, deps.clock.now(), { tenantId: actor.tenantId, messageIds: [messageId] });
  }
  return getMessage(deps, actor, messageId);
}

/** A person decides a message will not be sent (a wrong contact, an unknown delivery they confirmed). Audited. */
export async function dismissMessage(
  deps: AppDeps,
  actor: Actor,
  messageId: string,
): Promise<OutboundMessageDetail> {
  await deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await visibleMessageOrThrow(tx, actor, messageId);
    if (!DISMISSABLE.has(before.status)) {
      throw new AppError('conflict', { detail: `a ${before.status} message cannot be dismissed` });
    }
    await tx
      .updateTable('outbound_messages')
      .set({ status: 'dismissed', next_attempt_at: null, updated_at: sql<Date>`now()` })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', messageId)
      .execute();
    await recordAudit(tx, actor, {
      action: 'message.dismiss',
      entityType: 'outbound_message',
      entityId: messageId,
      before: { status: before.status },
      after: { status: 'dismissed' },
    });
  });
  return getMessage(deps, actor, messageId);
}

/** "Send now": delivers the organization's due messages at once instead of waiting for the worker. */
export async function deliverNow(deps: AppDeps, actor: Actor) {
  if (actor.role !== 'admin' && actor.role !== 'finance') throw new AppError('forbidden');
  return deliverDueMessages(deps, deps.clock.now(), { tenantId: actor.tenantId });
}
