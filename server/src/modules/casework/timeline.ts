import type { CalendarDate } from '@huikuan/core';
import type { Timeline, TimelineEntry } from '@huikuan/core/contracts';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import type { Actor } from '../../platform/request-context';
import { visibleCustomerOrThrow } from '../customers/customer-access';
import { listCustomerDunningActions } from '../dunning';
import { listCustomerLetters } from '../letters/letter-queries';
import { listCustomerMessages } from '../messaging';
import { activityViews } from './activity-views';
import { disputeDetails } from './disputes';
import { promiseViews } from './promises';
import { today } from './support';

/**
 * 催收记录: everything that happened in collecting from one customer, newest first — activities, promises and
 * their kept/broken events, dispute events, messages (messaging's listCustomerMessages), ladder actions (dunning's
 * listCustomerDunningActions) and letters (the letters archive). Each source answers for the customer in one call.
 */

async function caseworkEntries(tx: Tx, tenantId: string, customerId: string, asOf: CalendarDate) {
  const [activityIds, promiseIds, disputes] = await Promise.all([
    tx
      .selectFrom('collection_activities')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('customer_id', '=', customerId)
      .orderBy('created_at', 'desc')
      .limit(500)
      .execute(),
    tx
      .selectFrom('promises_to_pay')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('customer_id', '=', customerId)
      .orderBy('created_at', 'desc')
      .limit(200)
      .execute(),
    disputeDetails(tx, tenantId, { customerId }),
  ]);
  const activities = await activityViews(
    tx,
    tenantId,
    activityIds.map((row) => row.id),
  );
  const promises = await promiseViews(
    tx,
    tenantId,
    promiseIds.map((row) => row.id),
    asOf,
  );
  const entries: TimelineEntry[] = activities.map((activity) => ({
    key: `activity:${activity.id}`,
    source: 'activity',
    kind: activity.kind === 'task' ? `task:${activity.taskType ?? 'follow_up'}` : activity.kind,
    at: activity.createdAt,
    title: activity.title,
    detail: activity.body ?? activity.nextStep,
    status:
      activity.callOutcome ??
      activity.visitResult ??
      (activity.dueOn === null ? null : activity.doneAt ? 'done' : 'open'),
    amount: activity.expectedAmount,
    currency: activity.currency,
    actorName: activity.createdByName,
    refId: activity.id,
  }));
  for (const promise of promises) {
    for (const [index, event] of promise.events.entries()) {
      entries.push({
        key: `promise:${promise.id}:${index}`,
        source: 'promise',
        kind: event.status,
        at: event.occurredAt,
        title: promise.instalments.map((instalment) => `${instalment.dueOn} ${instalment.amount}`).join('；'),
        detail: event.note,
        status: event.status,
        amount: promise.total,
        currency: promise.currency,
        actorName: index === 0 ? promise.recordedByName : null,
        refId: promise.id,
      });
    }
  }
  for (const dispute of disputes) {
    for (const [index, event] of dispute.events.entries()) {
      entries.push({
        key: `dispute:${dispute.id}:${index}`,
        source: 'dispute',
        kind: event.event,
        at: event.occurredAt,
        title: dispute.invoiceNumber ?? dispute.customerName,
        detail: event.note,
        status: dispute.status,
        amount: dispute.amount,
        currency: dispute.currency,
        actorName: event.actorName,
        refId: dispute.id,
      });
    }
  }
  return entries;
}

async function otherModuleEntries(tx: Tx, tenantId: string, customerId: string): Promise<TimelineEntry[]> {
  const [messages, actions] = await Promise.all([
    listCustomerMessages(tx, tenantId, customerId),
    listCustomerDunningActions(tx, tenantId, customerId),
  ]);
  return [
    ...messages.map((message): TimelineEntry => ({
      key: `message:${message.id}`,
      source: 'message',
      kind: message.channel,
      at: message.sentAt ?? message.createdAt,
      title: message.subject,
      detail: message.lastError ?? message.recipient,
      status: message.status,
      amount: null,
      currency: null,
      actorName: null,
      refId: message.id,
    })),
    ...actions.map((action): TimelineEntry => ({
      key: `dunning_action:${action.id}`,
      source: 'dunning_action',
      kind: action.step,
      at: action.createdAt,
      title: action.invoice,
      detail: action.detail,
      status: action.outcome,
      amount: action.chased,
      currency: action.currency,
      actorName: null,
      refId: action.id,
    })),
  ];
}

export async function listCustomerTimeline(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
  limit: number,
): Promise<Timeline> {
  const entries = await deps.db.tenant(actor.tenantId, async (tx) => {
    const customer = await visibleCustomerOrThrow(tx, actor, customerId);
    const asOf = await today(tx, actor.tenantId, deps.clock);
    return [
      ...(await caseworkEntries(tx, actor.tenantId, customer.id, asOf)),
      ...(await otherModuleEntries(tx, actor.tenantId, customer.id)),
    ];
  });
  // The letters archive answers in a transaction of its own (after ours: PGlite has one connection).
  const letters = await listCustomerLetters(deps, actor, customerId);
  for (const letter of letters.items) {
    entries.push({
      key: `letter:${letter.id}`,
      source: 'letter',
      kind: letter.kind,
      at: letter.createdAt,
      title: letter.title,
      detail: letter.sourceRef,
      status: letter.messageId === null ? null : 'emailed',
      amount: null,
      currency: null,
      actorName: null,
      refId: letter.id,
    });
  }
  entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.key < b.key ? -1 : 1));
  return { items: entries.slice(0, limit), missingSources: [] };
}
