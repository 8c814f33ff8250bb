import type { MessageChannel } from '@huikuan/core';
import type {
  MessageSourceKind,
  MessageStatus,
  OutboundMessage,
  OutboundMessageDetail,
} from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';
import { customerScopeCondition } from '../customers/customer-access';
import type { RecordScope } from '@huikuan/core';

/** Reading messages as the log shows them: one query for the rows, one for their attachments' names. */

export function messagesQuery(tx: Tx, tenantId: string, scope: RecordScope | null) {
  let select = tx
    .selectFrom('outbound_messages as m')
    .leftJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'm.tenant_id').onRef('c.id', '=', 'm.customer_id'),
    )
    .leftJoin('invoices as i', (join) =>
      join.onRef('i.tenant_id', '=', 'm.tenant_id').onRef('i.id', '=', 'm.invoice_id'),
    )
    .select([
      'm.id',
      'm.customer_id',
      'c.name as customer_name',
      'm.invoice_id',
      'i.number as invoice_number',
      'm.channel',
      'm.recipient',
      'm.recipient_name',
      'm.cc',
      'm.subject',
      'm.body_text',
      'm.body_html',
      'm.source_kind',
      'm.source_id',
      'm.status',
      'm.attempts',
      'm.next_attempt_at',
      'm.last_error',
      'm.provider_message_id',
      'm.created_at',
      'm.sent_at',
      sql<string>`m.created_at::text`.as('created_key'),
    ])
    .where('m.tenant_id', '=', tenantId);
  // Messages about a customer follow the customer's record scope; the rest (test messages) only whole-org roles see.
  if (scope !== null && scope.kind !== 'all') {
    select = select.where('m.customer_id', 'is not', null).where(customerScopeCondition(scope, 'c'));
  }
  return select;
}

type MessageRow = Awaited<ReturnType<ReturnType<typeof messagesQuery>['execute']>>[number];

async function attachmentsOf(tx: Tx, tenantId: string, messageIds: string[]) {
  if (messageIds.length === 0) return new Map<string, OutboundMessage['attachments']>();
  const rows = await tx
    .selectFrom('outbound_message_attachments')
    .select(['id', 'message_id', 'filename', 'content_type', 'size_bytes'])
    .where('tenant_id', '=', tenantId)
    .where('message_id', 'in', messageIds)
    .orderBy('message_id')
    .orderBy('position')
    .execute();
  const byMessage = new Map<string, OutboundMessage['attachments']>();
  for (const row of rows) {
    const list = byMessage.get(row.message_id) ?? [];
    list.push({
      id: row.id,
      filename: row.filename,
      contentType: row.content_type,
      sizeBytes: row.size_bytes,
    });
    byMessage.set(row.message_id, list);
  }
  return byMessage;
}

function toView(row: MessageRow, attachments: OutboundMessage['attachments']): OutboundMessage {
  return {
    id: row.id,
    customerId: row.customer_id,
    customerName: row.customer_name,
    invoiceId: row.invoice_id,
    invoiceNumber: row.invoice_number,
    channel: row.channel as MessageChannel,
    recipient: row.recipient,
    recipientName: row.recipient_name,
    cc: row.cc,
    subject: row.subject,
    bodyText: row.body_text,
    sourceKind: row.source_kind as MessageSourceKind,
    sourceId: row.source_id,
    status: row.status as MessageStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
    lastError: row.last_error,
    providerMessageId: row.provider_message_id,
    createdAt: row.created_at.toISOString(),
    sentAt: row.sent_at?.toISOString() ?? null,
    attachments,
  };
}

export async function toViews(tx: Tx, tenantId: string, rows: MessageRow[]): Promise<OutboundMessage[]> {
  const attachments = await attachmentsOf(
    tx,
    tenantId,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toView(row, attachments.get(row.id) ?? []));
}

/** One message with its body and every delivery attempt, or undefined when absent or out of scope. */
export async function messageDetail(
  tx: Tx,
  tenantId: string,
  scope: RecordScope | null,
  messageId: string,
): Promise<OutboundMessageDetail | undefined> {
  const row = await messagesQuery(tx, tenantId, scope).where('m.id', '=', messageId).executeTakeFirst();
  if (!row) return undefined;
  const [view] = await toViews(tx, tenantId, [row]);
  const attempts = await tx
    .selectFrom('outbound_message_attempts')
    .select(['started_at', 'finished_at', 'outcome', 'error', 'provider_message_id'])
    .where('tenant_id', '=', tenantId)
    .where('message_id', '=', messageId)
    .orderBy('seq')
    .execute();
  if (!view) return undefined;
  return {
    ...view,
    bodyHtml: row.body_html,
    attemptLog: attempts.map((attempt) => ({
      startedAt: attempt.started_at.toISOString(),
      finishedAt: attempt.finished_at.toISOString(),
      outcome: attempt.outcome as 'sent' | 'failed' | 'unknown',
      error: attempt.error,
      providerMessageId: attempt.provider_message_id,
    })),
  };
}
