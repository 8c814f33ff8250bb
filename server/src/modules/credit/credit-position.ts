import {
  daysBetween,
  holdCauses,
  isCreditWarning,
  type CalendarDate,
  type CreditHoldCause,
  type CreditPosition,
  type RecordScope,
} from '@huikuan/core';
import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../platform/db';
import { customerScopeCondition } from '../customers/customer-access';
import type { CreditContext } from './credit-settings';

/**
 * Exposure and hold inputs per customer as of a business date, in one set-based statement whatever the number of
 * customers (a write asks about one, a list or the sweep about all of them in scope).
 *
 * In the credit currency (the limit's, else the customer's):
 * - open receivables: issued invoices dated up to today, not voided by today, less posted credit notes and
 *   allocations up to today (the ledger's open balance, as receipts/balances.ts defines it);
 * - per active contract, its uninvoiced amount U = max(0, amount − Σ issued unvoided invoices against it); of U,
 *   the unbilled plan nodes are Σ max(0, node − invoiced against that node), capped at U, and the remainder is
 *   U − that. An invoice therefore moves exposure from the contract to receivables and is never counted twice; an
 *   invoice beyond the contract amount just counts as a receivable.
 * Drafts are not exposure (issuing them is checked); closed and cancelled contracts promise nothing more.
 * Money received but not applied to an invoice (prepayments) is not netted: exposure is what could go unpaid.
 */

export type CustomerFilter =
  { kind: 'ids'; customerIds: readonly string[] } | { kind: 'scope'; scope: RecordScope };

type PositionRow = {
  customer_id: string;
  code: string;
  name: string;
  owner_user_id: string | null;
  credit_currency: string;
  limit_minor: bigint | null;
  receivables_minor: bigint;
  unbilled_nodes_minor: bigint;
  uninvoiced_contracts_minor: bigint;
  other_currencies: string[] | null;
  oldest_overdue_due: string | null;
  disputes_minor: bigint;
  has_other_currency_disputes: boolean;
  override_minor: bigint;
  override_count: number;
  recorded_causes: string[] | null;
  hold_since: Date | null;
};

export type CustomerCreditEvaluation = {
  customerId: string;
  code: string;
  name: string;
  ownerUserId: string | null;
  currency: string;
  limitMinor: bigint | null;
  receivablesMinor: bigint;
  unbilledNodesMinor: bigint;
  uninvoicedContractsMinor: bigint;
  otherCurrencies: string[];
  position: CreditPosition;
  causes: CreditHoldCause[];
  isWarning: boolean;
  /** The hold state as last recorded (null: never evaluated on hold). */
  recordedCauses: CreditHoldCause[] | null;
  holdSince: Date | null;
};

function filterSql(filter: CustomerFilter): RawBuilder<boolean> {
  if (filter.kind === 'scope') return customerScopeCondition(filter.scope, 'c');
  if (filter.customerIds.length === 0) return sql<boolean>`false`;
  return sql<boolean>`c.id IN (${sql.join([...filter.customerIds])})`;
}

async function positionRows(
  tx: Tx,
  tenantId: string,
  today: CalendarDate,
  disputeCurrency: string,
  filter: CustomerFilter,
): Promise<PositionRow[]> {
  const result = await sql<PositionRow>`
    WITH cust AS (
      SELECT c.id, c.code, c.name, c.owner_user_id, l.limit_minor,
        coalesce(l.currency, c.currency)::text AS credit_currency
      FROM customers c
      LEFT JOIN customer_credit_limits l ON l.tenant_id = c.tenant_id AND l.customer_id = c.id
      WHERE c.tenant_id = ${tenantId} AND ${filterSql(filter)}
    ),
    live_invoices AS (
      SELECT i.id, i.customer_id, i.currency::text AS currency, i.total_minor, i.due_date, i.contract_id,
        i.plan_node_id
      FROM invoices i JOIN cust ON cust.id = i.customer_id
      WHERE i.tenant_id = ${tenantId} AND i.status = 'issued' AND i.invoice_date <= ${today}::date
        AND NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.tenant_id = i.tenant_id AND v.invoice_id = i.id
                          AND v.voided_on <= ${today}::date)
    ),
    credited AS (
      SELECT cn.invoice_id, sum(cn.amount_minor) AS amount
      FROM credit_notes cn JOIN live_invoices li ON li.id = cn.invoice_id
      WHERE cn.tenant_id = ${tenantId} AND cn.status = 'posted' AND cn.issued_on <= ${today}::date
      GROUP BY cn.invoice_id
    ),
    allocated AS (
      SELECT a.invoice_id, sum(a.amount_minor) AS amount
      FROM allocations a JOIN live_invoices li ON li.id = a.invoice_id
      WHERE a.tenant_id = ${tenantId} AND a.allocated_on <= ${today}::date
      GROUP BY a.invoice_id
    ),
    open_items AS (
      SELECT li.customer_id, li.currency, li.due_date,
        li.total_minor - coalesce(cr.amount, 0) - coalesce(al.amount, 0) AS open_minor
      FROM live_invoices li
      LEFT JOIN credited cr ON cr.invoice_id = li.id
      LEFT JOIN allocated al ON al.invoice_id = li.id
    ),
    receivables AS (
      SELECT o.customer_id,
        sum(o.open_minor) FILTER (WHERE o.currency = cust.credit_currency) AS amount,
        array_agg(DISTINCT o.currency) FILTER (WHERE o.currency <> cust.credit_currency AND o.open_minor > 0)
          AS others,
        min(o.due_date) FILTER (WHERE o.open_minor > 0 AND o.due_date < ${today}::date) AS oldest_overdue_due
      FROM open_items o JOIN cust ON cust.id = o.customer_id
      GROUP BY o.customer_id
    ),
    contract_invoiced AS (
      SELECT li.contract_id, sum(li.total_minor) AS amount FROM live_invoices li
      WHERE li.contract_id IS NOT NULL GROUP BY li.contract_id
    ),
    node_invoiced AS (
      SELECT li.plan_node_id, sum(li.total_minor) AS amount FROM live_invoices li
      WHERE li.plan_node_id IS NOT NULL GROUP BY li.plan_node_id
    ),
    active_contracts AS (
      SELECT ct.id, ct.customer_id, ct.currency::text AS currency,
        greatest(ct.amount_minor - coalesce(ci.amount, 0), 0) AS uninvoiced
      FROM contracts ct
      JOIN cust ON cust.id = ct.customer_id
      LEFT JOIN contract_invoiced ci ON ci.contract_id = ct.id
      WHERE ct.tenant_id = ${tenantId} AND ct.status = 'active'
    ),
    node_unbilled AS (
      SELECT n.contract_id, sum(greatest(n.amount_minor - coalesce(ni.amount, 0), 0)) AS amount
      FROM payment_plan_nodes n
      JOIN active_contracts ac ON ac.id = n.contract_id
      LEFT JOIN node_invoiced ni ON ni.plan_node_id = n.id
      WHERE n.tenant_id = ${tenantId}
      GROUP BY n.contract_id
    ),
    contract_exposure AS (
      SELECT ac.customer_id,
        sum(least(coalesce(nu.amount, 0), ac.uninvoiced)) FILTER (WHERE ac.currency = cust.credit_currency)
          AS nodes,
        sum(ac.uninvoiced - least(coalesce(nu.amount, 0), ac.uninvoiced))
          FILTER (WHERE ac.currency = cust.credit_currency) AS remainder,
        array_agg(DISTINCT ac.currency) FILTER (WHERE ac.currency <> cust.credit_currency AND ac.uninvoiced > 0)
          AS others
      FROM active_contracts ac
      JOIN cust ON cust.id = ac.customer_id
      LEFT JOIN node_unbilled nu ON nu.contract_id = ac.id
      GROUP BY ac.customer_id
    ),
    open_disputes AS (
      SELECT d.customer_id,
        sum(d.amount_minor) FILTER (WHERE d.currency = ${disputeCurrency}) AS amount,
        bool_or(d.currency <> ${disputeCurrency}) AS has_others
      FROM disputes d JOIN cust ON cust.id = d.customer_id
      WHERE d.tenant_id = ${tenantId} AND d.status = 'open'
      GROUP BY d.customer_id
    ),
    active_overrides AS (
      SELECT o.customer_id,
        sum(o.amount_minor) FILTER (WHERE o.currency = cust.credit_currency) AS amount, count(*)::int AS n
      FROM credit_overrides o JOIN cust ON cust.id = o.customer_id
      WHERE o.tenant_id = ${tenantId} AND o.valid_until >= ${today}::date
      GROUP BY o.customer_id
    )
    SELECT cust.id AS customer_id, cust.code, cust.name, cust.owner_user_id, cust.credit_currency,
      cust.limit_minor,
      coalesce(r.amount, 0)::bigint AS receivables_minor,
      coalesce(ce.nodes, 0)::bigint AS unbilled_nodes_minor,
      coalesce(ce.remainder, 0)::bigint AS uninvoiced_contracts_minor,
      (SELECT array_agg(DISTINCT x ORDER BY x) FROM unnest(coalesce(r.others, '{}') || coalesce(ce.others, '{}')) x)
        AS other_currencies,
      r.oldest_overdue_due,
      coalesce(od.amount, 0)::bigint AS disputes_minor,
      coalesce(od.has_others, false) AS has_other_currency_disputes,
      coalesce(ov.amount, 0)::bigint AS override_minor,
      coalesce(ov.n, 0) AS override_count,
      st.causes AS recorded_causes,
      st.hold_since
    FROM cust
    LEFT JOIN receivables r ON r.customer_id = cust.id
    LEFT JOIN contract_exposure ce ON ce.customer_id = cust.id
    LEFT JOIN open_disputes od ON od.customer_id = cust.id
    LEFT JOIN active_overrides ov ON ov.customer_id = cust.id
    LEFT JOIN credit_hold_states st ON st.tenant_id = ${tenantId} AND st.customer_id = cust.id
    ORDER BY cust.code`.execute(tx);
  return result.rows;
}

/** Every customer the filter selects, evaluated against the organization's rules as of `today`. */
export async function evaluateCustomers(
  tx: Tx,
  tenantId: string,
  context: CreditContext,
  today: CalendarDate,
  filter: CustomerFilter,
): Promise<CustomerCreditEvaluation[]> {
  const rows = await positionRows(tx, tenantId, today, context.disputeHoldCurrency, filter);
  return rows.map((row) => {
    const exposureMinor = row.receivables_minor + row.unbilled_nodes_minor + row.uninvoiced_contracts_minor;
    const position: CreditPosition = {
      limitMinor: row.limit_minor,
      exposureMinor,
      oldestOverdueDays:
        row.oldest_overdue_due === null ? null : daysBetween(row.oldest_overdue_due as CalendarDate, today),
      openDisputesMinor: row.disputes_minor,
      hasOtherCurrencyDisputes: row.has_other_currency_disputes,
      overrideMinor: row.override_minor,
      hasActiveOverride: row.override_count > 0,
    };
    return {
      customerId: row.customer_id,
      code: row.code,
      name: row.name,
      ownerUserId: row.owner_user_id,
      currency: row.credit_currency.trim(),
      limitMinor: row.limit_minor,
      receivablesMinor: row.receivables_minor,
      unbilledNodesMinor: row.unbilled_nodes_minor,
      uninvoicedContractsMinor: row.uninvoiced_contracts_minor,
      otherCurrencies: (row.other_currencies ?? []).map((currency) => currency.trim()),
      position,
      causes: holdCauses(position, context.settings),
      isWarning: isCreditWarning(position, context.settings),
      recordedCauses: row.recorded_causes as CreditHoldCause[] | null,
      holdSince: row.hold_since,
    };
  });
}

/** What is left uninvoiced of an active contract today (null for a contract that is not active). */
export async function contractUninvoicedMinor(
  tx: Tx,
  tenantId: string,
  contractId: string,
  today: CalendarDate,
): Promise<bigint | null> {
  const result = await sql<{ uninvoiced: bigint }>`
    SELECT greatest(ct.amount_minor - coalesce((
      SELECT sum(i.total_minor) FROM invoices i
      WHERE i.tenant_id = ct.tenant_id AND i.contract_id = ct.id AND i.status = 'issued'
        AND i.invoice_date <= ${today}::date
        AND NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.tenant_id = i.tenant_id AND v.invoice_id = i.id
                          AND v.voided_on <= ${today}::date)), 0), 0)::bigint AS uninvoiced
    FROM contracts ct
    WHERE ct.tenant_id = ${tenantId} AND ct.id = ${contractId} AND ct.status = 'active'`.execute(tx);
  return result.rows[0]?.uninvoiced ?? null;
}
