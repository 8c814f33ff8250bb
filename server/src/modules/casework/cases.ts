import type { CalendarDate } from '@huikuan/core';
import type {
  CaseDetail,
  CollectionCase,
  UpdateCaseRequest,
  worklistBulkRequestSchema,
} from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { AuditActor } from '../../platform/audit';
import { recordAudit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { notFound } from '../../platform/errors';
import { recordScope, type Actor } from '../../platform/request-context';
import { assertUsersOfOrganization } from '../contracts/ledger-input';
import { customerScopeCondition, visibleCustomerOrThrow } from '../customers/customer-access';
import { activityViews } from './activity-views';
import { insertActivity } from './activities';
import { refreshCases } from './case-refresh';
import { caseInvoices, caseQuery, toCaseView } from './case-views';
import { disputeDetails } from './disputes';
import { promiseViews } from './promises';
import { today } from './support';

/** A customer's collection case: its worklist row, what is open, and the settings people give it. */

/** Recomputes one customer's case inside the caller's write (promises, disputes, activities, the case itself). */
export async function refreshCustomerCase(
  tx: Tx,
  actor: AuditActor,
  asOf: CalendarDate,
  customerId: string,
): Promise<void> {
  await refreshCases(tx, actor, asOf, [customerId]);
}

/**
 * Every case of an organization, recomputed as of its today: after a dunning run, daily, or on demand. One tenant
 * transaction; returns the number of active cases.
 */
export async function refreshCollectionCases(
  db: Database,
  clock: Clock,
  actor: AuditActor,
): Promise<{ cases: number; refreshedAt: string }> {
  return db.tenant(actor.tenantId, async (tx) => {
    const asOf = await today(tx, actor.tenantId, clock);
    const cases = await refreshCases(tx, actor, asOf, null);
    return { cases, refreshedAt: new Date().toISOString() };
  });
}

async function caseViewIn(tx: Tx, actor: Actor, customerId: string): Promise<CollectionCase | null> {
  const row = await caseQuery(tx, actor.tenantId)
    .where('cc.customer_id', '=', customerId)
    .where(customerScopeCondition(recordScope(actor), 'c'))
    .executeTakeFirst();
  return row ? toCaseView(row) : null;
}

async function caseDetailIn(
  tx: Tx,
  actor: Actor,
  customerId: string,
  asOf: CalendarDate,
): Promise<CaseDetail> {
  const view = await caseViewIn(tx, actor, customerId);
  if (!view) throw notFound('customer');
  const [invoices, promiseIds, disputes, tasks] = await Promise.all([
    caseInvoices(tx, actor.tenantId, [customerId], asOf, true, 500),
    tx
      .selectFrom('promises_to_pay')
      .select('id')
      .where('tenant_id', '=', actor.tenantId)
      .where('customer_id', '=', customerId)
      .where('status', '=', 'open')
      .orderBy('created_at', 'desc')
      .execute(),
    disputeDetails(tx, actor.tenantId, { customerId, openOnly: true }),
    tx
      .selectFrom('collection_activities')
      .select('id')
      .where('tenant_id', '=', actor.tenantId)
      .where('customer_id', '=', customerId)
      .where('done_at', 'is', null)
      .where('due_on', 'is not', null)
      .orderBy('due_on')
      .limit(100)
      .execute(),
  ]);
  return {
    case: view,
    invoices: invoices.get(customerId) ?? [],
    openPromises: await promiseViews(
      tx,
      actor.tenantId,
      promiseIds.map((row) => row.id),
      asOf,
    ),
    openDisputes: disputes,
    openTasks: await activityViews(
      tx,
      actor.tenantId,
      tasks.map((row) => row.id),
    ),
  };
}

/**
 * The case of one customer, recomputed first (a view evaluates like a write does, as credit holds do), so what the
 * collector sees is current even between refreshes.
 */
export async function getCaseDetail(deps: AppDeps, actor: Actor, customerId: string): Promise<CaseDetail> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const customer = await visibleCustomerOrThrow(tx, actor, customerId);
    const asOf = await today(tx, actor.tenantId, deps.clock);
    await refreshCases(tx, actor, asOf, [customer.id]);
    await ensureCaseRow(tx, actor.tenantId, customer.id);
    return caseDetailIn(tx, actor, customer.id, asOf);
  });
}

/** A customer with nothing open still gets a (inactive) case row, so its settings can be stored. */
async function ensureCaseRow(tx: Tx, tenantId: string, customerId: string): Promise<void> {
  await tx
    .insertInto('collection_cases')
    .values({ tenant_id: tenantId, customer_id: customerId, reasons: '[]' })
    .onConflict((oc) => oc.columns(['tenant_id', 'customer_id']).doNothing())
    .execute();
}

type CaseSettings = {
  delinquencyType?: string | null | undefined;
  attitude?: string | null | undefined;
  collectorUserId?: string | null | undefined;
  snoozedUntil?: string | null | undefined;
};

async function applySettings(
  tx: Tx,
  actor: Actor,
  customerId: string,
  settings: CaseSettings,
): Promise<void> {
  await ensureCaseRow(tx, actor.tenantId, customerId);
  const before = await tx
    .selectFrom('collection_cases')
    .select(['assigned_collector_user_id', 'delinquency_type', 'attitude', 'snoozed_until'])
    .where('tenant_id', '=', actor.tenantId)
    .where('customer_id', '=', customerId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const changes = {
    ...(settings.delinquencyType === undefined ? {} : { delinquency_type: settings.delinquencyType }),
    ...(settings.attitude === undefined ? {} : { attitude: settings.attitude }),
    ...(settings.collectorUserId === undefined
      ? {}
      : { assigned_collector_user_id: settings.collectorUserId }),
    ...(settings.snoozedUntil === undefined ? {} : { snoozed_until: settings.snoozedUntil }),
  };
  if (Object.keys(changes).length === 0) return;
  const after = await tx
    .updateTable('collection_cases')
    .set({ ...changes, updated_by_user_id: actor.userId, updated_at: sql<Date>`now()` })
    .where('tenant_id', '=', actor.tenantId)
    .where('customer_id', '=', customerId)
    .returning(['assigned_collector_user_id', 'delinquency_type', 'attitude', 'snoozed_until'])
    .executeTakeFirstOrThrow();
  await recordAudit(tx, actor, {
    action: 'collection_case.updated',
    entityType: 'customer',
    entityId: customerId,
    before,
    after,
  });
}

/** Sets the delinquency type (拖欠类型), the customer's attitude, the collector or a snooze; audited, then rescored. */
export async function updateCase(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
  input: UpdateCaseRequest,
): Promise<CaseDetail> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const customer = await visibleCustomerOrThrow(tx, actor, customerId);
    await assertUsersOfOrganization(tx, actor.tenantId, [
      { path: 'collectorUserId', userId: input.collectorUserId ?? null },
    ]);
    await applySettings(tx, actor, customer.id, input);
    const asOf = await today(tx, actor.tenantId, deps.clock);
    await refreshCases(tx, actor, asOf, [customer.id]);
    return caseDetailIn(tx, actor, customer.id, asOf);
  });
}

export type WorklistBulkInput = z.output<typeof worklistBulkRequestSchema>;

/**
 * Bulk actions from the worklist: assign a collector, set the delinquency type, create call tasks, snooze. Every
 * customer must be in the caller's scope (one out of scope answers 404 and nothing changes); each change is audited.
 */
export async function bulkUpdateCases(
  deps: AppDeps,
  actor: Actor,
  input: WorklistBulkInput,
): Promise<{ updated: number; createdTaskIds: string[] }> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const customers = [];
    for (const customerId of new Set(input.customerIds)) {
      customers.push(await visibleCustomerOrThrow(tx, actor, customerId));
    }
    const asOf = await today(tx, actor.tenantId, deps.clock);
    const createdTaskIds: string[] = [];
    if (input.action === 'assign_collector') {
      await assertUsersOfOrganization(tx, actor.tenantId, [
        { path: 'collectorUserId', userId: input.collectorUserId },
      ]);
    }
    for (const customer of customers) {
      switch (input.action) {
        case 'assign_collector':
          await applySettings(tx, actor, customer.id, { collectorUserId: input.collectorUserId });
          break;
        case 'set_delinquency_type':
          await applySettings(tx, actor, customer.id, { delinquencyType: input.delinquencyType });
          break;
        case 'snooze':
          await applySettings(tx, actor, customer.id, { snoozedUntil: input.snoozedUntil });
          break;
        case 'create_call_tasks': {
          const collector = await tx
            .selectFrom('collection_cases')
            .select('assigned_collector_user_id')
            .where('tenant_id', '=', actor.tenantId)
            .where('customer_id', '=', customer.id)
            .executeTakeFirst();
          const id = await insertActivity(tx, actor, {
            customerId: customer.id,
            kind: 'task',
            taskType: 'call',
            title: input.title ?? `电话催收：${customer.name}`,
            dueOn: input.dueOn,
            assigneeUserId: collector?.assigned_collector_user_id ?? customer.owner_user_id ?? actor.userId,
          });
          createdTaskIds.push(id);
          break;
        }
      }
    }
    await refreshCases(
      tx,
      actor,
      asOf,
      customers.map((customer) => customer.id),
    );
    return { updated: customers.length, createdTaskIds };
  });
}
