import { sql, type RawBuilder } from 'kysely';

/**
 * Today's open items, the one place casework reads them. They come from `invoice_settlements` (migration 0010), the
 * per-invoice settled amounts the ledger's own triggers keep, through its partial index on open rows: the worklist
 * refresh reads every open item of an organization and must not re-derive each balance from the documents.
 *
 * The relation has the columns customer_id, invoice_id, currency, due_date and open_minor; `customerIds` (null =
 * the whole organization) narrows it inside the index scan.
 */
export function openItemsRelation(
  tenantId: string,
  customerIds: readonly string[] | null,
): RawBuilder<unknown> {
  const narrow = customerIds === null ? sql`` : sql`AND s.customer_id = ANY(${[...customerIds]}::uuid[])`;
  return sql`(
    SELECT s.customer_id, s.invoice_id, s.currency::text AS currency, s.due_date, s.open_minor
    FROM invoice_settlements s
    WHERE s.tenant_id = ${tenantId} AND s.open_minor <> 0 ${narrow}
  )`;
}
