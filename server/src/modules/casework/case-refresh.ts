import {
  daysBetween,
  scoreCase,
  suggestApproach,
  suggestNextStep,
  type CalendarDate,
  type CreditRating,
  type CustomerAttitude,
  type DelinquencyType,
} from '@huikuan/core';
import { sql } from 'kysely';
import type { AuditActor } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import { effectiveRatings } from '../payment-behaviour/effective-ratings';
import { openItemsRelation } from './open-items';
import { brokenPromiseCounts, evaluatePromises, settleOpenPromises } from './promises';

/**
 * The worklist's rows (collection_cases), recomputed set-based: open items per customer and currency from the
 * ledger, open disputes, promises (settled first, so a promise that broke today already counts), activities and
 * ratings, each in one statement for all customers; the score, approach and next step from core/src/worklist.ts;
 * one upsert of every row through unnest (one parameter per column, whatever the number of cases) and one update
 * that deactivates cases with nothing open any more.
 *
 * Called for the whole organization after a dunning run and daily, and for one customer whenever a promise,
 * dispute, activity or the case itself changes, in that write's transaction.
 */

/** Promises broken within this many days put the broken-promise flag on the worklist. */
export const BROKEN_PROMISE_FLAG_DAYS = 90;
/** Broken promises within a year count in the score. */
const BROKEN_PROMISE_SCORE_DAYS = 365;

type Aggregate = {
  customer_id: string;
  currency: string;
  open: string;
  overdue: string;
  disputed: string;
  chased: string;
  max_days: number;
  overdue_count: number;
};

async function openAggregates(
  tx: Tx,
  tenantId: string,
  asOf: CalendarDate,
  customerIds: readonly string[] | null,
) {
  const narrowDisputes =
    customerIds === null ? sql`` : sql`AND d.customer_id = ANY(${[...customerIds]}::uuid[])`;
  const result = await sql<Aggregate>`
    WITH oi AS ${openItemsRelation(tenantId, customerIds)},
    disp AS (
      SELECT d.invoice_id, sum(d.amount_minor) AS amount FROM disputes d
      WHERE d.tenant_id = ${tenantId} AND d.status = 'open' AND d.invoice_id IS NOT NULL ${narrowDisputes}
      GROUP BY d.invoice_id
    ),
    items AS (
      SELECT oi.customer_id, oi.currency, oi.open_minor, least(coalesce(disp.amount, 0), oi.open_minor) AS disputed,
        (${asOf}::date - oi.due_date) AS days
      FROM oi LEFT JOIN disp ON disp.invoice_id = oi.invoice_id
    )
    SELECT customer_id, currency, sum(open_minor)::text AS open,
      coalesce(sum(open_minor) FILTER (WHERE days > 0), 0)::text AS overdue,
      sum(disputed)::text AS disputed,
      coalesce(sum(open_minor - disputed) FILTER (WHERE days > 0), 0)::text AS chased,
      coalesce(max(days) FILTER (WHERE days > 0 AND open_minor > disputed), 0)::int AS max_days,
      (count(*) FILTER (WHERE days > 0))::int AS overdue_count
    FROM items GROUP BY customer_id, currency`.execute(tx);
  return result.rows;
}

/** Open disputes that name no invoice, per customer and currency: shown on the case, never subtracted from an item. */
async function customerLevelDisputes(tx: Tx, tenantId: string, customerIds: readonly string[]) {
  const result = await sql<{ customer_id: string; currency: string; amount: string }>`
    SELECT customer_id, currency::text AS currency, sum(amount_minor)::text AS amount FROM disputes
    WHERE tenant_id = ${tenantId} AND status = 'open' AND invoice_id IS NULL
      AND customer_id = ANY(${[...customerIds]}::uuid[])
    GROUP BY 1, 2`.execute(tx);
  return new Map(result.rows.map((row) => [`${row.customer_id}/${row.currency}`, BigInt(row.amount)]));
}

async function activityFacts(tx: Tx, tenantId: string, customerIds: readonly string[]) {
  const [contacts, next] = await Promise.all([
    sql<{ customer_id: string; last_on: string }>`
      SELECT customer_id, max(occurred_on)::text AS last_on FROM collection_activities
      WHERE tenant_id = ${tenantId} AND customer_id = ANY(${[...customerIds]}::uuid[])
        AND kind IN ('call', 'visit', 'letter') AND occurred_on IS NOT NULL
      GROUP BY customer_id`.execute(tx),
    sql<{
      customer_id: string;
      id: string;
      kind: string;
      task_type: string | null;
      title: string;
      due_on: string;
    }>`
      SELECT DISTINCT ON (customer_id) customer_id, id, kind, task_type, title, due_on::text AS due_on
      FROM collection_activities
      WHERE tenant_id = ${tenantId} AND customer_id = ANY(${[...customerIds]}::uuid[])
        AND done_at IS NULL AND due_on IS NOT NULL
      ORDER BY customer_id, due_on, created_at`.execute(tx),
  ]);
  return {
    lastContact: new Map(contacts.rows.map((row) => [row.customer_id, row.last_on as CalendarDate])),
    nextActivity: new Map(next.rows.map((row) => [row.customer_id, row])),
  };
}

async function openPromiseDeadlines(
  tx: Tx,
  tenantId: string,
  customerIds: readonly string[],
  asOf: CalendarDate,
) {
  const rows = await tx
    .selectFrom('promises_to_pay')
    .select(['id', 'customer_id', 'currency', 'grace_days', 'status', 'promised_on', 'settled_on'])
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'open')
    .where('customer_id', 'in', [...customerIds])
    .execute();
  const evaluations = await evaluatePromises(tx, tenantId, rows, asOf);
  const until = new Map<string, CalendarDate>();
  for (const row of rows) {
    const deadline = evaluations.get(row.id)?.nextDeadline ?? null;
    if (deadline === null) continue;
    const current = until.get(row.customer_id);
    if (current === undefined || deadline < current) until.set(row.customer_id, deadline);
  }
  return until;
}

type CaseRow = {
  customer_id: string;
  collector_user_id: string | null;
  team_id: string | null;
  currency: string;
  open_minor: bigint;
  overdue_minor: bigint;
  disputed_minor: bigint;
  other_currencies: string[];
  max_days_overdue: number;
  overdue_invoice_count: number;
  score: number;
  reasons: string;
  approach: string;
  approach_reasons: string[];
  rating: CreditRating | null;
  broken_promise_count: number;
  has_broken_promise: boolean;
  open_promise_until: CalendarDate | null;
  last_contact_on: CalendarDate | null;
  next_activity_id: string | null;
  next_activity_kind: string | null;
  next_activity_title: string | null;
  next_activity_due_on: string | null;
  suggested_step: string;
};

/** One statement for every row: each column travels as one array parameter. */
async function upsertCases(
  tx: Tx,
  tenantId: string,
  asOf: CalendarDate,
  rows: readonly CaseRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const column = <T>(pick: (row: CaseRow) => T) => rows.map(pick);
  const text = (value: bigint | number | null) => (value === null ? null : String(value));
  await sql`
    INSERT INTO collection_cases (tenant_id, customer_id, is_active, collector_user_id, team_id, currency, open_minor,
      overdue_minor, disputed_minor, other_currencies, max_days_overdue, overdue_invoice_count, score, reasons,
      approach, approach_reasons, rating, broken_promise_count, has_broken_promise, open_promise_until,
      last_contact_on, next_activity_id, next_activity_kind, next_activity_title, next_activity_due_on,
      suggested_step, as_of, refreshed_at)
    SELECT ${tenantId}::uuid, u.customer_id, true, u.collector_user_id, u.team_id, u.currency, u.open_minor,
      u.overdue_minor, u.disputed_minor, string_to_array(u.other_currencies, ','), u.max_days_overdue,
      u.overdue_invoice_count, u.score, u.reasons::jsonb, u.approach, string_to_array(u.approach_reasons, ','),
      u.rating, u.broken_promise_count, u.has_broken_promise, u.open_promise_until, u.last_contact_on,
      u.next_activity_id, u.next_activity_kind, u.next_activity_title, u.next_activity_due_on, u.suggested_step,
      ${asOf}::date, now()
    FROM unnest(
      ${column((row) => row.customer_id)}::uuid[], ${column((row) => row.collector_user_id)}::uuid[],
      ${column((row) => row.team_id)}::uuid[], ${column((row) => row.currency)}::text[],
      ${column((row) => text(row.open_minor))}::bigint[], ${column((row) => text(row.overdue_minor))}::bigint[],
      ${column((row) => text(row.disputed_minor))}::bigint[], ${column((row) => row.other_currencies.join(','))}::text[],
      ${column((row) => text(row.max_days_overdue))}::int[], ${column((row) => text(row.overdue_invoice_count))}::int[],
      ${column((row) => text(row.score))}::int[], ${column((row) => row.reasons)}::text[],
      ${column((row) => row.approach)}::text[], ${column((row) => row.approach_reasons.join(','))}::text[],
      ${column((row) => row.rating)}::text[], ${column((row) => text(row.broken_promise_count))}::int[],
      ${column((row) => String(row.has_broken_promise))}::boolean[], ${column((row) => row.open_promise_until)}::date[],
      ${column((row) => row.last_contact_on)}::date[], ${column((row) => row.next_activity_id)}::uuid[],
      ${column((row) => row.next_activity_kind)}::text[], ${column((row) => row.next_activity_title)}::text[],
      ${column((row) => row.next_activity_due_on)}::date[], ${column((row) => row.suggested_step)}::text[]
    ) AS u(customer_id, collector_user_id, team_id, currency, open_minor, overdue_minor, disputed_minor,
      other_currencies, max_days_overdue, overdue_invoice_count, score, reasons, approach, approach_reasons, rating,
      broken_promise_count, has_broken_promise, open_promise_until, last_contact_on, next_activity_id,
      next_activity_kind, next_activity_title, next_activity_due_on, suggested_step)
    ON CONFLICT (tenant_id, customer_id) DO UPDATE SET
      is_active = true, collector_user_id = EXCLUDED.collector_user_id, team_id = EXCLUDED.team_id,
      currency = EXCLUDED.currency, open_minor = EXCLUDED.open_minor, overdue_minor = EXCLUDED.overdue_minor,
      disputed_minor = EXCLUDED.disputed_minor, other_currencies = EXCLUDED.other_currencies,
      max_days_overdue = EXCLUDED.max_days_overdue, overdue_invoice_count = EXCLUDED.overdue_invoice_count,
      score = EXCLUDED.score, reasons = EXCLUDED.reasons, approach = EXCLUDED.approach,
      approach_reasons = EXCLUDED.approach_reasons, rating = EXCLUDED.rating,
      broken_promise_count = EXCLUDED.broken_promise_count, has_broken_promise = EXCLUDED.has_broken_promise,
      open_promise_until = EXCLUDED.open_promise_until, last_contact_on = EXCLUDED.last_contact_on,
      next_activity_id = EXCLUDED.next_activity_id, next_activity_kind = EXCLUDED.next_activity_kind,
      next_activity_title = EXCLUDED.next_activity_title, next_activity_due_on = EXCLUDED.next_activity_due_on,
      suggested_step = EXCLUDED.suggested_step, as_of = EXCLUDED.as_of, refreshed_at = EXCLUDED.refreshed_at`.execute(
    tx,
  );
}

/** Cases whose customer has nothing open any more leave the worklist (their settings stay for next time). */
async function deactivateOthers(
  tx: Tx,
  tenantId: string,
  asOf: CalendarDate,
  activeIds: readonly string[],
  customerIds: readonly string[] | null,
): Promise<void> {
  const narrow = customerIds === null ? sql`` : sql`AND customer_id = ANY(${[...customerIds]}::uuid[])`;
  await sql`
    UPDATE collection_cases SET is_active = false, score = 0, open_minor = 0, overdue_minor = 0, disputed_minor = 0,
      max_days_overdue = 0, overdue_invoice_count = 0, reasons = '[]', open_promise_until = NULL,
      suggested_step = 'none', as_of = ${asOf}::date, refreshed_at = now()
    WHERE tenant_id = ${tenantId} AND is_active AND NOT (customer_id = ANY(${[...activeIds]}::uuid[])) ${narrow}`.execute(
    tx,
  );
}

type CustomerFacts = {
  id: string;
  currency: string;
  owner_user_id: string | null;
  team_id: string | null;
  assigned_collector_user_id: string | null;
  delinquency_type: string | null;
  attitude: string | null;
};

async function customerFacts(
  tx: Tx,
  tenantId: string,
  customerIds: readonly string[],
): Promise<CustomerFacts[]> {
  const result = await sql<CustomerFacts>`
    SELECT c.id, c.currency::text AS currency, c.owner_user_id, c.team_id, cc.assigned_collector_user_id,
      cc.delinquency_type, cc.attitude
    FROM customers c
    LEFT JOIN collection_cases cc ON cc.tenant_id = c.tenant_id AND cc.customer_id = c.id
    WHERE c.tenant_id = ${tenantId} AND c.id = ANY(${[...customerIds]}::uuid[])`.execute(tx);
  return result.rows;
}

function caseRowOf(
  customer: CustomerFacts,
  aggregates: readonly Aggregate[],
  facts: {
    asOf: CalendarDate;
    customerDisputes: Map<string, bigint>;
    brokenYear: number;
    brokenRecent: number;
    openPromiseUntil: CalendarDate | null;
    lastContactOn: CalendarDate | null;
    nextActivity: {
      id: string;
      kind: string;
      task_type: string | null;
      title: string;
      due_on: string;
    } | null;
    rating: CreditRating | null;
  },
): CaseRow {
  // The customer's own currency leads when it has open items; otherwise the one with the most overdue.
  const sorted = [...aggregates].sort((a, b) =>
    a.currency === customer.currency
      ? -1
      : b.currency === customer.currency
        ? 1
        : BigInt(b.overdue) > BigInt(a.overdue)
          ? 1
          : -1,
  );
  const main = sorted[0];
  if (!main) throw new Error(`no open items for case ${customer.id}`);
  const disputedMinor =
    BigInt(main.disputed) + (facts.customerDisputes.get(`${customer.id}/${main.currency}`) ?? 0n);
  const delinquencyType = customer.delinquency_type as DelinquencyType | null;
  const attitude = customer.attitude as CustomerAttitude | null;
  const chasedOverdueMinor = BigInt(main.chased);
  const score = scoreCase({
    currency: main.currency,
    chasedOverdueMinor,
    maxDaysOverdue: main.max_days,
    brokenPromiseCount: facts.brokenYear,
    openPromiseUntil: facts.openPromiseUntil,
    disputedMinor,
    rating: facts.rating,
    delinquencyType,
    attitude,
    daysSinceContact: facts.lastContactOn === null ? null : daysBetween(facts.lastContactOn, facts.asOf),
  });
  const approach = suggestApproach({
    delinquencyType,
    attitude,
    brokenPromiseCount: facts.brokenYear,
    maxDaysOverdue: main.max_days,
    rating: facts.rating,
  });
  const next = facts.nextActivity;
  return {
    customer_id: customer.id,
    collector_user_id: customer.assigned_collector_user_id ?? customer.owner_user_id,
    team_id: customer.team_id,
    currency: main.currency,
    open_minor: BigInt(main.open),
    overdue_minor: BigInt(main.overdue),
    disputed_minor: disputedMinor,
    other_currencies: sorted.slice(1).map((entry) => entry.currency),
    max_days_overdue: main.max_days,
    overdue_invoice_count: main.overdue_count,
    score: score.score,
    reasons: JSON.stringify(score.reasons),
    approach: approach.approach,
    approach_reasons: approach.reasons,
    rating: facts.rating,
    broken_promise_count: facts.brokenYear,
    has_broken_promise: facts.brokenRecent > 0,
    open_promise_until: facts.openPromiseUntil,
    last_contact_on: facts.lastContactOn,
    next_activity_id: next?.id ?? null,
    next_activity_kind: next ? (next.task_type ?? next.kind) : null,
    next_activity_title: next?.title ?? null,
    next_activity_due_on: next?.due_on ?? null,
    suggested_step: suggestNextStep({
      maxDaysOverdue: main.max_days,
      chasedOverdueMinor,
      disputedMinor,
      openPromiseUntil: facts.openPromiseUntil,
      hasRecentlyBrokenPromise: facts.brokenRecent > 0,
    }),
  };
}

/**
 * Recomputes the cases of `customerIds` (null: the whole organization) as of `asOf`. Returns how many are active.
 */
export async function refreshCases(
  tx: Tx,
  actor: AuditActor,
  asOf: CalendarDate,
  customerIds: readonly string[] | null,
): Promise<number> {
  const tenantId = actor.tenantId;
  await settleOpenPromises(tx, actor, asOf, customerIds);
  const aggregates = await openAggregates(tx, tenantId, asOf, customerIds);
  const byCustomer = new Map<string, Aggregate[]>();
  for (const row of aggregates)
    byCustomer.set(row.customer_id, [...(byCustomer.get(row.customer_id) ?? []), row]);
  const ids = [...byCustomer.keys()];
  const rows: CaseRow[] = [];
  if (ids.length > 0) {
    const [customers, customerDisputes, brokenYear, brokenRecent, until, activities, ratings] =
      await Promise.all([
        customerFacts(tx, tenantId, ids),
        customerLevelDisputes(tx, tenantId, ids),
        brokenPromiseCounts(tx, tenantId, ids, asOf, BROKEN_PROMISE_SCORE_DAYS),
        brokenPromiseCounts(tx, tenantId, ids, asOf, BROKEN_PROMISE_FLAG_DAYS),
        openPromiseDeadlines(tx, tenantId, ids, asOf),
        activityFacts(tx, tenantId, ids),
        effectiveRatings(tx, tenantId, ids, asOf),
      ]);
    for (const customer of customers) {
      rows.push(
        caseRowOf(customer, byCustomer.get(customer.id) ?? [], {
          asOf,
          customerDisputes,
          brokenYear: brokenYear.get(customer.id) ?? 0,
          brokenRecent: brokenRecent.get(customer.id) ?? 0,
          openPromiseUntil: until.get(customer.id) ?? null,
          lastContactOn: activities.lastContact.get(customer.id) ?? null,
          nextActivity: activities.nextActivity.get(customer.id) ?? null,
          rating: ratings.get(customer.id)?.effective ?? null,
        }),
      );
    }
  }
  await upsertCases(tx, tenantId, asOf, rows);
  await deactivateOthers(tx, tenantId, asOf, ids, customerIds);
  if (customerIds === null) {
    await tx
      .insertInto('collection_case_refreshes')
      .values({ tenant_id: tenantId, as_of: asOf, case_count: rows.length })
      .onConflict((oc) =>
        oc
          .column('tenant_id')
          .doUpdateSet({ as_of: asOf, case_count: rows.length, refreshed_at: sql<Date>`now()` }),
      )
      .execute();
  }
  return rows.length;
}
