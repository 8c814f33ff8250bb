import type { CalendarDate } from '@huikuan/core';
import type {
  PromiseToPay,
  createPromiseRequestSchema,
  promiseListQuerySchema,
} from '@huikuan/core/contracts';
import type { z } from 'zod';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { notFound } from '../../platform/errors';
import { decodeCursor, pageFrom } from '../../platform/pagination';
import { recordScope, type Actor } from '../../platform/request-context';
import { customerScopeCondition, visibleCustomerOrThrow } from '../customers/customer-access';
import { refreshCases } from './case-refresh';
import { insertPromise, promiseViews, recordTransition } from './promises';
import { conflict, today } from './support';

/** Promises to pay through the API: record one on its own, cancel one, list and read them. */

export async function createPromise(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
  input: z.output<typeof createPromiseRequestSchema>,
): Promise<PromiseToPay> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const customer = await visibleCustomerOrThrow(tx, actor, customerId);
    const todayDate = await today(tx, actor.tenantId, deps.clock);
    const id = await insertPromise(tx, actor, customer, input, todayDate, null);
    await refreshCases(tx, actor, todayDate, [customer.id]);
    const [view] = await promiseViews(tx, actor.tenantId, [id], todayDate);
    if (!view) throw new Error('the promise just recorded is missing');
    return view;
  });
}

async function visiblePromiseOrThrow(tx: Tx, actor: Actor, promiseId: string) {
  const row = await tx
    .selectFrom('promises_to_pay as p')
    .innerJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'p.tenant_id').onRef('c.id', '=', 'p.customer_id'),
    )
    .select(['p.id', 'p.status', 'p.customer_id'])
    .where('p.tenant_id', '=', actor.tenantId)
    .where('p.id', '=', promiseId)
    .where(customerScopeCondition(recordScope(actor), 'c'))
    .executeTakeFirst();
  if (!row) throw notFound('promise');
  return row;
}

export async function getPromise(deps: AppDeps, actor: Actor, promiseId: string): Promise<PromiseToPay> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    await visiblePromiseOrThrow(tx, actor, promiseId);
    const [view] = await promiseViews(
      tx,
      actor.tenantId,
      [promiseId],
      await today(tx, actor.tenantId, deps.clock),
    );
    if (!view) throw notFound('promise');
    return view;
  });
}

/** Withdraws an open promise (the customer renegotiated, or it was recorded by mistake): audited, an event. */
export async function cancelPromise(
  deps: AppDeps,
  actor: Actor,
  promiseId: string,
  input: { reason: string },
): Promise<PromiseToPay> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const row = await visiblePromiseOrThrow(tx, actor, promiseId);
    await tx
      .selectFrom('promises_to_pay')
      .select('id')
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', promiseId)
      .forUpdate()
      .execute();
    const todayDate = await today(tx, actor.tenantId, deps.clock);
    // Settle first: a promise that already broke stays broken (it counts against the customer).
    await refreshCases(tx, actor, todayDate, [row.customer_id]);
    const current = await tx
      .selectFrom('promises_to_pay')
      .select(['id', 'status'])
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', promiseId)
      .executeTakeFirstOrThrow();
    if (current.status !== 'open') throw conflict(`the promise is already ${current.status}`);
    await recordTransition(tx, actor, current, 'cancelled', todayDate, input.reason);
    await refreshCases(tx, actor, todayDate, [row.customer_id]);
    const [view] = await promiseViews(tx, actor.tenantId, [promiseId], todayDate);
    if (!view) throw notFound('promise');
    return view;
  });
}

/** Promises of customers in scope, newest first. */
export async function listPromises(
  deps: AppDeps,
  actor: Actor,
  query: z.output<typeof promiseListQuerySchema>,
): Promise<{ items: PromiseToPay[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, 2);
  return deps.db.tenant(actor.tenantId, async (tx) => {
    let select = tx
      .selectFrom('promises_to_pay as p')
      .innerJoin('customers as c', (join) =>
        join.onRef('c.tenant_id', '=', 'p.tenant_id').onRef('c.id', '=', 'p.customer_id'),
      )
      .select(['p.id', 'p.created_at'])
      .where('p.tenant_id', '=', actor.tenantId)
      .where(customerScopeCondition(recordScope(actor), 'c'));
    if (query.customerId) select = select.where('p.customer_id', '=', query.customerId);
    if (query.status) select = select.where('p.status', '=', query.status);
    if (after) {
      const [createdAt = '', id = ''] = after;
      select = select.where((eb) =>
        eb.or([
          eb('p.created_at', '<', new Date(createdAt)),
          eb.and([eb('p.created_at', '=', new Date(createdAt)), eb('p.id', '<', id)]),
        ]),
      );
    }
    const rows = await select
      .orderBy('p.created_at', 'desc')
      .orderBy('p.id', 'desc')
      .limit(query.limit + 1)
      .execute();
    const page = pageFrom(rows, query.limit, (row) => [row.created_at.toISOString(), row.id]);
    const asOf: CalendarDate = await today(tx, actor.tenantId, deps.clock);
    return {
      items: await promiseViews(
        tx,
        actor.tenantId,
        page.items.map((row) => row.id),
        asOf,
      ),
      nextCursor: page.nextCursor,
    };
  });
}
