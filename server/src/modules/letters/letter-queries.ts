import type { Letter, LetterDetail } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { notFound } from '../../platform/errors';
import { recordScope, type Actor } from '../../platform/request-context';
import { customerScopeCondition, visibleCustomerOrThrow } from '../customers/customer-access';
import { letterFileName, toLetterView } from './archive-letter';

/**
 * Reading the archive. A letter belongs to its customer: outside the actor's record scope it answers 404 like one
 * that does not exist.
 */

const META_COLUMNS = [
  'l.id',
  'l.tenant_id',
  'l.kind',
  'l.customer_id',
  'l.invoice_ids',
  'l.as_of',
  'l.period_from',
  'l.locale',
  'l.title',
  'l.pdf_sha256',
  'l.source',
  'l.source_key',
  'l.dunning_action_id',
  'l.approval_request_id',
  'l.message_id',
  'l.created_by_user_id',
  'l.created_at',
] as const;

function visibleLetters(tx: Tx, actor: Actor) {
  return tx
    .selectFrom('letters as l')
    .innerJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'l.tenant_id').onRef('c.id', '=', 'l.customer_id'),
    )
    .where('l.tenant_id', '=', actor.tenantId)
    .where(customerScopeCondition(recordScope(actor), 'c'));
}

const pdfBytes = sql<number>`octet_length(l.pdf)`.as('pdf_bytes');

export async function letterViewIn(tx: Tx, actor: Actor, letterId: string): Promise<Letter> {
  const row = await visibleLetters(tx, actor)
    .select([...META_COLUMNS, pdfBytes])
    .where('l.id', '=', letterId)
    .executeTakeFirst();
  if (!row) throw notFound('letter');
  return toLetterView(row);
}

export async function getLetter(deps: AppDeps, actor: Actor, letterId: string): Promise<LetterDetail> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const row = await visibleLetters(tx, actor)
      .select([...META_COLUMNS, pdfBytes, 'l.html', 'l.body_text'])
      .where('l.id', '=', letterId)
      .executeTakeFirst();
    if (!row) throw notFound('letter');
    return { ...toLetterView(row), html: row.html, text: row.body_text };
  });
}

/** The archived bytes exactly as generated (and sent). */
export async function letterPdf(
  deps: AppDeps,
  actor: Actor,
  letterId: string,
): Promise<{ fileName: string; content: Buffer }> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const row = await visibleLetters(tx, actor)
      .select(['l.pdf', 'l.title', 'l.as_of', 'c.code'])
      .where('l.id', '=', letterId)
      .executeTakeFirst();
    if (!row) throw notFound('letter');
    return { fileName: letterFileName(row.title, row.code, row.as_of), content: Buffer.from(row.pdf) };
  });
}

/** A customer's letters, newest first (a customer's archive is small: a few a month). */
export async function listCustomerLetters(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
): Promise<{ items: Letter[] }> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    await visibleCustomerOrThrow(tx, actor, customerId);
    const rows = await visibleLetters(tx, actor)
      .select([...META_COLUMNS, pdfBytes])
      .where('l.customer_id', '=', customerId)
      .orderBy('l.created_at', 'desc')
      .orderBy('l.id', 'desc')
      .limit(500)
      .execute();
    return { items: rows.map(toLetterView) };
  });
}
