import { createHash, randomUUID } from 'node:crypto';
import type { CalendarDate } from '@huikuan/core';
import type { Letter } from '@huikuan/core/contracts';
import { sql, type Selectable } from 'kysely';
import type { LettersTable } from '../../db/schema/letters';
import { recordAudit, type AuditActor } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import { enqueueMessage } from '../messaging';
import type { RenderedLetterDetail, RenderLetterInput } from './render-letter';

export type LetterSource =
  | { kind: 'manual'; requestKey: string }
  | { kind: 'dunning_action'; key: string; actionId: string }
  | { kind: 'approval'; approvalRequestId: string }
  | { kind: 'scheduled_statement'; month: string };

export function sourceKeyOf(source: LetterSource, customerId: string): string {
  switch (source.kind) {
    case 'manual':
      return `manual:${source.requestKey}`;
    case 'dunning_action':
      return source.key;
    case 'approval':
      return `approval:${source.approvalRequestId}`;
    case 'scheduled_statement':
      return `statement:${customerId}:${source.month}`;
  }
}

export function toLetterView(
  row: Omit<Selectable<LettersTable>, 'pdf' | 'html' | 'body_text'> & { pdf_bytes: number },
): Letter {
  return {
    id: row.id,
    kind: row.kind as Letter['kind'],
    customerId: row.customer_id,
    invoiceIds: row.invoice_ids,
    asOf: row.as_of as CalendarDate,
    periodFrom: row.period_from as CalendarDate | null,
    locale: row.locale as Letter['locale'],
    title: row.title,
    source: row.source as Letter['source'],
    sourceRef:
      row.dunning_action_id ??
      row.approval_request_id ??
      (row.source === 'scheduled_statement' ? (row.source_key.split(':').at(-1) ?? null) : null),
    createdByUserId: row.created_by_user_id,
    createdAt: row.created_at.toISOString(),
    pdfBytes: row.pdf_bytes,
    messageId: row.message_id,
  };
}

/** Serialises work on one source key across transactions, so check-then-insert cannot race (PGlite and PostgreSQL). */
export async function lockSourceKey(tx: Tx, key: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`letters:${key}`}, 0))`.execute(tx);
}

export async function archivedLetterBySourceKey(tx: Tx, tenantId: string, key: string) {
  return tx
    .selectFrom('letters')
    .select(['id', 'message_id'])
    .where('tenant_id', '=', tenantId)
    .where('source_key', '=', key)
    .executeTakeFirst();
}

export function letterFileName(title: string, customerCode: string, asOf: string): string {
  return `${title}-${customerCode}-${asOf}.pdf`.replace(/[\\/:*?"<>|\s]+/g, '_');
}

export type ArchiveLetterInput = {
  actor: AuditActor;
  request: RenderLetterInput;
  rendered: RenderedLetterDetail;
  source: LetterSource;
  /** Queue an e-mail with the PDF to the customer's contact (owner in copy), in this transaction. */
  isEmailed: boolean;
  /** The id the letter must have: a dunning action already points at it (a letter rendered after the run). */
  letterId?: string;
};

function emailBody(input: ArchiveLetterInput): string {
  const isZh = input.request.locale === 'zh-CN';
  const note = isZh
    ? `附件为《${input.rendered.title}》（PDF），请查收。`
    : `Please find attached our ${input.rendered.title} (PDF).`;
  return `${note}\n\n${input.rendered.text}`;
}

/**
 * Writes the letter to the archive (insert-only) and, if asked, queues its e-mail with the PDF attached in the same
 * transaction: the letter and its message exist together or not at all. The caller holds the source key's lock and
 * has checked that no letter carries it yet.
 */
export async function archiveLetter(tx: Tx, input: ArchiveLetterInput): Promise<Letter> {
  const { request, rendered, source } = input;
  const id = input.letterId ?? randomUUID();
  const fileName = letterFileName(rendered.title, rendered.customerCode, request.asOf);
  const message = input.isEmailed
    ? await enqueueMessage(tx, {
        tenantId: request.tenantId,
        customerId: request.customerId,
        channel: 'email',
        ccOwner: true,
        subject: rendered.title,
        bodyText: emailBody(input),
        bodyHtml: rendered.html,
        attachments: [{ filename: fileName, contentType: 'application/pdf', content: rendered.pdf }],
        source: { kind: request.kind === 'statement' ? 'statement' : 'letter', id },
        createdByUserId: input.actor.userId,
      })
    : null;
  const row = await tx
    .insertInto('letters')
    .values({
      tenant_id: request.tenantId,
      id,
      kind: request.kind,
      customer_id: request.customerId,
      invoice_ids: rendered.invoiceIds,
      as_of: request.asOf,
      period_from: rendered.periodFrom,
      locale: request.locale,
      title: rendered.title,
      pdf: rendered.pdf,
      pdf_sha256: createHash('sha256').update(rendered.pdf).digest('hex'),
      html: rendered.html,
      body_text: rendered.text,
      source: source.kind,
      source_key: sourceKeyOf(source, request.customerId),
      dunning_action_id: source.kind === 'dunning_action' ? source.actionId : null,
      approval_request_id: source.kind === 'approval' ? source.approvalRequestId : null,
      message_id: message?.messageId ?? null,
      created_by_user_id: input.actor.userId,
    })
    .returning([
      'id',
      'tenant_id',
      'kind',
      'customer_id',
      'invoice_ids',
      'as_of',
      'period_from',
      'locale',
      'title',
      'pdf_sha256',
      'source',
      'source_key',
      'dunning_action_id',
      'approval_request_id',
      'message_id',
      'created_by_user_id',
      'created_at',
    ])
    .executeTakeFirstOrThrow();
  const view = toLetterView({ ...row, pdf_bytes: rendered.pdf.byteLength });
  await recordAudit(tx, input.actor, {
    action: 'letter.generated',
    entityType: 'letter',
    entityId: row.id,
    after: { ...view, pdfSha256: row.pdf_sha256, totals: rendered.totals },
  });
  return view;
}
