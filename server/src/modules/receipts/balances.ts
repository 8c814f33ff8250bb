import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../platform/db';

/**
 * Balances as of a business date, derived from the append-only records (never stored beside them):
 *
 * - an invoice counts from its invoice date, unless voided on or before the date;
 * - posted credit notes reduce it from their issue date, allocations from their allocation date;
 * - a plan node has received what was allocated to it directly or to invoices raised against it;
 * - a customer's unapplied credit is what confirmed, unreversed receipts hold beyond their allocations to invoices
 *   and to written-off amounts they recover (allocations to a plan node alone stay unapplied: a prepayment).
 *
 * Every function takes the ids it needs and answers in one query, so a page costs a fixed number of queries.
 */

export type InvoiceBalance = {
  invoiceId: string;
  totalMinor: bigint;
  creditedMinor: bigint;
  allocatedMinor: bigint;
  openMinor: bigint;
  isVoid: boolean;
};

export async function invoiceBalancesAsOf(
  tx: Tx,
  tenantId: string,
  invoiceIds: readonly string[],
  asOf: string,
): Promise<Map<string, InvoiceBalance>> {
  if (invoiceIds.length === 0) return new Map();
  const rows = await sql<{
    id: string;
    total: bigint;
    credited: bigint;
    allocated: bigint;
    is_void: boolean;
  }>`
    SELECT i.id,
      CASE WHEN i.invoice_date <= ${asOf}::date THEN i.total_minor ELSE 0 END AS total,
      coalesce((SELECT sum(cn.amount_minor) FROM credit_notes cn
                WHERE cn.tenant_id = i.tenant_id AND cn.invoice_id = i.id AND cn.status = 'posted'
                  AND cn.issued_on <= ${asOf}::date), 0)::bigint AS credited,
      coalesce((SELECT sum(a.amount_minor) FROM allocations a
                WHERE a.tenant_id = i.tenant_id AND a.invoice_id = i.id AND a.allocated_on <= ${asOf}::date), 0)::bigint
        AS allocated,
      EXISTS (SELECT 1 FROM invoice_voids v
              WHERE v.tenant_id = i.tenant_id AND v.invoice_id = i.id AND v.voided_on <= ${asOf}::date) AS is_void
    FROM invoices i
    WHERE i.tenant_id = ${tenantId} AND i.status = 'issued' AND i.id IN (${sql.join([...invoiceIds])})`.execute(
    tx,
  );
  const balances = new Map<string, InvoiceBalance>();
  for (const row of rows.rows) {
    const open = row.is_void ? 0n : row.total - row.credited - row.allocated;
    assertOpenWithinTotal(row.id, open, row.total);
    balances.set(row.id, {
      invoiceId: row.id,
      totalMinor: row.total,
      creditedMinor: row.credited,
      allocatedMinor: row.allocated,
      openMinor: open,
      isVoid: row.is_void,
    });
  }
  return balances;
}

/** The ledger's read-side check: 0 ≤ open ≤ total. A violation is a bug or a tampered row, never a display value. */
function assertOpenWithinTotal(invoiceId: string, openMinor: bigint, totalMinor: bigint): void {
  if (openMinor < 0n || openMinor > totalMinor) {
    throw new Error(
      `Ledger invariant broken: invoice ${invoiceId} open ${openMinor} outside 0..${totalMinor}`,
    );
  }
}

export async function planNodeReceivedAsOf(
  tx: Tx,
  tenantId: string,
  nodeIds: readonly string[],
  asOf: string,
): Promise<Map<string, bigint>> {
  if (nodeIds.length === 0) return new Map();
  const rows = await sql<{ node_id: string; received: bigint }>`
    SELECT coalesce(a.plan_node_id, i.plan_node_id) AS node_id, sum(a.amount_minor)::bigint AS received
    FROM allocations a
    LEFT JOIN invoices i ON i.tenant_id = a.tenant_id AND i.id = a.invoice_id
    WHERE a.tenant_id = ${tenantId} AND a.allocated_on <= ${asOf}::date
      AND coalesce(a.plan_node_id, i.plan_node_id) IN (${sql.join([...nodeIds])})
    GROUP BY 1`.execute(tx);
  return new Map(rows.rows.map((row) => [row.node_id, row.received]));
}

/**
 * Every issued invoice's open amount as of `asOf` (one row per invoice, voided ones left out), as a relation with
 * columns customer_id, currency, open_minor. Credit notes and allocations are summed per invoice by GROUP BY
 * subqueries joined once (hash or merge joins, never a subquery per invoice). `customerCondition` (on alias `c`)
 * restricts the customers and is pushed into the allocation sums as well, so a page of a few customers reads only
 * their rows; null means the whole organization.
 */
function openInvoicesRelation(
  tenantId: string,
  asOf: string,
  customerCondition: RawBuilder<boolean> | null,
): RawBuilder<unknown> {
  const customers =
    customerCondition === null
      ? sql``
      : sql`JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id AND ${customerCondition}`;
  const invoicesOfCustomers = (column: string) =>
    customerCondition === null
      ? sql``
      : sql`AND ${sql.ref(column)} IN (
          SELECT si.id FROM invoices si JOIN customers c ON c.tenant_id = si.tenant_id AND c.id = si.customer_id
          WHERE si.tenant_id = ${tenantId} AND ${customerCondition})`;
  return sql`(
    SELECT i.customer_id, i.currency,
      i.total_minor - coalesce(cr.amount, 0) - coalesce(al.amount, 0) AS open_minor
    FROM invoices i
    ${customers}
    LEFT JOIN (
      SELECT cn.invoice_id, sum(cn.amount_minor)::bigint AS amount FROM credit_notes cn
      WHERE cn.tenant_id = ${tenantId} AND cn.status = 'posted' AND cn.issued_on <= ${asOf}::date
        ${invoicesOfCustomers('cn.invoice_id')}
      GROUP BY cn.invoice_id
    ) cr ON cr.invoice_id = i.id
    LEFT JOIN (
      SELECT a.invoice_id, sum(a.amount_minor)::bigint AS amount FROM allocations a
      WHERE a.tenant_id = ${tenantId} AND a.invoice_id IS NOT NULL AND a.allocated_on <= ${asOf}::date
        ${invoicesOfCustomers('a.invoice_id')}
      GROUP BY a.invoice_id
    ) al ON al.invoice_id = i.id
    WHERE i.tenant_id = ${tenantId} AND i.status = 'issued' AND i.invoice_date <= ${asOf}::date
      AND NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.tenant_id = i.tenant_id AND v.invoice_id = i.id
                        AND v.voided_on <= ${asOf}::date)
  )`;
}

/**
 * The ledger's total of open invoices per currency as of a date, over the customers matching `customerCondition`
 * (alias `c`; null for all), in one query. Reports that bucket or group open items check themselves against it.
 *
 * It starts from the per-customer open totals the ledger's triggers accumulate (`customer_open_balances`,
 * migration 0010: every document counted, whatever its date) and takes back what documents dated after the date
 * changed: invoices dated later leave, reductions dated later are added back, and an invoice voided later counts
 * with what it had open. As of today every one of those date ranges is empty, so the check reads one row per
 * customer and currency.
 */
export async function openInvoiceTotalsAsOf(
  tx: Tx,
  tenantId: string,
  asOf: string,
  customerCondition: RawBuilder<boolean> | null,
): Promise<Map<string, bigint>> {
  const ofCustomer = (column: string) =>
    customerCondition === null
      ? sql``
      : sql`JOIN customers c ON c.tenant_id = ${tenantId} AND c.id = ${sql.ref(column)} AND ${customerCondition}`;
  const rows = await sql<{ currency: string; amount: bigint }>`
    SELECT x.currency, sum(x.amount)::bigint AS amount FROM (
      SELECT b.currency, b.open_minor AS amount FROM customer_open_balances b ${ofCustomer('b.customer_id')}
      WHERE b.tenant_id = ${tenantId}
      UNION ALL
      SELECT s.currency, -s.open_minor FROM invoice_settlements s ${ofCustomer('s.customer_id')}
      WHERE s.tenant_id = ${tenantId} AND s.open_minor <> 0 AND s.invoice_date > ${asOf}::date
      UNION ALL
      SELECT s.currency, r.amount FROM (
        SELECT a.invoice_id, a.amount_minor AS amount FROM allocations a
        WHERE a.tenant_id = ${tenantId} AND a.invoice_id IS NOT NULL AND a.allocated_on > ${asOf}::date
        UNION ALL
        SELECT cn.invoice_id, cn.amount_minor FROM credit_notes cn
        WHERE cn.tenant_id = ${tenantId} AND cn.status = 'posted' AND cn.issued_on > ${asOf}::date
      ) r
      JOIN invoice_settlements s ON s.tenant_id = ${tenantId} AND s.invoice_id = r.invoice_id
      ${ofCustomer('s.customer_id')}
      WHERE s.invoice_date <= ${asOf}::date AND (s.voided_on IS NULL OR s.voided_on > ${asOf}::date)
      UNION ALL
      SELECT s.currency, s.total_minor - s.allocated_minor - s.credited_minor FROM invoice_voids v
      JOIN invoice_settlements s ON s.tenant_id = ${tenantId} AND s.invoice_id = v.invoice_id
      ${ofCustomer('s.customer_id')}
      WHERE v.tenant_id = ${tenantId} AND v.voided_on > ${asOf}::date AND s.invoice_date <= ${asOf}::date
    ) x
    GROUP BY x.currency`.execute(tx);
  return new Map(
    rows.rows.filter((row) => row.amount !== 0n).map((row) => [row.currency.trim(), row.amount]),
  );
}

export type CustomerBalance = {
  customerId: string;
  openInvoicesMinor: bigint;
  unappliedCreditMinor: bigint;
  /** What the customer owes net: open invoices less money received but not yet applied to an invoice. */
  balanceMinor: bigint;
};

/**
 * Per customer and currency. The invariant the ledger promises: balance = Σ open invoices − unapplied credit.
 * Sums per invoice and per receipt come from GROUP BY subqueries (see openInvoicesRelation); with `customerIds`
 * every subquery is restricted to those customers' rows first.
 */
export async function customerBalancesAsOf(
  tx: Tx,
  tenantId: string,
  asOf: string,
  customerIds?: readonly string[],
): Promise<(CustomerBalance & { currency: string })[]> {
  // `IN (NULL)` matches nothing: an empty page still costs its one query.
  const ids =
    customerIds === undefined ? null : customerIds.length === 0 ? sql`NULL` : sql.join([...customerIds]);
  const customerCondition = ids === null ? null : sql<boolean>`c.id IN (${ids})`;
  const receiptsOfCustomers =
    ids === null
      ? sql``
      : sql`AND a.receipt_id IN (SELECT sr.id FROM receipts sr WHERE sr.tenant_id = ${tenantId}
                                   AND sr.customer_id IN (${ids}))`;
  const rows = await sql<{ customer_id: string; currency: string; open_invoices: bigint; unapplied: bigint }>`
    WITH open_invoices AS (
      SELECT o.customer_id, o.currency, sum(o.open_minor)::bigint AS amount
      FROM ${openInvoicesRelation(tenantId, asOf, customerCondition)} o
      GROUP BY o.customer_id, o.currency
    ),
    unapplied AS (
      SELECT r.customer_id, r.currency, sum(r.amount_minor - coalesce(ap.amount, 0))::bigint AS amount
      FROM receipts r
      LEFT JOIN (
        -- Allocations to a plan node alone leave the money unapplied (a prepayment); recoveries of written-off
        -- amounts use it up like allocations to invoices.
        SELECT a.receipt_id, sum(a.amount_minor)::bigint AS amount FROM allocations a
        WHERE a.tenant_id = ${tenantId} AND (a.invoice_id IS NOT NULL OR a.write_off_id IS NOT NULL)
          AND a.allocated_on <= ${asOf}::date ${receiptsOfCustomers}
        GROUP BY a.receipt_id
      ) ap ON ap.receipt_id = r.id
      WHERE r.tenant_id = ${tenantId} AND r.status = 'confirmed' AND r.customer_id IS NOT NULL
        AND r.received_on <= ${asOf}::date ${ids === null ? sql`` : sql`AND r.customer_id IN (${ids})`}
        AND NOT EXISTS (SELECT 1 FROM receipt_reversals rr WHERE rr.tenant_id = r.tenant_id AND rr.receipt_id = r.id
                          AND rr.reversed_on <= ${asOf}::date)
      GROUP BY r.customer_id, r.currency
    )
    SELECT c.id AS customer_id, coalesce(o.currency, u.currency) AS currency,
      coalesce(o.amount, 0)::bigint AS open_invoices, coalesce(u.amount, 0)::bigint AS unapplied
    FROM customers c
    JOIN (SELECT customer_id, currency FROM open_invoices UNION SELECT customer_id, currency FROM unapplied) k
      ON k.customer_id = c.id
    LEFT JOIN open_invoices o ON o.customer_id = k.customer_id AND o.currency = k.currency
    LEFT JOIN unapplied u ON u.customer_id = k.customer_id AND u.currency = k.currency
    WHERE c.tenant_id = ${tenantId}
    ORDER BY c.code, currency`.execute(tx);
  return rows.rows.map((row) => ({
    customerId: row.customer_id,
    currency: row.currency,
    openInvoicesMinor: row.open_invoices,
    unappliedCreditMinor: row.unapplied,
    balanceMinor: row.open_invoices - row.unapplied,
  }));
}

/**
 * What a receipt can still give out from `fromDate` on: its amount less the most it has applied at any date on or
 * after `fromDate`. Checking only today's figure is not enough: a back-dated allocation also counts on every later
 * date, where an allocation that was later reversed may still have been live.
 */
export async function receiptHeadroomFrom(
  tx: Tx,
  tenantId: string,
  receiptId: string,
  fromDate: string,
): Promise<bigint> {
  const result = await sql<{ headroom: bigint }>`
    SELECT r.amount_minor - coalesce(max(
      (SELECT sum(a.amount_minor) FROM allocations a
        WHERE a.tenant_id = r.tenant_id AND a.receipt_id = r.id AND a.allocated_on <= t.d)), 0)::bigint AS headroom
    FROM receipts r
    CROSS JOIN (
      SELECT ${fromDate}::date AS d
      UNION SELECT a.allocated_on FROM allocations a
        WHERE a.tenant_id = ${tenantId} AND a.receipt_id = ${receiptId} AND a.allocated_on > ${fromDate}::date
    ) t
    WHERE r.tenant_id = ${tenantId} AND r.id = ${receiptId}
    GROUP BY r.id, r.amount_minor`.execute(tx);
  const row = result.rows[0];
  if (!row) throw new Error(`receipt ${receiptId} not found for headroom`);
  return row.headroom;
}

/**
 * What each invoice can still receive from `fromDate` on: the least it is open at `fromDate` or at any later date
 * a credit note or allocation touches it. Callers hold the invoice rows locked and reject voided invoices.
 */
export async function invoiceHeadroomFrom(
  tx: Tx,
  tenantId: string,
  invoiceIds: readonly string[],
  fromDate: string,
): Promise<Map<string, bigint>> {
  if (invoiceIds.length === 0) return new Map();
  const ids = sql.join([...invoiceIds]);
  const rows = await sql<{ invoice_id: string; headroom: bigint }>`
    WITH checkpoints AS (
      SELECT i.id AS invoice_id, ${fromDate}::date AS d FROM invoices i
        WHERE i.tenant_id = ${tenantId} AND i.id IN (${ids})
      UNION SELECT a.invoice_id, a.allocated_on FROM allocations a
        WHERE a.tenant_id = ${tenantId} AND a.invoice_id IN (${ids}) AND a.allocated_on > ${fromDate}::date
      UNION SELECT cn.invoice_id, cn.issued_on FROM credit_notes cn
        WHERE cn.tenant_id = ${tenantId} AND cn.invoice_id IN (${ids}) AND cn.status = 'posted'
          AND cn.issued_on > ${fromDate}::date
    )
    SELECT k.invoice_id, min(i.total_minor
      - coalesce((SELECT sum(cn.amount_minor) FROM credit_notes cn WHERE cn.tenant_id = i.tenant_id
                    AND cn.invoice_id = i.id AND cn.status = 'posted' AND cn.issued_on <= k.d), 0)
      - coalesce((SELECT sum(a.amount_minor) FROM allocations a WHERE a.tenant_id = i.tenant_id
                    AND a.invoice_id = i.id AND a.allocated_on <= k.d), 0))::bigint AS headroom
    FROM checkpoints k
    JOIN invoices i ON i.tenant_id = ${tenantId} AND i.id = k.invoice_id
    GROUP BY k.invoice_id`.execute(tx);
  return new Map(rows.rows.map((row) => [row.invoice_id, row.headroom]));
}
