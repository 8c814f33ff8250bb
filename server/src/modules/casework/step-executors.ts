import type { CalendarDate } from '@huikuan/core';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';
import {
  registerDunningPauseSource,
  registerGroupStepExecutor,
  registerStepExecutor,
  singleOfGroup,
  type DunningPause,
} from '../dunning';
import { registerCaseworkJobs } from './case-jobs';
import { disputePausesAsOf } from './disputes';
import { createCallTasks, createLitigationReviews, createVisitTasks } from './ladder-tasks';
import { evaluatePromises } from './promises';

/**
 * What casework does for the dunning ladder: the call, visit and litigation-review tasks (电话、上门、诉诸法律), and
 * the pause source — open disputes pause their disputed part, an open promise to pay pauses the whole item until
 * its date plus grace passes unpaid. Executors write only in the action's transaction and use the action id as
 * the idempotency key of what they create (a unique index on it); the set-based forms are in ladder-tasks.ts.
 */

/** The single-action forms the registry also offers: a group of one, so both do exactly the same. */
export const createCallTask = singleOfGroup(createCallTasks);
export const createVisitTask = singleOfGroup(createVisitTasks);
export const createLitigationReview = singleOfGroup(createLitigationReviews);

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
  registerGroupStepExecutor('call_task', createCallTasks);
  registerGroupStepExecutor('visit_task', createVisitTasks);
  registerGroupStepExecutor('litigation_review', createLitigationReviews);
  registerStepExecutor('call_task', createCallTask);
  registerStepExecutor('visit_task', createVisitTask);
  registerStepExecutor('litigation_review', createLitigationReview);
  registerDunningPauseSource(caseworkPauses);
  // The hourly worklist refresh runs where the job queue is started (the server), like the daily dunning run.
  registerCaseworkJobs();
}
