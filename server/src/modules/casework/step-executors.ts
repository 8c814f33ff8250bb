import { addDays, minorToDecimalString, type CalendarDate } from '@huikuan/core';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';
import {
  registerDunningPauseSource,
  registerStepExecutor,
  type DunningActionContext,
  type DunningActionOutcome,
  type DunningPause,
} from '../dunning';
import { confirmationDueOn, confirmationTitle, insertActivity } from './activities';
import { registerCaseworkJobs } from './case-jobs';
import { disputePausesAsOf } from './disputes';
import { evaluatePromises } from './promises';
import { systemActor } from './support';

/**
 * What casework does for the dunning ladder: the call, visit and litigation-review tasks (电话、上门、诉诸法律), and
 * the pause source — open disputes pause their disputed part, an open promise to pay pauses the whole item until
 * its date plus grace passes unpaid. Executors write only in the action's transaction and use the action id as
 * the idempotency key of what they create (a unique index on it).
 */

/** A visit the ladder asks for is planned this many days ahead, so its 5-days-before confirmation can happen. */
export const LADDER_VISIT_LEAD_DAYS = 7;

async function collectorOf(context: DunningActionContext): Promise<string | null> {
  const row = await context.tx
    .selectFrom('collection_cases')
    .select('assigned_collector_user_id')
    .where('tenant_id', '=', context.tenantId)
    .where('customer_id', '=', context.customer.id)
    .executeTakeFirst();
  return row?.assigned_collector_user_id ?? context.customer.ownerUserId;
}

/** An open task of the same kind for the customer takes the item instead of a second task for the same call. */
async function openTaskOf(
  tx: Tx,
  tenantId: string,
  customerId: string,
  kind: string,
  taskType: string | null,
) {
  let query = tx
    .selectFrom('collection_activities')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .where('kind', '=', kind)
    .where('done_at', 'is', null);
  query = taskType === null ? query.where('task_type', 'is', null) : query.where('task_type', '=', taskType);
  return query.orderBy('created_at').executeTakeFirst();
}

async function linkInvoice(tx: Tx, tenantId: string, activityId: string, invoiceId: string): Promise<void> {
  await tx
    .insertInto('collection_activity_invoices')
    .values({ tenant_id: tenantId, activity_id: activityId, invoice_id: invoiceId })
    .onConflict((oc) => oc.columns(['tenant_id', 'activity_id', 'invoice_id']).doNothing())
    .execute();
}

function chased(context: DunningActionContext): string {
  return `${minorToDecimalString(context.invoice.chasedMinor, context.invoice.currency)} ${context.invoice.currency}`;
}

async function joinOpenTask(
  context: DunningActionContext,
  kind: string,
  taskType: string | null,
): Promise<DunningActionOutcome | null> {
  const open = await openTaskOf(context.tx, context.tenantId, context.customer.id, kind, taskType);
  if (!open) return null;
  await linkInvoice(context.tx, context.tenantId, open.id, context.invoice.id);
  return { outcome: 'created', refId: open.id, detail: 'added to the open task of this customer' };
}

export async function createCallTask(context: DunningActionContext): Promise<DunningActionOutcome> {
  const joined = await joinOpenTask(context, 'task', 'call');
  if (joined) return joined;
  const id = await insertActivity(context.tx, systemActor(context.tenantId, context.runId), {
    customerId: context.customer.id,
    kind: 'task',
    taskType: 'call',
    title: `电话催收：${context.invoice.number}（逾期 ${context.invoice.daysOverdue} 天，待收 ${chased(context)}）`,
    dueOn: context.asOf,
    assigneeUserId: await collectorOf(context),
    invoiceIds: [context.invoice.id],
    dunningActionId: context.actionId,
  });
  return { outcome: 'created', refId: id };
}

export async function createVisitTask(context: DunningActionContext): Promise<DunningActionOutcome> {
  const joined = await joinOpenTask(context, 'visit', null);
  if (joined) return joined;
  const actor = systemActor(context.tenantId, context.runId);
  const plannedOn = addDays(context.asOf, LADDER_VISIT_LEAD_DAYS);
  const assignee = await collectorOf(context);
  const visitId = await insertActivity(context.tx, actor, {
    customerId: context.customer.id,
    kind: 'visit',
    title: `上门拜访：${context.customer.name}（${context.invoice.number} 逾期 ${context.invoice.daysOverdue} 天）`,
    plannedOn,
    dueOn: plannedOn,
    expectedAmountMinor: context.invoice.chasedMinor > 0n ? context.invoice.chasedMinor : null,
    currency: context.invoice.chasedMinor > 0n ? context.invoice.currency : null,
    assigneeUserId: assignee,
    invoiceIds: [context.invoice.id],
    dunningActionId: context.actionId,
  });
  await insertActivity(context.tx, actor, {
    customerId: context.customer.id,
    kind: 'task',
    taskType: 'visit_confirmation',
    title: confirmationTitle(plannedOn, chased(context)),
    dueOn: confirmationDueOn(plannedOn, context.asOf),
    assigneeUserId: assignee,
    parentActivityId: visitId,
    dunningActionId: context.actionId,
  });
  return { outcome: 'created', refId: visitId };
}

export async function createLitigationReview(context: DunningActionContext): Promise<DunningActionOutcome> {
  const joined = await joinOpenTask(context, 'task', 'litigation_review');
  if (joined) return joined;
  const id = await insertActivity(context.tx, systemActor(context.tenantId, context.runId), {
    customerId: context.customer.id,
    kind: 'task',
    taskType: 'litigation_review',
    title: `诉讼评估：${context.customer.name}（${context.invoice.number} 逾期 ${context.invoice.daysOverdue} 天，待收 ${chased(context)}）`,
    dueOn: context.asOf,
    assigneeRole: 'legal',
    invoiceIds: [context.invoice.id],
    dunningActionId: context.actionId,
  });
  return { outcome: 'created', refId: id };
}

/** Open promises on `asOf` pause every item they cover (customer-level: the customer's items in its currency). */
async function promisePausesAsOf(tx: Tx, tenantId: string, asOf: CalendarDate): Promise<DunningPause[]> {
  // Candidates: made by then and not settled before it (kept/broken/cancelled later still counts as of then).
  const candidates = await tx
    .selectFrom('promises_to_pay')
    .select(['id', 'customer_id', 'currency', 'grace_days', 'status', 'promised_on', 'settled_on'])
    .where('tenant_id', '=', tenantId)
    .where('promised_on', '<=', asOf)
    .where((eb) => eb.or([eb('status', '=', 'open'), eb('settled_on', '>', asOf)]))
    .execute();
  if (candidates.length === 0) return [];
  const evaluations = await evaluatePromises(tx, tenantId, candidates, asOf);
  const pausing = candidates.filter((row) => evaluations.get(row.id)?.status === 'open').map((row) => row.id);
  if (pausing.length === 0) return [];
  // Every issued invoice the promise covers (the engine pauses those among its open items).
  const result = await sql<{ invoice_id: string }>`
    SELECT DISTINCT i.id AS invoice_id FROM promises_to_pay p
    JOIN invoices i ON i.tenant_id = p.tenant_id AND i.customer_id = p.customer_id AND i.currency = p.currency
    WHERE p.tenant_id = ${tenantId} AND p.id = ANY(${pausing}::uuid[]) AND i.status = 'issued'
      AND (EXISTS (SELECT 1 FROM promise_invoices pi WHERE pi.tenant_id = ${tenantId} AND pi.promise_id = p.id
             AND pi.invoice_id = i.id)
        OR NOT EXISTS (SELECT 1 FROM promise_invoices pi WHERE pi.tenant_id = ${tenantId} AND pi.promise_id = p.id))`.execute(
    tx,
  );
  return result.rows.map((row) => ({ invoiceId: row.invoice_id, reason: 'promise', pausedMinor: 'all' }));
}

export async function caseworkPauses(tx: Tx, tenantId: string, asOf: CalendarDate): Promise<DunningPause[]> {
  const disputes = await disputePausesAsOf(tx, tenantId, asOf);
  const promises = await promisePausesAsOf(tx, tenantId, asOf);
  return [
    ...disputes.map((entry): DunningPause => ({
      invoiceId: entry.invoiceId,
      reason: 'dispute',
      pausedMinor: entry.pausedMinor,
    })),
    ...promises,
  ];
}

export function registerCaseworkStepExecutors(): void {
  registerStepExecutor('call_task', createCallTask);
  registerStepExecutor('visit_task', createVisitTask);
  registerStepExecutor('litigation_review', createLitigationReview);
  registerDunningPauseSource(caseworkPauses);
  // The hourly worklist refresh runs where the job queue is started (the server), like the daily dunning run.
  registerCaseworkJobs();
}
