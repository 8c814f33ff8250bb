import { minorToDecimalString, type RecordScope } from '@huikuan/core';
import type { OverdueCustomer, TopOverdueQuery, TopOverdueReport } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import { todayIn } from '../../platform/clock';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { recordScope, type Actor } from '../../platform/request-context';
import { loadAgingContext } from '../aging/aging-settings';
import { openItemsCte } from '../aging/open-items';
import type { ReportFilter } from '../aging/report-filter';

/**
 * The customers with the most money past due (due-date basis) as of a date: one aggregate over the open items,
 * ranked and cut in SQL per currency, so a 20,000-customer ledger sends back only the rows asked for.
 */

export function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** The currencies that appear, base currency first, then in code-point order. */
export function currencyOrder(currencies: readonly string[], baseCurrency: string): string[] {
  return [...new Set(currencies)].sort(
    (a, b) => Number(b === baseCurrency) - Number(a === baseCurrency) || byCodePoint(a, b),
  );
}

export type OverdueRow = {
  customer_id: string;
  code: string;
  name: string;
  currency: string;
  open_minor: bigint;
  overdue_minor: bigint;
  oldest_days: number;
  overdue_count: number;
};

export function overdueCustomerOf(row: OverdueRow): { customer: OverdueCustomer; overdueMinor: bigint } {
  return {
    overdueMinor: row.overdue_minor,
    customer: {
      customerId: row.customer_id,
      code: row.code,
      name: row.name,
      overdue: minorToDecimalString(row.overdue_minor, row.currency),
      open: minorToDecimalString(row.open_minor, row.currency),
      oldestDaysPastDue: row.oldest_days,
      overdueInvoices: row.overdue_count,
    },
  };
}

export async function topOverdueRows(
  tx: Tx,
  tenantId: string,
  scope: RecordScope,
  params: { asOf: string; limit: number; filter: ReportFilter },
): Promise<OverdueRow[]> {
  const result = await sql<OverdueRow>`
    ${openItemsCte(tenantId, params.asOf, 'due_date', scope, params.filter)},
    per_customer AS (
      SELECT o.customer_id, o.currency, sum(o.open_minor)::bigint AS open_minor,
        coalesce(sum(o.open_minor) FILTER (WHERE o.days_past_due > 0), 0)::bigint AS overdue_minor,
        max(o.days_past_due)::int AS oldest_days,
        (count(*) FILTER (WHERE o.days_past_due > 0))::int AS overdue_count
      FROM open_items o
      GROUP BY o.customer_id, o.currency
    ),
    ranked AS (
      SELECT p.*, c.code, c.name,
        row_number() OVER (PARTITION BY p.currency ORDER BY p.overdue_minor DESC, c.code) AS rank
      FROM per_customer p JOIN customers c ON c.tenant_id = ${tenantId} AND c.id = p.customer_id
      WHERE p.overdue_minor > 0
    )
    SELECT r.customer_id, r.code, r.name, r.currency, r.open_minor, r.overdue_minor, r.oldest_days,
      r.overdue_count
    FROM ranked r WHERE r.rank <= ${params.limit}
    ORDER BY r.currency, r.rank`.execute(tx);
  return result.rows;
}

export async function topOverdueCustomers(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  query: TopOverdueQuery,
): Promise<TopOverdueReport> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const context = await loadAgingContext(tx, actor.tenantId);
    const asOf = query.asOf ?? todayIn(deps.clock, context.timezone);
    const filter = { teamId: query.teamId, salespersonId: query.salespersonId };
    const rows = await topOverdueRows(tx, actor.tenantId, recordScope(actor), {
      asOf,
      limit: query.limit,
      filter,
    });
    return {
      asOf,
      currencies: currencyOrder(
        rows.map((row) => row.currency),
        context.baseCurrency,
      ).map((currency) => ({
        currency,
        customers: rows
          .filter((row) => row.currency === currency)
          .map((row) => overdueCustomerOf(row).customer),
      })),
    };
  });
}
