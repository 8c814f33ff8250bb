import { randomUUID } from 'node:crypto';
import type { CalendarDate, DunningStepKind } from '@huikuan/core';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';
import type { PlannedAction } from './run-context';
import {
  batchStepExecutorOf,
  stepExecutorOf,
  type DunningActionContext,
  type DunningActionOutcome,
} from './step-registry';

/** A planned action that this run recorded (and whose executor ran), with what the executor answered. */
export type RecordedAction = {
  actionId: string;
  planned: PlannedAction;
  outcome: DunningActionOutcome | null;
};

/**
 * Does the planned actions and records them, in the caller's transaction: each action gets its id first (the
 * executors' idempotency key), each kind's executor runs (batch executors once for all of the kind), then one INSERT
 * writes every action with its outcome. The INSERT has no ON CONFLICT on purpose: when a concurrent run recorded one
 * of these steps first, the unique key fails the statement and the whole transaction — executors' writes included —
 * rolls back, and the caller redoes the items one by one from fresh reads. A fixed number of statements per batch,
 * plus whatever the executors write.
 */
export async function executeActions(
  tx: Tx,
  tenantId: string,
  runId: string,
  asOf: CalendarDate,
  planned: readonly PlannedAction[],
): Promise<RecordedAction[]> {
  if (planned.length === 0) return [];
  const recorded: RecordedAction[] = planned.map((action) => ({
    actionId: randomUUID(),
    planned: action,
    outcome: null,
  }));
  const byKind = new Map<DunningStepKind, RecordedAction[]>();
  for (const action of recorded) {
    const list = byKind.get(action.planned.step.kind) ?? [];
    list.push(action);
    byKind.set(action.planned.step.kind, list);
  }
  for (const [kind, actions] of byKind) {
    const contexts = actions.map((action) => contextOf(tx, tenantId, runId, asOf, action));
    const outcomes = await runExecutor(kind, contexts);
    outcomes.forEach((outcome, index) => {
      const action = actions[index];
      if (action) action.outcome = outcome;
    });
  }
  await insertActions(tx, tenantId, runId, asOf, recorded);
  return recorded;
}

async function runExecutor(
  kind: DunningStepKind,
  contexts: DunningActionContext[],
): Promise<(DunningActionOutcome | null)[]> {
  const batch = batchStepExecutorOf(kind);
  if (batch) {
    const outcomes = await batch(contexts);
    if (outcomes.length !== contexts.length) {
      throw new Error(
        `The ${kind} executor answered ${outcomes.length} outcomes for ${contexts.length} actions`,
      );
    }
    return outcomes;
  }
  const single = stepExecutorOf(kind);
  // No module does this kind of step (not wired in this process): the action stays 'recorded', visible as such.
  if (!single) return contexts.map(() => null);
  const outcomes: DunningActionOutcome[] = [];
  for (const context of contexts) outcomes.push(await single(context));
  return outcomes;
}

function contextOf(
  tx: Tx,
  tenantId: string,
  runId: string,
  asOf: CalendarDate,
  action: RecordedAction,
): DunningActionContext {
  const { item, step, chasedMinor, daysOverdue } = action.planned;
  return {
    tx,
    tenantId,
    runId,
    actionId: action.actionId,
    asOf,
    step: {
      kind: step.kind,
      channel: step.channel,
      offsetDays: step.offsetDays,
      templateKey: step.templateKey,
      requiresApproval: step.requiresApproval,
    },
    invoice: {
      id: item.invoiceId,
      number: item.invoiceNumber,
      customerId: item.customerId,
      dueDate: item.dueDate,
      chasedMinor,
      currency: item.currency,
      daysOverdue,
    },
    customer: { id: item.customerId, name: item.customerName, ownerUserId: item.ownerUserId },
  };
}

async function insertActions(
  tx: Tx,
  tenantId: string,
  runId: string,
  asOf: CalendarDate,
  recorded: readonly RecordedAction[],
): Promise<void> {
  const column = <T>(pick: (action: RecordedAction) => T) => recorded.map(pick);
  const planned = <T>(pick: (action: PlannedAction) => T) => recorded.map((action) => pick(action.planned));
  // Ids, numbers and dates go as ready-made array literals: the driver would escape each element of a 20,000-element
  // array one by one, and they have nothing to escape. Free text (ref, detail) goes through the driver.
  await sql`
    INSERT INTO dunning_actions (tenant_id, id, run_id, invoice_id, customer_id, policy_id, step_id, kind, channel,
      offset_days, due_date, step_due_on, as_of, days_overdue, chased_minor, currency, outcome, ref_id, detail)
    SELECT ${tenantId}::uuid, v.id, ${runId}::uuid, v.invoice_id, v.customer_id, v.policy_id, v.step_id, v.kind,
      nullif(v.channel, ''), v.offset_days, v.due_date, v.due_date + v.offset_days, ${asOf}::date, v.days_overdue,
      v.chased_minor, v.currency, v.outcome, nullif(v.ref_id, ''), nullif(v.detail, '')
    FROM unnest(
      ${arrayLiteral(column((a) => a.actionId))}::uuid[],
      ${arrayLiteral(planned((a) => a.item.invoiceId))}::uuid[],
      ${arrayLiteral(planned((a) => a.item.customerId))}::uuid[],
      ${arrayLiteral(planned((a) => a.policy.id))}::uuid[], ${arrayLiteral(planned((a) => a.step.id))}::uuid[],
      ${arrayLiteral(planned((a) => a.step.kind))}::text[], ${planned((a) => a.step.channel ?? '')}::text[],
      ${arrayLiteral(planned((a) => a.step.offsetDays))}::int[],
      ${arrayLiteral(planned((a) => a.item.dueDate))}::date[],
      ${arrayLiteral(planned((a) => a.daysOverdue))}::int[],
      ${arrayLiteral(planned((a) => a.chasedMinor))}::bigint[],
      ${arrayLiteral(planned((a) => a.item.currency))}::text[],
      ${column((a) => a.outcome?.outcome ?? 'recorded')}::text[],
      ${column((a) => a.outcome?.refId ?? '')}::text[],
      ${column((a) => (a.outcome?.detail ?? '').slice(0, 1000))}::text[]
    ) AS v (id, invoice_id, customer_id, policy_id, step_id, kind, channel, offset_days, due_date,
      days_overdue, chased_minor, currency, outcome, ref_id, detail)`.execute(tx);
}

/** Only for values that need no quoting in an array literal: uuids, numbers, dates, step kinds, currency codes. */
const PLAIN_ELEMENT = /^[0-9A-Za-z_-]+$/;

function arrayLiteral(values: readonly (string | number | bigint)[]): string {
  const elements = values.map(String);
  const unsafe = elements.find((element) => !PLAIN_ELEMENT.test(element));
  if (unsafe !== undefined) throw new Error(`Not a plain array element: ${JSON.stringify(unsafe)}`);
  return `{${elements.join(',')}}`;
}
