import { minorToDecimalString, shareOfLimit } from '@huikuan/core';
import type { CreditHoldRow, CreditHoldsPage, CreditHoldsQuery } from '@huikuan/core/contracts';
import { todayIn } from '../../platform/clock';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { decodeCursor, pageFrom } from '../../platform/pagination';
import { recordScope, type Actor } from '../../platform/request-context';
import { evaluateCustomers, withoutJit, type CustomerCreditEvaluation } from './credit-position';
import { loadCreditContext, type CreditContext } from './credit-settings';
import {
  customersInGroups,
  decisionOf,
  screenScope,
  wantedRowsAfter,
  type HoldDecision,
  type Screen,
  type ScreenedRow,
  type ScreenQuery,
  type WantedCustomers,
} from './hold-screen';
import { recordHoldTransitions } from './hold-state';

function toRow(
  evaluation: CustomerCreditEvaluation,
  decision: HoldDecision,
  context: CreditContext,
): CreditHoldRow {
  const currency = evaluation.currency;
  return {
    customerId: evaluation.customerId,
    code: evaluation.code,
    name: evaluation.name,
    ownerUserId: evaluation.ownerUserId,
    currency,
    limit: evaluation.limitMinor === null ? null : minorToDecimalString(evaluation.limitMinor, currency),
    exposure: minorToDecimalString(evaluation.position.exposureMinor, currency),
    shareOfLimit: shareOfLimit(evaluation.position.exposureMinor, evaluation.limitMinor),
    isOnHold: evaluation.causes.length > 0,
    isWarning: evaluation.isWarning,
    isOverridden: decision.isOverridden,
    causes: evaluation.causes,
    oldestOverdueDays: evaluation.position.oldestOverdueDays,
    openDisputes: minorToDecimalString(evaluation.position.openDisputesMinor, context.disputeHoldCurrency),
  };
}

type Verdict = { decision: HoldDecision; evaluation: CustomerCreditEvaluation };

/**
 * Full evaluations (exposure included) made during one list, by customer; null for a customer the evaluation no
 * longer returns. Every row shown and every transition recorded comes from one of these.
 */
class FullVerdicts {
  readonly byCustomer = new Map<string, Verdict | null>();

  constructor(
    private readonly tx: Tx,
    private readonly query: ScreenQuery,
  ) {}

  async evaluate(customerIds: readonly string[]): Promise<void> {
    const ids = [...new Set(customerIds)].filter((customerId) => !this.byCustomer.has(customerId));
    if (ids.length === 0) return;
    const { tenantId, context, today } = this.query;
    const evaluations = await evaluateCustomers(this.tx, tenantId, context, today, {
      kind: 'ids',
      customerIds: ids,
    });
    for (const customerId of ids) this.byCustomer.set(customerId, null);
    for (const evaluation of evaluations) {
      this.byCustomer.set(evaluation.customerId, { decision: decisionOf(evaluation, context), evaluation });
    }
  }

  changed(): CustomerCreditEvaluation[] {
    return [...this.byCustomer.values()].flatMap((verdict) =>
      verdict !== null && verdict.decision.isChanged ? [verdict.evaluation] : [],
    );
  }
}

function isWanted(decision: HoldDecision, status: CreditHoldsQuery['status']): boolean {
  const isOnHold = decision.causes.length > 0;
  if (!isOnHold && !decision.isWarning) return false;
  if (status === 'hold') return isOnHold;
  if (status === 'warning') return !isOnHold;
  return true;
}

/** The summary over the whole scope: each group's decision times its customers, and each undecided customer's. */
function summarize(screen: Screen, full: FullVerdicts): CreditHoldsPage['summary'] {
  const summary = { onHold: 0, warning: 0, overridden: 0 };
  const add = (decision: HoldDecision, customers: number) => {
    if (decision.causes.length > 0) summary.onHold += customers;
    else if (decision.isWarning) summary.warning += customers;
    if (decision.isOverridden) summary.overridden += customers;
  };
  for (const group of screen.groups.values()) add(group.decision, group.customers);
  for (const customerId of screen.undecidedIds) {
    const verdict = full.byCustomer.get(customerId);
    if (verdict) add(verdict.decision, 1);
  }
  return summary;
}

type PageWalk = { page: Verdict[]; unsettled: string[] };

/**
 * The page (and one more row) from the screened rows in code order: a row's decision is its full evaluation when
 * made, else its group's. Rows that would be shown, and rows that cannot be decided without one, are "unsettled"
 * until evaluated in full.
 */
function walkPage(rows: readonly ScreenedRow[], screen: Screen, full: FullVerdicts, query: CreditHoldsQuery) {
  const walk: PageWalk = { page: [], unsettled: [] };
  for (const row of rows) {
    if (walk.page.length + walk.unsettled.length > query.limit) break;
    const verdict = full.byCustomer.get(row.customerId);
    if (verdict === null) continue;
    const decision = verdict?.decision ?? screen.groups.get(row.groupKey ?? '')?.decision;
    if (decision === undefined) walk.unsettled.push(row.customerId);
    else if (!isWanted(decision, query.status)) continue;
    else if (verdict === undefined) walk.unsettled.push(row.customerId);
    else walk.page.push(verdict);
  }
  return walk;
}

/**
 * Walks the screened rows until the page (and one more) is filled with fully evaluated rows: evaluates the rows it
 * would show, and reads the next wanted rows when those read so far run out. Statements run one after another
 * (READ COMMITTED), so a full evaluation may disagree with the screen after a concurrent write; the walk then simply
 * goes on from the newer verdict.
 */
async function settlePage(
  tx: Tx,
  screenQuery: ScreenQuery,
  screen: Screen,
  full: FullVerdicts,
  query: CreditHoldsQuery,
  rowCount: number,
): Promise<Verdict[]> {
  const rows = [...screen.rows];
  let isLastRowRead = screen.rows.length < rowCount;
  for (;;) {
    const walk = walkPage(rows, screen, full, query);
    if (walk.unsettled.length > 0) {
      await full.evaluate(walk.unsettled);
      continue;
    }
    const last = rows.at(-1);
    if (walk.page.length > query.limit || isLastRowRead || last === undefined) return walk.page;
    const next = await wantedRowsAfter(tx, screenQuery, last.code, rowCount, wantedOf(screen, full, query));
    rows.push(...next);
    isLastRowRead = next.length < rowCount;
  }
}

/** The groups the page wants, and the undecided customers it wants (by their full evaluation). */
function wantedOf(screen: Screen, full: FullVerdicts, query: CreditHoldsQuery): WantedCustomers {
  const groups = [...screen.groups.values()].filter((group) => isWanted(group.decision, query.status));
  const customerIds = screen.undecidedIds.filter((customerId) => {
    const verdict = full.byCustomer.get(customerId);
    return verdict ? isWanted(verdict.decision, query.status) : false;
  });
  return { groupKeys: groups.map((group) => group.key), customerIds };
}

/** Screened rows read at once: the page and one more, twice over (most screened customers are on the page). */
function screenRowCount(query: CreditHoldsQuery): number {
  return (query.limit + 1) * 2;
}

/**
 * Customers in the caller's scope on hold or warned, by customer code, evaluated live (the list is never stale). The
 * scope is screened in one statement (hold-screen.ts); the customers it cannot decide, those whose hold state changed
 * and those on the page are evaluated in full (exposure included); the changes are recorded; the summary counts
 * cover the whole scope.
 */
export async function listCreditHolds(
  deps: AppDeps,
  actor: Actor,
  query: CreditHoldsQuery,
): Promise<CreditHoldsPage> {
  const after = decodeCursor(query.cursor, 1);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const context = await loadCreditContext(tx, actor.tenantId);
    const today = todayIn(deps.clock, context.timezone);
    await withoutJit(tx);
    const screenQuery = { tenantId: actor.tenantId, context, today, scope: recordScope(actor) };
    const rowCount = screenRowCount(query);
    const screen = await screenScope(tx, screenQuery, after?.[0], rowCount);
    const full = new FullVerdicts(tx, screenQuery);
    await full.evaluate(screen.undecidedIds);
    const changedGroups = [...screen.groups.values()].filter((group) => group.decision.isChanged);
    const changed = await customersInGroups(
      tx,
      screenQuery,
      changedGroups.map((group) => group.key),
    );
    await full.evaluate(changed.map((customer) => customer.customerId));
    const verdicts = await settlePage(tx, screenQuery, screen, full, query, rowCount);
    await recordHoldTransitions(tx, actor, full.changed(), 'list', today, deps.clock.now());
    const page = pageFrom(verdicts, query.limit, (verdict) => [verdict.evaluation.code]);
    return {
      asOf: today,
      items: page.items.map((verdict) => toRow(verdict.evaluation, verdict.decision, context)),
      nextCursor: page.nextCursor,
      summary: summarize(screen, full),
    };
  });
}
