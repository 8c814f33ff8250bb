import {
  evaluatePromise,
  minorToDecimalString,
  promisePlanProblem,
  type CalendarDate,
  type PromiseEvaluation,
  type PromisePayment,
  type PromiseStatus,
} from '@huikuan/core';
import type { PromiseToPay } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { AuditActor } from '../../platform/audit';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import { amountMinorOrThrow } from '../../platform/money-input';
import { customerInvoicesOrThrow, invalid, userNames } from './support';

/**
 * Promises to pay (承诺付款): recorded with their instalments and covered invoices, evaluated by core/src/promises.ts
 * against the money allocated to those invoices since the promise was made (a customer-level promise: to any of the
 * customer's invoices in its currency), and their status stored with every transition as an event.
 */

export type NewPromise = {
  invoiceIds?: string[] | undefined;
  currency?: string | undefined;
  graceDays: number;
  instalments: { dueOn: string; amount: string }[];
  note?: string | undefined;
};

type PromiseRow = {
  id: string;
  customer_id: string;
  currency: string;
  grace_days: number;
  status: string;
  promised_on: string;
  settled_on: string | null;
};

/** Validates and stores a promise in the caller's transaction; returns its id. */
export async function insertPromise(
  tx: Tx,
  actor: AuditActor,
  customer: { id: string; currency: string },
  input: NewPromise,
  promisedOn: CalendarDate,
  activityId: string | null,
  path = '',
): Promise<string> {
  const invoices = await customerInvoicesOrThrow(
    tx,
    actor.tenantId,
    customer.id,
    input.invoiceIds ?? [],
    `${path}invoiceIds`,
  );
  const currencies = [...new Set(invoices.map((invoice) => invoice.currency))];
  if (currencies.length > 1)
    throw invalid(`${path}invoiceIds`, 'The invoices of one promise share one currency');
  const currency = (currencies[0] ?? input.currency ?? customer.currency).trim();
  if (input.currency !== undefined && input.currency !== currency) {
    throw invalid(`${path}currency`, `The invoices are in ${currency}`);
  }
  const instalments = input.instalments.map((instalment, index) => ({
    dueOn: instalment.dueOn as CalendarDate,
    amountMinor: amountMinorOrThrow(instalment.amount, currency, `${path}instalments.${index}.amount`),
  }));
  const problem = promisePlanProblem(instalments);
  if (problem) throw invalid(`${path}instalments`, problem);
  if ((instalments[0]?.dueOn ?? promisedOn) < promisedOn) {
    throw invalid(`${path}instalments.0.dueOn`, 'A promise is to pay from today on');
  }
  const totalMinor = instalments.reduce((sum, instalment) => sum + instalment.amountMinor, 0n);
  const row = await tx
    .insertInto('promises_to_pay')
    .values({
      tenant_id: actor.tenantId,
      customer_id: customer.id,
      currency,
      total_minor: totalMinor,
      grace_days: input.graceDays,
      promised_on: promisedOn,
      note: input.note ?? null,
      activity_id: activityId,
      recorded_by_user_id: actor.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('promise_instalments')
    .values(
      instalments.map((instalment, index) => ({
        tenant_id: actor.tenantId,
        promise_id: row.id,
        seq: index + 1,
        due_on: instalment.dueOn,
        amount_minor: instalment.amountMinor,
      })),
    )
    .execute();
  if (invoices.length > 0) {
    await tx
      .insertInto('promise_invoices')
      .values(
        invoices.map((invoice) => ({
          tenant_id: actor.tenantId,
          promise_id: row.id,
          invoice_id: invoice.id,
        })),
      )
      .execute();
  }
  await tx
    .insertInto('promise_events')
    .values({
      tenant_id: actor.tenantId,
      promise_id: row.id,
      status: 'open',
      previous_status: null,
      effective_on: promisedOn,
      note: input.note ?? null,
      actor_user_id: actor.userId,
    })
    .execute();
  await recordAudit(tx, actor, {
    action: 'promise.recorded',
    entityType: 'promise',
    entityId: row.id,
    after: { ...row, instalments, invoiceIds: invoices.map((invoice) => invoice.id) },
  });
  return row.id;
}

/** Instalments of many promises, in order. */
async function instalmentsOf(tx: Tx, tenantId: string, promiseIds: readonly string[]) {
  const rows = await tx
    .selectFrom('promise_instalments')
    .select(['promise_id', 'due_on', 'amount_minor'])
    .where('tenant_id', '=', tenantId)
    .where('promise_id', 'in', promiseIds)
    .orderBy('promise_id')
    .orderBy('seq')
    .execute();
  const byPromise = new Map<string, { dueOn: CalendarDate; amountMinor: bigint }[]>();
  for (const row of rows) {
    const list = byPromise.get(row.promise_id) ?? [];
    list.push({ dueOn: row.due_on as CalendarDate, amountMinor: BigInt(row.amount_minor) });
    byPromise.set(row.promise_id, list);
  }
  return byPromise;
}

/**
 * The money that counts for each promise, per day: allocations to its invoices (every invoice of the customer in
 * its currency when it names none) whose original allocation is dated on or after the day it was made; a reversal
 * counts negative on its own date. One statement for any number of promises.
 */
async function paymentsOf(tx: Tx, tenantId: string, promiseIds: readonly string[]) {
  const result = await sql<{ promise_id: string; paid_on: string; amount: string }>`
    WITH p AS (
      SELECT id, customer_id, currency, promised_on FROM promises_to_pay
      WHERE tenant_id = ${tenantId} AND id = ANY(${[...promiseIds]}::uuid[])
    ),
    covered AS (
      SELECT pi.promise_id, pi.invoice_id FROM promise_invoices pi JOIN p ON p.id = pi.promise_id
      WHERE pi.tenant_id = ${tenantId}
      UNION ALL
      SELECT p.id, i.id FROM p JOIN invoices i ON i.tenant_id = ${tenantId} AND i.customer_id = p.customer_id
        AND i.currency = p.currency
      WHERE NOT EXISTS (SELECT 1 FROM promise_invoices x WHERE x.tenant_id = ${tenantId} AND x.promise_id = p.id)
    )
    SELECT c.promise_id, a.allocated_on::text AS paid_on, sum(a.amount_minor)::text AS amount
    FROM covered c
    JOIN p ON p.id = c.promise_id
    JOIN allocations a ON a.tenant_id = ${tenantId} AND a.invoice_id = c.invoice_id
    LEFT JOIN allocations o ON o.tenant_id = ${tenantId} AND o.id = a.reverses_allocation_id
    WHERE coalesce(o.allocated_on, a.allocated_on) >= p.promised_on
    GROUP BY 1, 2`.execute(tx);
  const byPromise = new Map<string, PromisePayment[]>();
  for (const row of result.rows) {
    const list = byPromise.get(row.promise_id) ?? [];
    list.push({ paidOn: row.paid_on as CalendarDate, amountMinor: BigInt(row.amount) });
    byPromise.set(row.promise_id, list);
  }
  return byPromise;
}

/** Evaluations of many promises as of a date, in three statements. */
export async function evaluatePromises(
  tx: Tx,
  tenantId: string,
  rows: readonly PromiseRow[],
  asOf: CalendarDate,
): Promise<Map<string, PromiseEvaluation>> {
  const ids = rows.map((row) => row.id);
  const evaluations = new Map<string, PromiseEvaluation>();
  if (ids.length === 0) return evaluations;
  const [instalments, payments] = await Promise.all([
    instalmentsOf(tx, tenantId, ids),
    paymentsOf(tx, tenantId, ids),
  ]);
  for (const row of rows) {
    evaluations.set(
      row.id,
      evaluatePromise({
        instalments: instalments.get(row.id) ?? [],
        graceDays: row.grace_days,
        payments: payments.get(row.id) ?? [],
        asOf,
        isCancelled: row.status === 'cancelled' && row.settled_on !== null && row.settled_on <= asOf,
      }),
    );
  }
  return evaluations;
}

/**
 * Brings the stored status of open promises up to `asOf` (kept or broken), one event and one audit entry per
 * transition. `customerIds` null = every open promise of the organization. Returns the customers whose promises
 * changed.
 */
export async function settleOpenPromises(
  tx: Tx,
  actor: AuditActor,
  asOf: CalendarDate,
  customerIds: readonly string[] | null,
): Promise<Set<string>> {
  let query = tx
    .selectFrom('promises_to_pay')
    .select(['id', 'customer_id', 'currency', 'grace_days', 'status', 'promised_on', 'settled_on'])
    .where('tenant_id', '=', actor.tenantId)
    .where('status', '=', 'open');
  if (customerIds !== null) {
    if (customerIds.length === 0) return new Set();
    query = query.where('customer_id', 'in', [...customerIds]);
  }
  const rows = await query.execute();
  const evaluations = await evaluatePromises(tx, actor.tenantId, rows, asOf);
  const changed = new Set<string>();
  for (const row of rows) {
    const evaluation = evaluations.get(row.id);
    if (!evaluation || evaluation.status === 'open' || evaluation.settledOn === null) continue;
    await recordTransition(tx, actor, row, evaluation.status, evaluation.settledOn, null);
    changed.add(row.customer_id);
  }
  return changed;
}

export async function recordTransition(
  tx: Tx,
  actor: AuditActor,
  row: { id: string; status: string },
  status: PromiseStatus,
  effectiveOn: CalendarDate,
  note: string | null,
): Promise<void> {
  const after = await tx
    .updateTable('promises_to_pay')
    .set({ status, settled_on: effectiveOn, updated_at: sql<Date>`now()` })
    .where('tenant_id', '=', actor.tenantId)
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('promise_events')
    .values({
      tenant_id: actor.tenantId,
      promise_id: row.id,
      status,
      previous_status: row.status,
      effective_on: effectiveOn,
      note,
      actor_user_id: actor.userId,
    })
    .execute();
  await recordAudit(tx, actor, {
    action: `promise.${status}`,
    entityType: 'promise',
    entityId: row.id,
    before: { status: row.status },
    after,
  });
}

/** Full views of promises (instalments evaluated as of `asOf`, events, invoices), in a fixed number of queries. */
export async function promiseViews(
  tx: Tx,
  tenantId: string,
  promiseIds: readonly string[],
  asOf: CalendarDate,
): Promise<PromiseToPay[]> {
  if (promiseIds.length === 0) return [];
  const rows = await tx
    .selectFrom('promises_to_pay as p')
    .innerJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'p.tenant_id').onRef('c.id', '=', 'p.customer_id'),
    )
    .selectAll('p')
    .select('c.name as customer_name')
    .where('p.tenant_id', '=', tenantId)
    .where('p.id', 'in', [...promiseIds])
    .execute();
  const [evaluations, events, invoices, names] = await Promise.all([
    evaluatePromises(tx, tenantId, rows, asOf),
    tx
      .selectFrom('promise_events')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('promise_id', 'in', [...promiseIds])
      .orderBy('seq')
      .execute(),
    tx
      .selectFrom('promise_invoices as pi')
      .innerJoin('invoices as i', (join) =>
        join.onRef('i.tenant_id', '=', 'pi.tenant_id').onRef('i.id', '=', 'pi.invoice_id'),
      )
      .select(['pi.promise_id', 'i.id', 'i.number'])
      .where('pi.tenant_id', '=', tenantId)
      .where('pi.promise_id', 'in', [...promiseIds])
      .orderBy('i.number')
      .execute(),
    userNames(
      tx,
      tenantId,
      rows.map((row) => row.recorded_by_user_id),
    ),
  ]);
  const order = new Map(promiseIds.map((id, index) => [id, index]));
  return rows
    .sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0))
    .map((row) => {
      const currency = row.currency.trim();
      const evaluation = evaluations.get(row.id);
      if (!evaluation) throw new Error(`promise ${row.id} was not evaluated`);
      const money = (minor: bigint) => minorToDecimalString(minor, currency);
      const stored = row.status as PromiseStatus;
      const covered = invoices.filter((invoice) => invoice.promise_id === row.id);
      return {
        id: row.id,
        customerId: row.customer_id,
        customerName: row.customer_name,
        invoiceIds: covered.map((invoice) => invoice.id),
        invoiceNumbers: covered.map((invoice) => invoice.number),
        currency,
        total: money(BigInt(row.total_minor)),
        paid: money(evaluation.paidMinor),
        outstanding: money(evaluation.outstandingMinor),
        graceDays: row.grace_days,
        // The stored status is the record; an open one may already be due to settle (the next refresh records it).
        status: stored === 'open' ? evaluation.status : stored,
        settledOn: (stored === 'open' ? evaluation.settledOn : row.settled_on) as CalendarDate | null,
        nextDeadline: stored === 'open' ? evaluation.nextDeadline : null,
        promisedOn: row.promised_on as CalendarDate,
        note: row.note,
        activityId: row.activity_id,
        recordedByUserId: row.recorded_by_user_id,
        recordedByName: row.recorded_by_user_id ? (names.get(row.recorded_by_user_id) ?? null) : null,
        instalments: evaluation.instalments.map((instalment) => ({
          dueOn: instalment.dueOn,
          deadline: instalment.deadline,
          amount: money(instalment.amountMinor),
          paid: money(instalment.paidMinor),
          state: instalment.state,
          keptOn: instalment.keptOn,
        })),
        events: events
          .filter((event) => event.promise_id === row.id)
          .map((event) => ({
            status: event.status as PromiseStatus,
            previousStatus: event.previous_status as PromiseStatus | null,
            effectiveOn: event.effective_on as CalendarDate,
            note: event.note,
            actorUserId: event.actor_user_id,
            occurredAt: event.occurred_at.toISOString(),
          })),
        createdAt: row.created_at.toISOString(),
      };
    });
}

/**
 * Broken promises per customer (for payment behaviour and the worklist): promises whose stored status is broken
 * with a break on or before `asOf` and within the last `withinDays` (null: ever). One statement.
 */
export async function brokenPromiseCounts(
  tx: Tx,
  tenantId: string,
  customerIds: readonly string[],
  asOf: CalendarDate,
  withinDays: number | null = null,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (customerIds.length === 0) return counts;
  const since = withinDays === null ? sql`` : sql`AND settled_on > ${asOf}::date - ${withinDays}::int`;
  const rows = await sql<{ customer_id: string; broken: number }>`
    SELECT customer_id, count(*)::int AS broken FROM promises_to_pay
    WHERE tenant_id = ${tenantId} AND customer_id = ANY(${[...customerIds]}::uuid[]) AND status = 'broken'
      AND settled_on <= ${asOf}::date ${since}
    GROUP BY customer_id`.execute(tx);
  for (const row of rows.rows) counts.set(row.customer_id, row.broken);
  return counts;
}
