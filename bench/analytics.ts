/**
 * Benchmark: aging, provision and KPIs over a generated million-invoice ledger, through the real HTTP API
 * (buildApp listening on loopback, bearer token, response schemas and all), on PostgreSQL and on PGlite, each
 * time compared with a plain TypeScript scan of the same open items held in typed arrays. Not part of `npm test`:
 *
 *   npm run bench                                    # 1,000,000 invoices, PostgreSQL (if reachable) and PGlite
 *   npm run bench -- --invoices 100000 --runs 5      # smaller, for quick iterations
 *   npm run bench -- --engine pg --reuse             # keep the generated database and reuse it next time
 *
 * PostgreSQL: BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres; a database named after the
 * size is created (and dropped afterwards unless --reuse). PGlite: a data directory under the OS temp dir (kept
 * with --reuse). See bench/README.md for what the ledger looks like and the results.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { addDays, DEFAULT_AGING_SETTINGS, type CalendarDate } from '@huikuan/core';
import pg from 'pg';
import { sql } from 'kysely';
import { buildApp } from '../server/src/app';
import { CLI_AUDIT } from '../server/src/cli/organization-commands';
import { openItemsCte } from '../server/src/modules/aging/open-items';
import { createApiToken } from '../server/src/modules/api-tokens/api-tokens';
import { createOrganizationIn } from '../server/src/modules/organization/create-organization';
import type { Clock } from '../server/src/platform/clock';
import { loadConfig } from '../server/src/platform/config';
import { openDatabase, type Database } from '../server/src/platform/db';
import { migrate } from '../server/src/platform/migrate';
import type { Actor } from '../server/src/platform/request-context';
import { getOverHttp } from './http-get';
import { checkLedgerInvariants, generateLedger, ledgerCounts } from './ledger-generator';

const { values: options } = parseArgs({
  options: {
    invoices: { type: 'string', default: '1000000' },
    customers: { type: 'string' },
    runs: { type: 'string', default: '7' },
    engine: { type: 'string', default: 'both' },
    reuse: { type: 'boolean', default: false },
  },
});
const INVOICES = Number(options.invoices);
const CUSTOMERS = Number(options.customers ?? Math.max(100, Math.round(INVOICES / 50)));
const RUNS = Number(options.runs);
if (!Number.isInteger(INVOICES) || INVOICES < 1000 || !Number.isInteger(CUSTOMERS) || !(RUNS >= 1)) {
  throw new Error('--invoices (≥ 1000), --customers and --runs must be whole numbers');
}
if (!['pg', 'pglite', 'both'].includes(options.engine ?? ''))
  throw new Error('--engine is pg, pglite or both');

/** The benchmark's "today": every generated date is on or before it, and the API's clock says it is this day. */
const ANCHOR = '2026-11-22' as CalendarDate;
const clock: Clock = { now: () => new Date(`${ANCHOR}T04:00:00Z`) };
const SLUG = 'bench-analytics';
const log = (line: string) => process.stderr.write(`${line}\n`);

type Target = { pg?: number; pglite?: number };
type Call = { name: string; url: string; target: Target };

function median(sorted: readonly number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Nearest-rank percentile. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function timeRuns(runs: number, work: () => Promise<void>): Promise<number[]> {
  await work(); // warm-up: plans, caches, JIT of the JavaScript side
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

/** Creates the organization and its ledger unless `reuse` finds one of the same size. Returns the tenant id. */
async function prepareLedger(
  db: Database,
  url: string | null,
  label: string,
  reuse: boolean,
): Promise<string> {
  await migrate(db);
  const existing = await db.system((tx) =>
    tx.selectFrom('organizations').select('tenant_id').where('slug', '=', SLUG).executeTakeFirst(),
  );
  if (existing && reuse) {
    const counts = await db.script((run) => ledgerCounts(run, existing.tenant_id));
    if (counts.invoices === INVOICES && counts.customers === CUSTOMERS) {
      log(`${label}: reusing the generated ledger (${INVOICES.toLocaleString('en-US')} invoices)`);
      await analyze(db, url);
      return existing.tenant_id;
    }
    throw new Error(`${label}: ${SLUG} exists with another size; drop it or run without --reuse`);
  }
  const organization = await db.system((tx) =>
    createOrganizationIn(
      tx,
      {
        name: 'Bench Analytics',
        slug: SLUG,
        baseCurrency: 'CNY',
        timezone: 'Asia/Shanghai',
        locale: 'zh-CN',
      },
      CLI_AUDIT,
    ),
  );
  const tenantId = organization.tenant_id;
  log(
    `${label}: generating ${INVOICES.toLocaleString('en-US')} invoices over ${CUSTOMERS.toLocaleString('en-US')} customers`,
  );
  const started = performance.now();
  await db.script((run) =>
    generateLedger(run, tenantId, { invoices: INVOICES, customers: CUSTOMERS }, ANCHOR, log),
  );
  log(`  committed (${((performance.now() - started) / 1000).toFixed(1)} s in all)`);
  const vacuumStarted = performance.now();
  await analyze(db, url, true);
  log(`  VACUUM ANALYZE (${((performance.now() - vacuumStarted) / 1000).toFixed(1)} s)`);
  const checkStarted = performance.now();
  const invariants = await db.script((run) => checkLedgerInvariants(run, tenantId));
  const broken = Object.entries(invariants).filter(([, count]) => count !== 0);
  if (broken.length > 0) throw new Error(`${label}: ledger invariants broken: ${JSON.stringify(invariants)}`);
  log(
    `  ledger invariants hold, checked in one query (${((performance.now() - checkStarted) / 1000).toFixed(1)} s)`,
  );
  return tenantId;
}

/** VACUUM (after a bulk load, so index-only scans see an up-to-date visibility map) and fresh statistics. */
async function analyze(db: Database, url: string | null, vacuum = false): Promise<void> {
  const statement = vacuum ? 'VACUUM ANALYZE' : 'ANALYZE';
  if (db.pglite) {
    await db.pglite.exec(statement);
    return;
  }
  const client = new pg.Client({ connectionString: url ?? undefined });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** An admin of the benchmark organization and a read-only API token for it. */
async function bearerFor(db: Database, tenantId: string): Promise<string> {
  const userId = await db.system(async (tx) => {
    const row = await tx
      .selectFrom('users')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('email', '=', 'admin@bench.test')
      .executeTakeFirst();
    if (row) return row.id;
    const created = await tx
      .insertInto('users')
      .values({
        tenant_id: tenantId,
        email: 'admin@bench.test',
        name: 'Bench admin',
        role: 'admin',
        password_hash: 'x',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return created.id;
  });
  const actor: Actor = {
    tenantId,
    userId,
    role: 'admin',
    teamIds: [],
    tokenId: null,
    tokenScopes: null,
    sessionId: null,
    csrfToken: null,
    requestId: 'bench',
    ip: '127.0.0.1',
  };
  const deps = { db, clock, config: loadConfig({}, {}), version: 'bench' };
  const { secret } = await createApiToken(deps, actor, {
    name: `bench-${randomBytes(3).toString('hex')}`,
    scopes: ['read'],
  });
  return secret;
}

type OpenItems = { dueDay: Int32Array; openMinor: Float64Array; customer: Int32Array; customers: number };

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);

/** Today's open items (the aging query's own CTE, loaded once) as typed columns. */
async function loadOpenItems(db: Database, tenantId: string): Promise<OpenItems> {
  const rows = await db.tenant(tenantId, async (tx) => {
    const result = await sql<{ customer_id: string; due_date: string; open_minor: bigint }>`
      ${openItemsCte(tenantId, ANCHOR, 'due_date', { kind: 'all' })}
      SELECT customer_id, due_date, open_minor FROM open_items`.execute(tx);
    return result.rows;
  });
  const customerIndex = new Map<string, number>();
  const items: OpenItems = {
    dueDay: new Int32Array(rows.length),
    openMinor: new Float64Array(rows.length),
    customer: new Int32Array(rows.length),
    customers: 0,
  };
  rows.forEach((row, index) => {
    let customer = customerIndex.get(row.customer_id);
    if (customer === undefined) {
      customer = customerIndex.size;
      customerIndex.set(row.customer_id, customer);
    }
    items.dueDay[index] = dayNumber(row.due_date);
    items.openMinor[index] = Number(row.open_minor); // exact: every sum stays far below 2^53 minor units
    items.customer[index] = customer;
  });
  items.customers = customerIndex.size;
  return items;
}

/** Aging by customer in a plain loop: days past due → bucket → per-customer sums. Returns the grand total. */
function scanOpenItems(items: OpenItems, asOfDay: number, bounds: readonly number[]): number {
  const width = bounds.length + 1;
  const sums = new Float64Array(items.customers * width);
  const { dueDay, openMinor, customer } = items;
  for (let index = 0; index < dueDay.length; index += 1) {
    const daysPastDue = asOfDay - (dueDay[index] ?? 0);
    let bucket = 0;
    while (bucket < bounds.length && daysPastDue > (bounds[bucket] ?? 0)) bucket += 1;
    const slot = (customer[index] ?? 0) * width + bucket;
    sums[slot] = (sums[slot] ?? 0) + (openMinor[index] ?? 0);
  }
  let total = 0;
  for (const value of sums) total += value;
  return total;
}

type Result = { name: string; median: number; p95: number; target: number | undefined };

async function measureEngine(label: string, engine: 'pg' | 'pglite', db: Database, tenantId: string) {
  const config = loadConfig({}, { logLevel: 'silent', webDistDir: '/nonexistent' });
  const app = await buildApp({ db, clock, config, version: 'bench' });
  await app.ready();
  const origin = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const token = await bearerFor(db, tenantId);
    const ids = await db.tenant(tenantId, async (tx) => {
      const customer = await tx
        .selectFrom('customers')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('code', '=', 'C000001')
        .executeTakeFirstOrThrow();
      const salesperson = await tx
        .selectFrom('users')
        .select(['id', 'team_id'])
        .where('tenant_id', '=', tenantId)
        .where('email', '=', 'sales1@bench.test')
        .executeTakeFirstOrThrow();
      const region = await tx
        .selectFrom('teams')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('name', '=', 'Region 1')
        .executeTakeFirstOrThrow();
      return { customer: customer.id, salesperson: salesperson.id, region: region.id };
    });

    const loadStarted = performance.now();
    const items = await loadOpenItems(db, tenantId);
    log(
      `${label}: ${items.dueDay.length.toLocaleString('en-US')} open items over ${items.customers.toLocaleString('en-US')} customers loaded into typed arrays (${((performance.now() - loadStarted) / 1000).toFixed(1)} s)`,
    );
    const bounds = DEFAULT_AGING_SETTINGS.bucketBoundsDays;
    let scanTotal = 0;
    const scanTimes = await timeRuns(Math.max(RUNS, 20), () => {
      scanTotal = scanOpenItems(items, dayNumber(ANCHOR), bounds);
      return Promise.resolve();
    });
    const scanMedian = median(scanTimes);

    const yearBack = addDays(ANCHOR, -365);
    const monthStart = `${ANCHOR.slice(0, 8)}01`;
    const calls: Call[] = [
      { name: 'aging, today, by customer', url: '/api/aging', target: { pg: 100, pglite: 250 } },
      { name: 'aging, a year back', url: `/api/aging?asOf=${yearBack}`, target: { pg: 1000 } },
      { name: 'aging, today, by salesperson', url: '/api/aging?by=salesperson', target: { pg: 150 } },
      {
        name: 'aging, today, one region (filter)',
        url: `/api/aging?teamId=${ids.region}&by=team`,
        target: { pg: 150 },
      },
      { name: 'aging items, first page', url: `/api/aging/items?key=${ids.customer}`, target: { pg: 150 } },
      {
        name: 'aging items, salesperson × 91-180',
        url: `/api/aging/items?by=salesperson&key=${ids.salesperson}&bucket=91-180`,
        target: { pg: 150 },
      },
      { name: 'provision report', url: '/api/provision', target: { pg: 150 } },
      { name: 'KPIs, month to date', url: `/api/kpis?from=${monthStart}&to=${ANCHOR}`, target: { pg: 150 } },
      {
        name: 'KPIs, month to date, by salesperson',
        url: `/api/kpis?from=${monthStart}&to=${ANCHOR}&by=salesperson`,
        target: { pg: 150 },
      },
      { name: 'KPI trend, 12 months', url: '/api/kpis/trend?months=12', target: { pg: 150 } },
      { name: 'dashboard summary (reports)', url: '/api/reports/dashboard', target: { pg: 150 } },
      { name: 'top overdue customers (reports)', url: '/api/reports/top-overdue', target: { pg: 150 } },
      {
        name: 'credit holds list (dashboard panel)',
        url: '/api/credit/holds?status=hold',
        target: { pg: 150 },
      },
    ];
    const results: Result[] = [];
    for (const call of calls) {
      const request = () => getOverHttp(origin, call.url, token);
      const first = await request();
      if (first.statusCode === 404 && call.url.startsWith('/api/reports/')) {
        log(`${label}: ${call.name}: route not there yet, skipped`);
        continue;
      }
      if (first.statusCode !== 200)
        throw new Error(
          `${label}: ${call.url} answered ${first.statusCode}: ${first.body.toString('utf8', 0, 500)}`,
        );
      if (call.url === '/api/aging') {
        // The API's total must be the typed-array scan's: the same open items.
        const report = JSON.parse(first.body.toString('utf8')) as {
          currencies: { currency: string; total: string }[];
        };
        const apiTotal = report.currencies.reduce(
          (sum, section) => sum + Number(section.total.replace('.', '')),
          0,
        );
        if (apiTotal !== scanTotal)
          throw new Error(`${label}: aging total ${apiTotal} ≠ scan total ${scanTotal}`);
      }
      const times = await timeRuns(RUNS, async () => {
        const response = await request();
        if (response.statusCode !== 200) throw new Error(`${call.url}: ${response.statusCode}`);
      });
      const result = {
        name: call.name,
        median: median(times),
        p95: percentile(times, 95),
        target: call.target[engine],
      };
      results.push(result);
      log(`${label}: ${call.name}: median ${result.median.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms`);
    }
    return { scanMedian, scanP95: percentile(scanTimes, 95), items: items.dueDay.length, results };
  } finally {
    await app.close();
  }
}

function printTable(label: string, measured: Awaited<ReturnType<typeof measureEngine>>): void {
  const rows = [
    `\n${label}: ${RUNS} runs each after a warm-up; × scan = median / median of the typed-array scan; load average ${os
      .loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')}`,
    '',
    '| call | median ms | p95 ms | × scan | target ms | |',
    '|---|---:|---:|---:|---:|---|',
    `| typed-array scan of ${measured.items.toLocaleString('en-US')} open items (bucketing by customer) | ${measured.scanMedian.toFixed(2)} | ${measured.scanP95.toFixed(2)} | 1 | | |`,
    ...measured.results.map((result) => {
      const verdict = result.target === undefined ? '' : result.median <= result.target ? 'ok' : '**over**';
      return `| ${result.name} | ${result.median.toFixed(1)} | ${result.p95.toFixed(1)} | ${Math.round(result.median / measured.scanMedian)} | ${result.target ?? ''} | ${verdict} |`;
    }),
  ];
  console.log(rows.join('\n'));
}

async function onPostgres(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: url });
  try {
    await admin.connect();
  } catch (error) {
    log(`PostgreSQL at ${url} is not reachable (${String(error)}); skipped`);
    return;
  }
  const name = `huikuan_bench_${INVOICES}`;
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  if (exists && !options.reuse) await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
  if (!exists || !options.reuse) await admin.query(`CREATE DATABASE ${name}`);
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  const version = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]
    ?.server_version;
  const db = await openDatabase({ databaseUrl: scratch.toString(), dataDir: '' });
  const label = `PostgreSQL ${version ?? ''}`.trim();
  try {
    const tenantId = await prepareLedger(db, scratch.toString(), label, options.reuse ?? false);
    printTable(label, await measureEngine(label, 'pg', db, tenantId));
  } finally {
    await db.close();
    if (!options.reuse) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function onPglite(): Promise<void> {
  const dataDir = path.join(os.tmpdir(), `huikuan-bench-${INVOICES}`);
  if (!options.reuse) fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const db = await openDatabase({ databaseUrl: null, dataDir });
  const version = JSON.parse(
    fs.readFileSync(
      path.join(import.meta.dirname, '../node_modules/@electric-sql/pglite/package.json'),
      'utf8',
    ),
  ) as { version: string };
  const label = `PGlite ${version.version}`;
  try {
    const tenantId = await prepareLedger(db, null, label, options.reuse ?? false);
    printTable(label, await measureEngine(label, 'pglite', db, tenantId));
  } finally {
    await db.close();
    if (!options.reuse) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

log(
  `Huikuan analytics benchmark: ${INVOICES.toLocaleString('en-US')} invoices, ${CUSTOMERS.toLocaleString('en-US')} customers, today = ${ANCHOR}, Node ${process.version}, ${os.cpus().length} cores`,
);
if (options.engine !== 'pglite') await onPostgres();
if (options.engine !== 'pg') await onPglite();
