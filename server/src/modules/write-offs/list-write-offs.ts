import type { WriteOff, writeOffListQuerySchema } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { AppDeps } from '../../platform/deps';
import { decodeCursor, pageFrom } from '../../platform/pagination';
import type { Actor } from '../../platform/request-context';
import { toWriteOffView, writeOffRows } from './write-off-view';

export type WriteOffListQuery = z.output<typeof writeOffListQuerySchema>;

/** The write-off register (坏账核销台账), newest first: one query per page. */
export async function listWriteOffs(
  deps: AppDeps,
  actor: Actor,
  query: WriteOffListQuery,
): Promise<{ items: WriteOff[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, 2);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    let select = writeOffRows(tx, actor);
    if (query.customerId) select = select.where('i.customer_id', '=', query.customerId);
    if (query.from) select = select.where('wo.issued_on', '>=', query.from);
    if (query.to) select = select.where('wo.issued_on', '<=', query.to);
    if (query.outstandingOnly)
      select = select.where(sql<boolean>`wo.amount_minor > coalesce(rec.recovered_minor, 0)`);
    if (after) {
      const [issuedOn = '', id = ''] = after;
      select = select.where(sql<boolean>`(wo.issued_on, wo.id) < (${issuedOn}::date, ${id}::uuid)`);
    }
    const rows = await select
      .orderBy('wo.issued_on', 'desc')
      .orderBy('wo.id', 'desc')
      .limit(query.limit + 1)
      .execute();
    const page = pageFrom(rows, query.limit, (row) => [row.issued_on, row.id]);
    return { items: page.items.map(toWriteOffView), nextCursor: page.nextCursor };
  });
}
