import type { CalendarDate } from '@huikuan/core';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';

/**
 * The ledger facts commissions are computed from, read set-based for one salesperson and a window of months.
 *
 * Collected cash is the allocations of confirmed receipts to invoices (allocations exist only for confirmed
 * receipts), dated by the receipt's date (when the customer paid) and credited to the customer's owner: the same
 * attribution as the KPIs, the aging and the record scopes (there is no ownership history, so an unlocked month
 * follows a reassignment; a locked statement keeps the salesperson it was locked for). A reversal (取消核销, or the
 * reversal of a whole receipt) is a negative allocation pointing at the original, dated when it happened. Money
 * applied to plan nodes alone (prepayments not yet invoiced) and recoveries of written-off debts earn no commission
 * until applied to an invoice.
 */

/** Where a source is already paid: the locked statement holding it. */
export type LockedLine = {
  period: string;
  salespersonId: string;
  kind: string;
  sourceId: string;
  reasons: string[];
  invoiceId: string | null;
  invoiceNumber: string | null;
  customerCode: string | null;
  customerName: string | null;
  on: CalendarDate;
  dueDate: CalendarDate | null;
  daysLate: number | null;
  ageDays: number | null;
  currency: string;
  baseMinor: bigint;
  rateNumerator: bigint;
  commissionMinor: bigint;
};

export type CashRow = {
  allocationId: string;
  invoiceId: string;
  invoiceNumber: string;
  customerCode: string;
  customerName: string;
  amountMinor: bigint;
  currency: string;
  receivedOn: CalendarDate;
  invoiceDate: CalendarDate;
  dueDate: CalendarDate;
  isNotSalesCaused: boolean;
};

export type ReversalRow = CashRow & {
  reversalId: string;
  reversedOn: CalendarDate;
  salespersonId: string;
  /** The original's line when it is in a locked statement; the clawback takes back exactly that. */
  lockedOriginal: LockedLine | null;
};

type RawLocked = {
  l_period: string | null;
  l_salesperson: string | null;
  l_kind: string | null;
  l_source: string | null;
  l_reasons: string[] | null;
  l_invoice_id: string | null;
  l_invoice_number: string | null;
  l_customer_code: string | null;
  l_customer_name: string | null;
  l_on: string | null;
  l_due: string | null;
  l_days_late: number | null;
  l_age_days: number | null;
  l_currency: string | null;
  l_base: bigint | null;
  l_rate: bigint | null;
  l_commission: bigint | null;
};

const LOCKED_COLUMNS = sql`ls.period AS l_period, ll.salesperson_user_id AS l_salesperson, ll.kind AS l_kind,
  ll.source_id AS l_source, ll.reasons AS l_reasons, ll.invoice_id AS l_invoice_id,
  ll.invoice_number AS l_invoice_number, ll.customer_code AS l_customer_code, ll.customer_name AS l_customer_name,
  ll.on_date::text AS l_on, ll.due_date::text AS l_due, ll.days_late AS l_days_late, ll.age_days AS l_age_days,
  ll.currency AS l_currency, ll.base_minor AS l_base, ll.rate_numerator AS l_rate,
  ll.commission_minor AS l_commission`;

function lockedOf(row: RawLocked): LockedLine | null {
  if (row.l_source === null || row.l_period === null) return null;
  return {
    period: row.l_period,
    salespersonId: row.l_salesperson ?? '',
    kind: row.l_kind ?? 'cash',
    sourceId: row.l_source,
    reasons: row.l_reasons ?? [],
    invoiceId: row.l_invoice_id,
    invoiceNumber: row.l_invoice_number,
    customerCode: row.l_customer_code,
    customerName: row.l_customer_name,
    on: row.l_on as CalendarDate,
    dueDate: row.l_due as CalendarDate | null,
    daysLate: row.l_days_late,
    ageDays: row.l_age_days,
    currency: (row.l_currency ?? '').trim(),
    baseMinor: BigInt(row.l_base ?? 0n),
    rateNumerator: BigInt(row.l_rate ?? 0n),
    commissionMinor: BigInt(row.l_commission ?? 0n),
  };
}

type RawCash = {
  allocation_id: string;
  invoice_id: string;
  invoice_number: string;
  customer_code: string;
  customer_name: string;
  amount_minor: bigint;
  currency: string;
  received_on: string;
  invoice_date: string;
  due_date: string;
  is_not_sales_caused: boolean | null;
};

function cashOf(row: RawCash): CashRow {
  return {
    allocationId: row.allocation_id,
    invoiceId: row.invoice_id,
    invoiceNumber: row.invoice_number,
    customerCode: row.customer_code,
    customerName: row.customer_name,
    amountMinor: BigInt(row.amount_minor),
    currency: row.currency.trim(),
    receivedOn: row.received_on as CalendarDate,
    invoiceDate: row.invoice_date as CalendarDate,
    dueDate: row.due_date as CalendarDate,
    isNotSalesCaused: row.is_not_sales_caused ?? false,
  };
}

/** The assessment in force on a date for invoice `i` (latest dated on or before it; none = caused by sales). */
const notSalesCausedOn = (date: ReturnType<typeof sql.ref>) => sql<boolean | null>`(
  SELECT d.is_not_sales_caused FROM debt_cause_assessments d
  WHERE d.tenant_id = i.tenant_id AND d.invoice_id = i.id AND d.effective_on <= ${date}
  ORDER BY d.effective_on DESC, d.created_at DESC LIMIT 1)`;

const ORIGINAL_COLUMNS = sql`a.id AS allocation_id, i.id AS invoice_id, i.number AS invoice_number,
  c.code AS customer_code, c.name AS customer_name, a.amount_minor, a.currency, r.received_on::text AS received_on,
  i.invoice_date::text AS invoice_date, i.due_date::text AS due_date,
  ${notSalesCausedOn(sql.ref('r.received_on'))} AS is_not_sales_caused`;

/**
 * Money collected for the salesperson's customers, received in [from, to], that no locked statement holds yet.
 */
export async function unlockedCashRows(
  tx: Tx,
  tenantId: string,
  salespersonId: string,
  from: CalendarDate,
  to: CalendarDate,
): Promise<CashRow[]> {
  const result = await sql<RawCash>`
    SELECT ${ORIGINAL_COLUMNS}
    FROM allocations a
    JOIN receipts r ON r.tenant_id = a.tenant_id AND r.id = a.receipt_id
    JOIN invoices i ON i.tenant_id = a.tenant_id AND i.id = a.invoice_id
    JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
    WHERE a.tenant_id = ${tenantId} AND a.amount_minor > 0 AND a.reverses_allocation_id IS NULL
      AND r.received_on BETWEEN ${from}::date AND ${to}::date
      AND c.owner_user_id = ${salespersonId}
      AND NOT EXISTS (SELECT 1 FROM commission_statement_lines ll
                      WHERE ll.tenant_id = a.tenant_id AND ll.source_id = a.id::text)
    ORDER BY r.received_on, a.id`.execute(tx);
  return result.rows.map(cashOf);
}

/**
 * Reversals dated in [from, to] of money credited to the salesperson (by the locked line of the original, else
 * the customer's owner) whose clawback no locked statement holds yet.
 */
export async function unlockedReversalRows(
  tx: Tx,
  tenantId: string,
  salespersonId: string,
  from: CalendarDate,
  to: CalendarDate,
): Promise<ReversalRow[]> {
  const result = await sql<RawCash & RawLocked & { reversal_id: string; reversed_on: string; owner: string }>`
    SELECT ${ORIGINAL_COLUMNS}, n.id AS reversal_id, n.allocated_on::text AS reversed_on,
      coalesce(ll.salesperson_user_id, c.owner_user_id) AS owner, ${LOCKED_COLUMNS}
    FROM allocations n
    JOIN allocations a ON a.tenant_id = n.tenant_id AND a.id = n.reverses_allocation_id
    JOIN receipts r ON r.tenant_id = a.tenant_id AND r.id = a.receipt_id
    JOIN invoices i ON i.tenant_id = a.tenant_id AND i.id = a.invoice_id
    JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
    LEFT JOIN commission_statement_lines ll ON ll.tenant_id = a.tenant_id AND ll.source_id = a.id::text
    LEFT JOIN commission_statements ls ON ls.tenant_id = ll.tenant_id AND ls.id = ll.statement_id
    WHERE n.tenant_id = ${tenantId} AND n.amount_minor < 0 AND n.invoice_id IS NOT NULL
      AND n.allocated_on BETWEEN ${from}::date AND ${to}::date
      AND coalesce(ll.salesperson_user_id, c.owner_user_id) = ${salespersonId}
      AND NOT EXISTS (SELECT 1 FROM commission_statement_lines cl
                      WHERE cl.tenant_id = n.tenant_id AND cl.source_id = 'clawback:' || a.id::text)
    ORDER BY n.allocated_on, n.id`.execute(tx);
  return result.rows.map((row) => ({
    ...cashOf(row),
    reversalId: row.reversal_id,
    reversedOn: row.reversed_on as CalendarDate,
    salespersonId: row.owner,
    lockedOriginal: lockedOf(row),
  }));
}

export type InvoiceHistory = {
  invoiceId: string;
  invoiceNumber: string;
  customerCode: string;
  customerName: string;
  ownerUserId: string | null;
  currency: string;
  totalMinor: bigint;
  invoiceDate: CalendarDate;
  dueDate: CalendarDate;
  creditNotes: { issuedOn: CalendarDate; amountMinor: bigint }[];
  rows: {
    id: string;
    amountMinor: bigint;
    allocatedOn: CalendarDate;
    receivedOn: CalendarDate;
    reversesId: string | null;
  }[];
  /** Not-sales-caused assessments, oldest first. */
  causes: { effectiveOn: CalendarDate; isNotSalesCaused: boolean }[];
  /** Bonus lines and their clawbacks already in locked statements, by source id. */
  lockedBonuses: Map<string, LockedLine>;
};

/**
 * The whole allocation history of every invoice that may earn or lose a full-early-payment bonus for the
 * salesperson in the window: invoices of their customers (or with a bonus locked for them) with money received or
 * reversed in [from, to]. Four queries whatever the number of invoices.
 */
export async function invoiceHistories(
  tx: Tx,
  tenantId: string,
  salespersonId: string,
  from: CalendarDate,
  to: CalendarDate,
): Promise<InvoiceHistory[]> {
  const invoices = await sql<{
    id: string;
    number: string;
    code: string;
    name: string;
    owner: string | null;
    currency: string;
    total_minor: bigint;
    invoice_date: string;
    due_date: string;
  }>`
    SELECT i.id, i.number, c.code, c.name, c.owner_user_id AS owner, i.currency, i.total_minor,
      i.invoice_date::text AS invoice_date, i.due_date::text AS due_date
    FROM invoices i
    JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
    WHERE i.tenant_id = ${tenantId} AND i.status = 'issued'
      AND (c.owner_user_id = ${salespersonId} OR EXISTS (
        SELECT 1 FROM commission_statement_lines ll
        WHERE ll.tenant_id = i.tenant_id AND ll.invoice_id = i.id AND ll.kind = 'bonus'
          AND ll.salesperson_user_id = ${salespersonId}))
      AND EXISTS (
        SELECT 1 FROM allocations a JOIN receipts r ON r.tenant_id = a.tenant_id AND r.id = a.receipt_id
        WHERE a.tenant_id = i.tenant_id AND a.invoice_id = i.id
          AND (r.received_on BETWEEN ${from}::date AND ${to}::date
            OR a.allocated_on BETWEEN ${from}::date AND ${to}::date))
    ORDER BY i.id`.execute(tx);
  const ids = invoices.rows.map((row) => row.id);
  if (ids.length === 0) return [];
  const idList = sql.join(ids);
  // One after another: a transaction is one connection (and PGlite one session).
  const rows = await sql<{
    id: string;
    invoice_id: string;
    amount_minor: bigint;
    allocated_on: string;
    received_on: string;
    reverses: string | null;
  }>`
      SELECT a.id, a.invoice_id, a.amount_minor, a.allocated_on::text AS allocated_on,
        r.received_on::text AS received_on, a.reverses_allocation_id AS reverses
      FROM allocations a JOIN receipts r ON r.tenant_id = a.tenant_id AND r.id = a.receipt_id
      WHERE a.tenant_id = ${tenantId} AND a.invoice_id IN (${idList})
      ORDER BY a.invoice_id, a.allocated_on, a.created_at, a.id`.execute(tx);
  const notes = await sql<{ invoice_id: string; issued_on: string; amount_minor: bigint }>`
      SELECT invoice_id, issued_on::text AS issued_on, amount_minor FROM credit_notes
      WHERE tenant_id = ${tenantId} AND status = 'posted' AND invoice_id IN (${idList})`.execute(tx);
  const causes = await sql<{ invoice_id: string; effective_on: string; is_not_sales_caused: boolean }>`
      SELECT invoice_id, effective_on::text AS effective_on, is_not_sales_caused FROM debt_cause_assessments
      WHERE tenant_id = ${tenantId} AND invoice_id IN (${idList})
      ORDER BY effective_on, created_at`.execute(tx);
  const locked = await sql<RawLocked>`
      SELECT ${LOCKED_COLUMNS} FROM commission_statement_lines ll
      JOIN commission_statements ls ON ls.tenant_id = ll.tenant_id AND ls.id = ll.statement_id
      WHERE ll.tenant_id = ${tenantId} AND ll.invoice_id IN (${idList}) AND ll.kind = 'bonus'`.execute(tx);
  return invoices.rows.map((invoice) => ({
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
    customerCode: invoice.code,
    customerName: invoice.name,
    ownerUserId: invoice.owner,
    currency: invoice.currency.trim(),
    totalMinor: BigInt(invoice.total_minor),
    invoiceDate: invoice.invoice_date as CalendarDate,
    dueDate: invoice.due_date as CalendarDate,
    creditNotes: notes.rows
      .filter((note) => note.invoice_id === invoice.id)
      .map((note) => ({ issuedOn: note.issued_on as CalendarDate, amountMinor: BigInt(note.amount_minor) })),
    rows: rows.rows
      .filter((row) => row.invoice_id === invoice.id)
      .map((row) => ({
        id: row.id,
        amountMinor: BigInt(row.amount_minor),
        allocatedOn: row.allocated_on as CalendarDate,
        receivedOn: row.received_on as CalendarDate,
        reversesId: row.reverses,
      })),
    causes: causes.rows
      .filter((cause) => cause.invoice_id === invoice.id)
      .map((cause) => ({
        effectiveOn: cause.effective_on as CalendarDate,
        isNotSalesCaused: cause.is_not_sales_caused,
      })),
    lockedBonuses: new Map(
      locked.rows
        .map(lockedOf)
        .filter((line): line is LockedLine => line !== null && line.invoiceId === invoice.id)
        .map((line) => [line.sourceId, line]),
    ),
  }));
}

/**
 * What the salesperson's customers owe past `afterDays` days overdue at the end of `asOf`, per currency (for the
 * optional penalty), from the documents dated up to that day.
 */
export async function overdueAt(
  tx: Tx,
  tenantId: string,
  salespersonId: string,
  asOf: CalendarDate,
  afterDays: number,
): Promise<Map<string, bigint>> {
  const result = await sql<{ currency: string; amount: bigint }>`
    SELECT i.currency, sum(i.total_minor
      - coalesce((SELECT sum(cn.amount_minor) FROM credit_notes cn WHERE cn.tenant_id = i.tenant_id
          AND cn.invoice_id = i.id AND cn.status = 'posted' AND cn.issued_on <= ${asOf}::date), 0)
      - coalesce((SELECT sum(a.amount_minor) FROM allocations a WHERE a.tenant_id = i.tenant_id
          AND a.invoice_id = i.id AND a.allocated_on <= ${asOf}::date), 0))::bigint AS amount
    FROM invoices i
    JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
    WHERE i.tenant_id = ${tenantId} AND i.status = 'issued' AND c.owner_user_id = ${salespersonId}
      AND i.invoice_date <= ${asOf}::date AND i.due_date < (${asOf}::date - ${afterDays}::int)
      AND NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.tenant_id = i.tenant_id AND v.invoice_id = i.id
                      AND v.voided_on <= ${asOf}::date)
    GROUP BY i.currency`.execute(tx);
  return new Map(result.rows.map((row) => [row.currency.trim(), BigInt(row.amount)]));
}
