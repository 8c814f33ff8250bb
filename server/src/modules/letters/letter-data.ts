import {
  addDays,
  daysBetween,
  parseMoneyOrThrow,
  type CalendarDate,
  type ConfirmationBalance,
  type LetterData,
  type LetterItem,
  type LetterKind,
  type LetterLocale,
  type StatementEntryKind,
  type StatementSection,
} from '@huikuan/core';
import type { Tx } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { dunningPauseSources } from '../dunning/step-registry';
import { customerBalancesAsOf, invoiceBalancesAsOf } from '../receipts/balances';
import { customerLedgerIn } from '../receipts/customer-ledger';
import { letterSender } from './letterhead';

/**
 * Reads everything a letter says from the ledger, in the caller's transaction: the sender, the customer, the open
 * items with their open amounts as of the date, the statement's entries, the balances to confirm. Amounts stay
 * bigint minor units throughout; the ledger's decimal strings are parsed back exactly.
 */

export type LetterDataInput = {
  tenantId: string;
  kind: LetterKind;
  customerId: string;
  locale: LetterLocale;
  asOf: CalendarDate;
  /** 对账单: the period's first day (default: the first of asOf's month). */
  periodFrom?: CalendarDate | undefined;
  /** Only these invoices; by default every open one (overdue ones for 催款函 and 律师函). */
  invoiceIds?: readonly string[] | undefined;
  /** Leave out what the dunning ladder does not chase (disputed parts, items under a valid promise). */
  isChasedOnly?: boolean;
};

/** Letters that demand payment list what is overdue; a reminder also lists what falls due soon. */
function isOverdueOnly(kind: LetterKind): boolean {
  return kind === 'dunning_letter' || kind === 'lawyer_letter';
}

async function customerOrThrow(tx: Tx, tenantId: string, customerId: string) {
  const customer = await tx
    .selectFrom('customers')
    .select(['id', 'code', 'name', 'office_address', 'registered_address'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!customer) throw notFound('customer');
  return customer;
}

/** Per invoice, the part chasing is paused for on the date ('all' for the whole item). */
async function pausedMinorByInvoice(tx: Tx, tenantId: string, asOf: CalendarDate) {
  const paused = new Map<string, bigint | 'all'>();
  for (const source of dunningPauseSources()) {
    for (const pause of await source(tx, tenantId, asOf)) {
      const earlier = paused.get(pause.invoiceId) ?? 0n;
      paused.set(
        pause.invoiceId,
        earlier === 'all' || pause.pausedMinor === 'all' ? 'all' : earlier + pause.pausedMinor,
      );
    }
  }
  return paused;
}

export type OpenItem = LetterItem & { id: string };

export async function openItems(tx: Tx, input: LetterDataInput): Promise<OpenItem[]> {
  let query = tx
    .selectFrom('invoices')
    .select(['id', 'number', 'invoice_date', 'due_date', 'currency'])
    .where('tenant_id', '=', input.tenantId)
    .where('customer_id', '=', input.customerId)
    .where('status', '=', 'issued')
    .where('invoice_date', '<=', input.asOf);
  if (input.invoiceIds) query = query.where('id', 'in', [...input.invoiceIds]);
  else if (isOverdueOnly(input.kind)) query = query.where('due_date', '<', input.asOf);
  const invoices = await query.orderBy('due_date').orderBy('number').execute();
  if (input.invoiceIds && invoices.length !== new Set(input.invoiceIds).size) {
    throw new AppError('validation_failed', {}, [
      { path: 'invoiceIds', message: "Every invoice must be one of this customer's, issued by asOf" },
    ]);
  }
  const balances = await invoiceBalancesAsOf(
    tx,
    input.tenantId,
    invoices.map((invoice) => invoice.id),
    input.asOf,
  );
  const paused = input.isChasedOnly
    ? await pausedMinorByInvoice(tx, input.tenantId, input.asOf)
    : new Map<string, bigint | 'all'>();
  return invoices.flatMap((invoice): OpenItem[] => {
    const balance = balances.get(invoice.id);
    if (!balance || balance.isVoid) return [];
    const pause = paused.get(invoice.id) ?? 0n;
    const openMinor =
      pause === 'all' ? 0n : balance.openMinor - (pause > balance.openMinor ? balance.openMinor : pause);
    if (openMinor <= 0n) return [];
    return [
      {
        id: invoice.id,
        number: invoice.number,
        invoiceDate: invoice.invoice_date as CalendarDate,
        dueDate: invoice.due_date as CalendarDate,
        daysOverdue: daysBetween(invoice.due_date as CalendarDate, input.asOf),
        totalMinor: balance.totalMinor,
        openMinor,
        currency: invoice.currency,
      },
    ];
  });
}

const STATEMENT_KINDS = new Set<string>([
  'invoice',
  'credit_note',
  'write_off',
  'receipt',
  'receipt_reversal',
  'invoice_void',
  'write_off_recovery',
  'write_off_recovery_reversal',
]);

export function firstOfMonth(date: CalendarDate): CalendarDate {
  return `${date.slice(0, 8)}01` as CalendarDate;
}

/** 对账单 from the customer ledger: allocations only move money between documents and are left out. */
async function statementSections(
  tx: Tx,
  input: LetterDataInput,
  period: { from: CalendarDate; to: CalendarDate },
): Promise<StatementSection[]> {
  const ledger = await customerLedgerIn(tx, input.tenantId, input.customerId, period);
  if (ledger.isTruncated) {
    throw new AppError('validation_failed', {}, [
      { path: 'periodFrom', message: 'Too many entries for one statement; choose a shorter period' },
    ]);
  }
  const minor = (decimal: string, currency: string) => parseMoneyOrThrow(decimal, currency).amountMinor;
  const currencies = [
    ...new Set([
      ...ledger.opening.map((row) => row.currency),
      ...ledger.entries.map((entry) => entry.currency),
    ]),
  ].sort();
  return currencies.map((currency) => {
    const opening = ledger.opening.find((row) => row.currency === currency);
    const closing = ledger.closing.find((row) => row.currency === currency);
    return {
      currency,
      openingMinor: opening ? minor(opening.balance, currency) : 0n,
      entries: ledger.entries
        .filter((entry) => entry.currency === currency && STATEMENT_KINDS.has(entry.kind))
        .filter((entry) => minor(entry.balanceEffect, currency) !== 0n)
        .map((entry) => ({
          date: entry.date as CalendarDate,
          kind: entry.kind as StatementEntryKind,
          reference: entry.reference,
          effectMinor: minor(entry.balanceEffect, currency),
          balanceMinor: minor(entry.runningBalance, currency),
        })),
      closingMinor: closing ? minor(closing.balance, currency) : 0n,
    };
  });
}

async function confirmationBalances(tx: Tx, input: LetterDataInput): Promise<ConfirmationBalance[]> {
  const rows = await customerBalancesAsOf(tx, input.tenantId, input.asOf, [input.customerId]);
  return rows.map((row) => ({
    currency: row.currency,
    openInvoicesMinor: row.openInvoicesMinor,
    unappliedCreditMinor: row.unappliedCreditMinor,
    balanceMinor: row.balanceMinor,
  }));
}

export type LoadedLetterData = {
  data: LetterData;
  invoiceIds: string[];
  seal: Awaited<ReturnType<typeof letterSender>>['seal'];
};

export async function loadLetterData(tx: Tx, input: LetterDataInput): Promise<LoadedLetterData> {
  const customer = await customerOrThrow(tx, input.tenantId, input.customerId);
  const { company, seal } = await letterSender(tx, input.tenantId);
  const isStatement = input.kind === 'statement';
  const period = isStatement ? { from: input.periodFrom ?? firstOfMonth(input.asOf), to: input.asOf } : null;
  if (period && period.from > period.to) {
    throw new AppError('validation_failed', {}, [
      { path: 'periodFrom', message: 'Must be on or before asOf' },
    ]);
  }
  const items = isStatement ? [] : await openItems(tx, input);
  const data: LetterData = {
    kind: input.kind,
    locale: input.locale,
    company,
    customer: {
      name: customer.name,
      code: customer.code,
      address: customer.office_address ?? customer.registered_address,
    },
    asOf: input.asOf,
    period,
    items,
    statement: period ? await statementSections(tx, input, period) : [],
    balances: input.kind === 'balance_confirmation' ? await confirmationBalances(tx, input) : [],
    hasSeal: seal !== null,
  };
  return { data, invoiceIds: items.map((item) => item.id), seal };
}

/** The last day of a month given as YYYY-MM. */
export function lastDayOfMonth(month: string): CalendarDate {
  const next = month.endsWith('-12')
    ? `${Number(month.slice(0, 4)) + 1}-01-01`
    : `${month.slice(0, 5)}${String(Number(month.slice(5, 7)) + 1).padStart(2, '0')}-01`;
  return addDays(next as CalendarDate, -1);
}
