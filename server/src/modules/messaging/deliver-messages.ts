import type { DeliveryReport } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { AppDeps } from '../../platform/deps';
import { SENDING_LEASE_MS, nextAttemptAfterFailure } from './backoff';
import { loadChannelRuntime, type ChannelRuntime } from './channel-runtime';
import type { SendResult } from './channels/http';
import { deliverInApp } from './in-app';
import { secretBoxFor } from './secret-box';
import { loadOutgoing, sendOverChannel } from './send-over-channel';

/**
 * The delivery worker. Three steps, each its own transaction, and never a network call inside one:
 *   1. messages left "sending" longer than the lease (the worker stopped mid-send) become unknown — they may or may
 *      not have arrived, and no channel we use can tell us or drop a repeat, so a person decides;
 *   2. due messages (queued, or failed whose backoff has passed) are claimed — FOR UPDATE SKIP LOCKED, so several
 *      workers on PostgreSQL never take the same row — and marked sending, committed;
 *   3. each is sent and its result recorded: sent, or failed with the next attempt, or dead after the last one.
 */
export type DeliveryDeps = Pick<AppDeps, 'db' | 'config'>;

export type DeliveryOptions = {
  /** Only this organization's messages (the "send now" button); the scheduled worker serves all of them. */
  tenantId?: string;
  /** Only these messages (a test message, a resend). */
  messageIds?: readonly string[];
  batchSize?: number;
};

type Claimed = { tenant_id: string; id: string; attempts: number };

function filters(options: DeliveryOptions) {
  const tenant = options.tenantId ? sql`AND tenant_id = ${options.tenantId}` : sql``;
  const ids =
    options.messageIds && options.messageIds.length > 0
      ? sql`AND id IN (${sql.join([...options.messageIds])})`
      : sql``;
  return sql`${tenant} ${ids}`;
}

async function markInterrupted(deps: DeliveryDeps, now: Date, options: DeliveryOptions): Promise<number> {
  const leaseStart = new Date(now.getTime() - SENDING_LEASE_MS);
  return deps.db.system(async (tx) => {
    const stuck = await sql<{ tenant_id: string; id: string; claimed_at: Date }>`
      UPDATE outbound_messages
      SET status = 'unknown', updated_at = now(),
        last_error = 'interrupted: delivery stopped while sending; it may or may not have arrived'
      WHERE status = 'sending' AND claimed_at < ${leaseStart} ${filters(options)}
      RETURNING tenant_id, id, claimed_at`.execute(tx);
    if (stuck.rows.length > 0) {
      await tx
        .insertInto('outbound_message_attempts')
        .values(
          stuck.rows.map((row) => ({
            tenant_id: row.tenant_id,
            message_id: row.id,
            started_at: row.claimed_at,
            finished_at: now,
            outcome: 'unknown',
            error: 'interrupted',
          })),
        )
        .execute();
    }
    return stuck.rows.length;
  });
}

async function claimDue(deps: DeliveryDeps, now: Date, options: DeliveryOptions): Promise<Claimed[]> {
  const batch = options.batchSize ?? 50;
  return deps.db.system(async (tx) => {
    const claimed = await sql<Claimed>`
      WITH queued AS (
        SELECT tenant_id, id FROM outbound_messages
        WHERE status = 'queued' ${filters(options)}
        ORDER BY created_at LIMIT ${batch} FOR UPDATE SKIP LOCKED
      ), retry AS (
        SELECT tenant_id, id FROM outbound_messages
        WHERE status = 'failed' AND next_attempt_at <= ${now} ${filters(options)}
        ORDER BY next_attempt_at LIMIT ${batch} FOR UPDATE SKIP LOCKED
      )
      UPDATE outbound_messages m
      SET status = 'sending', claimed_at = ${now}, attempts = m.attempts + 1, next_attempt_at = NULL,
        updated_at = now()
      FROM (SELECT tenant_id, id FROM queued UNION ALL SELECT tenant_id, id FROM retry) due
      WHERE m.tenant_id = due.tenant_id AND m.id = due.id
      RETURNING m.tenant_id, m.id, m.attempts`.execute(tx);
    return claimed.rows;
  });
}

export async function deliverDueMessages(
  deps: DeliveryDeps,
  now: Date,
  options: DeliveryOptions = {},
): Promise<DeliveryReport> {
  const report: DeliveryReport = { claimed: 0, sent: 0, failed: 0, dead: 0, interrupted: 0 };
  report.interrupted = await markInterrupted(deps, now, options);
  const claimed = await claimDue(deps, now, options);
  report.claimed = claimed.length;
  const runtimes = new Map<string, ChannelRuntime>();
  for (const message of claimed) {
    const outcome = await deliverOne(deps, now, message, runtimes);
    report[outcome] += 1;
  }
  return report;
}

async function deliverOne(
  deps: DeliveryDeps,
  now: Date,
  claimed: Claimed,
  runtimes: Map<string, ChannelRuntime>,
): Promise<'sent' | 'failed' | 'dead'> {
  const startedAt = Date.now();
  let prepared: Awaited<ReturnType<typeof prepare>>;
  try {
    prepared = await prepare(deps, claimed, runtimes);
  } catch (error) {
    // Nothing left the building yet, so this is an ordinary failure: retried with the usual backoff.
    return recordResult(deps, claimed, now, now, { ok: false, error: `send_failed: ${messageOf(error)}` });
  }
  if (prepared.message.channel === 'in_app') {
    await deps.db.tenant(claimed.tenant_id, (tx) => deliverInApp(tx, claimed.tenant_id, claimed.id));
    return 'sent';
  }
  let result: SendResult;
  try {
    result = await sendOverChannel(prepared.message, prepared.runtime, now);
  } catch (error) {
    result = { ok: false, error: `send_failed: ${messageOf(error)}` };
  }
  const finishedAt = new Date(now.getTime() + (Date.now() - startedAt));
  return recordResult(deps, claimed, now, finishedAt, result);
}

/** Reads the message and the organization's channels (once per organization per run), secrets opened. */
async function prepare(deps: DeliveryDeps, claimed: Claimed, runtimes: Map<string, ChannelRuntime>) {
  const box = secretBoxFor(deps.config);
  return deps.db.tenant(claimed.tenant_id, async (tx) => {
    let runtime = runtimes.get(claimed.tenant_id);
    if (!runtime) {
      runtime = await loadChannelRuntime(tx, claimed.tenant_id, box);
      runtimes.set(claimed.tenant_id, runtime);
    }
    return { runtime, message: await loadOutgoing(tx, claimed.tenant_id, claimed.id) };
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function recordResult(
  deps: DeliveryDeps,
  claimed: Claimed,
  claimedAt: Date,
  finishedAt: Date,
  result: SendResult,
): Promise<'sent' | 'failed' | 'dead'> {
  // Backoff counts from the run that tried, so the schedule does not drift with how long a send took.
  const nextAttemptAt = result.ok ? null : nextAttemptAfterFailure(claimed.attempts, claimedAt);
  const status = result.ok ? 'sent' : nextAttemptAt ? 'failed' : 'dead';
  await deps.db.tenant(claimed.tenant_id, async (tx) => {
    // A result that arrives after the lease ran out still lands on its own claim (it was marked unknown meanwhile).
    await tx
      .updateTable('outbound_messages')
      .set({
        status,
        sent_at: result.ok ? finishedAt : null,
        next_attempt_at: nextAttemptAt,
        last_error: result.ok ? null : result.error,
        provider_message_id: result.ok ? result.providerMessageId : null,
        updated_at: sql<Date>`now()`,
      })
      .where('tenant_id', '=', claimed.tenant_id)
      .where('id', '=', claimed.id)
      .where('status', 'in', ['sending', 'unknown'])
      .where('claimed_at', '=', claimedAt)
      .execute();
    await tx
      .insertInto('outbound_message_attempts')
      .values({
        tenant_id: claimed.tenant_id,
        message_id: claimed.id,
        started_at: claimedAt,
        finished_at: finishedAt,
        outcome: result.ok ? 'sent' : 'failed',
        error: result.ok ? null : result.error,
        provider_message_id: result.ok ? result.providerMessageId : null,
      })
      .execute();
  });
  return status;
}
