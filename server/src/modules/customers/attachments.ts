import { createHash } from 'node:crypto';
import { MAX_ATTACHMENT_BYTES, type Attachment, type AttachmentKind } from '@huikuan/core/contracts';
import type { Selectable } from 'kysely';
import type { AttachmentsTable } from '../../db/schema';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';

/**
 * Files attached to any record: a customer's business licence, an invoice's sign-off (签收单), a receipt's
 * remittance slip, a claim's evidence. These use cases take the owning record as (entityType, entityId) and run
 * inside the caller's transaction; the caller has already checked that the record exists and is in scope.
 */
export type NewAttachment = {
  entityType: string;
  entityId: string;
  kind: AttachmentKind;
  fileName: string;
  contentType: string;
  contentBase64: string;
};

export type AttachmentContent = Attachment & { content: Buffer };

const METADATA_COLUMNS = [
  'id',
  'entity_type',
  'entity_id',
  'kind',
  'file_name',
  'content_type',
  'size_bytes',
  'sha256',
  'uploaded_by_user_id',
  'created_at',
] as const;
type AttachmentMetadataRow = Pick<Selectable<AttachmentsTable>, (typeof METADATA_COLUMNS)[number]>;

function toAttachmentView(row: AttachmentMetadataRow): Attachment {
  return {
    id: row.id,
    entityType: row.entity_type,
    entityId: row.entity_id,
    kind: row.kind as AttachmentKind,
    fileName: row.file_name,
    contentType: row.content_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    uploadedByUserId: row.uploaded_by_user_id,
    createdAt: row.created_at.toISOString(),
  };
}

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', {}, [{ path, message }]);
}

/** Strict base64 (line breaks tolerated): Buffer.from would silently skip bad characters and store garbage. */
export function decodeBase64OrThrow(text: string, path = 'contentBase64'): Buffer {
  const compact = text.replace(/\r?\n/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    throw invalid(path, 'Not valid base64');
  }
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length > MAX_ATTACHMENT_BYTES) {
    throw invalid(path, `The file is larger than ${MAX_ATTACHMENT_BYTES} bytes`);
  }
  return bytes;
}

/** Only the last path segment, without control characters: the name is shown and sent back as a download name. */
export function cleanFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (base === '' || base === '.' || base === '..') throw invalid('fileName', 'A file name is required');
  return base.slice(0, 255);
}

export async function addAttachmentIn(tx: Tx, actor: Actor, input: NewAttachment): Promise<Attachment> {
  const content = decodeBase64OrThrow(input.contentBase64);
  const row = await tx
    .insertInto('attachments')
    .values({
      tenant_id: actor.tenantId,
      entity_type: input.entityType,
      entity_id: input.entityId,
      kind: input.kind,
      file_name: cleanFileName(input.fileName),
      content_type: input.contentType.toLowerCase(),
      size_bytes: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      content,
      uploaded_by_user_id: actor.userId,
    })
    .returning(METADATA_COLUMNS)
    .executeTakeFirstOrThrow();
  // The audit keeps the metadata and the hash, never the bytes.
  await recordAudit(tx, actor, {
    action: 'attachment.created',
    entityType: 'attachment',
    entityId: row.id,
    after: row,
  });
  return toAttachmentView(row);
}

/** Metadata of a record's attachments, oldest first; the bytes stay in the database until downloaded. */
export async function listAttachments(
  tx: Tx,
  tenantId: string,
  entityType: string,
  entityId: string,
): Promise<Attachment[]> {
  const rows = await tx
    .selectFrom('attachments')
    .select(METADATA_COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toAttachmentView);
}

/**
 * One attachment with its bytes. Pass `owner` to require that it belongs to that record: a route under
 * /customers/:id must not serve an invoice's file just because its ID was guessed.
 */
export async function attachmentContentOrThrow(
  tx: Tx,
  tenantId: string,
  attachmentId: string,
  owner?: { entityType: string; entityId: string },
): Promise<AttachmentContent> {
  let query = tx
    .selectFrom('attachments')
    .select([...METADATA_COLUMNS, 'content'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', attachmentId);
  if (owner) {
    query = query.where('entity_type', '=', owner.entityType).where('entity_id', '=', owner.entityId);
  }
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('attachment');
  return { ...toAttachmentView(row), content: Buffer.from(row.content) };
}

/**
 * Content-Disposition for a download: an ASCII fallback name plus the exact UTF-8 name (RFC 5987/6266), so
 * 营业执照.pdf arrives as 营业执照.pdf in every current browser.
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
