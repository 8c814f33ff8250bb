import {
  addDays,
  chasedMinorOf,
  daysOverdueOn,
  evaluateItem,
  type CalendarDate,
  type CreditRating,
  type ItemPause,
  type LadderStep,
  byCodePoint,
} from '@huikuan/core';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';
import { effectiveRatings } from '../payment-behaviour/effective-ratings';
import type { OpenItem } from './open-items';
import { loadPolicies, type PolicyRecord } from './policy-store';
import { dunningPauseSources, type ChasedItem } from './step-registry';

/**
 * What a run decides from, loaded once per run: the policies and which applies to whom (customer > rating > segment
 * > default), and the pauses as of the run's date.
 */
export type RunContext = {
  asOf: CalendarDate;
  policies: PolicyRecord[];
  /** The latest due date an item can have and still have a step due (as-of plus the longest lead before due). */
  dueOnOrBefore: CalendarDate;
  policyFor(item: OpenItem): PolicyRecord;
  pausesOf(invoiceId: string): readonly ItemPause[];
};

export type PlannedAction = {
  item: OpenItem;
  policy: PolicyRecord;
  step: LadderStep;
  chasedMinor: bigint;
  daysOverdue: number;
};

export type BatchPlan = {
  actions: PlannedAction[];
  pausedItems: number;
  heldBack: number;
};

export async function loadRunContext(tx: Tx, tenantId: string, asOf: CalendarDate): Promise<RunContext> {
  const policies = await loadPolicies(tx, tenantId);
  const fallback = policies.find((policy) => policy.isDefault) ?? policies[0];
  if (!fallback) throw new Error('No dunning policy: ensureDefaultPolicy should have created one');
  const byCustomer = new Map<string, PolicyRecord>();
  const byRating = new Map<CreditRating, PolicyRecord>();
  const bySegment = new Map<string, PolicyRecord>();
  for (const policy of policies) {
    for (const { target } of policy.assignments) {
      if (target.kind === 'customer') byCustomer.set(target.customerId, policy);
      else if (target.kind === 'rating') byRating.set(target.rating, policy);
      else bySegment.set(target.segment, policy);
    }
  }
  const ratings: Map<string, CreditRating> =
    byRating.size > 0
      ? await ratingsOfUnassigned(tx, tenantId, asOf, byCustomer)
      : new Map<string, CreditRating>();
  const pauses = await loadPauses(tx, tenantId, asOf);
  const longestLead = Math.max(
    0,
    ...policies.flatMap((policy) => policy.steps.map((step) => -step.offsetDays)),
  );
  return {
    asOf,
    policies,
    dueOnOrBefore: addDays(asOf, longestLead),
    policyFor: (item) => {
      const rating = ratings.get(item.customerId);
      return (
        byCustomer.get(item.customerId) ??
        (rating === undefined ? undefined : byRating.get(rating)) ??
        (item.segment === null ? undefined : bySegment.get(item.segment)) ??
        fallback
      );
    },
    pausesOf: (invoiceId) => pauses.get(invoiceId) ?? [],
  };
}

/**
 * Effective ratings (override, else computed) of the customers with open items that no customer assignment already
 * decides: three statements however many there are, and only when some policy is assigned by rating.
 */
async function ratingsOfUnassigned(
  tx: Tx,
  tenantId: string,
  asOf: CalendarDate,
  byCustomer: ReadonlyMap<string, PolicyRecord>,
): Promise<Map<string, CreditRating>> {
  const rows = await sql<{ customer_id: string }>`
    SELECT DISTINCT i.customer_id FROM invoices i
    WHERE i.tenant_id = ${tenantId} AND i.status = 'issued' AND i.invoice_date <= ${asOf}::date`.execute(tx);
  const ids = rows.rows.map((row) => row.customer_id).filter((id) => !byCustomer.has(id));
  const ratings = await effectiveRatings(tx, tenantId, ids, asOf);
  const out = new Map<string, CreditRating>();
  for (const [id, rating] of ratings) if (rating.effective !== null) out.set(id, rating.effective);
  return out;
}

async function loadPauses(tx: Tx, tenantId: string, asOf: CalendarDate): Promise<Map<string, ItemPause[]>> {
  const pauses = new Map<string, ItemPause[]>();
  for (const source of dunningPauseSources()) {
    for (const pause of await source(tx, tenantId, asOf)) {
      const list = pauses.get(pause.invoiceId) ?? [];
      list.push({ reason: pause.reason, pausedMinor: pause.pausedMinor });
      pauses.set(pause.invoiceId, list);
    }
  }
  return pauses;
}

/** The ladder's decision for each item of a batch (pure once the done steps are read). */
export function planBatch(context: RunContext, items: readonly OpenItem[]): BatchPlan {
  const plan: BatchPlan = { actions: [], pausedItems: 0, heldBack: 0 };
  for (const item of items) {
    const policy = context.policyFor(item);
    const evaluation = evaluateItem(
      policy.steps,
      {
        dueDate: item.dueDate,
        openMinor: item.openMinor,
        pauses: context.pausesOf(item.invoiceId),
        doneStepIds: item.doneStepIds,
      },
      context.asOf,
    );
    if (evaluation.status === 'not_chased') {
      plan.pausedItems += 1;
      plan.heldBack += evaluation.heldBack.length;
      continue;
    }
    const daysOverdue = daysOverdueOn(item.dueDate, context.asOf);
    for (const step of evaluation.fire) {
      plan.actions.push({ item, policy, step, chasedMinor: evaluation.chasedMinor, daysOverdue });
    }
  }
  return plan;
}

/**
 * Each customer's chased overdue items from the run's snapshot, worked out the first time an executor asks for that
 * customer (a letter or a 律师函 request lists them). The snapshot's items are added as they are read (whole
 * customers at a time); the snapshot holds every open item of the run however it is cut into batches, so a customer
 * whose items straddle two batches gets the same list in both.
 */
export function chasedItemsIndex(context: RunContext): {
  add: (items: readonly OpenItem[]) => void;
  of: (customerId: string) => readonly ChasedItem[];
} {
  const byCustomer = new Map<string, OpenItem[]>();
  const known = new Map<string, readonly ChasedItem[]>();
  return {
    add: (items) => {
      for (const item of items) {
        const list = byCustomer.get(item.customerId);
        if (list) list.push(item);
        else byCustomer.set(item.customerId, [item]);
      }
    },
    of: (customerId) => {
      const cached = known.get(customerId);
      if (cached) return cached;
      const chased = chasedOverdue(context, byCustomer.get(customerId) ?? []);
      known.set(customerId, chased);
      return chased;
    },
  };
}

function chasedOverdue(context: RunContext, items: readonly OpenItem[]): ChasedItem[] {
  const chased: ChasedItem[] = [];
  for (const item of items) {
    if (item.dueDate >= context.asOf) continue;
    const chasedMinor = chasedMinorOf(item.openMinor, context.pausesOf(item.invoiceId));
    if (chasedMinor <= 0n) continue;
    chased.push({
      invoiceId: item.invoiceId,
      number: item.invoiceNumber,
      dueDate: item.dueDate,
      currency: item.currency,
      chasedMinor,
      daysOverdue: daysOverdueOn(item.dueDate, context.asOf),
    });
  }
  return chased.sort((a, b) =>
    a.dueDate === b.dueDate ? byCodePoint(a.number, b.number) : byCodePoint(a.dueDate, b.dueDate),
  );
}
