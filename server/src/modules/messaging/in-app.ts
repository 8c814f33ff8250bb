import { sql } from 'kysely';
import type { Tx } from '../../platform/db';

/**
 * In-app delivery (站内提醒): the notification row is the delivery, written in the same transaction that marks the
 * message sent. Nothing leaves the database, so this channel is exactly-once by construction.
 */
export async function deliverInApp(
  tx: Tx,
  tenantId: string,
  messageId: string,
  link?: string | null,
): Promise<void> {
  const message = await tx
    .selectFrom('outbound_messages')
    .select(['recipient', 'subject', 'body_text', 'customer_id', 'invoice_id'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', messageId)
    .executeTakeFirstOrThrow();
  if (message.recipient === null) throw new Error('an in-app message needs a user to go to');
  const notification = await createNotification(tx, {
    tenantId,
    userId: message.recipient,
    title: message.subject,
    body: message.body_text,
    link: link ?? defaultLink(message.invoice_id, message.customer_id),
    customerId: message.customer_id,
    messageId,
  });
  await tx
    .updateTable('outbound_messages')
    .set({
      status: 'sent',
      sent_at: sql<Date>`now()`,
      next_attempt_at: null,
      last_error: null,
      provider_message_id: notification.id,
      attempts: sql<number>`attempts + 1`,
      updated_at: sql<Date>`now()`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', messageId)
    .execute();
  await tx
    .insertInto('outbound_message_attempts')
    .values({
      tenant_id: tenantId,
      message_id: messageId,
      started_at: sql<Date>`now()`,
      finished_at: sql<Date>`now()`,
      outcome: 'sent',
      provider_message_id: notification.id,
    })
    .execute();
}

function defaultLink(invoiceId: string | null, customerId: string | null): string | null {
  if (invoiceId) return `/invoices/${invoiceId}`;
  if (customerId) return `/customers/${customerId}`;
  return null;
}

export type NotificationInput = {
  tenantId: string;
  userId: string;
  title: string;
  body: string;
  link?: string | null;
  customerId?: string | null;
  messageId?: string | null;
};

/** Adds a notification to a user's bell. Other modules may call it for things that are not messages. */
export async function createNotification(tx: Tx, input: NotificationInput): Promise<{ id: string }> {
  return tx
    .insertInto('notifications')
    .values({
      tenant_id: input.tenantId,
      user_id: input.userId,
      title: input.title.slice(0, 500),
      body: input.body,
      link: input.link ?? null,
      customer_id: input.customerId ?? null,
      message_id: input.messageId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}
