import type { WorklistPage, worklistQuerySchema } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { decodeCursor, pageFrom } from '../../platform/pagination';
import { recordScope, type Actor } from '../../platform/request-context';
import { likePattern } from '../contracts/ledger-input';
import { customerScopeCondition } from '../customers/customer-access';
import { refreshCases } from './case-refresh';
import { caseInvoices, caseQuery, toCaseView } from './case-views';
import { today } from './support';

/**
 * 催收工作台: the prioritised cases of a collector (the customer's owner, or the assigned collector) or, for a
 * manager, of everyone in their scope — highest score first, the overdue invoices beneath. It reads the precomputed
 * case rows through (tenant, collector, score desc) or (tenant, score desc) and the page's invoices in one more
 * statement, so it answers in the same time whatever the number of open items.
 */
export type WorklistQueryInput = z.output<typeof worklistQuerySchema>;

export async function listWorklist(
  deps: AppDeps,
  actor: Actor,
  query: WorklistQueryInput,
): Promise<WorklistPage> {
  const after = decodeCursor(query.cursor, 2);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const asOf = await today(tx, actor.tenantId, deps.clock);
    let refreshed = await lastRefresh(tx, actor.tenantId);
    // An organization whose cases were never computed (just started, before the hourly job's first turn) would
    // see an empty worklist although invoices are overdue: compute them once, now. Later reads stay cheap.
    if (!refreshed) {
      await refreshCases(tx, actor, asOf, null);
      refreshed = await lastRefresh(tx, actor.tenantId);
    }
    let select = caseQuery(tx, actor.tenantId)
      .where('cc.is_active', '=', true)
      .where(customerScopeCondition(recordScope(actor), 'c'));
    if (query.collector === 'mine') select = select.where('cc.collector_user_id', '=', actor.userId ?? '');
    else if (query.collector !== 'all') select = select.where('cc.collector_user_id', '=', query.collector);
    if (!query.includeSnoozed) {
      select = select.where((eb) =>
        eb.or([eb('cc.snoozed_until', 'is', null), eb('cc.snoozed_until', '<=', asOf)]),
      );
    }
    if (query.approach) select = select.where('cc.approach', '=', query.approach);
    if (query.delinquencyType) select = select.where('cc.delinquency_type', '=', query.delinquencyType);
    if (query.brokenPromiseOnly) select = select.where('cc.has_broken_promise', '=', true);
    if (query.minScore !== undefined) select = select.where('cc.score', '>=', query.minScore);
    if (query.search) {
      const pattern = `%${likePattern(query.search)}%`;
      select = select.where((eb) => eb.or([eb('c.name', 'ilike', pattern), eb('c.code', 'ilike', pattern)]));
    }
    if (after) {
      const [score = '0', customerId = ''] = after;
      select = select.where(
        sql<boolean>`(cc.score, cc.customer_id) < (${Number(score)}::int, ${customerId}::uuid)`,
      );
    }
    const rows = await select
      .orderBy('cc.score', 'desc')
      .orderBy('cc.customer_id', 'desc')
      .limit(query.limit + 1)
      .execute();
    const page = pageFrom(rows, query.limit, (row) => [String(row.score), row.customer_id]);
    const invoices = await caseInvoices(
      tx,
      actor.tenantId,
      page.items.map((row) => row.customer_id),
      asOf,
    );
    return {
      items: page.items.map((row) => ({ ...toCaseView(row), invoices: invoices.get(row.customer_id) ?? [] })),
      nextCursor: page.nextCursor,
      refreshedAt: refreshed?.refreshed_at.toISOString() ?? null,
    };
  });
}

function lastRefresh(tx: Tx, tenantId: string) {
  return tx
    .selectFrom('collection_case_refreshes')
    .select('refreshed_at')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}
