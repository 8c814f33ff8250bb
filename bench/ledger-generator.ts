/**
 * A deterministic receivables ledger for the analytics benchmark, written by set-based SQL as the database owner.
 *
 * Every value follows from the row number through md5 (no random state): the same size gives the same ledger on
 * PostgreSQL and on PGlite, run after run. Rows are written straight into the tables, bypassing the API, in one
 * transaction with `session_replication_role = replica` (which turns off triggers, foreign-key checks included, for
 * that transaction only); `checkLedgerInvariants` then proves in one query that the result is a ledger the API
 * could have written. Invoice lines are not generated (no report reads them).
 *
 * Shape for N invoices and C customers (default C = N / 50), dated over the 1,096 days up to `anchor`:
 * - 8 regions with 4 sub-teams each (40 teams), a manager per region, 200 salespeople in the sub-teams;
 * - C customers (2% in USD, 3% with no owner or team), owners spread over the salespeople, each with a contract of
 *   four plan nodes; invoices pick customers with a skew (a few large accounts, a long tail);
 * - invoice terms 0–90 days; ~60% of invoices are meant to be paid, 70% of those in full, on a date from 30 days
 *   before to 90 days after the due date (paid only when that date is not after `anchor`): one receipt and one
 *   allocation each, 5% of receipts carrying 100.00 more than they apply (unapplied credit);
 * - 3% credit notes (10–29% of the invoice), write-offs of what is left on 10% of the unpaid invoices older than
 *   800 days, 0.5% of the untouched invoices voided, 0.2% of the payments reversed (allocation reversal, and for
 *   half of them the receipt reversal, on the same day), and a prepayment receipt for 1% of customers;
 * - then the settled amounts the ledger's triggers would have kept (migration 0010) are derived in one pass.
 */

export type LedgerSize = { invoices: number; customers: number };

export type ScriptRun = (text: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

/** A deterministic version-4-shaped uuid for (tag, n). */
function uuidOf(tag: string, n: string): string {
  return `overlay(overlay(md5('${tag}' || ${n}) placing '4' from 13) placing '8' from 17)::uuid`;
}

/** 28 bits of md5 `hash`, starting at hex digit `at` (1-based): 0 … 268,435,455. */
function bits(hash: string, at: number): string {
  return `('x' || substr(${hash}, ${at}, 7))::bit(28)::int`;
}

export const TEAMS_PER_REGION = 4;
export const REGIONS = 8;
export const SALESPEOPLE = 200;

/**
 * Writes the ledger for `tenantId` in one transaction; `log` gets a line per step. `anchor` is the last day with
 * activity ("today" of the benchmark).
 */
export async function generateLedger(
  run: ScriptRun,
  tenantId: string,
  size: LedgerSize,
  anchor: string,
  log: (line: string) => void,
): Promise<void> {
  const t = `'${tenantId}'::uuid`;
  const a = `'${anchor}'::date`;
  const N = size.invoices;
  const C = size.customers;
  const step = async (label: string, text: string) => {
    const started = performance.now();
    await run(text);
    log(`  ${label} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  };
  await run(`SET LOCAL session_replication_role = replica`);

  await step(
    `${REGIONS * (TEAMS_PER_REGION + 1)} teams, ${REGIONS} managers, ${SALESPEOPLE} salespeople`,
    `
    INSERT INTO teams (tenant_id, id, name, parent_id)
    SELECT ${t}, ${uuidOf('region', 'r')}, 'Region ' || r, NULL FROM generate_series(1, ${REGIONS}) r
    UNION ALL
    SELECT ${t}, ${uuidOf('team', 'k')}, 'Team ' || k, ${uuidOf('region', `((k - 1) / ${TEAMS_PER_REGION} + 1)`)}
    FROM generate_series(1, ${REGIONS * TEAMS_PER_REGION}) k;
    INSERT INTO users (tenant_id, id, email, name, role, team_id, password_hash)
    SELECT ${t}, ${uuidOf('manager', 'r')}, 'manager' || r || '@bench.test', 'Manager ' || r, 'sales_manager',
      ${uuidOf('region', 'r')}, 'not-a-hash'
    FROM generate_series(1, ${REGIONS}) r
    UNION ALL
    SELECT ${t}, ${uuidOf('sales', 's')}, 'sales' || s || '@bench.test', 'Salesperson ' || s, 'salesperson',
      ${uuidOf('team', `((s - 1) % ${REGIONS * TEAMS_PER_REGION} + 1)`)}, 'not-a-hash'
    FROM generate_series(1, ${SALESPEOPLE}) s;
    UPDATE teams SET manager_user_id = ${uuidOf('manager', 'substr(name, 8)')}
    WHERE tenant_id = ${t} AND parent_id IS NULL`,
  );

  // Customer k (1…C): owner salesperson (k % 200) + 1 in that salesperson's team; every 33rd has neither.
  await step(
    `${C.toLocaleString('en-US')} customers, contracts and ${(4 * C).toLocaleString('en-US')} plan nodes`,
    `
    INSERT INTO customers (tenant_id, id, code, name, owner_user_id, team_id, currency, payment_terms_days)
    SELECT ${t}, ${uuidOf('cust', 'k')}, 'C' || lpad(k::text, 6, '0'), '客户 ' || k || ' 有限公司',
      CASE WHEN k % 33 = 0 THEN NULL ELSE ${uuidOf('sales', `(k % ${SALESPEOPLE} + 1)`)} END,
      CASE WHEN k % 33 = 0 THEN NULL
        ELSE ${uuidOf('team', `((k % ${SALESPEOPLE}) % ${REGIONS * TEAMS_PER_REGION} + 1)`)} END,
      CASE WHEN k % 50 = 7 THEN 'USD' ELSE 'CNY' END, 30
    FROM generate_series(1, ${C}) k;
    INSERT INTO contracts (tenant_id, id, customer_id, number, title, amount_minor, currency, signed_on,
      payment_terms_days)
    SELECT ${t}, ${uuidOf('contract', 'k')}, ${uuidOf('cust', 'k')}, 'HT' || lpad(k::text, 6, '0'),
      'Contract ' || k, 400000000, CASE WHEN k % 50 = 7 THEN 'USD' ELSE 'CNY' END, ${a} - 1096, 30
    FROM generate_series(1, ${C}) k;
    INSERT INTO payment_plan_nodes (tenant_id, id, contract_id, seq, name, amount_minor, currency, due_trigger,
      due_date)
    SELECT ${t}, ${uuidOf('node', '(k * 4 + q)')}, ${uuidOf('contract', 'k')}, q, 'Node ' || q, 100000000,
      CASE WHEN k % 50 = 7 THEN 'USD' ELSE 'CNY' END, 'fixed_date', ${a} - 1096 + q * 270 - (k % 90)
    FROM generate_series(1, ${C}) k CROSS JOIN generate_series(1, 4) q`,
  );

  // The plan: every invoice's amounts, dates and fate, decided once from two md5 hashes of its number.
  await step(
    `plan of ${N.toLocaleString('en-US')} invoices`,
    `
    CREATE TEMP TABLE bench_plan ON COMMIT DROP AS
    WITH g AS (
      SELECT i, md5('a' || i) AS h, md5('b' || i) AS h2 FROM generate_series(1, ${N}) i
    ),
    d AS (
      SELECT i, h, h2,
        -- Skewed towards low customer numbers: the square of a uniform fraction.
        1 + floor(${C} * power(${bits('h', 1)} / 268435456.0, 2))::int AS k,
        ${a} - (${bits('h', 8)} % 1096) AS invoice_date,
        (ARRAY[0, 30, 30, 45, 60, 90])[${bits('h', 15)} % 6 + 1] AS terms,
        1000 + ${bits('h', 22)} % 5000000 AS subtotal,
        ${bits('h2', 1)} % 100 AS fate,
        ${bits('h2', 8)} AS r2,
        ${bits('h2', 15)} AS r3,
        ${bits('h2', 22)} AS r4
      FROM g
    ),
    e AS (
      SELECT d.*, subtotal * 13 / 100 AS tax, subtotal + subtotal * 13 / 100 AS total,
        invoice_date + terms AS due_date,
        invoice_date + greatest(0, terms + (r2 % 121) - 30) AS pay_on,
        CASE WHEN k % 50 = 7 THEN 'USD' ELSE 'CNY' END AS currency
      FROM d
    ),
    f AS (
      SELECT e.*,
        CASE WHEN r4 % 100 < 3 AND invoice_date + 5 <= ${a} THEN total * (10 + r4 % 20) / 100 ELSE 0 END AS credit
      FROM e
    ),
    p AS (
      SELECT f.*,
        CASE WHEN fate < 60 AND pay_on <= ${a}
          THEN CASE WHEN r3 % 10 < 7 THEN total - credit ELSE (total - credit) * (20 + r3 % 71) / 100 END
          ELSE 0 END AS paid
      FROM f
    )
    SELECT i, k, invoice_date, due_date, currency, subtotal, tax, total, credit, paid, pay_on,
      (r4 / 100) % 3 = 0 AS has_contract, 1 + (r4 / 300) % 4 AS seq,
      paid > 0 AND r2 % 20 = 0 AS overpaid,
      paid > 0 AND (r3 / 10) % 500 = 0 AND pay_on + 15 <= ${a} AS reversed,
      paid > 0 AND (r3 / 10) % 1000 = 0 AND pay_on + 15 <= ${a} AS receipt_reversed,
      paid = 0 AND credit = 0 AND fate >= 60 AND invoice_date <= ${a} - 800 AND (r3 / 10) % 10 = 0 AS written_off,
      paid = 0 AND credit = 0 AND fate >= 60 AND (r3 / 10) % 10 <> 0 AND (r3 / 100) % 200 = 0 AS voided,
      (r4 / 10000) % 20 AS void_after
    FROM p`,
  );
  await step(
    'invoices',
    `
    INSERT INTO invoices (tenant_id, id, customer_id, contract_id, plan_node_id, number, invoice_date, due_date,
      currency, subtotal_minor, tax_minor, total_minor, status, issued_at)
    SELECT ${t}, ${uuidOf('inv', 'i')}, ${uuidOf('cust', 'k')},
      CASE WHEN has_contract THEN ${uuidOf('contract', 'k')} END,
      CASE WHEN has_contract THEN ${uuidOf('node', '(k * 4 + seq)')} END,
      'INV' || lpad(i::text, 8, '0'), invoice_date, due_date, currency, subtotal, tax, total, 'issued',
      invoice_date::timestamptz
    FROM bench_plan`,
  );
  await step(
    'credit notes and write-offs',
    `
    INSERT INTO credit_notes (tenant_id, id, invoice_id, number, amount_minor, currency, issued_on, reason, status,
      kind)
    SELECT ${t}, ${uuidOf('cn', 'i')}, ${uuidOf('inv', 'i')}, 'CN' || lpad(i::text, 8, '0'), credit, currency,
      invoice_date + 5, 'Price adjustment', 'posted', 'credit_note'
    FROM bench_plan WHERE credit > 0
    UNION ALL
    SELECT ${t}, ${uuidOf('wo', 'i')}, ${uuidOf('inv', 'i')}, 'WO' || lpad(i::text, 8, '0'), total, currency,
      invoice_date + 760, 'Uncollectible', 'posted', 'write_off'
    FROM bench_plan WHERE written_off`,
  );
  await step(
    'voids',
    `
    INSERT INTO invoice_voids (tenant_id, invoice_id, voided_on, reason)
    SELECT ${t}, ${uuidOf('inv', 'i')}, least(${a}, invoice_date + void_after), 'Issued in error'
    FROM bench_plan WHERE voided`,
  );
  await step(
    'receipts',
    `
    INSERT INTO receipts (tenant_id, id, customer_id, received_on, amount_minor, currency, method, status,
      confirmed_at)
    SELECT ${t}, ${uuidOf('rc', 'i')}, ${uuidOf('cust', 'k')}, pay_on,
      paid + CASE WHEN overpaid THEN 10000 ELSE 0 END, currency, 'bank_transfer', 'confirmed', pay_on::timestamptz
    FROM bench_plan WHERE paid > 0
    UNION ALL
    SELECT ${t}, ${uuidOf('pre', 'k')}, ${uuidOf('cust', 'k')}, ${a} - (k % 700), 500000,
      CASE WHEN k % 50 = 7 THEN 'USD' ELSE 'CNY' END, 'bank_transfer', 'confirmed', ${a}::timestamptz
    FROM generate_series(1, ${C}) k WHERE k % 100 = 3`,
  );
  await step(
    'allocations and their reversals',
    `
    INSERT INTO allocations (tenant_id, id, receipt_id, invoice_id, amount_minor, currency, allocated_on,
      reverses_allocation_id, reason)
    SELECT ${t}, ${uuidOf('al', 'i')}, ${uuidOf('rc', 'i')}, ${uuidOf('inv', 'i')}, paid, currency, pay_on, NULL,
      NULL
    FROM bench_plan WHERE paid > 0
    UNION ALL
    SELECT ${t}, ${uuidOf('alr', 'i')}, ${uuidOf('rc', 'i')}, ${uuidOf('inv', 'i')}, -paid, currency, pay_on + 15,
      ${uuidOf('al', 'i')}, 'Applied to the wrong invoice'
    FROM bench_plan WHERE reversed;
    INSERT INTO receipt_reversals (tenant_id, receipt_id, reversed_on, reason)
    SELECT ${t}, ${uuidOf('rc', 'i')}, pay_on + 15, 'Bounced'
    FROM bench_plan WHERE receipt_reversed`,
  );
  // The load bypassed the triggers that keep settled amounts (migration 0010): derive them once, set-based.
  await step(
    'kept settlements, per-customer open totals and contract totals',
    `SELECT huikuan_rebuild_settlements(${t})`,
  );
}

export type InvariantReport = Record<string, number>;

/**
 * The ledger's invariants over everything in the tenant, in one query; every count must be zero. They are the
 * ones the API, the triggers and the deferred allocation check enforce, plus referential integrity (the load ran
 * without foreign-key triggers).
 */
export async function checkLedgerInvariants(run: ScriptRun, tenantId: string): Promise<InvariantReport> {
  const t = `'${tenantId}'::uuid`;
  const result = await run(`
    WITH cr AS (
      SELECT invoice_id, sum(amount_minor) AS amount FROM credit_notes
      WHERE tenant_id = ${t} AND status = 'posted' GROUP BY invoice_id
    ),
    al AS (
      SELECT invoice_id, sum(amount_minor) AS amount FROM allocations
      WHERE tenant_id = ${t} AND invoice_id IS NOT NULL GROUP BY invoice_id
    ),
    inv AS (
      SELECT i.id, i.total_minor, coalesce(cr.amount, 0) AS credited, coalesce(al.amount, 0) AS allocated,
        v.invoice_id IS NOT NULL AS is_void
      FROM invoices i
      LEFT JOIN cr ON cr.invoice_id = i.id
      LEFT JOIN al ON al.invoice_id = i.id
      LEFT JOIN invoice_voids v ON v.tenant_id = i.tenant_id AND v.invoice_id = i.id
      WHERE i.tenant_id = ${t}
    ),
    rc AS (
      SELECT r.id, r.amount_minor, coalesce(sum(a.amount_minor), 0) AS applied
      FROM receipts r LEFT JOIN allocations a ON a.tenant_id = r.tenant_id AND a.receipt_id = r.id
      WHERE r.tenant_id = ${t} GROUP BY r.id, r.amount_minor
    )
    SELECT
      (SELECT count(*) FROM inv WHERE credited + allocated > total_minor OR allocated < 0)::int
        AS invoices_over_settled,
      (SELECT count(*) FROM inv WHERE is_void AND (credited <> 0 OR allocated <> 0))::int AS voided_with_settlement,
      (SELECT count(*) FROM invoices WHERE tenant_id = ${t} AND (status <> 'issued' OR issued_at IS NULL
         OR total_minor <> subtotal_minor + tax_minor OR due_date < invoice_date))::int AS malformed_invoices,
      (SELECT count(*) FROM rc WHERE applied > amount_minor OR applied < 0)::int AS receipts_over_applied,
      (SELECT count(*) FROM allocations a
         JOIN receipts r ON r.tenant_id = a.tenant_id AND r.id = a.receipt_id
         JOIN invoices i ON i.tenant_id = a.tenant_id AND i.id = a.invoice_id
       WHERE a.tenant_id = ${t} AND (a.allocated_on < i.invoice_date OR a.allocated_on < r.received_on
         OR a.currency <> i.currency OR a.currency <> r.currency OR r.customer_id <> i.customer_id
         OR r.status <> 'confirmed'))::int AS inconsistent_allocations,
      (SELECT count(*) FROM allocations a
         LEFT JOIN receipts r ON r.tenant_id = a.tenant_id AND r.id = a.receipt_id
         LEFT JOIN invoices i ON i.tenant_id = a.tenant_id AND i.id = a.invoice_id
       WHERE a.tenant_id = ${t} AND (r.id IS NULL OR (a.invoice_id IS NOT NULL AND i.id IS NULL)))::int
        AS orphan_allocations,
      (SELECT count(*) FROM allocations a
         LEFT JOIN allocations o ON o.tenant_id = a.tenant_id AND o.id = a.reverses_allocation_id
       WHERE a.tenant_id = ${t} AND a.reverses_allocation_id IS NOT NULL
         AND (o.id IS NULL OR a.amount_minor <> -o.amount_minor OR a.allocated_on < o.allocated_on
           OR a.receipt_id <> o.receipt_id OR a.invoice_id IS DISTINCT FROM o.invoice_id))::int AS bad_reversals,
      (SELECT count(*) FROM receipt_reversals rr
       WHERE rr.tenant_id = ${t} AND (SELECT coalesce(sum(a.amount_minor), 0) FROM allocations a
         WHERE a.tenant_id = rr.tenant_id AND a.receipt_id = rr.receipt_id AND a.allocated_on <= rr.reversed_on) <> 0
      )::int AS reversed_receipts_still_applied,
      (SELECT count(*) FROM credit_notes cn
         LEFT JOIN invoices i ON i.tenant_id = cn.tenant_id AND i.id = cn.invoice_id
       WHERE cn.tenant_id = ${t} AND (i.id IS NULL OR cn.issued_on < i.invoice_date OR cn.currency <> i.currency))::int
        AS bad_credit_notes,
      (SELECT count(*) FROM invoices i
         LEFT JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
         LEFT JOIN payment_plan_nodes n ON n.tenant_id = i.tenant_id AND n.id = i.plan_node_id
       WHERE i.tenant_id = ${t} AND (c.id IS NULL OR c.currency <> i.currency
         OR (i.plan_node_id IS NOT NULL AND n.id IS NULL)))::int AS orphan_invoices,
      (SELECT count(*) FROM customers c
         LEFT JOIN users u ON u.tenant_id = c.tenant_id AND u.id = c.owner_user_id
         LEFT JOIN teams tm ON tm.tenant_id = c.tenant_id AND tm.id = c.team_id
       WHERE c.tenant_id = ${t} AND ((c.owner_user_id IS NOT NULL AND u.id IS NULL)
         OR (c.team_id IS NOT NULL AND tm.id IS NULL)))::int AS orphan_customers`);
  const row = result.rows[0] ?? {};
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)]));
}

/** Row counts per table, for the report. */
export async function ledgerCounts(run: ScriptRun, tenantId: string): Promise<Record<string, number>> {
  const t = `'${tenantId}'::uuid`;
  const tables = [
    'customers',
    'invoices',
    'credit_notes',
    'invoice_voids',
    'receipts',
    'receipt_reversals',
    'allocations',
    'payment_plan_nodes',
  ];
  const result = await run(
    `SELECT ${tables.map((table) => `(SELECT count(*) FROM ${table} WHERE tenant_id = ${t})::int AS ${table}`).join(', ')}`,
  );
  const row = result.rows[0] ?? {};
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)]));
}
