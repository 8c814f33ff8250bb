import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../platform/db';
import { NO_DAY } from '../aging/ledger-cache';

/**
 * An in-process copy of one organization's payment plan nodes (回款节点) and of what each received, for plan
 * completion (回款完成率): the nodes due in a period and what they had received by its end. Reading that from the
 * documents takes seconds at a million invoices (every allocation of every invoice raised against a node due in
 * the periods, bench/README.md); a loop over this copy takes a millisecond or two.
 *
 * What a node received follows planNodeReceivedAsOf (receipts/balances.ts): every allocation naming the node,
 * with or without an invoice, and every allocation to an invoice raised against the node that names no node.
 * Allocations are append-only and an issued invoice never changes its node, so the copy holds them by *source*,
 * each re-read whole whenever it may have changed (never added to, so reading a source twice is harmless):
 * - an invoice (its `invoice_settlements.seq`): all its allocations, each attributed to coalesce(allocation's node,
 *   invoice's node); the ledger's triggers move the row's `changed_xid` with every allocation to the invoice;
 * - a node: the allocations naming it without an invoice (prepayments on the node), found by their xmin.
 * Nodes are re-read by contract whenever a node or the contract row is newer than the watermark (xmin), so a
 * replaced plan (nodes deleted and inserted) drops the deleted ones.
 *
 * It is kept current by one statement per report, the way aging/ledger-cache.ts keeps the ledger copy: whatever
 * changed at or after the xmin of the previous refresh's snapshot is read again (every transaction below that
 * xmin had finished, so nothing is missed). Checks against the database on every refresh: the number of nodes
 * (a deleted node leaves no row to find) and, for every invoice read again, the sum of its allocations against
 * the settled amount its settlements row keeps; a copy out of line is read again in full, and if it still
 * disagrees the report fails. Record scope and filters are never answered from this copy: the caller's customer
 * selection comes from the ledger copy's refresh, computed in SQL under row-level security.
 *
 * A transaction that has written anything (it has a transaction id) gets no copy: what it wrote may still roll
 * back, and a deleted node leaves nothing such a transaction could see. Its report reads the plan from SQL.
 *
 * Amounts are exact integers in Float64Array under the ledger copy's discipline (docs/adr/0002): every amount is
 * checked to be a safe integer and the sum of the absolute values of everything held stays below 2^53.
 */

const SAFE_TOTAL = Number.MAX_SAFE_INTEGER;
/** Lines per text field of the refresh's answer: a first load is a quarter of a million lines. */
const CHUNK_LINES = 20_000;
/** A watermark this many transactions old is not compared through 32-bit ages any more: the copy is read anew. */
const STALE_AFTER_XIDS = 1_073_741_824;

function grow<T extends Float64Array | Int32Array | Uint8Array>(array: T, size: number): T {
  if (array.length >= size) return array;
  const next = new (array.constructor as new (length: number) => T)(Math.max(size, array.length * 2, 1024));
  next.set(array);
  return next;
}

export class PlanCopyOutOfLine extends Error {}

/** One organization's copy. Node slots are plan nodes; movements are the allocations they received. */
export class TenantPlans {
  /** Node slots (a deleted node's slot stays, not live, until compacted). */
  nodeCount = 0;
  liveNodes = 0;
  ids: string[] = [];
  slotOfId = new Map<string, number>();
  contractOf: string[] = [];
  customerOf: string[] = [];
  currencies: string[] = [];
  currency = new Uint8Array(0);
  amount = new Float64Array(0);
  /** NO_DAY while the node has no due date (its event has not happened). */
  dueDay = new Int32Array(0);
  live = new Uint8Array(0);
  slotsOfContract = new Map<string, Set<number>>();
  /** Bumped by every change of the nodes (what is derived from them per ledger copy is kept while it stands). */
  nodesVersion = 0;

  /** Sources ('i' + invoice seq, 'n' + node id) and their generation: a movement counts while it is its source's. */
  sourceIndex = new Map<string, number>();
  sourceGeneration = new Int32Array(0);
  movementCount = 0;
  liveMovements = 0;
  mNode = new Int32Array(0);
  mDay = new Int32Array(0);
  mAmount = new Float64Array(0);
  mSource = new Int32Array(0);
  mGeneration = new Int32Array(0);

  magnitude = 0;
  /** xmin of the last refresh's snapshot (xid8 as text), or null before the first load. */
  watermark: string | null = null;

  private addMagnitude(amount: number): void {
    if (!Number.isSafeInteger(amount)) throw new Error(`plan copy: amount ${amount} is not a safe integer`);
    this.magnitude += Math.abs(amount);
    if (this.magnitude > SAFE_TOTAL) {
      throw new Error(
        'plan copy: the organization’s amounts exceed 2^53 minor units; exact sums are not possible',
      );
    }
  }

  private currencyIndex(code: string): number {
    let index = this.currencies.indexOf(code);
    if (index === -1) {
      index = this.currencies.length;
      this.currencies.push(code);
    }
    return index;
  }

  /** Forgets the nodes of a contract that is read again (the ones still there come back through putNode). */
  dropContract(contractId: string): void {
    for (const slot of this.slotsOfContract.get(contractId) ?? []) {
      if (this.live[slot] === 1) this.liveNodes -= 1;
      this.live[slot] = 0;
    }
    this.slotsOfContract.delete(contractId);
    this.nodesVersion += 1;
  }

  putNode(node: {
    id: string;
    contractId: string;
    customerId: string;
    currency: string;
    amount: number;
    dueDay: number;
  }): void {
    let slot = this.slotOfId.get(node.id);
    if (slot === undefined) {
      slot = this.nodeCount;
      this.nodeCount += 1;
      this.currency = grow(this.currency, this.nodeCount);
      this.amount = grow(this.amount, this.nodeCount);
      this.dueDay = grow(this.dueDay, this.nodeCount);
      this.live = grow(this.live, this.nodeCount);
      this.slotOfId.set(node.id, slot);
      this.ids[slot] = node.id;
    }
    if (this.live[slot] !== 1) this.liveNodes += 1;
    this.live[slot] = 1;
    this.contractOf[slot] = node.contractId;
    this.customerOf[slot] = node.customerId;
    this.currency[slot] = this.currencyIndex(node.currency);
    this.amount[slot] = node.amount;
    this.dueDay[slot] = node.dueDay;
    const slots = this.slotsOfContract.get(node.contractId) ?? new Set<number>();
    slots.add(slot);
    this.slotsOfContract.set(node.contractId, slots);
    this.addMagnitude(node.amount);
    this.nodesVersion += 1;
  }

  /** Starts a source afresh: its earlier movements stop counting. */
  renewSource(key: string): void {
    const index = this.sourceIndex.get(key);
    if (index !== undefined) this.sourceGeneration[index] = (this.sourceGeneration[index] ?? 0) + 1;
  }

  addMovement(sourceKey: string, nodeId: string, day: number, amount: number): void {
    const node = this.slotOfId.get(nodeId);
    if (node === undefined || this.live[node] !== 1) {
      throw new PlanCopyOutOfLine(`plan copy: an allocation names plan node ${nodeId}, which the copy lacks`);
    }
    let source = this.sourceIndex.get(sourceKey);
    if (source === undefined) {
      source = this.sourceIndex.size;
      this.sourceIndex.set(sourceKey, source);
      this.sourceGeneration = grow(this.sourceGeneration, source + 1);
    }
    const index = this.movementCount;
    this.movementCount += 1;
    this.mNode = grow(this.mNode, this.movementCount);
    this.mDay = grow(this.mDay, this.movementCount);
    this.mAmount = grow(this.mAmount, this.movementCount);
    this.mSource = grow(this.mSource, this.movementCount);
    this.mGeneration = grow(this.mGeneration, this.movementCount);
    this.mNode[index] = node;
    this.mDay[index] = day;
    this.mAmount[index] = amount;
    this.mSource[index] = source;
    this.mGeneration[index] = this.sourceGeneration[source] ?? 0;
    this.liveMovements += 1;
    this.addMagnitude(amount);
  }

  isLive(movement: number): boolean {
    return this.mGeneration[movement] === this.sourceGeneration[this.mSource[movement] ?? 0];
  }

  /** Drops superseded movements once they are the majority (a source read again leaves its old ones behind). */
  compact(): void {
    let live = 0;
    for (let m = 0; m < this.movementCount; m += 1) if (this.isLive(m)) live += 1;
    this.liveMovements = live;
    if (this.movementCount - live <= live) return;
    let next = 0;
    for (let m = 0; m < this.movementCount; m += 1) {
      if (!this.isLive(m)) continue;
      this.mNode[next] = this.mNode[m] ?? 0;
      this.mDay[next] = this.mDay[m] ?? 0;
      this.mAmount[next] = this.mAmount[m] ?? 0;
      this.mSource[next] = this.mSource[m] ?? 0;
      this.mGeneration[next] = this.mGeneration[m] ?? 0;
      next += 1;
    }
    this.movementCount = next;
  }
}

type RefreshRow = {
  part: number;
  chunk: string | null;
  xmin: string | null;
  stale: boolean | null;
  has_xid: boolean | null;
  node_count: string | null;
  unbalanced: string | null;
};

const PART_META = 0;
const PART_CONTRACTS = 1;
const PART_NODES = 2;
const PART_INVOICE_SOURCES = 3;
const PART_INVOICE_MOVEMENTS = 4;
const PART_NODE_SOURCES = 5;
const PART_NODE_MOVEMENTS = 6;

/** Lines of `relation` (one text column `line`) as rows (part, chunk) of at most CHUNK_LINES lines each. */
function chunked(part: number, relation: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`SELECT ${sql.lit(part)} AS part, string_agg(l.line, E'\n') AS chunk,
      NULL::text, NULL::boolean, NULL::boolean, NULL::text, NULL::text
    FROM (SELECT r.line, (row_number() OVER ()) / ${sql.lit(CHUNK_LINES)} AS chunk_no FROM (${relation}) r) l
    GROUP BY l.chunk_no`;
}

const DAY_ZERO = sql`DATE '1970-01-01'`;

function nodeLines(source: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`SELECT concat_ws(',', n.id, n.contract_id, k.customer_id, n.currency, n.amount_minor,
      coalesce((n.due_date - ${DAY_ZERO})::text, '')) AS line
    FROM ${source}`;
}

/** Everything: a first load, or a copy read again after a check failed. */
function fullStatement(tenantId: string): RawBuilder<RefreshRow> {
  return sql<RefreshRow>`
    WITH snap AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin8),
    node_rows AS MATERIALIZED (
      ${nodeLines(sql`payment_plan_nodes n JOIN contracts k ON k.tenant_id = n.tenant_id AND k.id = n.contract_id
        WHERE n.tenant_id = ${tenantId}`)}
    )
    SELECT ${sql.lit(PART_META)} AS part, NULL::text AS chunk, snap.xmin8::text AS xmin, false AS stale,
      pg_current_xact_id_if_assigned() IS NOT NULL AS has_xid,
      (SELECT count(*) FROM node_rows)::text AS node_count, '0' AS unbalanced
    FROM snap
    UNION ALL ${chunked(PART_NODES, sql`SELECT line FROM node_rows`)}
    UNION ALL ${chunked(
      PART_INVOICE_MOVEMENTS,
      sql`SELECT concat_ws(',', s.seq, coalesce(a.plan_node_id, s.plan_node_id), a.allocated_on - ${DAY_ZERO},
          a.amount_minor) AS line
        FROM allocations a JOIN invoice_settlements s ON s.tenant_id = a.tenant_id AND s.invoice_id = a.invoice_id
        WHERE a.tenant_id = ${tenantId} AND coalesce(a.plan_node_id, s.plan_node_id) IS NOT NULL`,
    )}
    UNION ALL ${chunked(
      PART_NODE_MOVEMENTS,
      sql`SELECT concat_ws(',', a.plan_node_id, a.allocated_on - ${DAY_ZERO}, a.amount_minor) AS line
        FROM allocations a
        WHERE a.tenant_id = ${tenantId} AND a.invoice_id IS NULL AND a.plan_node_id IS NOT NULL`,
    )}
    ORDER BY 1`;
}

/**
 * What changed at or after `watermark` (an xid8). Rows are found newer than the watermark through age(xmin) ≤
 * age(watermark): both are taken against the same transaction id, stable within the transaction, so the
 * comparison orders 32-bit xmins correctly while everything involved lies within 2^31 transactions of it (the
 * statement reports `stale` beyond 2^30, and the copy is read anew). age() avoids converting every row's xmin to
 * text, which triples the cost of the scan of the nodes.
 */
function changesStatement(tenantId: string, watermark: string): RawBuilder<RefreshRow> {
  const watermark32 = (BigInt(watermark) % 4_294_967_296n).toString();
  const newer = (alias: string) =>
    sql`age(${sql.ref(`${alias}.xmin`)}) <= (SELECT snap.watermark_age FROM snap)`;
  return sql<RefreshRow>`
    WITH snap AS MATERIALIZED (
      SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin8, pg_snapshot_xmax(pg_current_snapshot()) AS xmax8,
        age(${watermark32}::xid) AS watermark_age,
        pg_snapshot_xmax(pg_current_snapshot())::text::numeric - ${watermark}::numeric
          >= ${sql.lit(STALE_AFTER_XIDS)} AS stale
    ),
    -- One pass over the nodes: how many there are (deletions leave no row), and the contracts of those written since.
    node_scan AS MATERIALIZED (
      SELECT count(*) AS node_count,
        coalesce(array_agg(DISTINCT n.contract_id) FILTER (WHERE ${newer('n')}), '{}') AS contracts
      FROM payment_plan_nodes n WHERE n.tenant_id = ${tenantId}
    ),
    changed_contracts AS MATERIALIZED (
      SELECT unnest(node_scan.contracts) AS id FROM node_scan
      UNION
      SELECT k.id FROM contracts k WHERE k.tenant_id = ${tenantId} AND ${newer('k')}
    ),
    changed_invoices AS MATERIALIZED (
      SELECT s.seq, s.invoice_id, s.plan_node_id, s.allocated_minor FROM invoice_settlements s, snap
      WHERE s.tenant_id = ${tenantId} AND s.changed_xid >= ${watermark}::xid8 AND s.changed_xid < snap.xmax8
    ),
    invoice_allocations AS MATERIALIZED (
      SELECT ci.seq, coalesce(a.plan_node_id, ci.plan_node_id) AS node_id, a.allocated_on, a.amount_minor
      FROM changed_invoices ci JOIN allocations a ON a.tenant_id = ${tenantId} AND a.invoice_id = ci.invoice_id
    ),
    node_sources AS MATERIALIZED (
      SELECT DISTINCT a.plan_node_id AS node_id FROM allocations a
      WHERE a.tenant_id = ${tenantId} AND a.plan_node_id IS NOT NULL AND a.invoice_id IS NULL AND ${newer('a')}
    )
    SELECT ${sql.lit(PART_META)} AS part, NULL::text AS chunk, snap.xmin8::text AS xmin, snap.stale,
      pg_current_xact_id_if_assigned() IS NOT NULL AS has_xid,
      (SELECT node_scan.node_count FROM node_scan)::text AS node_count,
      (SELECT count(*) FROM changed_invoices ci
        WHERE ci.allocated_minor <> coalesce((SELECT sum(ia.amount_minor) FROM invoice_allocations ia
          WHERE ia.seq = ci.seq), 0))::text AS unbalanced
    FROM snap
    UNION ALL ${chunked(PART_CONTRACTS, sql`SELECT id::text AS line FROM changed_contracts`)}
    UNION ALL ${chunked(
      PART_NODES,
      nodeLines(sql`changed_contracts cc
        JOIN contracts k ON k.tenant_id = ${tenantId} AND k.id = cc.id
        JOIN payment_plan_nodes n ON n.tenant_id = ${tenantId} AND n.contract_id = cc.id`),
    )}
    UNION ALL ${chunked(PART_INVOICE_SOURCES, sql`SELECT seq::text AS line FROM changed_invoices`)}
    UNION ALL ${chunked(
      PART_INVOICE_MOVEMENTS,
      sql`SELECT concat_ws(',', ia.seq, ia.node_id, ia.allocated_on - ${DAY_ZERO}, ia.amount_minor) AS line
        FROM invoice_allocations ia WHERE ia.node_id IS NOT NULL`,
    )}
    UNION ALL ${chunked(PART_NODE_SOURCES, sql`SELECT node_id::text AS line FROM node_sources`)}
    UNION ALL ${chunked(
      PART_NODE_MOVEMENTS,
      sql`SELECT concat_ws(',', a.plan_node_id, a.allocated_on - ${DAY_ZERO}, a.amount_minor) AS line
        FROM allocations a
        WHERE a.tenant_id = ${tenantId} AND a.invoice_id IS NULL
          AND a.plan_node_id IN (SELECT node_id FROM node_sources)`,
    )}
    ORDER BY 1`;
}

type Refresh = { meta: RefreshRow; lines: (part: number) => string[] };

async function fetchRefresh(tx: Tx, statement: RawBuilder<RefreshRow>): Promise<Refresh> {
  const result = await statement.execute(tx);
  const meta = result.rows.find((row) => row.part === PART_META);
  if (!meta) throw new Error('plan copy: the refresh statement returned nothing');
  const lines = (part: number) =>
    result.rows
      .filter((row) => row.part === part && row.chunk !== null)
      .flatMap((row) => (row.chunk ?? '').split('\n'));
  return { meta, lines };
}

function integer(text: string | undefined, what: string): number {
  const value = Number(text);
  if (text === undefined || text === '' || !Number.isSafeInteger(value)) {
    throw new Error(`plan copy: bad ${what} ${String(text)}`);
  }
  return value;
}

function apply(plans: TenantPlans, refresh: Refresh): void {
  for (const contractId of refresh.lines(PART_CONTRACTS)) plans.dropContract(contractId);
  for (const line of refresh.lines(PART_NODES)) {
    const [id = '', contractId = '', customerId = '', currency = '', amount, due] = line.split(',');
    plans.putNode({
      id,
      contractId,
      customerId,
      currency: currency.trim(),
      amount: integer(amount, 'node amount'),
      dueDay: due === '' ? NO_DAY : integer(due, 'due date'),
    });
  }
  for (const seq of refresh.lines(PART_INVOICE_SOURCES)) plans.renewSource(`i${seq}`);
  for (const line of refresh.lines(PART_INVOICE_MOVEMENTS)) {
    const [seq, nodeId = '', day, amount] = line.split(',');
    plans.addMovement(`i${integer(seq, 'seq')}`, nodeId, integer(day, 'date'), integer(amount, 'amount'));
  }
  for (const nodeId of refresh.lines(PART_NODE_SOURCES)) plans.renewSource(`n${nodeId}`);
  for (const line of refresh.lines(PART_NODE_MOVEMENTS)) {
    const [nodeId = '', day, amount] = line.split(',');
    plans.addMovement(`n${nodeId}`, nodeId, integer(day, 'date'), integer(amount, 'amount'));
  }
  plans.compact();
  plans.watermark = refresh.meta.xmin;
}

/** Whether the copy agrees with what the refresh statement counted in the database. */
function agrees(plans: TenantPlans, meta: RefreshRow): boolean {
  return plans.liveNodes === Number(meta.node_count) && meta.unbalanced === '0';
}

async function fullCopy(tx: Tx, tenantId: string): Promise<TenantPlans | null> {
  const refresh = await fetchRefresh(tx, fullStatement(tenantId));
  if (refresh.meta.has_xid === true) return null;
  const plans = new TenantPlans();
  apply(plans, refresh);
  if (!agrees(plans, refresh.meta)) {
    throw new Error(
      'Plan derivative out of line: the plan copy read in full disagrees with payment_plan_nodes ' +
        '(huikuan ledger verify lists ledger differences)',
    );
  }
  return plans;
}

/** One copy per database (connection pool or PGlite instance) and organization. */
const copies = new WeakMap<object, Map<string, TenantPlans>>();
/** Work on one organization's copy runs one piece at a time, so a copy only ever moves forward. */
const queues = new WeakMap<Map<string, TenantPlans>, Map<string, Promise<unknown>>>();

function queueOf(tenants: Map<string, TenantPlans>): Map<string, Promise<unknown>> {
  let queue = queues.get(tenants);
  if (!queue) {
    queue = new Map();
    queues.set(tenants, queue);
  }
  return queue;
}

async function exclusively<T>(
  tenants: Map<string, TenantPlans>,
  tenantId: string,
  work: () => Promise<T>,
): Promise<T> {
  const queue = queueOf(tenants);
  const run = (queue.get(tenantId) ?? Promise.resolve()).then(work, work);
  queue.set(
    tenantId,
    run.catch(() => undefined),
  );
  return run;
}

/** The copy brought up to this statement's snapshot, or null for a transaction that has written anything. */
async function refreshed(
  tx: Tx,
  tenants: Map<string, TenantPlans>,
  tenantId: string,
): Promise<TenantPlans | null> {
  const shared = tenants.get(tenantId);
  if (shared?.watermark == null) {
    const fresh = await fullCopy(tx, tenantId);
    if (fresh) tenants.set(tenantId, fresh);
    return fresh;
  }
  const refresh = await fetchRefresh(tx, changesStatement(tenantId, shared.watermark));
  if (refresh.meta.has_xid === true) return null;
  // Whatever happens next, a copy that was not brought fully in line is never used again.
  tenants.delete(tenantId);
  if (refresh.meta.stale !== true) {
    let applied = false;
    try {
      apply(shared, refresh);
      applied = true;
    } catch (error) {
      if (!(error instanceof PlanCopyOutOfLine)) throw error;
    }
    // Replaced plans leave the slots of their deleted nodes behind: once they are the majority, start afresh.
    const compact = shared.nodeCount - shared.liveNodes <= shared.liveNodes;
    if (applied && compact && agrees(shared, refresh.meta)) {
      tenants.set(tenantId, shared);
      return shared;
    }
  }
  // Out of line, too old to compare or mostly deleted nodes: read everything again.
  const fresh = await fullCopy(tx, tenantId);
  if (fresh) tenants.set(tenantId, fresh);
  return fresh;
}

/**
 * Runs `work` with the organization's plan copy brought up to date (one statement; two when it had to be read
 * again in full), or with null when the transaction has written anything (the caller then reads the plan from
 * SQL). Nothing else refreshes the copy until `work` has finished, so everything `work` reads after its own
 * statements (the ledger copy's refresh runs later and sees at least every customer the plan copy names) stays
 * as this refresh left it.
 */
export async function withPlanCopy<T>(
  tx: Tx,
  tenantId: string,
  work: (plans: TenantPlans | null) => Promise<T>,
): Promise<T> {
  const key = tx.getExecutor().adapter;
  let tenants = copies.get(key);
  if (!tenants) {
    tenants = new Map();
    copies.set(key, tenants);
  }
  const byTenant = tenants;
  return exclusively(byTenant, tenantId, async () => work(await refreshed(tx, byTenant, tenantId)));
}
