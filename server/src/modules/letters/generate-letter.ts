import type { CalendarDate, LetterKind } from '@huikuan/core';
import type { Letter, LetterPreview } from '@huikuan/core/contracts';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { organizationToday } from '../contracts/ledger-input';
import { visibleCustomerOrThrow } from '../customers/customer-access';
import { archiveLetter, archivedLetterBySourceKey, lockSourceKey, sourceKeyOf } from './archive-letter';
import { letterViewIn } from './letter-queries';
import { letterModel, renderLetterDetail } from './render-letter';

export type ManualLetterRequest = {
  kind: LetterKind;
  locale: 'zh-CN' | 'en';
  asOf?: string | undefined;
  periodFrom?: string | undefined;
  invoiceIds?: string[] | undefined;
  isEmailed: boolean;
};

/** A 律师函 speaks for the company in law: only legal or an admin issue one by hand (the ladder asks them first). */
function assertMayIssue(actor: Actor, kind: LetterKind): void {
  if (kind === 'lawyer_letter' && actor.role !== 'legal' && actor.role !== 'admin') {
    throw new AppError('forbidden');
  }
}

async function requestOf(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  customerId: string,
  input: ManualLetterRequest,
) {
  const asOf =
    (input.asOf as CalendarDate | undefined) ?? (await organizationToday(tx, actor.tenantId, deps.clock));
  return {
    tenantId: actor.tenantId,
    kind: input.kind,
    customerId,
    invoiceIds: input.invoiceIds,
    asOf,
    locale: input.locale,
    periodFrom: input.periodFrom as CalendarDate | undefined,
  };
}

/** What the letter would say, as HTML, without writing anything. */
export async function previewCustomerLetter(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
  input: ManualLetterRequest,
): Promise<LetterPreview> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    await visibleCustomerOrThrow(tx, actor, customerId);
    const model = await letterModel(tx, await requestOf(tx, deps, actor, customerId, input));
    return { title: model.document.title, html: model.html, text: model.text };
  });
}

/**
 * Generates a letter by hand: renders it, archives it (with the PDF) and, if asked, queues the e-mail with the PDF
 * attached, all in one transaction. The Idempotency-Key (if sent) makes a retried request answer with the letter
 * it already made instead of a second one.
 */
export async function generateCustomerLetter(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
  input: ManualLetterRequest,
  requestKey: string,
): Promise<{ letter: Letter; isNew: boolean }> {
  assertMayIssue(actor, input.kind);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    await visibleCustomerOrThrow(tx, actor, customerId);
    const source = {
      kind: 'manual' as const,
      requestKey: `${actor.userId ?? actor.tokenId ?? ''}:${requestKey}`,
    };
    const key = sourceKeyOf(source, customerId);
    await lockSourceKey(tx, key);
    const existing = await archivedLetterBySourceKey(tx, actor.tenantId, key);
    if (existing) return { letter: await letterViewIn(tx, actor, existing.id), isNew: false };
    const request = await requestOf(tx, deps, actor, customerId, input);
    const rendered = await renderLetterDetail(tx, request);
    const letter = await archiveLetter(tx, {
      actor,
      request,
      rendered,
      source,
      isEmailed: input.isEmailed,
    });
    return { letter, isNew: true };
  });
}
