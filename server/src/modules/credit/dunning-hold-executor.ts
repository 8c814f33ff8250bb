import { sql } from 'kysely';
import { arrayLiteral, raggedUuidParams, textArrayLiteral } from '../dunning/array-literals';
import type { DunningGroupOutcome, DunningStepGroup } from '../dunning/step-registry';

/**
 * The ladder's 停止供货 step (credit_hold) as the credit module records it: a hold naming the invoices it is for,
 * which dunning-holds.ts reads (through the dunning_credit_holds view, one row per invoice) as a hold cause while
 * any of those invoices is open.
 */

/**
 * The credit_hold executor, set-based: one row per customer the batch holds (migration 0017), naming every invoice
 * it holds the customer for — a catch-up run holds 259,000 invoices of 6,000 customers — in one INSERT for the
 * batch. A run's group is stored by its id, from which the view computes each action's (migration 0026); other
 * groups list their actions' ids. The actions already name their invoices, so the outcome is the hold's id alone.
 */
export async function placeDunningCreditHolds(
  groups: readonly DunningStepGroup[],
): Promise<DunningGroupOutcome[]> {
  const first = groups[0];
  if (!first) return [];
  const invoices = raggedUuidParams(
    groups.map((group) => group.invoiceIds),
    (id) => id,
  );
  const listed = raggedUuidParams(
    groups.map((group) => (group.id === undefined ? group.actions : [])),
    (action) => action.actionId,
  );
  const result = await sql<{ id: string }>`
    INSERT INTO dunning_credit_hold_sets (tenant_id, customer_id, placed_on, invoice_ids, group_id, action_ids)
    SELECT ${first.tenantId}::uuid, h.customer_id, ${first.asOf}::date, (${invoices.ids}::uuid[])[h.lo:h.hi],
      h.group_id, CASE WHEN h.group_id IS NULL THEN (${listed.ids}::uuid[])[h.action_lo:h.action_hi] END
    FROM unnest(${arrayLiteral(groups.map((group) => group.customer.id))}::uuid[], ${invoices.lo}::int[],
      ${invoices.hi}::int[], ${textArrayLiteral(groups.map((group) => group.id ?? null))}::uuid[],
      ${listed.lo}::int[], ${listed.hi}::int[])
      WITH ORDINALITY AS h (customer_id, lo, hi, group_id, action_lo, action_hi, n)
    ORDER BY h.n
    RETURNING id`.execute(first.tx);
  if (result.rows.length !== groups.length) throw new Error('not every credit hold was written');
  return result.rows.map((row) => {
    const placed = { outcome: 'created' as const, refId: row.id };
    return { first: placed, others: placed };
  });
}
