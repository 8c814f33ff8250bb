import { addDays, minorToDecimalString, type CalendarDate } from '@huikuan/core';
import type {
  Activity,
  addNoteRequestSchema,
  completeTaskRequestSchema,
  createTaskRequestSchema,
  logCallRequestSchema,
  planVisitRequestSchema,
  PromiseToPay,
  visitResultRequestSchema,
} from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { AuditActor } from '../../platform/audit';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { amountMinorOrThrow } from '../../platform/money-input';
import type { Actor } from '../../platform/request-context';
import { assertUsersOfOrganization } from '../contracts/ledger-input';
import { visibleCustomerOrThrow } from '../customers/customer-access';
import { arrayLiteral } from '../dunning';
import { activityViews, visibleActivityOrThrow } from './activity-views';
import { refreshCases } from './case-refresh';
import { insertPromise, promiseViews } from './promises';
import { conflict, customerInvoicesOrThrow, invalid, today } from './support';

/**
 * Activities (催收记录): calls with their outcome and next step (and a promise made on the call, in one go), visits
 * with their confirmation task 5 days before (003: 确认时间、确认金额), notes and letters, and tasks. Each write is
 * audited and rescores the customer's case in the same transaction.
 */

/** Days before a planned visit when its date and amount are confirmed with the customer (seed 003). */
export const VISIT_CONFIRMATION_DAYS = 5;

export type NewActivity = {
  customerId: string;
  kind: Activity['kind'];
  taskType?: Activity['taskType'] | undefined;
  title: string;
  body?: string | null | undefined;
  callOutcome?: string | null | undefined;
  contactName?: string | null | undefined;
  nextStep?: string | null | undefined;
  nextStepOn?: string | null | undefined;
  plannedOn?: string | null | undefined;
  expectedAmountMinor?: bigint | null | undefined;
  currency?: string | null | undefined;
  occurredOn?: string | null | undefined;
  assigneeUserId?: string | null | undefined;
  assigneeRole?: 'legal' | 'finance' | null | undefined;
  dueOn?: string | null | undefined;
  parentActivityId?: string | null | undefined;
  dunningActionId?: string | null | undefined;
  invoiceIds?: readonly string[] | undefined;
  /** Calls, notes and letters are done when written. */
  isDone?: boolean | undefined;
};

/** Inserts an activity (and its invoice links) in the caller's transaction, audited; returns its id. */
export async function insertActivity(tx: Tx, actor: AuditActor, input: NewActivity): Promise<string> {
  const row = await tx
    .insertInto('collection_activities')
    .values({
      tenant_id: actor.tenantId,
      customer_id: input.customerId,
      kind: input.kind,
      task_type: input.taskType ?? null,
      title: input.title.slice(0, 500),
      body: input.body ?? null,
      call_outcome: input.callOutcome ?? null,
      contact_name: input.contactName ?? null,
      next_step: input.nextStep ?? null,
      next_step_on: input.nextStepOn ?? null,
      planned_on: input.plannedOn ?? null,
      expected_amount_minor: input.expectedAmountMinor ?? null,
      currency: input.currency ?? null,
      occurred_on: input.occurredOn ?? null,
      assignee_user_id: input.assigneeUserId ?? null,
      assignee_role: input.assigneeRole ?? null,
      due_on: input.dueOn ?? null,
      done_at: input.isDone ? sql<Date>`now()` : null,
      done_by_user_id: input.isDone ? actor.userId : null,
      parent_activity_id: input.parentActivityId ?? null,
      dunning_action_id: input.dunningActionId ?? null,
      created_by_user_id: actor.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const invoiceIds = [...new Set(input.invoiceIds ?? [])];
  if (invoiceIds.length > 0) {
    await tx
      .insertInto('collection_activity_invoice_sets')
      .values({
        tenant_id: actor.tenantId,
        activity_id: row.id,
        invoice_ids: sql<string>`${arrayLiteral(invoiceIds)}::uuid[]`,
      })
      .execute();
  }
  await recordAudit(tx, actor, {
    action: `activity.${input.kind === 'task' ? 'task_created' : `${input.kind}_logged`}`,
    entityType: 'collection_activity',
    entityId: row.id,
    after: { ...row, invoiceIds },
  });
  return row.id;
}

/** Marks an open task (or visit) done, audited. */
async function markDone(tx: Tx, actor: AuditActor, activityId: string, note: string | null, extra = {}) {
  const after = await tx
    .updateTable('collection_activities')
    .set({
      done_at: sql<Date>`now()`,
      done_by_user_id: actor.userId,
      done_note: note,
      updated_at: sql<Date>`now()`,
      ...extra,
    })
    .where('tenant_id', '=', actor.tenantId)
    .where('id', '=', activityId)
    .where('done_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (after) {
    await recordAudit(tx, actor, {
      action: 'activity.done',
      entityType: 'collection_activity',
      entityId: activityId,
      after,
    });
  }
  return after;
}

async function openTaskOfCustomerOrThrow(
  tx: Tx,
  actor: Actor,
  taskId: string,
  customerId: string,
  path: string,
) {
  const task = await visibleActivityOrThrow(tx, actor, taskId);
  if (task.customer_id !== customerId) throw invalid(path, 'Not an activity of this customer');
  if (task.done_at !== null) throw conflict('the task is already done');
  return task;
}

function notFuture(date: string | undefined, todayDate: CalendarDate, path: string): CalendarDate {
  const value = (date ?? todayDate) as CalendarDate;
  if (value > todayDate) throw invalid(path, 'Cannot be in the future');
  return value;
}

type FollowUp = { nextStep: string; nextStepOn: string; assigneeUserId?: string | undefined } | undefined;

async function insertFollowUp(
  tx: Tx,
  actor: Actor,
  customerId: string,
  parentId: string,
  followUp: FollowUp,
  todayDate: CalendarDate,
) {
  if (!followUp) return;
  if (followUp.nextStepOn < todayDate) throw invalid('followUp.nextStepOn', 'A next step is from today on');
  await assertUsersOfOrganization(tx, actor.tenantId, [
    { path: 'followUp.assigneeUserId', userId: followUp.assigneeUserId },
  ]);
  await insertActivity(tx, actor, {
    customerId,
    kind: 'task',
    taskType: 'follow_up',
    title: followUp.nextStep,
    dueOn: followUp.nextStepOn,
    assigneeUserId: followUp.assigneeUserId ?? actor.userId,
    parentActivityId: parentId,
  });
}

export type LogCallInput = z.output<typeof logCallRequestSchema>;

/** 电话催收: the call, its outcome and next step, the task it completes and the promise made on it, in one write. */
export async function logCall(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
  input: LogCallInput,
): Promise<{ activity: Activity; promise: PromiseToPay | null }> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const customer = await visibleCustomerOrThrow(tx, actor, customerId);
    const todayDate = await today(tx, actor.tenantId, deps.clock);
    const occurredOn = notFuture(input.occurredOn, todayDate, 'occurredOn');
    await customerInvoicesOrThrow(tx, actor.tenantId, customer.id, input.invoiceIds ?? [], 'invoiceIds');
    if (input.taskId) await openTaskOfCustomerOrThrow(tx, actor, input.taskId, customer.id, 'taskId');
    const id = await insertActivity(tx, actor, {
      customerId: customer.id,
      kind: 'call',
      title: `电话：${input.contactName ?? customer.name}`,
      body: input.note ?? null,
      callOutcome: input.outcome,
      contactName: input.contactName ?? null,
      nextStep: input.followUp?.nextStep ?? null,
      nextStepOn: input.followUp?.nextStepOn ?? null,
      occurredOn,
      invoiceIds: input.invoiceIds,
      isDone: true,
    });
    if (input.taskId) await markDone(tx, actor, input.taskId, input.note ?? null);
    const promiseId = input.promise
      ? await insertPromise(
          tx,
          actor,
          customer,
          { ...input.promise, note: input.note },
          todayDate,
          id,
          'promise.',
        )
      : null;
    await insertFollowUp(tx, actor, customer.id, id, input.followUp, todayDate);
    await refreshCases(tx, actor, todayDate, [customer.id]);
    const [activity] = await activityViews(tx, actor.tenantId, [id]);
    const [promise] = promiseId ? await promiseViews(tx, actor.tenantId, [promiseId], todayDate) : [];
    if (!activity) throw new Error('the call just logged is missing');
    return { activity, promise: promise ?? null };
  });
}

export type PlanVisitInput = z.output<typeof planVisitRequestSchema>;

/** The confirmation task's due day: 5 days before the visit, or today when the visit is sooner than that. */
export function confirmationDueOn(plannedOn: CalendarDate, todayDate: CalendarDate): CalendarDate {
  const due = addDays(plannedOn, -VISIT_CONFIRMATION_DAYS);
  return due < todayDate ? todayDate : due;
}

export function confirmationTitle(plannedOn: string, amount: string | null): string {
  return amount === null
    ? `确认拜访时间（${plannedOn}）和收款金额`
    : `确认拜访时间（${plannedOn}）和收款金额 ${amount}`;
}

/**
 * 上门拜访: a planned visit and its confirmation task (date and amount, 5 days before). With `taskId` naming an open
 * visit of the customer (e.g. one the ladder created), that visit is rescheduled and its confirmation task moved.
 */
export async function planVisit(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
  input: PlanVisitInput,
): Promise<Activity> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const customer = await visibleCustomerOrThrow(tx, actor, customerId);
    const todayDate = await today(tx, actor.tenantId, deps.clock);
    const plannedOn = input.plannedOn;
    if (plannedOn < todayDate) throw invalid('plannedOn', 'A visit is planned from today on');
    await assertUsersOfOrganization(tx, actor.tenantId, [
      { path: 'assigneeUserId', userId: input.assigneeUserId },
    ]);
    const invoices = await customerInvoicesOrThrow(
      tx,
      actor.tenantId,
      customer.id,
      input.invoiceIds ?? [],
      'invoiceIds',
    );
    const currency = (input.currency ?? invoices[0]?.currency ?? customer.currency).trim();
    const expectedMinor =
      input.expectedAmount === undefined
        ? null
        : amountMinorOrThrow(input.expectedAmount, currency, 'expectedAmount');
    const amountText =
      expectedMinor === null ? null : `${minorToDecimalString(expectedMinor, currency)} ${currency}`;
    const assignee = input.assigneeUserId ?? actor.userId;
    let visitId: string;
    if (input.taskId) {
      const visit = await openTaskOfCustomerOrThrow(tx, actor, input.taskId, customer.id, 'taskId');
      if (visit.kind !== 'visit') throw invalid('taskId', 'Not a visit');
      visitId = visit.id;
      const after = await tx
        .updateTable('collection_activities')
        .set({
          planned_on: plannedOn,
          due_on: plannedOn,
          body: input.purpose ?? visit.body,
          expected_amount_minor: expectedMinor ?? visit.expected_amount_minor,
          currency: expectedMinor === null ? visit.currency : currency,
          assignee_user_id: assignee,
          updated_at: sql<Date>`now()`,
        })
        .where('tenant_id', '=', actor.tenantId)
        .where('id', '=', visit.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, actor, {
        action: 'activity.visit_rescheduled',
        entityType: 'collection_activity',
        entityId: visit.id,
        before: visit,
        after,
      });
      await tx
        .updateTable('collection_activities')
        .set({
          due_on: confirmationDueOn(plannedOn, todayDate),
          title: confirmationTitle(plannedOn, amountText),
          assignee_user_id: assignee,
          updated_at: sql<Date>`now()`,
        })
        .where('tenant_id', '=', actor.tenantId)
        .where('parent_activity_id', '=', visit.id)
        .where('task_type', '=', 'visit_confirmation')
        .where('done_at', 'is', null)
        .execute();
    } else {
      visitId = await insertActivity(tx, actor, {
        customerId: customer.id,
        kind: 'visit',
        title: `上门拜访：${customer.name}`,
        body: input.purpose ?? null,
        plannedOn,
        dueOn: plannedOn,
        expectedAmountMinor: expectedMinor,
        currency: expectedMinor === null ? null : currency,
        assigneeUserId: assignee,
        invoiceIds: input.invoiceIds,
      });
      await insertActivity(tx, actor, {
        customerId: customer.id,
        kind: 'task',
        taskType: 'visit_confirmation',
        title: confirmationTitle(plannedOn, amountText),
        dueOn: confirmationDueOn(plannedOn, todayDate),
        assigneeUserId: assignee,
        parentActivityId: visitId,
      });
    }
    return rescoredView(tx, actor, todayDate, customer.id, visitId, 'the visit just planned is missing');
  });
}

export type VisitResultInput = z.output<typeof visitResultRequestSchema>;

/** The result of a visit: done, with its confirmation task if still open, a promise and a next step if any. */
export async function recordVisitResult(
  deps: AppDeps,
  actor: Actor,
  activityId: string,
  input: VisitResultInput,
): Promise<{ activity: Activity; promise: PromiseToPay | null }> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const visit = await visibleActivityOrThrow(tx, actor, activityId);
    if (visit.kind !== 'visit') throw invalid('id', 'Not a visit');
    if (visit.done_at !== null) throw conflict('the visit already has its result');
    const customer = await visibleCustomerOrThrow(tx, actor, visit.customer_id);
    const todayDate = await today(tx, actor.tenantId, deps.clock);
    const occurredOn = notFuture(input.occurredOn, todayDate, 'occurredOn');
    await markDone(tx, actor, visit.id, input.note ?? null, {
      visit_result: input.result,
      occurred_on: occurredOn,
    });
    const confirmations = await tx
      .selectFrom('collection_activities')
      .select('id')
      .where('tenant_id', '=', actor.tenantId)
      .where('parent_activity_id', '=', visit.id)
      .where('done_at', 'is', null)
      .execute();
    for (const task of confirmations) await markDone(tx, actor, task.id, null);
    const promiseId = input.promise
      ? await insertPromise(
          tx,
          actor,
          customer,
          { ...input.promise, note: input.note },
          todayDate,
          visit.id,
          'promise.',
        )
      : null;
    await insertFollowUp(tx, actor, customer.id, visit.id, input.followUp, todayDate);
    await refreshCases(tx, actor, todayDate, [customer.id]);
    const [activity] = await activityViews(tx, actor.tenantId, [visit.id]);
    const [promise] = promiseId ? await promiseViews(tx, actor.tenantId, [promiseId], todayDate) : [];
    if (!activity) throw new Error('the visit is missing');
    return { activity, promise: promise ?? null };
  });
}

/** A note (备注) or a letter sent by hand (书面函件), on the customer's timeline. */
export async function addNote(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
  input: z.output<typeof addNoteRequestSchema>,
): Promise<Activity> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const customer = await visibleCustomerOrThrow(tx, actor, customerId);
    const todayDate = await today(tx, actor.tenantId, deps.clock);
    const firstLine = input.body.split('\n')[0] ?? input.body;
    const id = await insertActivity(tx, actor, {
      customerId: customer.id,
      kind: input.kind,
      title: firstLine.slice(0, 80),
      body: input.body,
      occurredOn: todayDate,
      isDone: true,
    });
    return rescoredView(tx, actor, todayDate, customer.id, id, 'the note is missing');
  });
}

/** A task for someone (by default the caller), due on a day. */
export async function createTask(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
  input: z.output<typeof createTaskRequestSchema>,
): Promise<Activity> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const customer = await visibleCustomerOrThrow(tx, actor, customerId);
    const todayDate = await today(tx, actor.tenantId, deps.clock);
    await assertUsersOfOrganization(tx, actor.tenantId, [
      { path: 'assigneeUserId', userId: input.assigneeUserId },
    ]);
    if (input.invoiceId)
      await customerInvoicesOrThrow(tx, actor.tenantId, customer.id, [input.invoiceId], 'invoiceId');
    const id = await insertActivity(tx, actor, {
      customerId: customer.id,
      kind: 'task',
      taskType: input.taskType,
      title: input.title,
      body: input.note ?? null,
      dueOn: input.dueOn,
      assigneeUserId: input.assigneeUserId ?? actor.userId,
      invoiceIds: input.invoiceId ? [input.invoiceId] : [],
    });
    return rescoredView(tx, actor, todayDate, customer.id, id, 'the task is missing');
  });
}

/** Ticks a task off. A visit is finished by its result instead. */
export async function completeTask(
  deps: AppDeps,
  actor: Actor,
  activityId: string,
  input: z.output<typeof completeTaskRequestSchema>,
): Promise<Activity> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const task = await visibleActivityOrThrow(tx, actor, activityId);
    if (task.kind !== 'task') throw invalid('id', 'Only a task is ticked off; a visit gets its result');
    if (task.done_at !== null) throw conflict('the task is already done');
    await markDone(tx, actor, task.id, input.note ?? null);
    const todayDate = await today(tx, actor.tenantId, deps.clock);
    return rescoredView(tx, actor, todayDate, task.customer_id, task.id, 'the task is missing');
  });
}

/** After a write on a case: rescore the customer's case, then answer the activity as the timeline shows it. */
async function rescoredView(
  tx: Tx,
  actor: Actor,
  todayDate: CalendarDate,
  customerId: string,
  activityId: string,
  missing: string,
): Promise<Activity> {
  await refreshCases(tx, actor, todayDate, [customerId]);
  const [view] = await activityViews(tx, actor.tenantId, [activityId]);
  if (!view) throw new Error(missing);
  return view;
}
