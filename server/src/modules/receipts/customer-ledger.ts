import { addDays, minorToDecimalString, type CalendarDate } from '@huikuan/core';
import type { CustomerLedger, LedgerEntry } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import type { Actor } from '../../platform/request-context';
import { visibleCustomerOrThrow } from '../customers/customer-access';
import { customerBalancesAsOf } from './balances';
import { dateIssue, organizationSettings } from './receipt-support';

/** One answer carries at most this many entries; a longer period is cut and says so. */
const MAX_LEDGER_ENTRIES = 5000;

type EntryRow = {
  d: string;
  kind: LedgerEntry['kind'];
  entry_id: string;
  invoice_id: string | null;
  receipt_id: string | null;
  reference: string | null;
  currency: string;
  amount: bigint;
  effect: bigint;
};

/**
 * Every record that touched the customer, in date order, in one query. Within a day: invoices, credit notes,
 * receipts, allocations, receipt reversals, then voids, so each day ends on the balance as of that day.
 * An allocation moves money from unapplied credit onto an invoice and so leaves the balance unchanged; a recovery
 * applies it to a written-off amount, which the write-off had already taken off the balance, so it counts: the
 * customer's payment and the recovery together leave the balance where it was.
 */
async function ledgerRows(tx: Tx, tenantId: string, customerId: string, from: string | null, to: string) {
  const fromDate = from ?? '0001-01-01';
  const result = await sql<EntryRow>`
    SELECT d, kind, entry_id, invoice_id, receipt_id, reference, currency, amount, effect FROM (
      SELECT i.invoice_date AS d, 1 AS ord, 'invoice' AS kind, i.id AS entry_id, i.id AS invoice_id,
        NULL::uuid AS receipt_id, i.number AS reference, i.currency::text AS currency, i.total_minor AS amount,
        i.total_minor AS effect, i.created_at
      FROM invoices i WHERE i.tenant_id = ${tenantId} AND i.customer_id = ${customerId} AND i.status = 'issued'
      UNION ALL
      SELECT cn.issued_on, 2, cn.kind, cn.id, i.id, NULL, cn.number, cn.currency::text, cn.amount_minor,
        -cn.amount_minor, cn.created_at
      FROM credit_notes cn JOIN invoices i ON i.tenant_id = cn.tenant_id AND i.id = cn.invoice_id
      WHERE cn.tenant_id = ${tenantId} AND i.customer_id = ${customerId} AND cn.status = 'posted'
        AND i.status = 'issued'
      UNION ALL
      SELECT r.received_on, 3, 'receipt', r.id, NULL, r.id, r.bank_reference, r.currency::text, r.amount_minor,
        -r.amount_minor, r.created_at
      FROM receipts r WHERE r.tenant_id = ${tenantId} AND r.customer_id = ${customerId} AND r.status = 'confirmed'
      UNION ALL
      SELECT a.allocated_on, 4,
        CASE WHEN a.write_off_id IS NOT NULL
          THEN CASE WHEN a.amount_minor > 0 THEN 'write_off_recovery' ELSE 'write_off_recovery_reversal' END
          ELSE CASE WHEN a.amount_minor > 0 THEN 'allocation' ELSE 'allocation_reversal' END END,
        a.id, a.invoice_id, a.receipt_id, coalesce(i.number, wo.number), a.currency::text, a.amount_minor,
        CASE WHEN a.write_off_id IS NOT NULL THEN a.amount_minor ELSE 0 END::bigint, a.created_at
      FROM allocations a
      JOIN receipts r ON r.tenant_id = a.tenant_id AND r.id = a.receipt_id
      LEFT JOIN invoices i ON i.tenant_id = a.tenant_id AND i.id = a.invoice_id
      LEFT JOIN credit_notes wo ON wo.tenant_id = a.tenant_id AND wo.id = a.write_off_id
      WHERE a.tenant_id = ${tenantId} AND r.customer_id = ${customerId}
      UNION ALL
      SELECT rr.reversed_on, 5, 'receipt_reversal', r.id, NULL, r.id, r.bank_reference, r.currency::text,
        r.amount_minor, r.amount_minor, rr.created_at
      FROM receipt_reversals rr JOIN receipts r ON r.tenant_id = rr.tenant_id AND r.id = rr.receipt_id
      WHERE rr.tenant_id = ${tenantId} AND r.customer_id = ${customerId}
      UNION ALL
      SELECT v.voided_on, 6, 'invoice_void', i.id, i.id, NULL, i.number, i.currency::text, i.total_minor,
        -(i.total_minor
          - coalesce((SELECT sum(cn.amount_minor) FROM credit_notes cn WHERE cn.tenant_id = i.tenant_id
                        AND cn.invoice_id = i.id AND cn.status = 'posted' AND cn.issued_on <= v.voided_on), 0)
          - coalesce((SELECT sum(a.amount_minor) FROM allocations a WHERE a.tenant_id = i.tenant_id
                        AND a.invoice_id = i.id AND a.allocated_on <= v.voided_on), 0))::bigint,
        v.created_at
      FROM invoice_voids v JOIN invoices i ON i.tenant_id = v.tenant_id AND i.id = v.invoice_id
      WHERE v.tenant_id = ${tenantId} AND i.customer_id = ${customerId} AND i.status = 'issued'
    ) e
    WHERE d >= ${fromDate}::date AND d <= ${to}::date
    ORDER BY d, ord, created_at, entry_id
    LIMIT ${MAX_LEDGER_ENTRIES + 1}`.execute(tx);
  return result.rows;
}

/** 客户往来明细: the customer's ledger between two dates with a running balance per currency. */
export async function customerLedger(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
  query: { from?: string | undefined; to?: string | undefined },
): Promise<CustomerLedger> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    await visibleCustomerOrThrow(tx, actor, customerId);
    const to = query.to ?? (await organizationSettings(tx, actor.tenantId, deps.clock)).today;
    return customerLedgerIn(tx, actor.tenantId, customerId, { from: query.from ?? null, to });
  });
}

/**
 * The same ledger inside the caller's transaction, for a customer the caller has already checked (对账单 reads it
 * here, so a statement and the ledger screen can never disagree).
 */
export async function customerLedgerIn(
  tx: Tx,
  tenantId: string,
  customerId: string,
  period: { from: string | null; to: string },
): Promise<CustomerLedger> {
  const { from, to } = period;
  if (from !== null && from > to) throw dateIssue('from', 'Must be on or before "to"');
  const openingRows =
    from === null
      ? []
      : await customerBalancesAsOf(tx, tenantId, addDays(from as CalendarDate, -1), [customerId]);
  const running = new Map(openingRows.map((row) => [row.currency, row.balanceMinor]));
  const opening = [...running].map(([currency, balance]) => ({
    currency,
    balance: minorToDecimalString(balance, currency),
  }));
  const rows = await ledgerRows(tx, tenantId, customerId, from, to);
  const entries = rows.slice(0, MAX_LEDGER_ENTRIES).map((row): LedgerEntry => {
    const balance = (running.get(row.currency) ?? 0n) + row.effect;
    running.set(row.currency, balance);
    return {
      date: row.d,
      kind: row.kind,
      entryId: row.entry_id,
      invoiceId: row.invoice_id,
      receiptId: row.receipt_id,
      reference: row.reference,
      currency: row.currency,
      amount: minorToDecimalString(row.amount, row.currency),
      balanceEffect: minorToDecimalString(row.effect, row.currency),
      runningBalance: minorToDecimalString(balance, row.currency),
    };
  });
  const closing = [...running].map(([currency, balance]) => ({
    currency,
    balance: minorToDecimalString(balance, currency),
  }));
  return { customerId, from, to, opening, closing, entries, isTruncated: rows.length > MAX_LEDGER_ENTRIES };
}
