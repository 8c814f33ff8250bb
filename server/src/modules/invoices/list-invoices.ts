import type { CalendarDate } from '@huikuan/core';
import type { Invoice, invoiceListQuerySchema } from '@huikuan/core/contracts';
import { sql, type RawBuilder } from 'kysely';
import type { z } from 'zod';
import type { AppDeps } from '../../platform/deps';
import { decodeCursor, pageFrom } from '../../platform/pagination';
import { recordScope, type Actor } from '../../platform/request-context';
import { likePattern, organizationToday } from '../contracts/ledger-input';
import { customerScopeCondition } from '../customers/customer-access';
import { invoiceViews } from './invoice-views';

export type InvoiceListQuery = z.output<typeof invoiceListQuerySchema>;

const isVoided = sql<boolean>`EXISTS (SELECT 1 FROM invoice_voids v WHERE v.tenant_id = i.tenant_id AND v.invoice_id = i.id)`;

/**
 * Overdue as of `today`: issued, not void, past due and still open. The filter has to run in SQL to page
 * correctly; it follows the same rules as invoiceBalancesAsOf, which computes the balances shown on each row.
 */
function overdueCondition(today: CalendarDate): RawBuilder<boolean> {
  return sql<boolean>`(i.status = 'issued' AND NOT ${isVoided} AND i.due_date < ${today}::date
    AND i.invoice_date <= ${today}::date
    AND i.total_minor
      - coalesce((SELECT sum(cn.amount_minor) FROM credit_notes cn WHERE cn.tenant_id = i.tenant_id
                    AND cn.invoice_id = i.id AND cn.status = 'posted' AND cn.issued_on <= ${today}::date), 0)
      - coalesce((SELECT sum(a.amount_minor) FROM allocations a WHERE a.tenant_id = i.tenant_id
                    AND a.invoice_id = i.id AND a.allocated_on <= ${today}::date), 0) > 0)`;
}

/**
 * Invoices of customers in the actor's scope, newest invoice date first. A page costs three queries whatever its
 * size: today, the rows, and the open balances of all its invoices at once.
 */
export async function listInvoices(
  deps: AppDeps,
  actor: Actor,
  query: InvoiceListQuery,
): Promise<{ items: Invoice[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, 2);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const today = await organizationToday(tx, actor.tenantId, deps.clock);
    let select = tx
      .selectFrom('invoices as i')
      .innerJoin('customers as c', (join) =>
        join.onRef('c.tenant_id', '=', 'i.tenant_id').onRef('c.id', '=', 'i.customer_id'),
      )
      .selectAll('i')
      .select(['c.code as customer_code', 'c.name as customer_name'])
      .where('i.tenant_id', '=', actor.tenantId)
      .where(customerScopeCondition(recordScope(actor), 'c'));
    if (query.customerId) select = select.where('i.customer_id', '=', query.customerId);
    if (query.contractId) select = select.where('i.contract_id', '=', query.contractId);
    if (query.status === 'draft') select = select.where('i.status', '=', 'draft');
    if (query.status === 'issued')
      select = select.where('i.status', '=', 'issued').where(sql<boolean>`NOT ${isVoided}`);
    if (query.status === 'void') select = select.where(isVoided);
    if (query.overdue === 'true') select = select.where(overdueCondition(today));
    if (query.overdue === 'false') select = select.where(sql<boolean>`NOT ${overdueCondition(today)}`);
    if (query.dueFrom) select = select.where('i.due_date', '>=', query.dueFrom);
    if (query.dueTo) select = select.where('i.due_date', '<=', query.dueTo);
    if (query.search) select = select.where('i.number', 'ilike', likePattern(query.search));
    if (after) {
      const [invoiceDate = '', id = ''] = after;
      select = select.where((eb) =>
        eb.or([
          eb('i.invoice_date', '<', invoiceDate),
          eb.and([eb('i.invoice_date', '=', invoiceDate), eb('i.id', '<', id)]),
        ]),
      );
    }
    const rows = await select
      .orderBy('i.invoice_date', 'desc')
      .orderBy('i.id', 'desc')
      .limit(query.limit + 1)
      .execute();
    const page = pageFrom(rows, query.limit, (row) => [row.invoice_date, row.id]);
    return { items: await invoiceViews(tx, actor.tenantId, page.items, today), nextCursor: page.nextCursor };
  });
}
