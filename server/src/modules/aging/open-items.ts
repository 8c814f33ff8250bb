import type { RecordScope, AgingBasis } from '@huikuan/core';
import type { AgingDimension } from '@huikuan/core/contracts';
import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../platform/db';
import { customerScopeCondition } from '../customers/customer-access';
import { openInvoiceTotalsAsOf } from '../receipts/balances';
import { dayOf, type LedgerView } from './ledger-cache';
import { reportFilterCondition, type ReportFilter } from './report-filter';

/** Which invoices a report covers: the caller's scope, the report filter, and optionally one more condition. */
export type ItemSelection = {
  scope: RecordScope;
  filter?: ReportFilter | undefined;
  /** On the invoice `i` and its customer `c`, e.g. one group of a drill-down. */
  restrict?: RawBuilder<boolean> | undefined;
};

function selectsEverything(selection: ItemSelection): boolean {
  return (
    selection.scope.kind === 'all' &&
    selection.filter?.teamId === undefined &&
    selection.filter?.salespersonId === undefined &&
    selection.restrict === undefined
  );
}

/** The selection as one condition on `i` and `c`. */
function selectionCondition(tenantId: string, selection: ItemSelection): RawBuilder<boolean> {
  return sql<boolean>`${customerScopeCondition(selection.scope, 'c')}
    AND ${reportFilterCondition(tenantId, selection.filter, 'c')} AND ${selection.restrict ?? sql<boolean>`true`}`;
}

/**
 * The open items of a date as one set-based CTE over the settled amounts the ledger's triggers keep
 * (`invoice_settlements`, migration 0010): today's open items are read through the partial index of open rows; for
 * an earlier date, the invoices that anything touched after it (allocations, credit notes, voids) are taken apart and
 * their open amount at the date is what is open now plus what those later documents took off. Semantics are
 * balances.ts's: an invoice counts from its invoice date, credit notes and allocations from theirs, and nothing once
 * voided. Record scope, the report filter and `restrict` apply through the invoice's customer.
 *
 * Columns of `open_items`: id, number, customer_id, owner_user_id, team_id, contract_id, plan_node_id, currency,
 * invoice_date, due_date, total_minor, open_minor (≠ 0 only), days_past_due. The customer join is a LEFT JOIN on
 * its key, so PostgreSQL drops it when nothing reads the customer's columns.
 */
export function openItemsCte(
  tenantId: string,
  asOf: string,
  basis: AgingBasis,
  scopeOrSelection: RecordScope | ItemSelection,
  filter?: ReportFilter,
): RawBuilder<unknown> {
  const selection: ItemSelection =
    'scope' in scopeOrSelection ? scopeOrSelection : { scope: scopeOrSelection, filter };
  const ageFrom = basis === 'due_date' ? sql.ref('i.due_date') : sql.ref('i.invoice_date');
  const condition = selectionCondition(tenantId, selection);
  return sql`
    WITH touched_after AS (
      SELECT r.invoice_id, sum(r.amount)::bigint AS amount FROM (
        SELECT a.invoice_id, a.amount_minor AS amount FROM allocations a
        WHERE a.tenant_id = ${tenantId} AND a.invoice_id IS NOT NULL AND a.allocated_on > ${asOf}::date
        UNION ALL
        SELECT cn.invoice_id, cn.amount_minor FROM credit_notes cn
        WHERE cn.tenant_id = ${tenantId} AND cn.status = 'posted' AND cn.issued_on > ${asOf}::date
        UNION ALL
        SELECT v.invoice_id, 0 FROM invoice_voids v WHERE v.tenant_id = ${tenantId} AND v.voided_on > ${asOf}::date
      ) r
      GROUP BY r.invoice_id
    ),
    settled_items AS (
      SELECT i.*, c.owner_user_id, c.team_id, i.open_minor AS open_at FROM invoice_settlements i
      LEFT JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
      WHERE i.tenant_id = ${tenantId} AND i.open_minor <> 0 AND i.invoice_date <= ${asOf}::date AND ${condition}
        AND NOT EXISTS (SELECT 1 FROM touched_after t WHERE t.invoice_id = i.invoice_id)
      UNION ALL
      SELECT i.*, c.owner_user_id, c.team_id, i.total_minor - i.allocated_minor - i.credited_minor + t.amount
      FROM touched_after t
      JOIN invoice_settlements i ON i.tenant_id = ${tenantId} AND i.invoice_id = t.invoice_id
      LEFT JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
      WHERE i.invoice_date <= ${asOf}::date AND (i.voided_on IS NULL OR i.voided_on > ${asOf}::date) AND ${condition}
    ),
    open_items AS (
      SELECT i.invoice_id AS id, i.number, i.customer_id, i.owner_user_id, i.team_id, i.contract_id, i.plan_node_id,
        i.currency, i.invoice_date, i.due_date, i.total_minor, i.open_at AS open_minor,
        (${asOf}::date - ${ageFrom})::int AS days_past_due
      FROM settled_items i
      WHERE i.open_at <> 0
    )`;
}

/** `CASE` giving the index of the range (see core rangeIndex) that `days_past_due` falls in. */
export function rangeIndexSql(bounds: readonly number[]): RawBuilder<number> {
  const whens = bounds.map((bound, index) => sql`WHEN o.days_past_due <= ${bound}::int THEN ${index}::int`);
  return sql<number>`(CASE ${sql.join(whens, sql` `)} ELSE ${bounds.length}::int END)`;
}

/** The grouped entity's id for a dimension (null when the item has none, e.g. no salesperson). */
export function groupIdSql(by: AgingDimension): RawBuilder<string | null> {
  const column = {
    customer: 'o.customer_id',
    salesperson: 'o.owner_user_id',
    team: 'o.team_id',
    contract: 'o.contract_id',
    plan_node: 'o.plan_node_id',
  }[by];
  return sql<string | null>`${sql.ref(column)}`;
}

/** The grouped entity's id on the invoice `i` and its customer `c` (for conditions inside openItemsCte). */
export function baseGroupIdSql(by: AgingDimension): RawBuilder<string | null> {
  const column = {
    customer: 'i.customer_id',
    salesperson: 'c.owner_user_id',
    team: 'c.team_id',
    contract: 'i.contract_id',
    plan_node: 'i.plan_node_id',
  }[by];
  return sql<string | null>`${sql.ref(column)}`;
}

/** Joins `g.group_id` to the grouped entity's human key and name (see agingRowSchema for the keys). */
export function groupLabelSql(
  by: AgingDimension,
  tenantId: string,
): { join: RawBuilder<unknown>; key: RawBuilder<string>; name: RawBuilder<string> } {
  switch (by) {
    case 'customer':
      return {
        join: sql`LEFT JOIN customers l ON l.tenant_id = ${tenantId} AND l.id = g.group_id`,
        key: sql<string>`l.code`,
        name: sql<string>`l.name`,
      };
    case 'salesperson':
      return {
        join: sql`LEFT JOIN users l ON l.tenant_id = ${tenantId} AND l.id = g.group_id`,
        key: sql<string>`l.email`,
        name: sql<string>`l.name`,
      };
    case 'team':
      return {
        join: sql`LEFT JOIN teams l ON l.tenant_id = ${tenantId} AND l.id = g.group_id`,
        key: sql<string>`l.name`,
        name: sql<string>`l.name`,
      };
    case 'contract':
      return {
        join: sql`LEFT JOIN contracts l ON l.tenant_id = ${tenantId} AND l.id = g.group_id`,
        key: sql<string>`l.number`,
        name: sql<string>`coalesce(l.title, l.number)`,
      };
    case 'plan_node':
      return {
        join: sql`LEFT JOIN payment_plan_nodes l ON l.tenant_id = ${tenantId} AND l.id = g.group_id
                  LEFT JOIN contracts lc ON lc.tenant_id = ${tenantId} AND lc.id = l.contract_id`,
        key: sql<string>`lc.number || '#' || l.seq`,
        name: sql<string>`l.name`,
      };
  }
}

/**
 * The ledger's own open-invoice total per currency for the same scope, filter and date (balances.ts: the
 * per-customer accumulation the triggers keep, less what documents dated after the date changed), a separate query
 * along a separate path from the report's items. Aging, provision and the dashboard call this on every run and
 * refuse to answer when their buckets disagree.
 */
export async function ledgerOpenByCurrency(
  tx: Tx,
  tenantId: string,
  asOf: string,
  scope: RecordScope,
  filter?: ReportFilter,
): Promise<Map<string, bigint>> {
  const selection = { scope, filter };
  return openInvoiceTotalsAsOf(
    tx,
    tenantId,
    asOf,
    selectsEverything(selection) ? null : selectionCondition(tenantId, selection),
  );
}

/**
 * ledgerOpenByCurrency for a report over the ledger copy. When the report covers the whole organization as of a day
 * on or after everything dated in the ledger, that total is exactly the database's per-customer accumulation summed
 * per currency, which the copy's refresh statement already read in the same snapshot: no second statement. Otherwise
 * the separate SQL path.
 */
export async function ledgerOpenForView(
  tx: Tx,
  view: LedgerView,
  tenantId: string,
  asOf: string,
  scope: RecordScope,
  filter?: ReportFilter,
): Promise<Map<string, bigint>> {
  if (view.selected === null && dayOf(asOf) >= view.ledger.latestDay) return view.databaseOpenTotals;
  return ledgerOpenByCurrency(tx, tenantId, asOf, scope, filter);
}

/** Throws when a report's per-currency totals differ from the ledger's: a wrong report is never shown. */
export function assertAgreesWithLedger(
  reportTotals: ReadonlyMap<string, bigint>,
  ledgerTotals: ReadonlyMap<string, bigint>,
  what: string,
): void {
  const currencies = new Set([...reportTotals.keys(), ...ledgerTotals.keys()]);
  for (const currency of currencies) {
    const reported = reportTotals.get(currency) ?? 0n;
    const ledger = ledgerTotals.get(currency) ?? 0n;
    if (reported !== ledger) {
      throw new Error(
        `${what} does not add up: ${currency} ${reported} in the report, ${ledger} in the ledger`,
      );
    }
  }
}
