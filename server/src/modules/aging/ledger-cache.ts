import { byCodePoint } from '@huikuan/core';
import type { RecordScope } from '@huikuan/core';
import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../platform/db';
import { customerScopeCondition } from '../customers/customer-access';
import { reportFilterCondition, type ReportFilter } from './report-filter';

/**
 * An in-process, columnar copy of one organization's receivables ledger: every issued invoice (customer, currency,
 * dates, total, what is open now) and every dated reduction of it (allocations — reversals are negative —, posted
 * credit notes and write-offs), held in typed arrays so that a report as of any date is a plain loop (bench/README.md:
 * the database needs seconds per report at a million invoices, a loop over typed arrays milliseconds).
 *
 * It is filled from `invoice_settlements` (migration 0010), which the ledger's own triggers keep, and kept current by
 * one statement per report: the rows whose `changed_xid` is at or after the xmin of the previous refresh's snapshot
 * (every transaction below that xmin had finished then, so its changes were already read), each with all its
 * reductions read again from the documents. The same statement reads the database's own per-currency open totals
 * (`customer_open_balances`, a second accumulation kept by the triggers); when the copy disagrees with them it is
 * dropped and read again in full, and if it still disagrees the report fails. Each invoice's open amount from the
 * settlements row is also checked against its reductions as they are read, so the copy never silently drifts from
 * the documents.
 *
 * Amounts are integers of minor units. They are kept in Float64Array columns because the loops must not allocate
 * (BigInt arithmetic does): every amount read is checked to be a safe integer and the sum of the absolute values of
 * everything the copy holds is kept below 2^53, so every sum a report forms is an exact integer, converted to bigint
 * before it leaves the report. An organization beyond that bound (90 trillion yuan of history) gets an error, not a
 * rounded figure.
 *
 * Record scope and report filters are never answered from the copy: the refresh statement returns the ids of the
 * customers the caller may see, computed in SQL under row-level security like every other report.
 */

export const NO_DAY = 2_147_483_647;
const EPOCH_MS = Date.UTC(1970, 0, 1);
const DAY_MS = 86_400_000;

export const KIND_ALLOCATION = 1;
export const KIND_CREDIT_NOTE = 2;
export const KIND_WRITE_OFF = 3;

export function dayOf(date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - EPOCH_MS) / DAY_MS);
}

export function dateOfDay(day: number): string {
  return new Date(EPOCH_MS + day * DAY_MS).toISOString().slice(0, 10);
}

export type CustomerInfo = {
  id: string;
  code: string;
  name: string;
  ownerUserId: string | null;
  teamId: string | null;
};

function grow<T extends Float64Array | Int32Array | Uint8Array>(array: T, size: number): T {
  if (array.length >= size) return array;
  const next = new (array.constructor as new (length: number) => T)(Math.max(size, array.length * 2, 1024));
  next.set(array);
  return next;
}

const SAFE_TOTAL = Number.MAX_SAFE_INTEGER;

/**
 * Open items as parallel columns, `length` of them, grouped by customer (ascending customer index): the invoice
 * slot, its open amount (≠ 0), and a copy of what the report loops read of the invoice, so that a loop walks memory
 * in order instead of jumping about every invoice the ledger holds (at a million invoices that is most of its time).
 */
export type OpenItems = {
  length: number;
  slots: Int32Array;
  amounts: Float64Array;
  customer: Int32Array;
  currency: Uint8Array;
  dueDay: Int32Array;
  invoiceDay: Int32Array;
};

function emptyItems(length: number): OpenItems {
  return {
    length,
    slots: new Int32Array(length),
    amounts: new Float64Array(length),
    customer: new Int32Array(length),
    currency: new Uint8Array(length),
    dueDay: new Int32Array(length),
    invoiceDay: new Int32Array(length),
  };
}

/**
 * The items with a non-zero open amount — `openBySlot[slot]`, or open now (every document counted) when null —
 * whose customer is selected (null = all), in customer order by a counting sort: two passes over the slots.
 */
export function gatherOpenItems(
  ledger: TenantLedger,
  openBySlot: Float64Array | null,
  selected: Uint8Array | null,
): OpenItems {
  const open = openBySlot ?? openNowBySlot(ledger);
  const { customer } = ledger;
  const next = new Int32Array(ledger.customers.length + 1);
  for (let slot = 0; slot < ledger.count; slot += 1) {
    const owner = customer[slot] ?? 0;
    if (open[slot] !== 0 && (selected === null || selected[owner] === 1))
      next[owner + 1] = (next[owner + 1] ?? 0) + 1;
  }
  for (let index = 1; index < next.length; index += 1)
    next[index] = (next[index] ?? 0) + (next[index - 1] ?? 0);
  const items = emptyItems(next[next.length - 1] ?? 0);
  for (let slot = 0; slot < ledger.count; slot += 1) {
    const owner = customer[slot] ?? 0;
    const amount = open[slot] ?? 0;
    if (amount === 0 || (selected !== null && selected[owner] !== 1)) continue;
    const item = next[owner] ?? 0;
    next[owner] = item + 1;
    items.slots[item] = slot;
    items.amounts[item] = amount;
    items.customer[item] = owner;
    items.currency[item] = ledger.currency[slot] ?? 0;
    items.dueDay[item] = ledger.dueDay[slot] ?? 0;
    items.invoiceDay[item] = ledger.invoiceDay[slot] ?? 0;
  }
  return items;
}

/** Each slot's open amount now (every document counted; 0 once voided). */
function openNowBySlot(ledger: TenantLedger): Float64Array {
  const { total, settled, voidDay } = ledger;
  const open = new Float64Array(ledger.count);
  for (let slot = 0; slot < ledger.count; slot += 1) {
    if (voidDay[slot] === NO_DAY) open[slot] = (total[slot] ?? 0) - (settled[slot] ?? 0);
  }
  return open;
}

/** The items whose customer is selected, in the same order. */
export function selectItems(all: OpenItems, selected: Uint8Array): OpenItems {
  let length = 0;
  for (let item = 0; item < all.length; item += 1) if (selected[all.customer[item] ?? 0] === 1) length += 1;
  const items = emptyItems(length);
  let next = 0;
  for (let item = 0; item < all.length; item += 1) {
    if (selected[all.customer[item] ?? 0] !== 1) continue;
    items.slots[next] = all.slots[item] ?? 0;
    items.amounts[next] = all.amounts[item] ?? 0;
    items.customer[next] = all.customer[item] ?? 0;
    items.currency[next] = all.currency[item] ?? 0;
    items.dueDay[next] = all.dueDay[item] ?? 0;
    items.invoiceDay[next] = all.invoiceDay[item] ?? 0;
    next += 1;
  }
  return items;
}

/** One organization's copy. Slots are invoices; movements are their dated reductions. */
export class TenantLedger {
  /** Invoices. */
  count = 0;
  seqs = new Float64Array(0);
  /** The first `sortedCount` seqs are ascending (the initial load); later ones are found through `lateSlots`. */
  sortedCount = 0;
  lateSlots = new Map<number, number>();
  customer = new Int32Array(0);
  currency = new Uint8Array(0);
  invoiceDay = new Int32Array(0);
  dueDay = new Int32Array(0);
  voidDay = new Int32Array(0);
  total = new Float64Array(0);
  /** Σ of the invoice's live reductions, whatever their date. */
  settled = new Float64Array(0);
  /** The generation of the invoice's movements: a movement counts only while its generation is its invoice's. */
  generation = new Int32Array(0);

  /** Movements (append-only; superseded ones stay until compacted). */
  movementCount = 0;
  liveMovements = 0;
  mSlot = new Int32Array(0);
  mDay = new Int32Array(0);
  mKind = new Uint8Array(0);
  mAmount = new Float64Array(0);
  mGeneration = new Int32Array(0);

  currencies: string[] = [];
  customers: CustomerInfo[] = [];
  customerIndex = new Map<string, number>();

  /** The latest day anything is dated (invoice, reduction, void): a report on or after it needs no adjustment. */
  latestDay = -NO_DAY;
  /** Σ |amount| of everything held, kept below 2^53 so that every sum is exact. */
  magnitude = 0;
  /** xmin of the last refresh's snapshot (xid8 as text), or null before the first load. */
  watermark: string | null = null;

  /**
   * Bumped by every change to an invoice or its movements, and `customersVersion` by every change to a customer:
   * what is derived from them (today's open items, the customers in code order) is kept while they stand, so a
   * report on an unchanged ledger loops over today's ~60 % open items instead of every invoice it ever held.
   */
  version = 0;
  customersVersion = 0;
  private openNow_: { version: number; items: OpenItems } | null = null;
  private byCode_: { version: number; order: Int32Array } | null = null;

  currencyIndex(code: string): number {
    let index = this.currencies.indexOf(code);
    if (index === -1) {
      index = this.currencies.length;
      this.currencies.push(code);
    }
    return index;
  }

  customerSlot(id: string): number {
    let index = this.customerIndex.get(id);
    if (index === undefined) {
      index = this.customers.length;
      this.customers.push({ id, code: '', name: '', ownerUserId: null, teamId: null });
      this.customerIndex.set(id, index);
      this.customersVersion += 1;
    }
    return index;
  }

  /** Replaces a customer's details (code, name, owner, team). */
  putCustomer(info: CustomerInfo): void {
    this.customers[this.customerSlot(info.id)] = info;
    this.customersVersion += 1;
  }

  /** Customer indexes in code-point order of their codes (the order every report's rows are in). */
  customersByCode(): Int32Array {
    if (this.byCode_?.version === this.customersVersion) return this.byCode_.order;
    const order = Int32Array.from(this.customers.keys());
    const codes = this.customers.map((customer) => customer.code);
    order.sort((a, b) => byCodePoint(codes[a] ?? '', codes[b] ?? '') || a - b);
    this.byCode_ = { version: this.customersVersion, order };
    return order;
  }

  /** Every invoice open now (every document counted); kept until the ledger changes. */
  openNowItems(): OpenItems {
    if (this.openNow_?.version === this.version) return this.openNow_.items;
    const items = gatherOpenItems(this, null, null);
    this.openNow_ = { version: this.version, items };
    return items;
  }

  slotOf(seq: number): number {
    let low = 0;
    let high = this.sortedCount - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const value = this.seqs[middle] ?? 0;
      if (value === seq) return middle;
      if (value < seq) low = middle + 1;
      else high = middle - 1;
    }
    return this.lateSlots.get(seq) ?? -1;
  }

  private addMagnitude(amount: number): void {
    if (!Number.isSafeInteger(amount)) throw new Error(`ledger copy: amount ${amount} is not a safe integer`);
    this.magnitude += Math.abs(amount);
    if (this.magnitude > SAFE_TOTAL) {
      throw new Error(
        'ledger copy: the organization’s amounts exceed 2^53 minor units; exact sums are not possible',
      );
    }
  }

  /** Adds or replaces an invoice (all its movements follow through addMovement with the returned slot). */
  putInvoice(row: {
    seq: number;
    customer: number;
    currency: number;
    invoiceDay: number;
    dueDay: number;
    voidDay: number;
    total: number;
  }): number {
    let slot = this.slotOf(row.seq);
    if (slot === -1) {
      slot = this.count;
      this.count += 1;
      const size = this.count;
      this.seqs = grow(this.seqs, size);
      this.customer = grow(this.customer, size);
      this.currency = grow(this.currency, size);
      this.invoiceDay = grow(this.invoiceDay, size);
      this.dueDay = grow(this.dueDay, size);
      this.voidDay = grow(this.voidDay, size);
      this.total = grow(this.total, size);
      this.settled = grow(this.settled, size);
      this.generation = grow(this.generation, size);
      this.seqs[slot] = row.seq;
      if (slot === this.sortedCount && (slot === 0 || (this.seqs[slot - 1] ?? 0) < row.seq)) {
        this.sortedCount += 1;
      } else {
        this.lateSlots.set(row.seq, slot);
      }
      this.addMagnitude(row.total);
    } else {
      this.liveMovements -= this.movementsOf(slot);
    }
    this.customer[slot] = row.customer;
    this.currency[slot] = row.currency;
    this.invoiceDay[slot] = row.invoiceDay;
    this.dueDay[slot] = row.dueDay;
    this.voidDay[slot] = row.voidDay;
    this.total[slot] = row.total;
    this.settled[slot] = 0;
    this.generation[slot] = (this.generation[slot] ?? 0) + 1;
    this.version += 1;
    this.latestDay = Math.max(this.latestDay, row.invoiceDay, row.voidDay === NO_DAY ? -NO_DAY : row.voidDay);
    return slot;
  }

  private movementsOf(slot: number): number {
    // Only called for replaced invoices (few per refresh): a scan of the movements is acceptable there.
    let live = 0;
    const generation = this.generation[slot];
    for (let m = 0; m < this.movementCount; m += 1) {
      if (this.mSlot[m] === slot && this.mGeneration[m] === generation) live += 1;
    }
    return live;
  }

  addMovement(slot: number, day: number, kind: number, amount: number): void {
    const index = this.movementCount;
    this.movementCount += 1;
    const size = this.movementCount;
    this.mSlot = grow(this.mSlot, size);
    this.mDay = grow(this.mDay, size);
    this.mKind = grow(this.mKind, size);
    this.mAmount = grow(this.mAmount, size);
    this.mGeneration = grow(this.mGeneration, size);
    this.mSlot[index] = slot;
    this.mDay[index] = day;
    this.mKind[index] = kind;
    this.mAmount[index] = amount;
    this.mGeneration[index] = this.generation[slot] ?? 0;
    this.settled[slot] = (this.settled[slot] ?? 0) + amount;
    this.version += 1;
    this.liveMovements += 1;
    this.latestDay = Math.max(this.latestDay, day);
    this.addMagnitude(amount);
  }

  isLive(movement: number): boolean {
    return this.mGeneration[movement] === this.generation[this.mSlot[movement] ?? 0];
  }

  /** Drops superseded movements once they are the majority. */
  compact(): void {
    if (this.movementCount - this.liveMovements <= this.liveMovements) return;
    let next = 0;
    for (let m = 0; m < this.movementCount; m += 1) {
      if (!this.isLive(m)) continue;
      this.mSlot[next] = this.mSlot[m] ?? 0;
      this.mDay[next] = this.mDay[m] ?? 0;
      this.mKind[next] = this.mKind[m] ?? 0;
      this.mAmount[next] = this.mAmount[m] ?? 0;
      this.mGeneration[next] = this.mGeneration[m] ?? 0;
      next += 1;
    }
    this.movementCount = next;
    this.liveMovements = next;
  }

  /** Open amount now (every document counted), per slot. */
  openNow(slot: number): number {
    return (this.voidDay[slot] ?? 0) !== NO_DAY ? 0 : (this.total[slot] ?? 0) - (this.settled[slot] ?? 0);
  }

  /** Per currency code, the open total now (every document counted). */
  openTotals(): Map<string, bigint> {
    const sums = new Float64Array(this.currencies.length);
    const items = this.openNowItems();
    for (let item = 0; item < items.length; item += 1) {
      const currency = items.currency[item] ?? 0;
      sums[currency] = (sums[currency] ?? 0) + (items.amounts[item] ?? 0);
    }
    const totals = new Map<string, bigint>();
    this.currencies.forEach((code, index) => {
      if (sums[index] !== 0) totals.set(code, BigInt(sums[index] ?? 0));
    });
    return totals;
  }
}

/** The caller's selection of customers: null for every customer of the organization. */
export type CustomerSelection = Uint8Array | null;

export type LedgerView = {
  ledger: TenantLedger;
  /** 1 at the customer index of every customer the caller's scope and filter let through; null = all. */
  selected: CustomerSelection;
  /** Invoice slots of the `abnormalAsOf` request (product condition), when asked for. */
  abnormal: Set<number> | null;
  /** Open disputes' amounts by invoice slot as of the `disputedAsOf` request, when asked for. */
  disputed: Map<number, number> | null;
  /** Salespeople (email, name) and teams (name) by id, when asked for. */
  users: Map<string, { email: string; name: string }>;
  teams: Map<string, string>;
  /**
   * The database's own open total per currency (`customer_open_balances`, the triggers' second accumulation, read in
   * the refresh's snapshot) for the whole organization with every document counted; zero totals left out.
   */
  databaseOpenTotals: Map<string, bigint>;
};

/** One copy per database connection pool and organization. */
const ledgers = new WeakMap<object, Map<string, TenantLedger>>();

type RefreshRow = {
  part: number;
  chunk: string | null;
  own_changes: boolean;
  xmin: string;
  xmax: string;
  customers: string | null;
  selected: string | null;
  balances: string | null;
  abnormal: string | null;
  disputed: string | null;
  users: string | null;
  teams: string | null;
};

export type LedgerRequest = {
  scope: RecordScope;
  filter?: ReportFilter | undefined;
  /** Ask for the invoices whose product condition is abnormal as of this date. */
  abnormalAsOf?: string | undefined;
  /** Ask for the amounts of the disputes open on this date, by invoice. */
  disputedAsOf?: string | undefined;
  /** Ask for the names of users and teams (grouping by salesperson or team). */
  labels?: boolean | undefined;
};

function restricts(request: LedgerRequest): boolean {
  return (
    request.scope.kind !== 'all' ||
    request.filter?.teamId !== undefined ||
    request.filter?.salespersonId !== undefined
  );
}

/** A 32-bit transaction id of a tuple as a full xid8, relative to the snapshot's xmax (for customers' xmin). */
const FULL_XMIN = sql`(CASE WHEN c.xmin::text::bigint <= (snap.xmax & 4294967295)
    THEN ((snap.xmax >> 32) << 32) | c.xmin::text::bigint
    ELSE (((snap.xmax >> 32) - 1) << 32) | c.xmin::text::bigint END)`;

function refreshStatement(
  tenantId: string,
  watermark: string | null,
  request: LedgerRequest,
): RawBuilder<RefreshRow> {
  const changed =
    watermark === null ? sql`true` : sql`s.changed_xid >= ${watermark}::xid8 AND s.changed_xid < snap.xmax8`;
  const customersChanged = watermark === null ? sql`true` : sql`${FULL_XMIN} >= ${watermark}::bigint`;
  const selected = restricts(request)
    ? sql`(SELECT coalesce(json_agg(c.id)::text, '[]') FROM customers c WHERE c.tenant_id = ${tenantId}
          AND ${customerScopeCondition(request.scope, 'c')} AND ${reportFilterCondition(tenantId, request.filter, 'c')})`
    : sql`NULL::text`;
  const abnormal =
    request.abnormalAsOf === undefined
      ? sql`NULL::text`
      : sql`(SELECT json_agg(s.seq)::text FROM invoice_settlements s
            JOIN LATERAL (SELECT ic.condition FROM invoice_conditions ic
              WHERE ic.tenant_id = s.tenant_id AND ic.invoice_id = s.invoice_id
                AND ic.effective_on <= ${request.abnormalAsOf}::date
              ORDER BY ic.effective_on DESC, ic.created_at DESC LIMIT 1) latest ON true
            WHERE s.tenant_id = ${tenantId} AND latest.condition = 'abnormal'
              AND s.invoice_id IN (SELECT ic.invoice_id FROM invoice_conditions ic WHERE ic.tenant_id = ${tenantId}))`;
  // A dispute is open on a date from the day it was raised until the day it was resolved or withdrawn.
  const disputed =
    request.disputedAsOf === undefined
      ? sql`NULL::text`
      : sql`(SELECT coalesce(json_agg(json_build_array(s.seq, d.amount::text)), '[]')::text FROM (
              SELECT d.invoice_id, d.currency, sum(d.amount_minor) AS amount FROM disputes d
              WHERE d.tenant_id = ${tenantId} AND d.invoice_id IS NOT NULL
                AND d.opened_on <= ${request.disputedAsOf}::date
                AND (d.resolved_on IS NULL OR d.resolved_on > ${request.disputedAsOf}::date)
              GROUP BY d.invoice_id, d.currency) d
            JOIN invoice_settlements s ON s.tenant_id = ${tenantId} AND s.invoice_id = d.invoice_id
              AND s.currency = d.currency)`;
  return sql<RefreshRow>`
    WITH snap AS MATERIALIZED (
      SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin8, pg_snapshot_xmax(pg_current_snapshot()) AS xmax8,
        pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax
    ),
    changed AS MATERIALIZED (
      SELECT s.seq, s.invoice_id, s.customer_id, s.currency, s.invoice_date, s.due_date, s.voided_on, s.total_minor,
        s.open_minor
      FROM invoice_settlements s, snap
      WHERE s.tenant_id = ${tenantId} AND ${changed}
    ),
    -- Changed invoices and their reductions in chunks of seq ranges: a first load is a million lines, and one
    -- field that size would be copied over and over while it arrives.
    invoice_chunks AS (
      SELECT ch.seq / 20000 AS chunk_no,
        string_agg(concat_ws(',', ch.seq, ch.customer_id, ch.currency, ch.invoice_date - DATE '1970-01-01',
          ch.due_date - DATE '1970-01-01', coalesce((ch.voided_on - DATE '1970-01-01')::text, ''), ch.total_minor,
          ch.open_minor), E'\n' ORDER BY ch.seq) AS chunk
      FROM changed ch GROUP BY 1
    ),
    movement_chunks AS (
      SELECT m.seq / 20000 AS chunk_no, string_agg(concat_ws(',', m.seq, m.on_day, m.kind, m.amount), E'\n') AS chunk
      FROM (
        SELECT ch.seq, a.allocated_on - DATE '1970-01-01' AS on_day, 1 AS kind, a.amount_minor AS amount
        FROM changed ch JOIN allocations a ON a.tenant_id = ${tenantId} AND a.invoice_id = ch.invoice_id
        UNION ALL
        SELECT ch.seq, cn.issued_on - DATE '1970-01-01', CASE WHEN cn.kind = 'write_off' THEN 3 ELSE 2 END,
          cn.amount_minor
        FROM changed ch JOIN credit_notes cn ON cn.tenant_id = ${tenantId} AND cn.invoice_id = ch.invoice_id
          AND cn.status = 'posted'
      ) m
      GROUP BY 1
    )
    SELECT 0 AS part, 0 AS chunk_no, NULL::text AS chunk, snap.xmin8::text AS xmin, snap.xmax8::text AS xmax,
      EXISTS (SELECT 1 FROM invoice_settlements s WHERE s.tenant_id = ${tenantId}
        AND s.changed_xid = pg_current_xact_id_if_assigned()) AS own_changes,
      (SELECT json_agg(json_build_array(c.id, c.code, c.name, c.owner_user_id, c.team_id))::text
        FROM customers c WHERE c.tenant_id = ${tenantId} AND ${customersChanged}) AS customers,
      ${selected} AS selected,
      (SELECT json_agg(json_build_array(b.currency, b.amount::text))::text FROM (
        SELECT ob.currency, sum(ob.open_minor) AS amount FROM customer_open_balances ob
        WHERE ob.tenant_id = ${tenantId} GROUP BY ob.currency) b) AS balances,
      ${abnormal} AS abnormal,
      ${disputed} AS disputed,
      ${
        request.labels === true
          ? sql`(SELECT json_agg(json_build_array(u.id, u.email, u.name))::text FROM users u
                WHERE u.tenant_id = ${tenantId})`
          : sql`NULL::text`
      } AS users,
      ${
        request.labels === true
          ? sql`(SELECT json_agg(json_build_array(t.id, t.name))::text FROM teams t WHERE t.tenant_id = ${tenantId})`
          : sql`NULL::text`
      } AS teams
    FROM snap
    UNION ALL
    SELECT 1, chunk_no, chunk, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM invoice_chunks
    UNION ALL
    SELECT 2, chunk_no, chunk, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM movement_chunks
    ORDER BY 1, 2`;
}

function parseIntStrict(text: string | undefined, what: string): number {
  const value = Number(text);
  if (text === undefined || text === '' || !Number.isSafeInteger(value)) {
    throw new Error(`ledger copy: bad ${what} ${String(text)}`);
  }
  return value;
}

/** The refresh statement's answer: one row of everything but the changes, then the changes in chunks. */
type Refresh = { meta: RefreshRow; invoices: string[]; movements: string[] };

function apply(ledger: TenantLedger, refresh: Refresh): void {
  const row = refresh.meta;
  const expectedOpen = new Map<number, number>();
  for (const line of refresh.invoices.flatMap((chunk) => chunk.split('\n'))) {
    const [seq, customerId, currency, invoiceDay, dueDay, voidDay, total, open] = line.split(',');
    const slot = ledger.putInvoice({
      seq: parseIntStrict(seq, 'seq'),
      customer: ledger.customerSlot(customerId ?? ''),
      currency: ledger.currencyIndex(currency ?? ''),
      invoiceDay: parseIntStrict(invoiceDay, 'invoice date'),
      dueDay: parseIntStrict(dueDay, 'due date'),
      voidDay: voidDay === '' ? NO_DAY : parseIntStrict(voidDay, 'void date'),
      total: parseIntStrict(total, 'total'),
    });
    expectedOpen.set(slot, parseIntStrict(open, 'open amount'));
  }
  for (const line of refresh.movements.flatMap((chunk) => chunk.split('\n'))) {
    const [seq, day, kind, amount] = line.split(',');
    const slot = ledger.slotOf(parseIntStrict(seq, 'seq'));
    ledger.addMovement(
      slot,
      parseIntStrict(day, 'date'),
      parseIntStrict(kind, 'kind'),
      parseIntStrict(amount, 'amount'),
    );
  }
  for (const [slot, open] of expectedOpen) {
    if (ledger.openNow(slot) !== open) {
      throw new Error(
        `Ledger derivative out of line: invoice #${ledger.seqs[slot]} is open ${open} in invoice_settlements but ` +
          `${ledger.openNow(slot)} by its documents (huikuan ledger verify lists every difference)`,
      );
    }
  }
  const customers = JSON.parse(row.customers ?? '[]') as [
    string,
    string,
    string,
    string | null,
    string | null,
  ][];
  for (const [id, code, name, ownerUserId, teamId] of customers) {
    ledger.putCustomer({ id, code, name, ownerUserId, teamId });
  }
  ledger.compact();
  ledger.watermark = row.xmin;
}

function openTotalsOf(balancesJson: string | null): Map<string, bigint> {
  return new Map(
    (JSON.parse(balancesJson ?? '[]') as [string, string][])
      .filter(([, amount]) => BigInt(amount) !== 0n)
      .map(([currency, amount]) => [currency.trim(), BigInt(amount)]),
  );
}

function agrees(ledger: TenantLedger, balancesJson: string | null): boolean {
  const expected = openTotalsOf(balancesJson);
  const actual = ledger.openTotals();
  if (expected.size !== actual.size) return false;
  for (const [currency, amount] of expected) if (actual.get(currency) !== amount) return false;
  return true;
}

function exactAmount(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`ledger copy: amount ${text} is not an exact integer`);
  return value;
}

function viewOf(ledger: TenantLedger, row: RefreshRow): LedgerView {
  let selected: CustomerSelection = null;
  if (row.selected !== null) {
    selected = new Uint8Array(ledger.customers.length);
    for (const id of JSON.parse(row.selected) as string[]) {
      const index = ledger.customerIndex.get(id);
      if (index !== undefined) selected[index] = 1;
    }
  }
  const abnormal =
    row.abnormal === null
      ? null
      : new Set(
          (JSON.parse(row.abnormal) as number[]).map((seq) => ledger.slotOf(seq)).filter((slot) => slot >= 0),
        );
  const disputed =
    row.disputed === null
      ? null
      : new Map(
          (JSON.parse(row.disputed) as [number, string][])
            .map(([seq, amount]): [number, number] => [ledger.slotOf(seq), exactAmount(amount)])
            .filter(([slot]) => slot >= 0),
        );
  const users = new Map(
    (JSON.parse(row.users ?? '[]') as [string, string, string][]).map(([id, email, name]) => [
      id,
      { email, name },
    ]),
  );
  const teams = new Map(JSON.parse(row.teams ?? '[]') as [string, string][]);
  return {
    ledger,
    selected,
    abnormal,
    disputed,
    users,
    teams,
    databaseOpenTotals: openTotalsOf(row.balances),
  };
}

/** Refreshes of one copy run one at a time, so a copy only ever moves forward (see ledgerView). */
const refreshing = new WeakMap<TenantLedger, Promise<unknown>>();

async function exclusively<T>(ledger: TenantLedger, work: () => Promise<T>): Promise<T> {
  const before = refreshing.get(ledger) ?? Promise.resolve();
  const run = before.then(work, work);
  refreshing.set(
    ledger,
    run.catch(() => undefined),
  );
  return run;
}

async function fetchChanges(
  tx: Tx,
  tenantId: string,
  watermark: string | null,
  request: LedgerRequest,
): Promise<Refresh> {
  const result = await sql<RefreshRow>`${refreshStatement(tenantId, watermark, request)}`.execute(tx);
  const meta = result.rows.find((row) => row.part === 0);
  if (!meta) throw new Error('ledger copy: the refresh statement returned nothing');
  const chunksOf = (part: number) =>
    result.rows.filter((row) => row.part === part && row.chunk !== null).map((row) => row.chunk ?? '');
  return { meta, invoices: chunksOf(1), movements: chunksOf(2) };
}

async function fullCopy(tx: Tx, tenantId: string, request: LedgerRequest) {
  const ledger = new TenantLedger();
  const refresh = await fetchChanges(tx, tenantId, null, request);
  apply(ledger, refresh);
  const row = refresh.meta;
  if (!agrees(ledger, row.balances)) {
    throw new Error(
      'Ledger derivative out of line: open invoices do not add up to customer_open_balances ' +
        '(huikuan ledger verify lists every difference)',
    );
  }
  return { ledger, row };
}

/**
 * The organization's ledger copy, brought up to the statement's snapshot in one statement (two when the copy had
 * to be read again in full), with the caller's customer selection.
 *
 * Refreshes of a copy are serialised in this process, and under READ COMMITTED each refresh reads a newer snapshot
 * than the one before, so the copy only moves forward. A transaction that has itself changed settlements (it
 * wrote invoices, allocations or credit notes and then asks for a report) must not teach the shared copy what may
 * still roll back: it gets a private copy read in full instead.
 */
export async function ledgerView(
  tx: Tx,
  tenantId: string,
  request: LedgerRequest,
  cacheKey: object = keyOf(tx),
): Promise<LedgerView> {
  let byTenant = ledgers.get(cacheKey);
  if (!byTenant) {
    byTenant = new Map();
    ledgers.set(cacheKey, byTenant);
  }
  const tenants = byTenant;
  const shared = tenants.get(tenantId) ?? new TenantLedger();
  tenants.set(tenantId, shared);
  return exclusively(shared, async () => {
    const refresh = await fetchChanges(tx, tenantId, shared.watermark, request);
    const row = refresh.meta;
    if (row.own_changes) {
      // What this transaction wrote may still roll back: the shared copy does not learn it; a private copy answers.
      const own = await fullCopy(tx, tenantId, request);
      return viewOf(own.ledger, own.row);
    }
    apply(shared, refresh);
    if (agrees(shared, row.balances)) return viewOf(shared, row);
    // A copy that disagrees with the database's own totals is never reported from: read everything again.
    tenants.delete(tenantId);
    const fresh = await fullCopy(tx, tenantId, request);
    tenants.set(tenantId, fresh.ledger);
    return viewOf(fresh.ledger, fresh.row);
  });
}

/**
 * The identity of the database behind a transaction: a Kysely instance creates its dialect adapter once and every
 * transaction's executor carries that same adapter, so it identifies the database object (the pool, or the PGlite
 * instance) for as long as it lives.
 */
function keyOf(tx: Tx): object {
  return tx.getExecutor().adapter;
}
