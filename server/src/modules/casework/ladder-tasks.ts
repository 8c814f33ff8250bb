import { randomUUID } from 'node:crypto';
import { addDays, minorToDecimalString, type CalendarDate } from '@huikuan/core';
import { sql } from 'kysely';
import { auditImage, auditInsertedRows, type AuditActor } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import { firstContextOf } from '../dunning/step-registry';
import {
  arrayLiteral,
  raggedUuidParams,
  textArrayLiteral,
  type DunningActionContext,
  type DunningActionOutcome,
  type DunningGroupOutcome,
  type DunningStepGroup,
  type GroupStepExecutor,
} from '../dunning';
import { confirmationDueOn, confirmationTitle } from './activities';
import { systemActor } from './support';

/**
 * The ladder's task steps — 电话催收 (call_task), 上门拜访 (visit_task) and 诉讼评估 (litigation_review) — for many
 * actions at once. A customer gets one open task of a kind: the first of its actions creates it (a visit with its
 * confirmation task 5 days before, per 003), every other action of the customer is linked to it, and an open task
 * from an earlier run takes the actions instead of a second one. The task carries the creating action's id (the
 * executor's idempotency key, under a unique index). A fixed number of statements however many actions: a
 * catch-up run asks for 284,000 visits of 10,400 customers in 60 batches.
 */

/** A visit the ladder asks for is planned this many days ahead, so its 5-days-before confirmation can happen. */
export const LADDER_VISIT_LEAD_DAYS = 7;

export const JOINED_DETAIL = 'added to the open task of this customer';

type TaskSpec = {
  kind: 'task' | 'visit';
  taskType: 'call' | 'litigation_review' | null;
  /** Legal's reviews go to the role; calls and visits to the case's collector, else the customer's owner. */
  isForLegal: boolean;
  title(context: DunningActionContext): string;
};

type ActivityRow = {
  id: string;
  customerId: string;
  kind: 'task' | 'visit';
  taskType: string | null;
  title: string;
  plannedOn: CalendarDate | null;
  dueOn: CalendarDate;
  expectedAmountMinor: bigint | null;
  currency: string | null;
  assigneeUserId: string | null;
  assigneeRole: 'legal' | null;
  parentActivityId: string | null;
  dunningActionId: string;
  /** The invoice it was created for (its audit entry lists it); none for a visit's confirmation. */
  invoiceId: string | null;
};

function chased(context: DunningActionContext): string {
  return `${minorToDecimalString(context.invoice.chasedMinor, context.invoice.currency)} ${context.invoice.currency}`;
}

const CALL: TaskSpec = {
  kind: 'task',
  taskType: 'call',
  isForLegal: false,
  title: (context) =>
    `电话催收：${context.invoice.number}（逾期 ${context.invoice.daysOverdue} 天，待收 ${chased(context)}）`,
};

const VISIT: TaskSpec = {
  kind: 'visit',
  taskType: null,
  isForLegal: false,
  title: (context) =>
    `上门拜访：${context.customer.name}（${context.invoice.number} 逾期 ${context.invoice.daysOverdue} 天）`,
};

const LITIGATION_REVIEW: TaskSpec = {
  kind: 'task',
  taskType: 'litigation_review',
  isForLegal: true,
  title: (context) =>
    `诉讼评估：${context.customer.name}（${context.invoice.number} 逾期 ${context.invoice.daysOverdue} 天，待收 ${chased(context)}）`,
};

/** The first group of each customer, in order (a customer may have a group per currency). */
function firstPerCustomer(groups: readonly DunningStepGroup[]): Map<string, DunningActionContext> {
  const first = new Map<string, DunningActionContext>();
  for (const group of groups)
    if (!first.has(group.customer.id)) first.set(group.customer.id, firstContextOf(group));
  return first;
}

/**
 * The oldest open task of this kind per customer (one statement). Looked up customer by customer through the
 * customer's index: a catch-up run starts with statistics from before it, and a plan over "the tenant's activities"
 * then reads all of them (200,000 after its first half) for every batch.
 */
async function openTasksOf(
  tx: Tx,
  tenantId: string,
  customerIds: readonly string[],
  spec: TaskSpec,
): Promise<Map<string, string>> {
  const rows = await sql<{ customer_id: string; id: string }>`
    SELECT c.customer_id, t.id
    FROM unnest(${arrayLiteral(customerIds)}::uuid[]) AS c (customer_id)
    CROSS JOIN LATERAL (
      SELECT a.id FROM collection_activities a
      WHERE a.tenant_id = ${tenantId} AND a.customer_id = c.customer_id AND a.kind = ${spec.kind}
        AND a.task_type IS NOT DISTINCT FROM ${spec.taskType}::text AND a.done_at IS NULL
      ORDER BY a.created_at, a.id LIMIT 1
    ) t`.execute(tx);
  return new Map(rows.rows.map((row) => [row.customer_id, row.id]));
}

/** Each case's collector (one statement); customers without a case have none. */
async function collectorsOf(
  tx: Tx,
  tenantId: string,
  customerIds: readonly string[],
): Promise<Map<string, string | null>> {
  const rows = await sql<{ customer_id: string; collector: string | null }>`
    SELECT customer_id, assigned_collector_user_id AS collector FROM collection_cases
    WHERE tenant_id = ${tenantId} AND customer_id = ANY(${arrayLiteral(customerIds)}::uuid[])`.execute(tx);
  return new Map(rows.rows.map((row) => [row.customer_id, row.collector]));
}

/** The task (and, for a visit, its confirmation) that the customer's first action creates. */
function newActivities(
  spec: TaskSpec,
  context: DunningActionContext,
  collector: string | null | undefined,
): ActivityRow[] {
  const assigneeUserId = spec.isForLegal ? null : (collector ?? context.customer.ownerUserId);
  const plannedOn = spec.kind === 'visit' ? addDays(context.asOf, LADDER_VISIT_LEAD_DAYS) : null;
  const hasAmount = spec.kind === 'visit' && context.invoice.chasedMinor > 0n;
  const task: ActivityRow = {
    id: randomUUID(),
    customerId: context.customer.id,
    kind: spec.kind,
    taskType: spec.taskType,
    title: spec.title(context).slice(0, 500),
    plannedOn,
    dueOn: plannedOn ?? context.asOf,
    expectedAmountMinor: hasAmount ? context.invoice.chasedMinor : null,
    currency: hasAmount ? context.invoice.currency : null,
    assigneeUserId,
    assigneeRole: spec.isForLegal ? 'legal' : null,
    parentActivityId: null,
    dunningActionId: context.actionId,
    invoiceId: context.invoice.id,
  };
  if (plannedOn === null) return [task];
  const confirmation: ActivityRow = {
    ...task,
    id: randomUUID(),
    kind: 'task',
    taskType: 'visit_confirmation',
    title: confirmationTitle(plannedOn, chased(context)),
    plannedOn: null,
    dueOn: confirmationDueOn(plannedOn, context.asOf),
    expectedAmountMinor: null,
    currency: null,
    parentActivityId: task.id,
    invoiceId: null,
  };
  return [task, confirmation];
}

/**
 * Every column of collection_activities, for the audit image. ladder-tasks.test.ts compares each entry with its row
 * as `SELECT *` reads it, so a column the list misses fails there.
 */
const ACTIVITY_COLUMNS = [
  'tenant_id',
  'id',
  'customer_id',
  'kind',
  'task_type',
  'title',
  'body',
  'call_outcome',
  'contact_name',
  'next_step',
  'next_step_on',
  'planned_on',
  'expected_amount_minor',
  'currency',
  'visit_result',
  'occurred_on',
  'assignee_user_id',
  'assignee_role',
  'due_on',
  'done_at',
  'done_by_user_id',
  'done_note',
  'parent_activity_id',
  'dunning_action_id',
  'created_by_user_id',
  'created_at',
  'updated_at',
] as const;

/** The row and the invoices it was created for, as insertActivity audits it. */
const ACTIVITY_IMAGE = auditImage(
  'i',
  {
    all: ACTIVITY_COLUMNS,
    money: ['expected_amount_minor'],
    timestamps: ['done_at', 'created_at', 'updated_at'],
  },
  {
    invoiceIds: sql`CASE WHEN v.invoice_id IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(v.invoice_id) END`,
  },
);

/**
 * The new tasks and their audit entries (activity.task_created / visit_logged, as insertActivity writes them: the
 * row and the invoices it was created for), in one statement: the entries are made by PostgreSQL from the rows.
 */
async function insertActivities(tx: Tx, actor: AuditActor, rows: readonly ActivityRow[]): Promise<void> {
  if (rows.length === 0) return;
  const text = (pick: (row: ActivityRow) => string | null) => textArrayLiteral(rows.map(pick));
  const audits = auditInsertedRows(actor, {
    from: sql`inserted i JOIN v ON v.id = i.id`,
    action: sql`'activity.' || CASE WHEN i.kind = 'task' THEN 'task_created' ELSE i.kind || '_logged' END`,
    entityType: 'collection_activity',
    entityId: sql`i.id::text`,
    after: ACTIVITY_IMAGE,
  });
  const result = await sql<{ n: number }>`
    WITH v AS (
      SELECT * FROM unnest(${arrayLiteral(rows.map((row) => row.id))}::uuid[],
        ${arrayLiteral(rows.map((row) => row.customerId))}::uuid[], ${text((row) => row.kind)}::text[],
        ${text((row) => row.taskType)}::text[], ${text((row) => row.title)}::text[],
        ${text((row) => row.plannedOn)}::date[], ${text((row) => row.dueOn)}::date[],
        ${text((row) => row.expectedAmountMinor?.toString() ?? null)}::bigint[], ${text((row) => row.currency)}::text[],
        ${text((row) => row.assigneeUserId)}::uuid[], ${text((row) => row.assigneeRole)}::text[],
        ${text((row) => row.parentActivityId)}::uuid[], ${arrayLiteral(rows.map((row) => row.dunningActionId))}::uuid[],
        ${text((row) => row.invoiceId)}::uuid[])
        WITH ORDINALITY AS v (id, customer_id, kind, task_type, title, planned_on, due_on, expected_amount_minor,
          currency, assignee_user_id, assignee_role, parent_activity_id, dunning_action_id, invoice_id, n)
    ), inserted AS (
      INSERT INTO collection_activities (tenant_id, id, customer_id, kind, task_type, title, planned_on, due_on,
        expected_amount_minor, currency, assignee_user_id, assignee_role, parent_activity_id, dunning_action_id)
      SELECT ${actor.tenantId}::uuid, v.id, v.customer_id, v.kind, v.task_type, v.title, v.planned_on, v.due_on,
        v.expected_amount_minor, v.currency, v.assignee_user_id, v.assignee_role, v.parent_activity_id,
        v.dunning_action_id
      FROM v ORDER BY v.n
      RETURNING *
    ), audited AS (${audits})
    SELECT count(*)::int AS n FROM inserted`.execute(tx);
  const inserted = result.rows[0]?.n ?? 0;
  if (inserted !== rows.length) throw new Error(`inserted ${inserted} of ${rows.length} ladder tasks`);
}

/**
 * Every action's invoice on its customer's task: one row per group (migration 0018). A run's group is named by its
 * id and collection_activity_invoices reads its invoices from it (0026); other groups list their invoices. A task
 * from an earlier run may already list an invoice (another step of the family); the view lists it once.
 */
async function linkInvoices(
  tx: Tx,
  tenantId: string,
  links: readonly { activityId: string; group: DunningStepGroup }[],
): Promise<void> {
  if (links.length === 0) return;
  const invoices = raggedUuidParams(
    links.map((link) => (link.group.id === undefined ? link.group.invoiceIds : [])),
    (id) => id,
  );
  await sql`
    INSERT INTO collection_activity_invoice_sets (tenant_id, activity_id, group_id, invoice_ids)
    SELECT ${tenantId}::uuid, v.activity_id, v.group_id,
      CASE WHEN v.group_id IS NULL THEN (${invoices.ids}::uuid[])[v.lo:v.hi] END
    FROM unnest(${arrayLiteral(links.map((link) => link.activityId))}::uuid[],
      ${textArrayLiteral(links.map((link) => link.group.id ?? null))}::uuid[], ${invoices.lo}::int[],
      ${invoices.hi}::int[]) AS v (activity_id, group_id, lo, hi)`.execute(tx);
}

function ladderTasks(spec: TaskSpec): GroupStepExecutor {
  return async (groups) => {
    const head = groups[0];
    if (!head) return [];
    const { tx, tenantId } = head;
    const firsts = firstPerCustomer(groups);
    const open = await openTasksOf(tx, tenantId, [...firsts.keys()], spec);
    const toCreate = [...firsts.values()].filter((context) => !open.has(context.customer.id));
    const collectors =
      spec.isForLegal || toCreate.length === 0
        ? new Map<string, string | null>()
        : await collectorsOf(
            tx,
            tenantId,
            toCreate.map((context) => context.customer.id),
          );
    const created = toCreate.flatMap((context) =>
      newActivities(spec, context, collectors.get(context.customer.id)),
    );
    await insertActivities(tx, systemActor(tenantId, head.runId), created);
    const tasks = new Map(open);
    for (const row of created) if (row.parentActivityId === null) tasks.set(row.customerId, row.id);
    const taskOf = (group: DunningStepGroup): string => {
      const id = tasks.get(group.customer.id);
      if (id === undefined) throw new Error(`no ${spec.kind} task for customer ${group.customer.id}`);
      return id;
    };
    await linkInvoices(
      tx,
      tenantId,
      groups.map((group) => ({ activityId: taskOf(group), group })),
    );
    const creators = new Set(toCreate.map((context) => context.actionId));
    return groups.map((group): DunningGroupOutcome => {
      const joined: DunningActionOutcome = {
        outcome: 'created',
        refId: taskOf(group),
        detail: JOINED_DETAIL,
      };
      const isCreator = creators.has(group.first.actionId);
      return { first: isCreator ? { outcome: 'created', refId: taskOf(group) } : joined, others: joined };
    });
  };
}

export const createCallTasks = ladderTasks(CALL);
export const createVisitTasks = ladderTasks(VISIT);
export const createLitigationReviews = ladderTasks(LITIGATION_REVIEW);
