import type { Locale, MessageChannel } from '@huikuan/core';
import type { Tx } from '../../platform/db';
import {
  registerBatchStepExecutor,
  registerStepExecutor,
  type BatchStepExecutor,
  type DunningActionContext,
  type DunningActionOutcome,
  type StepExecutor,
} from '../dunning/step-registry';
import { registerDeliveryJob } from './delivery-job';
import { enqueueMessages, type EnqueuedMessage, type EnqueueMessageInput } from './enqueue-message';
import {
  customerReminder,
  overdueNotice,
  ownerReminder,
  type ComposedMessage,
  type ReminderFacts,
} from './templates';

/**
 * The ladder's message steps. Each only writes outbox rows in the action's transaction (the dunning action's id is
 * the message's source, so the step enqueues once per channel however often it runs); the worker sends after
 * commit.
 */

async function organizationOf(tx: Tx, tenantId: string): Promise<{ name: string; locale: Locale }> {
  const row = await tx
    .selectFrom('organizations')
    .select(['name', 'locale'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return { name: row.name, locale: row.locale === 'en' ? 'en' : 'zh-CN' };
}

function factsOf(context: DunningActionContext, organizationName: string): ReminderFacts {
  return {
    organizationName,
    customerName: context.customer.name,
    invoiceNumber: context.invoice.number,
    chasedMinor: context.invoice.chasedMinor,
    currency: context.invoice.currency,
    dueDate: context.invoice.dueDate,
    daysOverdue: context.invoice.daysOverdue,
  };
}

function inputFor(
  context: DunningActionContext,
  channel: MessageChannel,
  composed: ComposedMessage,
  templateKey: string,
  extra: { recipient?: string; ccOwner?: boolean } = {},
): EnqueueMessageInput {
  return {
    tenantId: context.tenantId,
    customerId: context.customer.id,
    invoiceId: context.invoice.id,
    channel,
    subject: composed.subject,
    bodyText: composed.bodyText,
    template: { key: templateKey, params: composed.templateParams },
    source: { kind: 'dunning_action', id: context.actionId },
    ...extra,
  };
}

function outcomeOf(messages: readonly EnqueuedMessage[]): DunningActionOutcome {
  const [first] = messages;
  if (!first) return { outcome: 'skipped', detail: 'no channel to send on' };
  const failed = messages.filter((message) => message.status === 'failed').length;
  return {
    outcome: messages.every((message) => message.status === 'sent') ? 'sent' : 'queued',
    refId: first.messageId,
    ...(failed > 0 ? { detail: `${failed} of ${messages.length} message(s) could not be addressed` } : {}),
  };
}

/**
 * Runs one step kind for many actions of one run (one transaction, one organization): composes each message,
 * enqueues them all in a fixed number of statements, and answers one outcome per action, in order.
 */
function batchOf(
  compose: (
    contexts: readonly DunningActionContext[],
    organization: { name: string; locale: Locale },
  ) => EnqueueMessageInput[][] | Promise<EnqueueMessageInput[][]>,
): BatchStepExecutor {
  return async (contexts) => {
    const [first] = contexts;
    if (!first) return [];
    const organization = await organizationOf(first.tx, first.tenantId);
    const perAction = await compose(contexts, organization);
    const results = await enqueueMessages(first.tx, first.tenantId, perAction.flat());
    let next = 0;
    return perAction.map((inputs) => {
      const mine = results.slice(next, next + inputs.length);
      next += inputs.length;
      return outcomeOf(mine);
    });
  };
}

/** 客户提醒: on the policy's channel (email by default), the owner copied on email. */
const customerReminders = batchOf((contexts, organization) =>
  contexts.map((context) => [
    inputFor(
      context,
      context.step.channel ?? 'email',
      customerReminder(organization.locale, factsOf(context, organization.name)),
      'customer_reminder',
      { ccOwner: true },
    ),
  ]),
);

/** 逾期通知: a written notice by email to the customer's contact, the owner copied. */
const overdueNotices = batchOf((contexts, organization) =>
  contexts.map((context) => [
    inputFor(
      context,
      'email',
      overdueNotice(organization.locale, factsOf(context, organization.name)),
      'overdue_notice',
      { ccOwner: true },
    ),
  ]),
);

/**
 * 负责人提醒: always in-app to the customer's owner; also on the IM robot the policy names, or else the
 * organization's internal robot when one is set and switched on; by email to the owner when the policy says email.
 */
const ownerReminders = batchOf(async (contexts, organization) => {
  const [first] = contexts;
  if (!first) return [];
  const internal = await internalRobot(first.tx, first.tenantId);
  const ownerEmails = await emailsOf(
    first.tx,
    first.tenantId,
    contexts.flatMap((context) => (context.customer.ownerUserId ? [context.customer.ownerUserId] : [])),
  );
  return contexts.map((context) => {
    const composed = ownerReminder(organization.locale, factsOf(context, organization.name));
    const inputs = [inputFor(context, 'in_app', composed, 'owner_reminder')];
    const chosen = context.step.channel;
    if (chosen === 'email') {
      const email = context.customer.ownerUserId ? ownerEmails.get(context.customer.ownerUserId) : undefined;
      inputs.push(inputFor(context, 'email', composed, 'owner_reminder', { recipient: email ?? '' }));
    } else if (chosen === 'wecom' || chosen === 'dingtalk' || chosen === 'feishu') {
      inputs.push(inputFor(context, chosen, composed, 'owner_reminder'));
    } else if (internal) {
      inputs.push(inputFor(context, internal, composed, 'owner_reminder'));
    }
    return inputs;
  });
});

async function internalRobot(tx: Tx, tenantId: string): Promise<MessageChannel | null> {
  const settings = await tx
    .selectFrom('message_channel_settings')
    .select(['internal_im_channel', 'enabled_channels'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  const internal = settings?.internal_im_channel ?? null;
  return internal && settings?.enabled_channels.includes(internal) ? (internal as MessageChannel) : null;
}

async function emailsOf(tx: Tx, tenantId: string, userIds: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return new Map();
  const rows = await tx
    .selectFrom('users')
    .select(['id', 'email'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', unique)
    .where('is_active', '=', true)
    .execute();
  return new Map(rows.map((row) => [row.id, row.email]));
}

/** The single-action form the registry also offers: the batch of one. */
function single(batch: BatchStepExecutor): StepExecutor {
  return async (context) => {
    const [outcome] = await batch([context]);
    if (!outcome) throw new Error('the batch executor answered nothing');
    return outcome;
  };
}

/**
 * Messaging's part of the collection wiring: the ladder's message steps (batch and single forms) and the delivery
 * worker on the job queue (it only runs where the server starts the queue).
 */
export function registerMessagingStepExecutors(): void {
  registerDeliveryJob();
  const batches = {
    customer_reminder: customerReminders,
    owner_reminder: ownerReminders,
    overdue_notice: overdueNotices,
  } as const;
  for (const [kind, batch] of Object.entries(batches) as [keyof typeof batches, BatchStepExecutor][]) {
    registerBatchStepExecutor(kind, batch);
    registerStepExecutor(kind, single(batch));
  }
}
