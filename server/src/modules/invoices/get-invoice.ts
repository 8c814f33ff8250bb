import type { CalendarDate } from '@huikuan/core';
import type { Attachment, InvoiceDetail, UploadAttachmentRequest } from '@huikuan/core/contracts';
import type { AppDeps } from '../../platform/deps';
import type { Actor } from '../../platform/request-context';
import { organizationToday } from '../contracts/ledger-input';
import {
  addAttachmentIn,
  attachmentContentOrThrow,
  listAttachments,
  type AttachmentContent,
} from '../customers/attachments';
import { visibleInvoiceOrThrow } from './invoice-access';
import { invoiceDetail } from './invoice-views';

/** The invoice as of a date (default today in the organization's time zone). */
export async function getInvoice(
  deps: AppDeps,
  actor: Actor,
  invoiceId: string,
  asOf?: CalendarDate,
): Promise<InvoiceDetail> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const row = await visibleInvoiceOrThrow(tx, actor, invoiceId);
    return invoiceDetail(
      tx,
      actor.tenantId,
      row,
      asOf ?? (await organizationToday(tx, actor.tenantId, deps.clock)),
    );
  });
}

const ENTITY_TYPE = 'invoice';

type UploadInput = Omit<UploadAttachmentRequest, 'kind' | 'contentType'> & {
  kind: NonNullable<UploadAttachmentRequest['kind']>;
  contentType: string;
};

/** 签收单 and other evidence attached to an invoice; allowed at any status, as evidence arrives after issuing. */
export async function addInvoiceAttachment(
  deps: AppDeps,
  actor: Actor,
  invoiceId: string,
  input: UploadInput,
): Promise<Attachment> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    await visibleInvoiceOrThrow(tx, actor, invoiceId);
    return addAttachmentIn(tx, actor, { ...input, entityType: ENTITY_TYPE, entityId: invoiceId });
  });
}

export async function listInvoiceAttachments(
  deps: AppDeps,
  actor: Actor,
  invoiceId: string,
): Promise<{ items: Attachment[] }> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    await visibleInvoiceOrThrow(tx, actor, invoiceId);
    return { items: await listAttachments(tx, actor.tenantId, ENTITY_TYPE, invoiceId) };
  });
}

export async function invoiceAttachmentContent(
  deps: AppDeps,
  actor: Actor,
  ids: { invoiceId: string; attachmentId: string },
): Promise<AttachmentContent> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    await visibleInvoiceOrThrow(tx, actor, ids.invoiceId);
    return attachmentContentOrThrow(tx, actor.tenantId, ids.attachmentId, {
      entityType: ENTITY_TYPE,
      entityId: ids.invoiceId,
    });
  });
}
