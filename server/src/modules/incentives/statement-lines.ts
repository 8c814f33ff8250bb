import {
  clawback,
  commissionForCash,
  earlyPaymentBonus,
  monthOf,
  nextMonth,
  overduePenalty,
  periodRangeOrThrow,
  previousPeriod,
  rulesInForce,
  settlementEvents,
  statementMonthOf,
  type CalendarDate,
  type CommissionLine,
  type CommissionReason,
} from '@huikuan/core';
import type { Tx } from '../../platform/db';
import {
  invoiceHistories,
  overdueAt,
  unlockedCashRows,
  unlockedReversalRows,
  type CashRow,
  type InvoiceHistory,
  type LockedLine,
} from './collected-cash';
import type { IncentiveContext } from './incentive-context';

/** A commission line with what a reader needs to check it: the date it is for, the invoice and the customer. */
export type StatementLine = CommissionLine & {
  on: CalendarDate;
  dueDate: CalendarDate | null;
  invoiceNumber: string | null;
  customerCode: string | null;
  customerName: string | null;
};

export function lineOfLocked(locked: LockedLine): StatementLine {
  return {
    kind: locked.kind as CommissionLine['kind'],
    sourceId: locked.sourceId,
    salespersonId: locked.salespersonId,
    invoiceId: locked.invoiceId,
    currency: locked.currency,
    baseMinor: locked.baseMinor,
    rateNumerator: locked.rateNumerator,
    commissionMinor: locked.commissionMinor,
    reasons: locked.reasons as CommissionReason[],
    daysLate: locked.daysLate,
    ageDays: locked.ageDays,
    on: locked.on,
    dueDate: locked.dueDate,
    invoiceNumber: locked.invoiceNumber,
    customerCode: locked.customerCode,
    customerName: locked.customerName,
  };
}

type Month = {
  month: string;
  salespersonId: string;
  lockedMonths: ReadonlySet<string>;
  context: IncentiveContext;
};

/** The month a line with no locked home goes to (its own, or the next open one). */
function homeOf(m: Month, on: CalendarDate): string {
  return statementMonthOf(monthOf(on), m.lockedMonths, null, nextMonth);
}

function rulesFor(m: Month, month: string) {
  return rulesInForce(m.context.ruleVersions, month);
}

function cashLine(m: Month, row: CashRow, month: string): StatementLine {
  const line = commissionForCash(rulesFor(m, month), {
    id: row.allocationId,
    salespersonId: m.salespersonId,
    invoiceId: row.invoiceId,
    amountMinor: row.amountMinor,
    currency: row.currency,
    collectedOn: row.receivedOn,
    invoiceDate: row.invoiceDate,
    dueDate: row.dueDate,
    isNotSalesCaused: row.isNotSalesCaused,
  });
  return {
    ...line,
    on: row.receivedOn,
    dueDate: row.dueDate,
    invoiceNumber: row.invoiceNumber,
    customerCode: row.customerCode,
    customerName: row.customerName,
  };
}

async function cashAndClawbackLines(tx: Tx, m: Month, from: CalendarDate, to: CalendarDate) {
  const lines: StatementLine[] = [];
  for (const row of await unlockedCashRows(tx, m.context.tenantId, m.salespersonId, from, to)) {
    if (homeOf(m, row.receivedOn) === m.month) lines.push(cashLine(m, row, m.month));
  }
  for (const row of await unlockedReversalRows(tx, m.context.tenantId, m.salespersonId, from, to)) {
    if (homeOf(m, row.reversedOn) !== m.month) continue;
    // Take back exactly what the original earned: its locked line, else its line recomputed from the same
    // immutable inputs with the rules of the month it belongs to.
    const original = row.lockedOriginal
      ? lineOfLocked(row.lockedOriginal)
      : cashLine(m, row, homeOf(m, row.receivedOn));
    lines.push({ ...original, ...clawback(original), on: row.reversedOn });
  }
  return lines;
}

function causeOn(history: InvoiceHistory, date: CalendarDate): boolean {
  let isNotSalesCaused = false;
  for (const cause of history.causes) {
    if (cause.effectiveOn <= date) isNotSalesCaused = cause.isNotSalesCaused;
  }
  return isNotSalesCaused;
}

function bonusLine(m: Month, history: InvoiceHistory, settledOn: CalendarDate, collectedMinor: bigint) {
  const bonus = earlyPaymentBonus(rulesFor(m, homeOf(m, settledOn)), {
    invoiceId: history.invoiceId,
    salespersonId: m.salespersonId,
    totalMinor: collectedMinor,
    currency: history.currency,
    dueDate: history.dueDate,
    settledOn,
    isNotSalesCaused: causeOn(history, settledOn),
  });
  if (!bonus) return null;
  return {
    ...bonus,
    on: settledOn,
    dueDate: history.dueDate,
    invoiceNumber: history.invoiceNumber,
    customerCode: history.customerCode,
    customerName: history.customerName,
  };
}

/** Full-early-payment bonuses settled in the month, and clawbacks of bonuses whose money was reversed. */
function bonusLines(m: Month, histories: readonly InvoiceHistory[]): StatementLine[] {
  const lines: StatementLine[] = [];
  for (const history of histories) {
    const events = settlementEvents(history.totalMinor, history.creditNotes, history.rows);
    for (const event of events) {
      const source = `early:${history.invoiceId}:${event.settledOn}`;
      const locked = history.lockedBonuses.get(source);
      if (event.kind === 'settled') {
        if (locked || history.ownerUserId !== m.salespersonId) continue;
        if (homeOf(m, event.settledOn) !== m.month) continue;
        const bonus = bonusLine(m, history, event.settledOn, event.collectedMinor);
        if (bonus) lines.push(bonus);
        continue;
      }
      if (history.lockedBonuses.has(`clawback:${source}`)) continue;
      if ((locked?.salespersonId ?? history.ownerUserId) !== m.salespersonId) continue;
      if (homeOf(m, event.reopenedOn) !== m.month) continue;
      const settled = events.find((e) => e.kind === 'settled' && e.settledOn === event.settledOn);
      const original = locked
        ? lineOfLocked(locked)
        : settled?.kind === 'settled'
          ? bonusLine(m, history, settled.settledOn, settled.collectedMinor)
          : null;
      if (original) lines.push({ ...original, ...clawback(original), on: event.reopenedOn });
    }
  }
  return lines;
}

async function penaltyLines(tx: Tx, m: Month, to: CalendarDate): Promise<StatementLine[]> {
  const rules = rulesFor(m, m.month);
  if (!rules.overduePenalty) return [];
  const overdue = await overdueAt(
    tx,
    m.context.tenantId,
    m.salespersonId,
    to,
    rules.overduePenalty.afterDaysOverdue,
  );
  return [...overdue.entries()].flatMap(([currency, amountMinor]) => {
    const line = overduePenalty(rules, m.salespersonId, currency, amountMinor, m.month);
    return line
      ? [{ ...line, on: to, dueDate: null, invoiceNumber: null, customerCode: null, customerName: null }]
      : [];
  });
}

const KIND_ORDER = { cash: 0, bonus: 1, penalty: 2 } as const;

function byDateKindSource(a: StatementLine, b: StatementLine): number {
  if (a.on !== b.on) return a.on < b.on ? -1 : 1;
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  // Within a day, by invoice number (as a reader looks things up), then by source so the order is total.
  const invoiceOrder = (a.invoiceNumber ?? '\uffff').localeCompare(b.invoiceNumber ?? '\uffff', 'en', {
    numeric: true,
  });
  if (invoiceOrder !== 0) return invoiceOrder;
  if (a.sourceId === b.sourceId) return 0;
  return a.sourceId < b.sourceId ? -1 : 1;
}

/**
 * The lines a salesperson's statement for an open month has now: cash received that month (or earlier, when the
 * months in between were already locked), clawbacks of reversals dated that month, bonuses for invoices settled
 * early, and the penalty when the rules have one.
 */
export async function draftStatementLines(
  tx: Tx,
  context: IncentiveContext,
  salespersonId: string,
  month: string,
  lockedMonths: ReadonlySet<string>,
): Promise<StatementLine[]> {
  const m: Month = { month, salespersonId, lockedMonths, context };
  // Money dated in locked months just before this one that no locked statement holds lands here.
  let first = month;
  while (lockedMonths.has(previousPeriod(first))) first = previousPeriod(first);
  const from = periodRangeOrThrow(first).from;
  const to = periodRangeOrThrow(month).to;
  const lines = [
    ...(await cashAndClawbackLines(tx, m, from, to)),
    ...bonusLines(m, await invoiceHistories(tx, context.tenantId, salespersonId, from, to)),
    ...(await penaltyLines(tx, m, to)),
  ];
  return lines.sort(byDateKindSource);
}
