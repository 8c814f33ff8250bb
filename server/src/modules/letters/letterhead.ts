import type { LetterCompany } from '@huikuan/core';
import { MAX_SEAL_BYTES, type Letterhead, type LetterheadInput } from '@huikuan/core/contracts';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { AppError, notFound } from '../../platform/errors';
import type { PdfSeal } from '../../platform/pdf';
import type { Actor } from '../../platform/request-context';

/**
 * 信头 and 公章: who the letters are from, where to pay, and the seal printed over the signature. Admins and finance
 * keep them (every change audited); everyone who may write letters reads them through the letters they render.
 */

export function requireLetterAdmin(actor: Actor): void {
  if (actor.role !== 'admin' && actor.role !== 'finance') throw new AppError('forbidden');
}

type LetterheadRow = {
  legal_name: string;
  address: string | null;
  phone: string | null;
  email: string | null;
  tax_id: string | null;
  bank_name: string | null;
  bank_account: string | null;
  signatory: string | null;
  seal_content_type: string | null;
  seal_image: Uint8Array | null;
  updated_at: Date;
};

async function letterheadRow(tx: Tx, tenantId: string): Promise<LetterheadRow | undefined> {
  return tx.selectFrom('letterheads').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
}

async function organizationName(tx: Tx, tenantId: string): Promise<string> {
  const org = await tx
    .selectFrom('organizations')
    .select('name')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  if (!org) throw notFound('organization');
  return org.name;
}

function sealOf(row: LetterheadRow | undefined): PdfSeal | null {
  if (!row?.seal_image || !row.seal_content_type) return null;
  return { contentType: row.seal_content_type as PdfSeal['contentType'], bytes: row.seal_image };
}

/** What a letter prints: the saved letterhead, or the organization's name alone until one is saved. */
export async function letterSender(
  tx: Tx,
  tenantId: string,
): Promise<{ company: LetterCompany; seal: PdfSeal | null }> {
  const row = await letterheadRow(tx, tenantId);
  if (!row) {
    const name = await organizationName(tx, tenantId);
    const none = { address: null, phone: null, email: null, taxId: null, bankName: null, bankAccount: null };
    return { company: { name, ...none, signatory: null }, seal: null };
  }
  return {
    company: {
      name: row.legal_name,
      address: row.address,
      phone: row.phone,
      email: row.email,
      taxId: row.tax_id,
      bankName: row.bank_name,
      bankAccount: row.bank_account,
      signatory: row.signatory,
    },
    seal: sealOf(row),
  };
}

function toView(row: LetterheadRow | undefined, fallbackName: string): Letterhead {
  const seal = sealOf(row);
  return {
    legalName: row?.legal_name ?? fallbackName,
    address: row?.address ?? null,
    phone: row?.phone ?? null,
    email: row?.email ?? null,
    taxId: row?.tax_id ?? null,
    bankName: row?.bank_name ?? null,
    bankAccount: row?.bank_account ?? null,
    signatory: row?.signatory ?? null,
    seal: seal ? { contentType: seal.contentType, sizeBytes: seal.bytes.byteLength } : null,
    isConfigured: row !== undefined,
    updatedAt: row?.updated_at.toISOString() ?? null,
  };
}

export async function getLetterhead(deps: AppDeps, actor: Actor): Promise<Letterhead> {
  return deps.db.tenant(actor.tenantId, async (tx) =>
    toView(await letterheadRow(tx, actor.tenantId), await organizationName(tx, actor.tenantId)),
  );
}

/** The audit trail keeps the seal's size and type, not its bytes. */
function auditable(row: LetterheadRow | undefined) {
  if (!row) return null;
  const { seal_image: image, ...rest } = row;
  return { ...rest, seal_bytes: image?.byteLength ?? null };
}

export async function saveLetterhead(
  deps: AppDeps,
  actor: Actor,
  input: LetterheadInput,
): Promise<Letterhead> {
  requireLetterAdmin(actor);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await letterheadRow(tx, actor.tenantId);
    const values = {
      legal_name: input.legalName,
      address: input.address,
      phone: input.phone,
      email: input.email,
      tax_id: input.taxId,
      bank_name: input.bankName,
      bank_account: input.bankAccount,
      signatory: input.signatory,
      updated_by_user_id: actor.userId,
      updated_at: deps.clock.now(),
    };
    const after = await tx
      .insertInto('letterheads')
      .values({ tenant_id: actor.tenantId, ...values })
      .onConflict((conflict) => conflict.column('tenant_id').doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'letterhead.saved',
      entityType: 'letterhead',
      entityId: actor.tenantId,
      before: auditable(before),
      after: auditable(after),
    });
    return toView(after, after.legal_name);
  });
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((byte, index) => bytes[index] === byte);
}

/** The image's type from its first bytes, whatever the upload claims; anything else is refused. */
export function sealContentTypeOrThrow(bytes: Uint8Array): PdfSeal['contentType'] {
  const issue = (message: string) =>
    new AppError('validation_failed', {}, [{ path: 'contentBase64', message }]);
  if (bytes.byteLength > MAX_SEAL_BYTES) throw issue(`At most ${MAX_SEAL_BYTES} bytes`);
  // A PNG must at least hold its signature and an IHDR chunk; a JPEG its SOI marker and an end.
  if (bytes.byteLength >= 33 && startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (bytes.byteLength >= 8 && startsWith(bytes, JPEG_SIGNATURE)) return 'image/jpeg';
  throw issue('Must be a PNG or JPEG image');
}

export async function setSeal(
  deps: AppDeps,
  actor: Actor,
  contentBase64: string | null,
): Promise<Letterhead> {
  requireLetterAdmin(actor);
  const bytes = contentBase64 === null ? null : new Uint8Array(Buffer.from(contentBase64, 'base64'));
  const contentType = bytes === null ? null : sealContentTypeOrThrow(bytes);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await letterheadRow(tx, actor.tenantId);
    const values = {
      seal_image: bytes,
      seal_content_type: contentType,
      updated_by_user_id: actor.userId,
      updated_at: deps.clock.now(),
    };
    const after = await tx
      .insertInto('letterheads')
      .values({
        tenant_id: actor.tenantId,
        legal_name: await organizationName(tx, actor.tenantId),
        ...values,
      })
      .onConflict((conflict) => conflict.column('tenant_id').doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: bytes === null ? 'letterhead.seal_removed' : 'letterhead.seal_uploaded',
      entityType: 'letterhead',
      entityId: actor.tenantId,
      before: auditable(before),
      after: auditable(after),
    });
    return toView(after, after.legal_name);
  });
}

export async function sealImageOrThrow(deps: AppDeps, actor: Actor): Promise<PdfSeal> {
  const seal = await deps.db.tenant(actor.tenantId, async (tx) =>
    sealOf(await letterheadRow(tx, actor.tenantId)),
  );
  if (!seal) throw notFound('seal');
  return seal;
}
