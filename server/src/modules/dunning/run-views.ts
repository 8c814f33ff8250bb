import {
  minorToDecimalString,
  type CalendarDate,
  type DunningStepKind,
  type MessageChannel,
} from '@huikuan/core';
import type { DunningAction, DunningRun } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { notFound } from '../../platform/errors';
import { decodeCursor, pageFrom } from '../../platform/pagination';
import { recordScope, type Actor } from '../../platform/request-context';
import { customerScopeCondition } from '../customers/customer-access';
import { isRunActiveHere, STALE_RUN_SECONDS } from './run-dunning';
import { assertDunningManager } from './save-policy';

/** Reading runs and the actions they recorded. */

type RunRow = {
  id: string;
  as_of: string;
  source: string;
  status: string;
  started_by: string | null;
  total_count: number;
  done_count: number;
  fired_count: number;
  paused_count: number;
  counts_by_kind: unknown;
  errors: unknown;
  error_count: number;
  failure: string | null;
  started_at: Date;
  heartbeat_at: Date;
  finished_at: Date | null;
};

function runBody(row: RunRow, now: Date): DunningRun {
  // A run still marked running whose heartbeat stopped was killed: show it as interrupted (the next run records it).
  const isDead =
    row.status === 'running' &&
    !isRunActiveHere(row.id) &&
    now.getTime() - row.heartbeat_at.getTime() > STALE_RUN_SECONDS * 1000;
  return {
    id: row.id,
    asOf: row.as_of as CalendarDate,
    source: row.source as DunningRun['source'],
    status: isDead ? 'interrupted' : (row.status as DunningRun['status']),
    startedBy: row.started_by,
    total: row.total_count,
    done: row.done_count,
    fired: row.fired_count,
    paused: row.paused_count,
    countsByKind: (row.counts_by_kind ?? {}) as Record<string, number>,
    errors: (row.errors ?? []) as DunningRun['errors'],
    errorCount: row.error_count,
    failure: row.failure,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

function runsQuery(tx: Tx, tenantId: string) {
  return tx
    .selectFrom('dunning_runs as r')
    .leftJoin('users as u', (join) =>
      join.onRef('u.tenant_id', '=', 'r.tenant_id').onRef('u.id', '=', 'r.started_by_user_id'),
    )
    .select([
      'r.id',
      'r.as_of',
      'r.source',
      'r.status',
      'u.name as started_by',
      'r.total_count',
      'r.done_count',
      'r.fired_count',
      'r.paused_count',
      'r.counts_by_kind',
      'r.errors',
      'r.error_count',
      'r.failure',
      'r.started_at',
      'r.heartbeat_at',
      'r.finished_at',
    ])
    .where('r.tenant_id', '=', tenantId);
}

export async function runViewOrThrow(deps: AppDeps, actor: Actor, runId: string): Promise<DunningRun> {
  assertDunningManager(actor);
  const row = await deps.db.tenant(actor.tenantId, (tx) =>
    runsQuery(tx, actor.tenantId).where('r.id', '=', runId).executeTakeFirst(),
  );
  if (!row) throw notFound('dunning run');
  return runBody(row, deps.clock.now());
}

export async function listRuns(
  deps: AppDeps,
  actor: Actor,
  query: { cursor?: string; limit: number },
): Promise<{ items: DunningRun[]; nextCursor: string | null }> {
  assertDunningManager(actor);
  const after = decodeCursor(query.cursor, 2);
  const rows = await deps.db.tenant(actor.tenantId, (tx) => {
    let select = runsQuery(tx, actor.tenantId);
    if (after) {
      const [startedAt = '', id = ''] = after;
      select = select.where(sql<boolean>`(r.started_at, r.id) < (${startedAt}::timestamptz, ${id}::uuid)`);
    }
    return select
      .orderBy('r.started_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(query.limit + 1)
      .execute();
  });
  const page = pageFrom(rows, query.limit, (row) => [row.started_at.toISOString(), row.id]);
  const now = deps.clock.now();
  return { items: page.items.map((row) => runBody(row, now)), nextCursor: page.nextCursor };
}

type ActionRow = {
  id: string;
  run_id: string;
  invoice_id: string;
  number: string;
  customer_id: string;
  code: string;
  name: string;
  kind: string;
  channel: string | null;
  offset_days: number;
  due_date: string;
  step_due_on: string;
  as_of: string;
  days_overdue: number;
  chased_minor: bigint;
  currency: string;
  outcome: string;
  ref_id: string | null;
  detail: string | null;
  created_at: Date;
};

function actionBody(row: ActionRow): DunningAction {
  const currency = row.currency.trim();
  return {
    id: row.id,
    runId: row.run_id,
    invoiceId: row.invoice_id,
    invoice: row.number,
    customerId: row.customer_id,
    customer: row.code,
    customerName: row.name,
    step: row.kind as DunningStepKind,
    channel: row.channel as MessageChannel | null,
    offsetDays: row.offset_days,
    dueDate: row.due_date as CalendarDate,
    stepDueOn: row.step_due_on as CalendarDate,
    asOf: row.as_of as CalendarDate,
    daysOverdue: row.days_overdue,
    chased: minorToDecimalString(row.chased_minor, currency),
    currency,
    outcome: row.outcome as DunningAction['outcome'],
    refId: row.ref_id,
    detail: row.detail,
    createdAt: row.created_at.toISOString(),
  };
}

function actionsQuery(tx: Tx, tenantId: string) {
  return tx
    .selectFrom('dunning_actions as a')
    .innerJoin('invoices as i', (join) =>
      join.onRef('i.tenant_id', '=', 'a.tenant_id').onRef('i.id', '=', 'a.invoice_id'),
    )
    .innerJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'a.tenant_id').onRef('c.id', '=', 'a.customer_id'),
    )
    .select([
      'a.id',
      'a.run_id',
      'a.invoice_id',
      'i.number',
      'a.customer_id',
      'c.code',
      'c.name',
      'a.kind',
      'a.channel',
      'a.offset_days',
      'a.due_date',
      'a.step_due_on',
      'a.as_of',
      'a.days_overdue',
      'a.chased_minor',
      'a.currency',
      'a.outcome',
      'a.ref_id',
      'a.detail',
      'a.created_at',
    ])
    .where('a.tenant_id', '=', tenantId);
}

/** A run's actions, by customer code then invoice number, in the caller's record scope. */
export async function listRunActions(
  deps: AppDeps,
  actor: Actor,
  runId: string,
  query: { cursor?: string; limit: number },
): Promise<{ items: DunningAction[]; nextCursor: string | null }> {
  assertDunningManager(actor);
  const after = decodeCursor(query.cursor, 3);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const run = await tx
      .selectFrom('dunning_runs')
      .select('id')
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', runId)
      .executeTakeFirst();
    if (!run) throw notFound('dunning run');
    let select = actionsQuery(tx, actor.tenantId)
      .where('a.run_id', '=', runId)
      .where(customerScopeCondition(recordScope(actor), 'c'));
    if (after) {
      const [code = '', number = '', id = ''] = after;
      select = select.where(sql<boolean>`(c.code, i.number, a.id) > (${code}, ${number}, ${id}::uuid)`);
    }
    const rows = await select
      .orderBy('c.code')
      .orderBy('i.number')
      .orderBy('a.id')
      .limit(query.limit + 1)
      .execute();
    const page = pageFrom(rows, query.limit, (row) => [row.code, row.number, row.id]);
    return { items: page.items.map(actionBody), nextCursor: page.nextCursor };
  });
}

/**
 * Every dunning action recorded for one customer, newest first: what casework's customer timeline shows. The caller
 * has checked the customer is in the actor's scope.
 */
export async function listCustomerDunningActions(
  tx: Tx,
  tenantId: string,
  customerId: string,
): Promise<DunningAction[]> {
  const rows = await actionsQuery(tx, tenantId)
    .where('a.customer_id', '=', customerId)
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id')
    .limit(500)
    .execute();
  return rows.map(actionBody);
}
