/**
 * Benchmark: a dunning run over ~300,000 open items on PostgreSQL (issue 5: ≤ 10 s), first firing steps and then a
 * rerun of the same date firing none, then the next day's run (what fell due that day). The ledger comes from
 * bench/ledger-generator.ts. Not part of `npm test`:
 *
 *   npm run bench:dunning                              # 520,000 invoices ≈ 300,000 open items
 *   npm run bench:dunning -- --invoices 50000          # smaller, for quick iterations
 *   npm run bench:dunning -- --wired                   # with every module's step executors (wireCollections)
 *   npm run bench:dunning -- --reuse                   # keep the generated database and reuse it next time
 *   npm run bench:dunning -- --reruns 3                # the rerun three times (the machine's load varies)
 *
 * Without --wired only the dunning module's own executor (credit_hold, set-based) runs and the other steps are
 * recorded without an executor: that measures the engine. PostgreSQL: BENCH_DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/postgres; a database named after the size is created.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { addDays, type CalendarDate } from '@huikuan/core';
import pg from 'pg';
import { wireCollections } from '../server/src/collections-wiring';
import { CLI_AUDIT } from '../server/src/cli/organization-commands';
import { registerDunningStepExecutors } from '../server/src/modules/dunning';
import { runDunningNow } from '../server/src/modules/dunning/start-run';
import { createOrganizationIn } from '../server/src/modules/organization/create-organization';
import { openDatabase, type Database } from '../server/src/platform/db';
import { migrate } from '../server/src/platform/migrate';
import { generateLedger, ledgerCounts } from './ledger-generator';
import { adminUrl, ensureDatabase } from './bench-database';

const { values: options } = parseArgs({
  options: {
    invoices: { type: 'string', default: '520000' },
    wired: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    reruns: { type: 'string', default: '1' },
  },
});

const INVOICES = Number(options.invoices);
const CUSTOMERS = Math.max(1, Math.floor(INVOICES / 50));
const ANCHOR = '2026-11-20';
const SLUG = 'bench-dunning';
const log = (line: string) => process.stdout.write(`${line}\n`);

async function prepare(db: Database, url: string): Promise<string> {
  await migrate(db);
  const existing = await db.system((tx) =>
    tx.selectFrom('organizations').select('tenant_id').where('slug', '=', SLUG).executeTakeFirst(),
  );
  if (existing) {
    const counts = await db.script((run) => ledgerCounts(run, existing.tenant_id));
    if (counts.invoices === INVOICES) {
      log(`reusing the generated ledger; clearing earlier runs`);
      await db.script(async (run) => {
        await run(`TRUNCATE dunning_credit_holds, dunning_actions, dunning_done_steps, dunning_runs`);
      });
      return existing.tenant_id;
    }
    throw new Error(`${SLUG} exists with another size; run without --reuse`);
  }
  const organization = await db.system((tx) =>
    createOrganizationIn(
      tx,
      { name: 'Bench Dunning', slug: SLUG, baseCurrency: 'CNY', timezone: 'Asia/Shanghai', locale: 'zh-CN' },
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
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('VACUUM ANALYZE');
  await client.end();
  return organization.tenant_id;
}

async function timedRun(
  db: Database,
  tenantId: string,
  label: string,
  asOf: CalendarDate = ANCHOR as CalendarDate,
): Promise<void> {
  const started = performance.now();
  const result = await runDunningNow(db, { ...CLI_AUDIT, tenantId, tokenId: null }, asOf, 'cli');
  const seconds = (performance.now() - started) / 1000;
  const load = os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
  log(
    `${label}: ${seconds.toFixed(2)} s — ${result.total.toLocaleString('en-US')} open items, ` +
      `${result.fired.toLocaleString('en-US')} actions fired, ${result.paused} paused, ${result.errorCount} errors, ` +
      `status ${result.status}; by kind ${JSON.stringify(result.countsByKind)}; load average ${load}`,
  );
}

async function main(): Promise<void> {
  if (options.wired) wireCollections();
  else registerDunningStepExecutors();
  const url = await ensureDatabase(`bench_dunning_${INVOICES}`, options.reuse);
  const db = await openDatabase({ databaseUrl: url, dataDir: '/nonexistent' });
  try {
    const tenantId = await prepare(db, url);
    log(
      `engine: ${options.wired ? 'every wired executor' : 'engine only (credit_hold executor, others recorded)'}`,
    );
    await timedRun(db, tenantId, 'first run (fires steps)');
    for (let rerun = 0; rerun < Number(options.reruns); rerun += 1) {
      await timedRun(db, tenantId, 'rerun, same as-of (fires none)');
    }
    // The daily run of the next morning: only what became due that day fires.
    await timedRun(db, tenantId, 'next day (what fell due)', addDays(ANCHOR as CalendarDate, 1));
  } finally {
    await db.close();
    if (!options.reuse) {
      const admin = new pg.Client({ connectionString: adminUrl() });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS bench_dunning_${INVOICES} WITH (FORCE)`);
      await admin.end();
    }
  }
}

await main();
