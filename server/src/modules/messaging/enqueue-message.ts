import { randomUUID } from 'node:crypto';
import type { MessageChannel } from '@huikuan/core';
import type { MessageSourceKind } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';
import { arrayLiteral, textArrayLiteral } from '../dunning/array-literals';
import { loadRecipientBook, ownerCc, recipientFromBook, type Recipient } from './recipients';

/**
 * Puts messages into the outbox inside the caller's transaction and does nothing else: no network. The delivery
 * worker sends them after the transaction commits, so a rolled-back decision never sends and a committed one is
 * never lost. In-app messages are the exception that proves the rule: "delivering" one is a row in this same
 * database, so its notification is written here, at once and exactly once.
 *
 * Many messages cost a fixed number of statements (a dunning run may enqueue thousands): one lookup of what the
 * sources already sent, four for recipients, then set-based inserts in chunks.
 */
export type EnqueueMessageInput = {
  tenantId: string;
  customerId: string | null;
  invoiceId?: string | null;
  channel: MessageChannel;
  /** An email address, phone number or user id; by default the customer's contact for the channel (or owner). */
  recipient?: string;
  /** Copy the customer's owner (负责人) on email. */
  ccOwner?: boolean;
  subject: string;
  bodyText: string;
  bodyHtml?: string | null;
  attachments?: readonly { filename: string; contentType: string; content: Uint8Array }[];
  /** For template-only channels (SMS): which template purpose and its variables. */
  template?: { key: string; params: Record<string, string> };
  /** What decided to send it; the same dunning action, letter or statement enqueues once per channel. */
  source: { kind: MessageSourceKind; id: string | null };
  createdByUserId?: string | null;
  /** A path in the web app for in-app notifications; defaults to the invoice's or the customer's page. */
  link?: string | null;
};

export type EnqueuedMessage = { messageId: string; status: 'queued' | 'sent' | 'failed' };

const DEDUPLICATED_SOURCES: ReadonlySet<MessageSourceKind> = new Set([
  'dunning_action',
  'letter',
  'statement',
]);
/** As literals: the partial index's predicate is proven from them (outbound_messages_source_idx, migration 0012). */
const DEDUPLICATED_KINDS_SQL = sql.join([...DEDUPLICATED_SOURCES].map((kind) => sql.lit(kind)));
const CHUNK = 5_000;

const sourceKey = (kind: string, id: string, channel: string) => `${kind}|${id}|${channel}`;
const isDeduplicated = (input: EnqueueMessageInput) =>
  input.source.id !== null && DEDUPLICATED_SOURCES.has(input.source.kind);

/**
 * What these sources have already enqueued, one index probe per source. Written as a lateral lookup on the whole
 * key, because a dunning run fills the table faster than statistics follow: planned for a table of "one row", a
 * plain `source_id = ANY(…)` became a filter over every deduplicated message of the tenant (15–25 ms a batch at
 * 14,000 messages, 1.5 s of a catch-up run), the lookup below 1 ms. The kinds list repeats the partial index's
 * predicate so the index applies; OFFSET 0 keeps the lookup per source.
 */
async function alreadyEnqueued(
  tx: Tx,
  tenantId: string,
  inputs: readonly EnqueueMessageInput[],
): Promise<Map<string, EnqueuedMessage>> {
  const sources = new Map<string, { kind: string; id: string }>();
  for (const input of inputs)
    if (isDeduplicated(input))
      sources.set(`${input.source.kind}|${input.source.id}`, {
        kind: input.source.kind,
        id: input.source.id as string,
      });
  if (sources.size === 0) return new Map();
  const rows = (
    await sql<{ id: string; status: string; source_kind: string; source_id: string | null; channel: string }>`
      SELECT m.id, m.status, m.source_kind, m.source_id, m.channel
      FROM unnest(${[...sources.values()].map((source) => source.kind)}::text[],
        ${[...sources.values()].map((source) => source.id)}::uuid[]) AS s (kind, id)
      CROSS JOIN LATERAL (
        SELECT m.id, m.status, m.source_kind, m.source_id, m.channel FROM outbound_messages m
        WHERE m.tenant_id = ${tenantId} AND m.source_kind IN (${DEDUPLICATED_KINDS_SQL})
          AND m.source_kind = s.kind AND m.source_id = s.id
        OFFSET 0
      ) m`.execute(tx)
  ).rows;
  return new Map(
    rows.map((row) => [
      sourceKey(row.source_kind, row.source_id ?? '', row.channel),
      { messageId: row.id, status: row.status === 'sent' || row.status === 'queued' ? row.status : 'failed' },
    ]),
  );
}

type NewRow = {
  id: string;
  input: EnqueueMessageInput;
  recipient: Recipient;
  cc: string;
  status: EnqueuedMessage['status'];
  notificationId: string | null;
};

function newRow(input: EnqueueMessageInput, book: Awaited<ReturnType<typeof loadRecipientBook>>): NewRow {
  const recipient = recipientFromBook(book, input.customerId, input.channel, input.recipient);
  const cc =
    input.ccOwner && input.channel === 'email'
      ? (ownerCc(book, input.customerId, recipient.address)[0] ?? '')
      : '';
  const isInApp = recipient.ok && input.channel === 'in_app';
  return {
    id: randomUUID(),
    input,
    recipient,
    cc,
    status: !recipient.ok ? 'failed' : isInApp ? 'sent' : 'queued',
    notificationId: isInApp ? randomUUID() : null,
  };
}

export async function enqueueMessages(
  tx: Tx,
  tenantId: string,
  inputs: readonly EnqueueMessageInput[],
): Promise<EnqueuedMessage[]> {
  if (inputs.length === 0) return [];
  const existing = await alreadyEnqueued(tx, tenantId, inputs);
  const book = await loadRecipientBook(
    tx,
    tenantId,
    inputs.flatMap((input) => (input.customerId === null ? [] : [input.customerId])),
    inputs.flatMap((input) =>
      input.channel === 'in_app' && input.recipient !== undefined ? [input.recipient] : [],
    ),
  );
  const results: EnqueuedMessage[] = [];
  const fresh: NewRow[] = [];
  for (const input of inputs) {
    const key = isDeduplicated(input)
      ? sourceKey(input.source.kind, input.source.id ?? '', input.channel)
      : null;
    const known = key === null ? undefined : existing.get(key);
    if (known) {
      results.push(known);
      continue;
    }
    const row = newRow(input, book);
    fresh.push(row);
    const result = { messageId: row.id, status: row.status };
    results.push(result);
    if (key !== null) existing.set(key, result);
  }
  for (let start = 0; start < fresh.length; start += CHUNK) {
    const chunk = fresh.slice(start, start + CHUNK);
    await insertMessages(tx, tenantId, chunk);
    await insertInAppDeliveries(tx, tenantId, chunk);
  }
  await insertAttachments(tx, tenantId, fresh);
  return results;
}

export async function enqueueMessage(tx: Tx, input: EnqueueMessageInput): Promise<EnqueuedMessage> {
  const [result] = await enqueueMessages(tx, input.tenantId, [input]);
  if (!result) throw new Error('enqueueMessages answered nothing for one message');
  return result;
}

async function insertMessages(tx: Tx, tenantId: string, rows: readonly NewRow[]): Promise<void> {
  // Ready-made array literals: the driver would quote and escape each of a catch-up batch's elements one by one (the
  // largest of its array allocations in a first run's profile). Nullable columns travel as '' and become NULL again
  // in SQL.
  const column = (pick: (row: NewRow) => string | null | undefined) =>
    textArrayLiteral(rows.map((row) => pick(row) ?? ''));
  await sql`
    INSERT INTO outbound_messages (tenant_id, id, customer_id, invoice_id, channel, recipient, recipient_name, cc,
      subject, body_text, body_html, template_key, template_params, source_kind, source_id, status, attempts,
      last_error, provider_message_id, created_by_user_id, sent_at)
    SELECT ${tenantId}::uuid, v.id, nullif(v.customer_id, '')::uuid, nullif(v.invoice_id, '')::uuid, v.channel,
      nullif(v.recipient, ''), nullif(v.recipient_name, ''),
      CASE WHEN v.cc = '' THEN '{}'::text[] ELSE ARRAY[v.cc] END,
      v.subject, v.body_text, nullif(v.body_html, ''), nullif(v.template_key, ''), nullif(v.template_params, '')::jsonb,
      v.source_kind, nullif(v.source_id, '')::uuid, v.status, CASE WHEN v.status = 'sent' THEN 1 ELSE 0 END,
      nullif(v.last_error, ''), nullif(v.provider_message_id, ''), nullif(v.created_by, '')::uuid,
      CASE WHEN v.status = 'sent' THEN now() END
    FROM unnest(
      ${arrayLiteral(rows.map((r) => r.id))}::uuid[], ${column((r) => r.input.customerId)}::text[],
      ${column((r) => r.input.invoiceId)}::text[], ${column((r) => r.input.channel)}::text[],
      ${column((r) => (r.recipient.ok ? r.recipient.address : null))}::text[],
      ${column((r) => r.recipient.name)}::text[], ${column((r) => r.cc)}::text[],
      ${column((r) => r.input.subject)}::text[], ${column((r) => r.input.bodyText)}::text[],
      ${column((r) => r.input.bodyHtml)}::text[], ${column((r) => r.input.template?.key)}::text[],
      ${column((r) => (r.input.template ? JSON.stringify(r.input.template.params) : null))}::text[],
      ${column((r) => r.input.source.kind)}::text[], ${column((r) => r.input.source.id)}::text[],
      ${column((r) => r.status)}::text[],
      ${column((r) => (r.recipient.ok ? null : r.recipient.reason))}::text[],
      ${column((r) => r.notificationId)}::text[], ${column((r) => r.input.createdByUserId)}::text[]
    ) AS v (id, customer_id, invoice_id, channel, recipient, recipient_name, cc, subject, body_text, body_html,
      template_key, template_params, source_kind, source_id, status, last_error, provider_message_id, created_by)`.execute(
    tx,
  );
}

function defaultLink(input: EnqueueMessageInput): string {
  if (input.link) return input.link;
  if (input.invoiceId) return `/invoices/${input.invoiceId}`;
  if (input.customerId) return `/customers/${input.customerId}`;
  return '';
}

/** The in-app messages of this chunk, delivered: their notifications and their one (successful) attempt each. */
async function insertInAppDeliveries(tx: Tx, tenantId: string, rows: readonly NewRow[]): Promise<void> {
  const delivered = rows.filter((row) => row.notificationId !== null && row.recipient.address !== null);
  if (delivered.length === 0) return;
  const column = (pick: (row: NewRow) => string | null | undefined) =>
    delivered.map((row) => pick(row) ?? '');
  await sql`
    INSERT INTO notifications (tenant_id, id, user_id, title, body, link, customer_id, message_id)
    SELECT ${tenantId}::uuid, v.id, v.user_id, left(v.title, 500), v.body, nullif(v.link, ''),
      nullif(v.customer_id, '')::uuid, v.message_id
    FROM unnest(${column((r) => r.notificationId)}::uuid[], ${column((r) => r.recipient.address)}::uuid[],
      ${column((r) => r.input.subject)}::text[], ${column((r) => r.input.bodyText)}::text[],
      ${column((r) => defaultLink(r.input))}::text[], ${column((r) => r.input.customerId)}::text[],
      ${column((r) => r.id)}::uuid[]) AS v (id, user_id, title, body, link, customer_id, message_id)`.execute(
    tx,
  );
  await sql`
    INSERT INTO outbound_message_attempts (tenant_id, message_id, started_at, finished_at, outcome, provider_message_id)
    SELECT ${tenantId}::uuid, v.message_id, now(), now(), 'sent', v.notification_id
    FROM unnest(${column((r) => r.id)}::uuid[], ${column((r) => r.notificationId)}::text[])
      AS v (message_id, notification_id)`.execute(tx);
}

async function insertAttachments(tx: Tx, tenantId: string, rows: readonly NewRow[]): Promise<void> {
  const values = rows.flatMap((row) =>
    (row.input.attachments ?? []).map((attachment, position) => ({
      tenant_id: tenantId,
      message_id: row.id,
      position,
      filename: attachment.filename,
      content_type: attachment.contentType,
      size_bytes: attachment.content.byteLength,
      content: Buffer.from(attachment.content),
    })),
  );
  if (values.length > 0) await tx.insertInto('outbound_message_attachments').values(values).execute();
}
