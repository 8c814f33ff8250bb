import {
  attachmentKindSchema,
  attachmentListSchema,
  attachmentParamSchema,
  attachmentSchema,
  idParamSchema,
  MAX_ATTACHMENT_BYTES,
  uploadAttachmentRequestSchema,
} from '@huikuan/core/contracts';
import type { ApiApp } from '../../app';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { requireActor, type Actor } from '../../platform/request-context';
import {
  addAttachmentIn,
  attachmentContentOrThrow,
  contentDisposition,
  listAttachments,
} from './attachments';

/** Base64 grows a file by a third; the JSON around it needs a little more. */
export const ATTACHMENT_BODY_LIMIT_BYTES = Math.ceil((MAX_ATTACHMENT_BYTES * 4) / 3) + 64 * 1024;

/** A record that carries attachments: invoices (签收单), receipts (bank slips), and the like. */
export type AttachmentHost = {
  /** Collection path, e.g. '/receipts'; routes go under `<path>/:id/attachments`. */
  path: string;
  tags: string[];
  entityType: string;
  /** The kind an upload gets when it names none. */
  defaultKind: 'sign_off' | 'remittance' | 'evidence' | 'other';
  /** Throws not_found when the record is absent or outside the actor's scope. */
  assertVisible(tx: Tx, actor: Actor, id: string): Promise<unknown>;
};

/**
 * List, upload and download for one kind of record, with the record's own visibility rule in front of each.
 * Downloads are served in a sandbox so an uploaded HTML file can never run as this site.
 */
export function registerAttachmentRoutes(app: ApiApp, deps: AppDeps, host: AttachmentHost): void {
  const { tags, entityType } = host;
  const uploadSchema = uploadAttachmentRequestSchema.extend({
    kind: attachmentKindSchema.default(host.defaultKind),
  });
  app.get(
    `${host.path}/:id/attachments`,
    { schema: { tags, params: idParamSchema, response: { 200: attachmentListSchema } } },
    (request) => {
      const actor = requireActor(request, 'records.read');
      return deps.db.tenant(actor.tenantId, async (tx) => {
        await host.assertVisible(tx, actor, request.params.id);
        return { items: await listAttachments(tx, actor.tenantId, entityType, request.params.id) };
      });
    },
  );
  app.post(
    `${host.path}/:id/attachments`,
    {
      schema: { tags, params: idParamSchema, body: uploadSchema, response: { 201: attachmentSchema } },
      bodyLimit: ATTACHMENT_BODY_LIMIT_BYTES,
    },
    async (request, reply) => {
      const actor = requireActor(request, 'records.write');
      const { id } = request.params;
      const attachment = await deps.db.tenant(actor.tenantId, async (tx) => {
        await host.assertVisible(tx, actor, id);
        return addAttachmentIn(tx, actor, { ...request.body, entityType, entityId: id });
      });
      return reply.status(201).send(attachment);
    },
  );
  app.get(
    `${host.path}/:id/attachments/:attachmentId/content`,
    { schema: { tags, params: attachmentParamSchema } },
    async (request, reply) => {
      const actor = requireActor(request, 'records.read');
      const { id, attachmentId } = request.params;
      const file = await deps.db.tenant(actor.tenantId, async (tx) => {
        await host.assertVisible(tx, actor, id);
        return attachmentContentOrThrow(tx, actor.tenantId, attachmentId, { entityType, entityId: id });
      });
      return reply
        .type(file.contentType)
        .header('content-disposition', contentDisposition(file.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .send(file.content);
    },
  );
}
