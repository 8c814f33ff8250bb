import { minorToDecimalString, type RecordScope, byCodePoint } from '@huikuan/core';
import type { OverdueCustomer, TopOverdueQuery, TopOverdueReport } from '@huikuan/core/contracts';
import { todayIn } from '../../platform/clock';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { recordScope, type Actor } from '../../platform/request-context';
import { loadAgingContext } from '../aging/aging-settings';
import { dayOf, ledgerView, type CustomerInfo, type LedgerView } from '../aging/ledger-cache';
import { customerAges, openItemsAt, toMinor, type CustomerAges } from '../aging/ledger-scan';
import type { ReportFilter } from '../aging/report-filter';

/**
 * The customers with the most money past due (due-date basis) as of a date, from the ledger copy
 * (aging/ledger-cache.ts): one statement brings it up to date, the ranking is a loop.
 */

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

/**
 * The customers with the most past due per currency, as of a date: one pass over the ledger copy (one refresh
 * statement), ranked in memory (overdue descending, then code).
 */
export async function topOverdueRows(
  tx: Tx,
  tenantId: string,
  scope: RecordScope,
  params: { asOf: string; limit: number; filter: ReportFilter },
): Promise<OverdueRow[]> {
  const view = await ledgerView(tx, tenantId, { scope, filter: params.filter });
  const asOfDay = dayOf(params.asOf);
  const ages = customerAges(view, asOfDay, openItemsAt(view, asOfDay));
  return rankOverdue(view, ages, params.limit);
}

/** Per currency, the `limit` customers with the most past due (ties by code), as OverdueRow. */
export function rankOverdue(view: LedgerView, ages: CustomerAges, limit: number): OverdueRow[] {
  const { ledger } = view;
  const currencies = ledger.currencies.length;
  const rows: OverdueRow[] = [];
  for (let currency = 0; currency < currencies; currency += 1) {
    const cells: number[] = [];
    for (let customer = 0; customer < ledger.customers.length; customer += 1) {
      const cell = customer * currencies + currency;
      if ((ages.overdue[cell] ?? 0) > 0) cells.push(cell);
    }
    const codeOf = (cell: number) => ledger.customers[Math.floor(cell / currencies)]?.code ?? '';
    cells.sort(
      (a, b) => (ages.overdue[b] ?? 0) - (ages.overdue[a] ?? 0) || byCodePoint(codeOf(a), codeOf(b)),
    );
    for (const cell of cells.slice(0, limit)) {
      const customer = ledger.customers[Math.floor(cell / currencies)] as CustomerInfo;
      rows.push({
        customer_id: customer.id,
        code: customer.code,
        name: customer.name,
        currency: ledger.currencies[currency] ?? '',
        open_minor: toMinor(ages.open[cell] ?? 0),
        overdue_minor: toMinor(ages.overdue[cell] ?? 0),
        oldest_days: ages.oldestDays[cell] ?? 0,
        overdue_count: ages.overdueCount[cell] ?? 0,
      });
    }
  }
  return rows.sort((a, b) => byCodePoint(a.currency, b.currency));
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
