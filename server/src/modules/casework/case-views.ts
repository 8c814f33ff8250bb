import {
  daysBetween,
  minorToDecimalString,
  type CalendarDate,
  type CreditRating,
  type CustomerAttitude,
  type DelinquencyType,
} from '@huikuan/core';
import type { CollectionCase, WorklistRow } from '@huikuan/core/contracts';
import { sql, type Selectable } from 'kysely';
import type { CollectionCasesTable } from '../../db/schema/casework';
import type { Tx } from '../../platform/db';
import { openItemsRelation } from './open-items';

/** Case rows as the API shows them, and the overdue invoices beneath them. */

export type CaseQueryRow = Selectable<CollectionCasesTable> & {
  customer_code: string;
  customer_name: string;
  owner_user_id: string | null;
  owner_name: string | null;
  collector_name: string | null;
};

type Reason = CollectionCase['reasons'][number];

export function toCaseView(row: CaseQueryRow): CollectionCase {
  const currency = (row.currency ?? '').trim() || 'CNY';
  const money = (minor: bigint) => minorToDecimalString(BigInt(minor), currency);
  const nextStep: CollectionCase['nextStep'] =
    row.next_activity_id !== null
      ? {
          source: 'activity',
          kind: row.next_activity_kind ?? 'task',
          dueOn: row.next_activity_due_on as CalendarDate | null,
          activityId: row.next_activity_id,
          title: row.next_activity_title,
        }
      : { source: 'suggestion', kind: row.suggested_step, dueOn: null, activityId: null, title: null };
  return {
    customerId: row.customer_id,
    customerCode: row.customer_code,
    customerName: row.customer_name,
    ownerUserId: row.owner_user_id,
    ownerName: row.owner_name,
    assignedCollectorUserId: row.assigned_collector_user_id,
    collectorUserId: row.collector_user_id,
    collectorName: row.collector_name,
    currency,
    open: money(row.open_minor),
    overdue: money(row.overdue_minor),
    disputed: money(row.disputed_minor),
    otherCurrencies: row.other_currencies,
    maxDaysOverdue: row.max_days_overdue,
    overdueInvoiceCount: row.overdue_invoice_count,
    score: row.score,
    reasons: (row.reasons as Reason[] | null) ?? [],
    approach: row.approach as CollectionCase['approach'],
    approachReasons: row.approach_reasons as CollectionCase['approachReasons'],
    rating: row.rating as CreditRating | null,
    delinquencyType: row.delinquency_type as DelinquencyType | null,
    attitude: row.attitude as CustomerAttitude | null,
    brokenPromiseCount: row.broken_promise_count,
    hasBrokenPromise: row.has_broken_promise,
    openPromiseUntil: row.open_promise_until as CalendarDate | null,
    lastContactOn: row.last_contact_on as CalendarDate | null,
    snoozedUntil: row.snoozed_until as CalendarDate | null,
    nextStep,
    refreshedAt: (row.refreshed_at ?? row.updated_at).toISOString(),
  };
}

/** The case rows with customer and user names, for the caller to narrow (tenant, scope, filters) and order. */
export function caseQuery(tx: Tx, tenantId: string) {
  return tx
    .selectFrom('collection_cases as cc')
    .innerJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'cc.tenant_id').onRef('c.id', '=', 'cc.customer_id'),
    )
    .leftJoin('users as owner', (join) =>
      join.onRef('owner.tenant_id', '=', 'c.tenant_id').onRef('owner.id', '=', 'c.owner_user_id'),
    )
    .leftJoin('users as collector', (join) =>
      join
        .onRef('collector.tenant_id', '=', 'cc.tenant_id')
        .onRef('collector.id', '=', 'cc.collector_user_id'),
    )
    .selectAll('cc')
    .select([
      'c.code as customer_code',
      'c.name as customer_name',
      'c.owner_user_id as owner_user_id',
      'owner.name as owner_name',
      'collector.name as collector_name',
    ])
    .where('cc.tenant_id', '=', tenantId);
}

export type WorklistInvoice = WorklistRow['invoices'][number];

/** At most this many overdue invoices are listed beneath one case on the worklist (the oldest first). */
export const INVOICES_BENEATH_LIMIT = 20;

/**
 * The open items of some customers as of `asOf` (overdue ones only unless `includeNotDue`), oldest due first and at
 * most `perCustomer` each, with their open disputed amounts and whether an open promise covers them. One statement
 * for the page: disputes and promises are read for the listed invoices only, in one pass each.
 */
export async function caseInvoices(
  tx: Tx,
  tenantId: string,
  customerIds: readonly string[],
  asOf: CalendarDate,
  includeNotDue = false,
  perCustomer = INVOICES_BENEATH_LIMIT,
): Promise<Map<string, WorklistInvoice[]>> {
  const byCustomer = new Map<string, WorklistInvoice[]>();
  if (customerIds.length === 0) return byCustomer;
  const dueFilter = includeNotDue ? sql`` : sql`WHERE oi.due_date < ${asOf}::date`;
  const result = await sql<{
    customer_id: string;
    invoice_id: string;
    number: string;
    due_date: string;
    currency: string;
    open_minor: string;
    disputed: string;
    is_promised: boolean;
  }>`
    WITH oi AS ${openItemsRelation(tenantId, customerIds)},
    listed AS (
      SELECT * FROM (
        SELECT oi.*, row_number() OVER (PARTITION BY oi.customer_id ORDER BY oi.due_date, oi.invoice_id) AS rn
        FROM oi ${dueFilter}
      ) ranked
      WHERE rn <= ${perCustomer}
    ),
    disp AS (
      SELECT d.invoice_id, sum(d.amount_minor) AS amount FROM disputes d
      WHERE d.tenant_id = ${tenantId} AND d.status = 'open' AND d.invoice_id IN (SELECT invoice_id FROM listed)
      GROUP BY d.invoice_id
    ),
    open_promises AS (
      SELECT p.id, p.customer_id, p.currency::text AS currency,
        EXISTS (SELECT 1 FROM promise_invoices x WHERE x.tenant_id = ${tenantId} AND x.promise_id = p.id) AS names_invoices
      FROM promises_to_pay p
      WHERE p.tenant_id = ${tenantId} AND p.status = 'open' AND p.customer_id = ANY(${[...customerIds]}::uuid[])
    ),
    promised AS (
      SELECT pi.invoice_id FROM open_promises op
      JOIN promise_invoices pi ON pi.tenant_id = ${tenantId} AND pi.promise_id = op.id
      UNION
      SELECT l.invoice_id FROM listed l
      JOIN open_promises op ON op.customer_id = l.customer_id AND op.currency = l.currency AND NOT op.names_invoices
    )
    SELECT l.customer_id, l.invoice_id,
      -- By primary key per listed row: a join would let the planner hash every invoice of the organization.
      (SELECT i.number FROM invoices i WHERE i.tenant_id = ${tenantId} AND i.id = l.invoice_id) AS number,
      l.due_date::text AS due_date, l.currency,
      l.open_minor::text AS open_minor, coalesce(disp.amount, 0)::text AS disputed,
      (pr.invoice_id IS NOT NULL) AS is_promised
    FROM listed l
    LEFT JOIN disp ON disp.invoice_id = l.invoice_id
    LEFT JOIN (SELECT DISTINCT invoice_id FROM promised) pr ON pr.invoice_id = l.invoice_id
    ORDER BY l.customer_id, l.due_date, number`.execute(tx);
  for (const row of result.rows) {
    const currency = row.currency.trim();
    const list = byCustomer.get(row.customer_id) ?? [];
    const open = BigInt(row.open_minor);
    const disputed = BigInt(row.disputed);
    list.push({
      invoiceId: row.invoice_id,
      number: row.number,
      dueDate: row.due_date as CalendarDate,
      daysOverdue: Math.max(0, daysBetween(row.due_date as CalendarDate, asOf)),
      currency,
      open: minorToDecimalString(open, currency),
      disputed: minorToDecimalString(disputed < open ? disputed : open, currency),
      isPromised: row.is_promised,
    });
    byCustomer.set(row.customer_id, list);
  }
  return byCustomer;
}
