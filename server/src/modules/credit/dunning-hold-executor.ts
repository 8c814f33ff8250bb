import { sql } from 'kysely';
import type { DunningActionContext, DunningActionOutcome } from '../dunning/step-registry';

/**
 * The ladder's 停止供货 step (credit_hold) as the credit module records it: a row in dunning_credit_holds naming the
 * invoice, which dunning-holds.ts reads as a hold cause while that invoice is open.
 */

/** The credit_hold executor, set-based: one INSERT for every hold a batch places. */
export async function placeDunningCreditHolds(
  contexts: readonly DunningActionContext[],
): Promise<DunningActionOutcome[]> {
  const first = contexts[0];
  if (!first) return [];
  const result = await sql<{ id: string; action_id: string }>`
    INSERT INTO dunning_credit_holds (tenant_id, customer_id, invoice_id, action_id, placed_on)
    SELECT ${first.tenantId}::uuid, v.customer_id, v.invoice_id, v.action_id, ${first.asOf}::date
    FROM unnest(${contexts.map((c) => c.customer.id)}::uuid[], ${contexts.map((c) => c.invoice.id)}::uuid[],
      ${contexts.map((c) => c.actionId)}::uuid[]) AS v (customer_id, invoice_id, action_id)
    ON CONFLICT (tenant_id, action_id) DO NOTHING
    RETURNING id, action_id`.execute(first.tx);
  const byAction = new Map(result.rows.map((row) => [row.action_id, row.id]));
  return contexts.map((context) => {
    const holdId = byAction.get(context.actionId);
    return holdId === undefined
      ? { outcome: 'skipped', detail: 'hold already placed' }
      : {
          outcome: 'created',
          refId: holdId,
          detail: `credit hold until invoice ${context.invoice.number} is paid`,
        };
  });
}
