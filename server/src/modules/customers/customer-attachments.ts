import type { Attachment, uploadAttachmentRequestSchema } from '@huikuan/core/contracts';
import type { z } from 'zod';
import type { AppDeps } from '../../platform/deps';
import type { Actor } from '../../platform/request-context';
import { visibleCustomerOrThrow } from './customer-access';
import {
  addAttachmentIn,
  attachmentContentOrThrow,
  listAttachments,
  type AttachmentContent,
} from './attachments';

const ENTITY_TYPE = 'customer';

type UploadInput = z.output<typeof uploadAttachmentRequestSchema>;

/** The credit file's documents: business licence, sign-offs, evidence. */
export async function addCustomerAttachment(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
  input: UploadInput,
): Promise<Attachment> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    await visibleCustomerOrThrow(tx, actor, customerId);
    return addAttachmentIn(tx, actor, { ...input, entityType: ENTITY_TYPE, entityId: customerId });
  });
}

export async function listCustomerAttachments(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
): Promise<{ items: Attachment[] }> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    await visibleCustomerOrThrow(tx, actor, customerId);
    return { items: await listAttachments(tx, actor.tenantId, ENTITY_TYPE, customerId) };
  });
}

export async function customerAttachmentContent(
  deps: AppDeps,
  actor: Actor,
  ids: { customerId: string; attachmentId: string },
): Promise<AttachmentContent> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    await visibleCustomerOrThrow(tx, actor, ids.customerId);
    return attachmentContentOrThrow(tx, actor.tenantId, ids.attachmentId, {
      entityType: ENTITY_TYPE,
      entityId: ids.customerId,
    });
  });
}
