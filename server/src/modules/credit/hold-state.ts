import { holdTransition, minorToDecimalString, type CalendarDate, type HoldTransition } from '@huikuan/core';
import { sql } from 'kysely';
import { toAuditJson, type AuditActor } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { CustomerCreditEvaluation } from './credit-position';

export type EvaluationSource = 'write' | 'refused_write' | 'view' | 'list' | 'sweep';

export type TransitionCounts = { placed: number; released: number; changed: number };

const BATCH = 1000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += BATCH) out.push(items.slice(start, start + BATCH));
  return out;
}

type Change = { evaluation: CustomerCreditEvaluation; transition: HoldTransition };

/**
 * Records what changed since the hold state was last recorded: the state row, an event and an audit entry per
 * placed, released or changed hold. Whoever evaluates a customer first (a write, a view, a list, the sweep) records
 * it, once: the upsert only touches rows whose causes differ, and only the rows it touched get events, so two
 * requests noticing the same change concurrently record it once. A fixed number of statements per 1,000 changes.
 */
export async function recordHoldTransitions(
  tx: Tx,
  actor: AuditActor,
  evaluations: readonly CustomerCreditEvaluation[],
  source: EvaluationSource,
  today: CalendarDate,
  now: Date,
): Promise<TransitionCounts> {
  const changes: Change[] = evaluations.flatMap((evaluation) => {
    const transition = holdTransition(evaluation.recordedCauses, evaluation.causes);
    return transition === null ? [] : [{ evaluation, transition }];
  });
  const counts: TransitionCounts = { placed: 0, released: 0, changed: 0 };
  for (const batch of chunks(changes)) {
    const touched = await upsertStates(tx, actor.tenantId, batch, now);
    const recorded = batch.filter((change) => touched.has(change.evaluation.customerId));
    if (recorded.length === 0) continue;
    await insertEvents(tx, actor, recorded, source, today, now);
    await insertAudit(tx, actor, recorded, source, today);
    for (const change of recorded) counts[change.transition] += 1;
  }
  return counts;
}

async function upsertStates(tx: Tx, tenantId: string, batch: readonly Change[], now: Date) {
  const values = batch.map(
    (change) => sql`(${change.evaluation.customerId}::uuid, ${change.evaluation.causes.join(',')}::text)`,
  );
  const result = await sql<{ customer_id: string }>`
    INSERT INTO credit_hold_states (tenant_id, customer_id, causes, hold_since, changed_at)
    SELECT ${tenantId}::uuid, v.customer_id, string_to_array(v.causes, ','),
      CASE WHEN v.causes = '' THEN NULL ELSE ${now}::timestamptz END, ${now}::timestamptz
    FROM (VALUES ${sql.join(values)}) AS v (customer_id, causes)
    ON CONFLICT (tenant_id, customer_id) DO UPDATE SET
      causes = EXCLUDED.causes,
      hold_since = CASE WHEN cardinality(EXCLUDED.causes) = 0 THEN NULL
                        ELSE coalesce(credit_hold_states.hold_since, EXCLUDED.hold_since) END,
      changed_at = EXCLUDED.changed_at
    WHERE credit_hold_states.causes IS DISTINCT FROM EXCLUDED.causes
    RETURNING customer_id`.execute(tx);
  return new Set(result.rows.map((row) => row.customer_id));
}

async function insertEvents(
  tx: Tx,
  actor: AuditActor,
  batch: readonly Change[],
  source: EvaluationSource,
  today: CalendarDate,
  now: Date,
) {
  await tx
    .insertInto('credit_hold_events')
    .values(
      batch.map(({ evaluation, transition }) => ({
        tenant_id: actor.tenantId,
        customer_id: evaluation.customerId,
        event: transition,
        causes: evaluation.causes,
        previous_causes: evaluation.recordedCauses ?? [],
        exposure_minor: evaluation.position.exposureMinor,
        limit_minor: evaluation.limitMinor,
        currency: evaluation.currency,
        oldest_overdue_days: evaluation.position.oldestOverdueDays,
        open_disputes_minor: evaluation.position.openDisputesMinor,
        source,
        evaluated_on: today,
        actor_user_id: actor.userId,
        occurred_at: now,
      })),
    )
    .execute();
}

const AUDIT_ACTIONS: Record<HoldTransition, string> = {
  placed: 'credit.hold_placed',
  released: 'credit.hold_released',
  changed: 'credit.hold_changed',
};

/** The same entries recordAudit writes, many at once: the sweep may release thousands of holds in one run. */
async function insertAudit(
  tx: Tx,
  actor: AuditActor,
  batch: readonly Change[],
  source: EvaluationSource,
  today: CalendarDate,
) {
  await tx
    .insertInto('audit_log')
    .values(
      batch.map(({ evaluation, transition }) => ({
        tenant_id: actor.tenantId,
        actor_user_id: actor.userId,
        actor_token_id: actor.tokenId,
        action: AUDIT_ACTIONS[transition],
        entity_type: 'customer',
        entity_id: evaluation.customerId,
        before: JSON.stringify(toAuditJson({ causes: evaluation.recordedCauses ?? [] })),
        after: JSON.stringify(
          toAuditJson({
            causes: evaluation.causes,
            exposure: minorToDecimalString(evaluation.position.exposureMinor, evaluation.currency),
            limit:
              evaluation.limitMinor === null
                ? null
                : minorToDecimalString(evaluation.limitMinor, evaluation.currency),
            currency: evaluation.currency,
            oldestOverdueDays: evaluation.position.oldestOverdueDays,
            openDisputesMinor: evaluation.position.openDisputesMinor,
            source,
            evaluatedOn: today,
          }),
        ),
        request_id: actor.requestId,
        ip: actor.ip,
      })),
    )
    .execute();
}
