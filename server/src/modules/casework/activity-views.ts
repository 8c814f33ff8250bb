import { minorToDecimalString, type CalendarDate } from '@huikuan/core';
import type { Activity, activityListQuerySchema } from '@huikuan/core/contracts';
import type { z } from 'zod';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { notFound } from '../../platform/errors';
import { decodeCursor, pageFrom } from '../../platform/pagination';
import { recordScope, type Actor } from '../../platform/request-context';
import { customerScopeCondition } from '../customers/customer-access';
import { userNames } from './support';

/** Activities as the API shows them: names, covered invoices and the promise made on them, in a fixed number of queries. */

export async function activityViews(tx: Tx, tenantId: string, ids: readonly string[]): Promise<Activity[]> {
  if (ids.length === 0) return [];
  const rows = await tx
    .selectFrom('collection_activities as a')
    .innerJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'a.tenant_id').onRef('c.id', '=', 'a.customer_id'),
    )
    .selectAll('a')
    .select('c.name as customer_name')
    .where('a.tenant_id', '=', tenantId)
    .where('a.id', 'in', [...ids])
    .execute();
  const [links, promises, names] = await Promise.all([
    tx
      .selectFrom('collection_activity_invoices')
      .select(['activity_id', 'invoice_id'])
      .where('tenant_id', '=', tenantId)
      .where('activity_id', 'in', [...ids])
      .execute(),
    tx
      .selectFrom('promises_to_pay')
      .select(['id', 'activity_id'])
      .where('tenant_id', '=', tenantId)
      .where('activity_id', 'in', [...ids])
      .execute(),
    userNames(
      tx,
      tenantId,
      rows.flatMap((row) => [row.assignee_user_id, row.created_by_user_id]),
    ),
  ]);
  const order = new Map(ids.map((id, index) => [id, index]));
  return rows
    .sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0))
    .map((row) => {
      const currency = row.currency?.trim() ?? null;
      return {
        id: row.id,
        customerId: row.customer_id,
        customerName: row.customer_name,
        invoiceIds: links.filter((link) => link.activity_id === row.id).map((link) => link.invoice_id),
        kind: row.kind as Activity['kind'],
        taskType: row.task_type as Activity['taskType'],
        title: row.title,
        body: row.body,
        callOutcome: row.call_outcome as Activity['callOutcome'],
        contactName: row.contact_name,
        nextStep: row.next_step,
        nextStepOn: row.next_step_on as CalendarDate | null,
        plannedOn: row.planned_on as CalendarDate | null,
        expectedAmount:
          row.expected_amount_minor !== null && currency !== null
            ? minorToDecimalString(BigInt(row.expected_amount_minor), currency)
            : null,
        currency,
        visitResult: row.visit_result as Activity['visitResult'],
        occurredOn: row.occurred_on as CalendarDate | null,
        assigneeUserId: row.assignee_user_id,
        assigneeName: row.assignee_user_id ? (names.get(row.assignee_user_id) ?? null) : null,
        assigneeRole: row.assignee_role,
        dueOn: row.due_on as CalendarDate | null,
        doneAt: row.done_at?.toISOString() ?? null,
        doneNote: row.done_note,
        parentActivityId: row.parent_activity_id,
        promiseId: promises.find((promise) => promise.activity_id === row.id)?.id ?? null,
        dunningActionId: row.dunning_action_id,
        createdByUserId: row.created_by_user_id,
        createdByName: row.created_by_user_id ? (names.get(row.created_by_user_id) ?? null) : null,
        createdAt: row.created_at.toISOString(),
      };
    });
}

/** An activity of a customer in the actor's scope, locked for a change; out of scope is a 404 like absent. */
export async function visibleActivityOrThrow(tx: Tx, actor: Actor, activityId: string) {
  const row = await tx
    .selectFrom('collection_activities as a')
    .innerJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'a.tenant_id').onRef('c.id', '=', 'a.customer_id'),
    )
    .selectAll('a')
    .select(['c.currency as customer_currency'])
    .where('a.tenant_id', '=', actor.tenantId)
    .where('a.id', '=', activityId)
    .where(customerScopeCondition(recordScope(actor), 'c'))
    .forUpdate('a')
    .executeTakeFirst();
  if (!row) throw notFound('activity');
  return row;
}

export type ActivityListQuery = z.output<typeof activityListQuerySchema>;

/**
 * Activities in scope: a customer's history (newest first) or, with `openOnly`, the work still to do (earliest due
 * first). `assignee=me` narrows to the caller's tasks, including those for their role (legal's litigation reviews).
 */
export async function listActivities(deps: AppDeps, actor: Actor, query: ActivityListQuery) {
  const isOpenList = query.openOnly === true;
  const after = decodeCursor(query.cursor, 2);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    let select = tx
      .selectFrom('collection_activities as a')
      .innerJoin('customers as c', (join) =>
        join.onRef('c.tenant_id', '=', 'a.tenant_id').onRef('c.id', '=', 'a.customer_id'),
      )
      .select(['a.id', 'a.created_at', 'a.due_on'])
      .where('a.tenant_id', '=', actor.tenantId)
      .where(customerScopeCondition(recordScope(actor), 'c'));
    if (query.customerId) select = select.where('a.customer_id', '=', query.customerId);
    if (query.kind) select = select.where('a.kind', '=', query.kind);
    if (query.assignee === 'me') {
      select = select.where((eb) =>
        eb.or([eb('a.assignee_user_id', '=', actor.userId ?? ''), eb('a.assignee_role', '=', actor.role)]),
      );
    }
    if (isOpenList) {
      select = select.where('a.done_at', 'is', null).where('a.due_on', 'is not', null);
      if (after) {
        const [dueOn = '', id = ''] = after;
        select = select.where((eb) =>
          eb.or([eb('a.due_on', '>', dueOn), eb.and([eb('a.due_on', '=', dueOn), eb('a.id', '>', id)])]),
        );
      }
      select = select.orderBy('a.due_on').orderBy('a.id');
    } else {
      if (after) {
        const [createdAt = '', id = ''] = after;
        select = select.where((eb) =>
          eb.or([
            eb('a.created_at', '<', new Date(createdAt)),
            eb.and([eb('a.created_at', '=', new Date(createdAt)), eb('a.id', '<', id)]),
          ]),
        );
      }
      select = select.orderBy('a.created_at', 'desc').orderBy('a.id', 'desc');
    }
    const rows = await select.limit(query.limit + 1).execute();
    const page = pageFrom(rows, query.limit, (row) =>
      isOpenList ? [String(row.due_on), row.id] : [row.created_at.toISOString(), row.id],
    );
    return {
      items: await activityViews(
        tx,
        actor.tenantId,
        page.items.map((row) => row.id),
      ),
      nextCursor: page.nextCursor,
    };
  });
}
