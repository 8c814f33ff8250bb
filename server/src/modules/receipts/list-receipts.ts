import { isCalendarDate } from '@huikuan/core';
import type { Receipt } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { AppDeps } from '../../platform/deps';
import { decodeCursor, pageFrom } from '../../platform/pagination';
import type { Actor } from '../../platform/request-context';
import { assertCursor, isUuid } from './receipt-support';
import { receiptDetailOrThrow, receiptRows, toReceiptView } from './receipt-view';

export type ReceiptListQuery = {
  customerId?: string | undefined;
  status?: 'pending' | 'confirmed' | 'reversed' | undefined;
  method?: string | undefined;
  receivedFrom?: string | undefined;
  receivedTo?: string | undefined;
  unallocatedOnly?: boolean | undefined;
  pool?: boolean | undefined;
  cursor?: string | undefined;
  limit: number;
};

/** Newest first by received date; one query per page, allocated amounts included. */
export async function listReceipts(
  deps: AppDeps,
  actor: Actor,
  query: ReceiptListQuery,
): Promise<{ items: Receipt[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, 2);
  const rows = await deps.db.tenant(actor.tenantId, (tx) => {
    let select = receiptRows(tx, actor);
    if (query.customerId) select = select.where('r.customer_id', '=', query.customerId);
    if (query.pool) select = select.where('r.customer_id', 'is', null);
    if (query.method) select = select.where('r.method', '=', query.method);
    if (query.receivedFrom) select = select.where('r.received_on', '>=', query.receivedFrom);
    if (query.receivedTo) select = select.where('r.received_on', '<=', query.receivedTo);
    if (query.status === 'reversed') select = select.where('rr.receipt_id', 'is not', null);
    if (query.status === 'pending' || query.status === 'confirmed') {
      select = select.where('r.status', '=', query.status).where('rr.receipt_id', 'is', null);
    }
    if (query.unallocatedOnly) {
      select = select
        .where('r.status', '=', 'confirmed')
        .where('rr.receipt_id', 'is', null)
        .where(
          sql<boolean>`r.amount_minor > coalesce((SELECT sum(a.amount_minor) FROM allocations a
            WHERE a.tenant_id = r.tenant_id AND a.receipt_id = r.id), 0)`,
        );
    }
    if (after) {
      const [receivedOn = '', id = ''] = after;
      assertCursor(isCalendarDate(receivedOn) && isUuid(id));
      select = select.where((eb) =>
        eb.or([
          eb('r.received_on', '<', receivedOn),
          eb.and([eb('r.received_on', '=', receivedOn), eb('r.id', '<', id)]),
        ]),
      );
    }
    return select
      .orderBy('r.received_on', 'desc')
      .orderBy('r.id', 'desc')
      .limit(query.limit + 1)
      .execute();
  });
  const page = pageFrom(rows, query.limit, (row) => [row.received_on, row.id]);
  return { items: page.items.map(toReceiptView), nextCursor: page.nextCursor };
}

export async function getReceipt(deps: AppDeps, actor: Actor, receiptId: string) {
  return deps.db.tenant(actor.tenantId, (tx) => receiptDetailOrThrow(tx, actor, receiptId));
}
