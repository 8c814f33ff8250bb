/**
 * Benchmark: the collections worklist (催收工作台) over ~300,000 open items on PostgreSQL (issue 5: the page answers
 * in ≤ 150 ms). It generates the ledger (bench/ledger-generator.ts), times the set-based refresh of every case (what
 * runs after a dunning run and daily), then times worklist pages through the use case the route calls: a finance
 * user's whole-organization list, a salesperson's own list, a filtered list and a deep page. Not part of `npm test`:
 *
 *   npx tsx bench/worklist.ts                          # 540,000 invoices: 321,827 open items
 *   npx tsx bench/worklist.ts --invoices 50000         # smaller, for quick iterations
 *   npx tsx bench/worklist.ts --reuse                  # keep the generated database and reuse it next time
 *   npx tsx bench/worklist.ts --reuse --slug bench-dunning  # reuse a copy of bench/dunning.ts's ledger
 *
 * PostgreSQL: BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres; a database named after the size
 * is created (and dropped afterwards unless --reuse).
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { worklistQuerySchema } from '@huikuan/core/contracts';
import { CLI_AUDIT } from '../server/src/cli/organization-commands';
import { refreshCollectionCases } from '../server/src/modules/casework';
import { listWorklist } from '../server/src/modules/casework/worklist';
import { createOrganizationIn } from '../server/src/modules/organization/create-organization';
import type { Clock } from '../server/src/platform/clock';
import { loadConfig } from '../server/src/platform/config';
import { openDatabase, type Database } from '../server/src/platform/db';
import { migrate } from '../server/src/platform/migrate';
import type { Actor } from '../server/src/platform/request-context';
import { generateLedger, ledgerCounts } from './ledger-generator';
import { adminUrl, ensureDatabase } from './bench-database';

const { values: options } = parseArgs({
  options: {
    invoices: { type: 'string', default: '540000' },
    runs: { type: 'string', default: '15' },
    reuse: { type: 'boolean', default: false },
    // A copied ledger (e.g. CREATE DATABASE bench_worklist_520000 TEMPLATE bench_dunning_520000) keeps its slug.
    slug: { type: 'string', default: 'bench-worklist' },
  },
});

const INVOICES = Number(options.invoices);
const CUSTOMERS = Math.max(1, Math.floor(INVOICES / 50));
const RUNS = Number(options.runs);
const ANCHOR = '2026-11-20';
const SLUG = options.slug;
const clock: Clock = { now: () => new Date(`${ANCHOR}T04:00:00Z`) };
const log = (line: string) => process.stdout.write(`${line}\n`);

async function vacuum(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('VACUUM ANALYZE');
  await client.end();
}

async function prepare(db: Database, url: string): Promise<string> {
  await migrate(db);
  const existing = await db.system((tx) =>
    tx.selectFrom('organizations').select('tenant_id').where('slug', '=', SLUG).executeTakeFirst(),
  );
  if (existing) {
    const counts = await db.script((run) => ledgerCounts(run, existing.tenant_id));
    if (counts.invoices === INVOICES) return existing.tenant_id;
    throw new Error(`${SLUG} exists with another size; run without --reuse`);
  }
  const organization = await db.system((tx) =>
    createOrganizationIn(
      tx,
      { name: 'Bench Worklist', slug: SLUG, baseCurrency: 'CNY', timezone: 'Asia/Shanghai', locale: 'zh-CN' },
      CLI_AUDIT,
    ),
  );
  log(
    `generating ${INVOICES.toLocaleString('en-US')} invoices over ${CUSTOMERS.toLocaleString('en-US')} customers`,
  );
  const started = performance.now();
  await db.script((run) =>
    generateLedger(run, organization.tenant_id, { invoices: INVOICES, customers: CUSTOMERS }, ANCHOR, log),
  );
  log(`  generated (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  await vacuum(url);
  return organization.tenant_id;
}

function actorOf(tenantId: string, userId: string, role: Actor['role']): Actor {
  return {
    tenantId,
    userId,
    role,
    teamIds: [],
    tokenId: null,
    tokenScopes: null,
    sessionId: null,
    csrfToken: null,
    requestId: 'bench',
    ip: '127.0.0.1',
  };
}

/** Median and worst of RUNS timings, after one warm-up. */
async function timed(label: string, work: () => Promise<number>): Promise<void> {
  await work();
  const times: number[] = [];
  let rows = 0;
  for (let index = 0; index < RUNS; index += 1) {
    const started = performance.now();
    rows = await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  const worst = times[times.length - 1] ?? 0;
  log(`${label}: median ${median.toFixed(1)} ms, worst ${worst.toFixed(1)} ms (${rows} rows, ${RUNS} runs)`);
}

async function main(): Promise<void> {
  const url = await ensureDatabase(`bench_worklist_${INVOICES}`, options.reuse);
  const db = await openDatabase({ databaseUrl: url, dataDir: '/nonexistent' });
  try {
    const tenantId = await prepare(db, url);
    const openItems = await db.tenant(tenantId, async (tx) => {
      const row = await tx
        .selectFrom('invoice_settlements')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('tenant_id', '=', tenantId)
        .where('open_minor', '<>', 0n)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    });
    log(`open items: ${openItems.toLocaleString('en-US')}`);
    const started = performance.now();
    const refreshed = await refreshCollectionCases(db, clock, { ...CLI_AUDIT, tenantId, tokenId: null });
    log(
      `refresh of every case: ${((performance.now() - started) / 1000).toFixed(2)} s (${refreshed.cases.toLocaleString('en-US')} active cases)`,
    );
    await vacuum(url);
    const users = await db.tenant(tenantId, (tx) =>
      tx
        .selectFrom('customers')
        .select(['owner_user_id'])
        .where('tenant_id', '=', tenantId)
        .where('owner_user_id', 'is not', null)
        .limit(1)
        .executeTakeFirstOrThrow(),
    );
    const admin = await db.system((tx) =>
      tx
        .insertInto('users')
        .values({
          tenant_id: tenantId,
          email: `finance-${Date.now()}@bench.test`,
          name: 'Bench finance',
          role: 'finance',
          password_hash: 'x',
        })
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
    const deps = { db, clock, config: loadConfig({}, {}), version: 'bench' };
    const finance = actorOf(tenantId, admin.id, 'finance');
    const salesperson = actorOf(tenantId, users.owner_user_id ?? '', 'salesperson');
    const page = async (actor: Actor, query: Record<string, string>) =>
      (await listWorklist(deps, actor, worklistQuerySchema.parse(query))).items.length;
    await timed('finance, whole organization, first page of 50', () => page(finance, { collector: 'all' }));
    await timed('salesperson, own cases, first page of 50', () => page(salesperson, { collector: 'mine' }));
    await timed('finance, hard approach, score ≥ 40', () =>
      page(finance, { collector: 'all', approach: 'hard', minScore: '40' }),
    );
    const first = await listWorklist(
      deps,
      finance,
      worklistQuerySchema.parse({ collector: 'all', limit: '200' }),
    );
    await timed('finance, page after the first 200', () =>
      page(finance, { collector: 'all', cursor: first.nextCursor ?? '' }),
    );
  } finally {
    await db.close();
    if (!options.reuse) {
      const admin = new pg.Client({ connectionString: adminUrl() });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS bench_worklist_${INVOICES} WITH (FORCE)`);
      await admin.end();
    }
  }
}

await main();
