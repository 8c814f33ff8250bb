import { byCodePoint, type CalendarDate } from '@huikuan/core';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';
import { openItemsCte } from '../aging/open-items';

/**
 * The open items a run chases, in one set-based statement over the per-invoice settled amounts the ledger's triggers
 * keep (`invoice_settlements`, migration 0010) through aging's `openItemsCte`: as of today the open rows are read
 * through their partial index; as of an earlier date, what documents dated after it took off is added back. Same
 * semantics as before (receipts/balances.ts): an invoice counts from its invoice date, credit notes and allocations
 * from theirs, nothing once voided. Each item comes with the steps already done for it, from its customer's row of
 * `dunning_customer_done_steps` (migration 0024, kept by a trigger on the action groups) instead of aggregating every
 * action row, and its number from the settlements too (0021: joining every invoice only for it cost 0.34 s of
 * PostgreSQL's time). This is the only place the dunning module reads balances.
 */

export type OpenItem = {
  invoiceId: string;
  invoiceNumber: string;
  customerId: string;
  customerCode: string;
  customerName: string;
  ownerUserId: string | null;
  segment: string | null;
  dueDate: CalendarDate;
  currency: string;
  openMinor: bigint;
  /** The ladder steps already done for this invoice (its dunning actions). */
  doneStepIds: ReadonlySet<string>;
};

/**
 * One row per customer: its items by due date, then number (a step's actions then fall on consecutive items, which
 * the groups' INSERT sends once: memberLayout), and its done steps as their row stores them (array literals; null
 * when nothing was done for the customer). 10,000 rows of a few texts each rather than 300,000 rows of
 * seven columns: the driver's per-row and per-field work was most of what reading the snapshot cost this process.
 * The items are a JSON pair (see CustomerItems): their fixed-format fields packed into one string, and their numbers,
 * which may hold any character, as an array JSON escapes. Two ordered aggregates per customer where one per field
 * (five) cost PostgreSQL 0.2 s more per run at the benchmark's size (EXPLAIN ANALYZE, 1.03 against 1.23 s).
 */
type CustomerRow = {
  customer_id: string;
  items: string;
  done_step_ids: string | null;
  done_counts: string | null;
  done_invoice_ids: string | null;
};

/**
 * [the items as `id,due date,currency,open amount` joined by ';', their numbers]: uuids and ISO dates (the snapshot
 * sets DateStyle) have a fixed width, currency codes and amounts have no ',' or ';'.
 */
type CustomerItems = [string, string[]];

const UUID_LENGTH = 36;
const DATE_LENGTH = 10;
const DUE_DATE_AT = UUID_LENGTH + 1;
const CURRENCY_AT = DUE_DATE_AT + DATE_LENGTH + 1;

/** Where a packed item's amount starts; refuses anything that is not in the packed format. */
function amountAt(packed: string, customerCode: string): number {
  const separator = packed.indexOf(',', CURRENCY_AT);
  if (packed[UUID_LENGTH] !== ',' || packed[CURRENCY_AT - 1] !== ',' || separator < 0) {
    throw new Error(`open items of customer ${customerCode}: unreadable item ${JSON.stringify(packed)}`);
  }
  return separator + 1;
}

/**
 * Every open item with a due date on or before `dueOnOrBefore` (a run passes as-of plus the ladders' longest lead,
 * since nothing can be due for items due later), optionally only `invoiceIds` (an item redone on its own after its
 * batch failed is re-read in its own transaction). Ordered by customer code, then due date, then invoice number (code
 * points).
 */
export async function openItemsAsOf(
  tx: Tx,
  tenantId: string,
  asOf: CalendarDate,
  dueOnOrBefore: CalendarDate,
  invoiceIds: readonly string[] | null = null,
): Promise<OpenItem[]> {
  if (invoiceIds !== null && invoiceIds.length === 0) return [];
  await snapshotSettings(tx, invoiceIds === null);
  const result = await sql<CustomerRow>`${customerRows(tenantId, asOf, dueOnOrBefore, invoiceIds)}`.execute(
    tx,
  );
  return itemsOf(tx, tenantId, result.rows, new Map());
}

/**
 * The same items as `openItemsAsOf`, handed over a chunk of customers at a time as PostgreSQL makes them (a cursor
 * in the caller's transaction): each customer's items and their arrays are built when its row is fetched, so this
 * process reads one chunk while PostgreSQL builds the next, and a run can start on the first chunk. Each chunk is in
 * customer-code order; chunks come in the order PostgreSQL groups the customers. `onChunk` is awaited before the
 * next fetch. Answers how many items there were.
 */
export async function openItemsInChunks(
  tx: Tx,
  tenantId: string,
  asOf: CalendarDate,
  dueOnOrBefore: CalendarDate,
  customersPerChunk: number,
  onChunk: (items: OpenItem[]) => Promise<void> | void,
): Promise<number> {
  await snapshotSettings(tx, true);
  await sql`DECLARE huikuan_open_items NO SCROLL CURSOR FOR ${customerRows(tenantId, asOf, dueOnOrBefore, null)}`.execute(
    tx,
  );
  const stepSets = new Map<string, ReadonlySet<string>>();
  let count = 0;
  for (;;) {
    const fetched =
      await sql<CustomerRow>`FETCH ${sql.raw(String(customersPerChunk))} FROM huikuan_open_items`.execute(tx);
    if (fetched.rows.length === 0) break;
    const items = await itemsOf(tx, tenantId, fetched.rows, stepSets);
    count += items.length;
    await onChunk(items);
  }
  await sql`CLOSE huikuan_open_items`.execute(tx);
  return count;
}

/**
 * For this transaction: dates as ISO text, which the packed items rely on (whatever the server's default), and, for
 * a whole snapshot, memory enough to sort each customer's items by its aggregates in memory (300,000 rows in 10,000
 * small sorts).
 */
async function snapshotSettings(tx: Tx, isWhole: boolean): Promise<void> {
  const memory = isWhole ? sql`, set_config('work_mem', '64MB', true)` : sql``;
  await sql`SELECT set_config('DateStyle', 'ISO', true)${memory}`.execute(tx);
}

/** The statement: one row per customer with open items (see CustomerRow). */
function customerRows(
  tenantId: string,
  asOf: CalendarDate,
  dueOnOrBefore: CalendarDate,
  invoiceIds: readonly string[] | null,
) {
  const only =
    invoiceIds === null ? sql<boolean>`true` : sql<boolean>`i.invoice_id = ANY(${[...invoiceIds]}::uuid[])`;
  const inOrder = sql`ORDER BY o.due_date, o.number COLLATE "C", o.id`;
  return sql<CustomerRow>`
    ${openItemsCte(tenantId, asOf, 'due_date', {
      scope: { kind: 'all' },
      restrict: sql<boolean>`i.due_date <= ${dueOnOrBefore}::date AND ${only}`,
    })}
    SELECT c.customer_id, c.items, d.step_ids::text AS done_step_ids, d.invoice_counts::text AS done_counts,
      d.invoice_ids::text AS done_invoice_ids
    FROM (
      SELECT o.customer_id, json_build_array(
        string_agg(o.id::text || ',' || o.due_date::text || ',' || btrim(o.currency::text) || ',' ||
          o.open_minor::text, ';' ${inOrder}),
        array_agg(o.number ${inOrder}))::text AS items
      FROM open_items o
      WHERE o.open_minor > 0
      GROUP BY o.customer_id
    ) c
    LEFT JOIN dunning_customer_done_steps d
      ON d.tenant_id = ${tenantId} AND d.customer_id = c.customer_id`;
}

/** The rows' items, their customers read apart (once per customer) and put in code order. */
async function itemsOf(
  tx: Tx,
  tenantId: string,
  fetched: readonly CustomerRow[],
  stepSets: Map<string, ReadonlySet<string>>,
): Promise<OpenItem[]> {
  const customers = new Map(
    (
      await tx
        .selectFrom('customers')
        .select(['id', 'code', 'name', 'owner_user_id', 'segment'])
        .where('tenant_id', '=', tenantId)
        .where(sql<boolean>`id = ANY(${fetched.map((row) => row.customer_id)}::uuid[])`)
        .execute()
    ).map((customer) => [customer.id, customer]),
  );
  const codeOf = (row: CustomerRow) => customers.get(row.customer_id)?.code ?? '';
  const rows = [...fetched].sort(
    (a, b) => byCodePoint(codeOf(a), codeOf(b)) || byCodePoint(a.customer_id, b.customer_id),
  );
  const items: OpenItem[] = [];
  for (const row of rows) {
    const customer = customers.get(row.customer_id);
    if (!customer) throw new Error(`customer ${row.customer_id} of open invoices not found`);
    const [packed, numbers] = JSON.parse(row.items) as CustomerItems;
    // Fields sliced straight out of each item: no array per item for 300,000 items.
    const packedItems = packed.split(';');
    if (packedItems.length !== numbers.length) {
      throw new Error(
        `open items of customer ${customer.code}: ${packedItems.length} items, ${numbers.length} numbers`,
      );
    }
    const ids = packedItems.map((item) => item.slice(0, UUID_LENGTH));
    const doneSteps = doneStepsOfItems(row, ids, stepSets);
    packedItems.forEach((item, index) => {
      const amountStart = amountAt(item, customer.code);
      // Missing money is an error, never zero (BigInt('') would be 0n).
      if (amountStart === item.length) throw new Error(`open item ${ids[index]}: no open amount`);
      items.push({
        invoiceId: ids[index] as string,
        invoiceNumber: numbers[index] as string,
        customerId: row.customer_id,
        customerCode: customer.code,
        customerName: customer.name,
        ownerUserId: customer.owner_user_id,
        segment: customer.segment,
        dueDate: item.slice(DUE_DATE_AT, DUE_DATE_AT + DATE_LENGTH) as CalendarDate,
        currency: item.slice(CURRENCY_AT, amountStart - 1),
        openMinor: BigInt(item.slice(amountStart)),
        doneStepIds: doneSteps[index] ?? NO_STEPS,
      });
    });
  }
  return items;
}

const NO_STEPS: ReadonlySet<string> = new Set();

/** The elements of an array literal of uuids or integers (nothing quoted, nothing null): '{a,b}' to ['a', 'b']. */
function elementsOf(literal: string): string[] {
  return literal.length <= 2 ? [] : literal.slice(1, -1).split(',');
}

/**
 * The done steps of each of a customer's items (by position in `invoiceIds`), from the customer's row: its groups'
 * step ids and invoice counts, and their invoice ids one after another. Pairs of invoices that are not among the
 * items (settled since) are passed over. Invoices share a handful of distinct sets (after a catch-up run nearly every
 * one has the same four steps done), so each distinct list of step ids gets one set, shared (read-only), instead of
 * 290,000 sets of four strings each.
 */
function doneStepsOfItems(
  row: CustomerRow,
  invoiceIds: readonly string[],
  known: Map<string, ReadonlySet<string>>,
): (ReadonlySet<string> | undefined)[] {
  if (row.done_step_ids === null || row.done_counts === null || row.done_invoice_ids === null) return [];
  const stepIds = elementsOf(row.done_step_ids);
  const counts = elementsOf(row.done_counts).map(Number);
  const doneInvoiceIds = elementsOf(row.done_invoice_ids);
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (counts.length !== stepIds.length || total !== doneInvoiceIds.length) {
    throw new Error(
      `done steps of customer ${row.customer_id}: counts do not match their steps and invoices`,
    );
  }
  const positions = new Map(invoiceIds.map((id, index) => [id, index]));
  const lists: (string[] | undefined)[] = [];
  let next = 0;
  stepIds.forEach((stepId, group) => {
    const end = next + (counts[group] as number);
    for (; next < end; next += 1) {
      const position = positions.get(doneInvoiceIds[next] as string);
      if (position === undefined) continue;
      const list = lists[position];
      if (list === undefined) lists[position] = [stepId];
      else if (!list.includes(stepId)) list.push(stepId);
    }
  });
  return lists.map((list) => (list === undefined ? undefined : sharedSet(list, known)));
}

function sharedSet(stepIds: string[], known: Map<string, ReadonlySet<string>>): ReadonlySet<string> {
  const key = stepIds.join(',');
  let ids = known.get(key);
  if (ids === undefined) {
    ids = new Set(stepIds);
    known.set(key, ids);
  }
  return ids;
}
