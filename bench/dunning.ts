/**
 * Benchmark: a dunning run over 300,000 open items on PostgreSQL (issue 5: ≤ 10 s), first firing steps and then a
 * rerun of the same date firing none, then the next day's run (what fell due that day). The ledger comes from
 * bench/ledger-generator.ts. Not part of `npm test`:
 *
 *   npm run bench:dunning                              # 540,000 invoices: 302,728 open items
 *   npm run bench:dunning -- --invoices 50000          # smaller, for quick iterations
 *   npm run bench:dunning -- --engine-only             # only the dunning module's own executor (see below)
 *   npm run bench:dunning -- --reuse                   # keep the generated database and reuse it next time
 *   npm run bench:dunning -- --reruns 3                # the rerun three times (the machine's load varies)
 *   npm run bench:dunning -- --phases                  # where each run's time goes, phase by phase
 *   npm run bench:dunning -- --batch-size 10000        # another batch size
 *   npm run bench:dunning -- --lanes 1                 # batches in flight at once (default 2 on PostgreSQL)
 *   npm run bench:dunning -- --render 200              # then time rendering 200 of the first run's 催款函
 *   npm run bench:dunning -- --profile cpu             # a CPU (or alloc: allocation) profile of the first run
 *
 * Every module's executors run, wired as the server wires them (wireCollections): the run does all a first run does.
 * With --engine-only only the dunning module's own executor (credit_hold, set-based) runs and the other steps are
 * recorded without an executor: that measures the engine. PostgreSQL: BENCH_DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/postgres; a database named after the size is created.
 *
 * Each line gives the wall time, the CPU time of this process and of the database's backends (the machine is shared:
 * on 2 cores, a quiet machine's wall time is about their sum, less what the two overlap), the CPU time the hypervisor
 * gave other guests meanwhile (stolen), how busy this process's event loop was (the rest of the time it waited for
 * PostgreSQL) and the load average. The
 * run is timed up to its last commit; the follow-up that renders the 催款函 PDFs after it is timed apart (--render).
 */
import fs from 'node:fs';
import inspector from 'node:inspector/promises';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { addDays, type CalendarDate } from '@huikuan/core';
import { sql } from 'kysely';
import pg from 'pg';
import { wireCollections } from '../server/src/collections-wiring';
import { CLI_AUDIT } from '../server/src/cli/organization-commands';
import { registerDunningStepExecutors } from '../server/src/modules/dunning';
import { runDunningNow } from '../server/src/modules/dunning/start-run';
import { renderPendingLetters } from '../server/src/modules/letters/pending-letters';
import { createOrganizationIn } from '../server/src/modules/organization/create-organization';
import { openDatabase, type Database } from '../server/src/platform/db';
import { migrate } from '../server/src/platform/migrate';
import { generateLedger, ledgerCounts } from './ledger-generator';
import { adminUrl, ensureDatabase } from './bench-database';

const { values: options } = parseArgs({
  options: {
    invoices: { type: 'string', default: '540000' },
    'engine-only': { type: 'boolean', default: false },
    // The default since the ninth session; kept so that earlier command lines still mean the same.
    wired: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    reruns: { type: 'string', default: '1' },
    phases: { type: 'boolean', default: false },
    'batch-size': { type: 'string' },
    lanes: { type: 'string' },
    render: { type: 'string', default: '0' },
    profile: { type: 'string' },
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
        await run(`TRUNCATE dunning_credit_hold_sets, dunning_action_groups, dunning_customer_done_steps, dunning_runs,
          pending_dunning_letters, lawyer_letter_requests, letters, outbound_message_attachments, outbound_message_attempts, notifications,
          outbound_messages, collection_activity_invoice_sets, audit_log`);
        // Disputes and promises may point at activities (none in the generated ledger), and rows referencing the
        // requests belong to the ledger: DELETE, not TRUNCATE … CASCADE. Without the per-row key checks (the
        // benchmark's own database, as its owner), or deleting 30,000 activities takes minutes.
        await run(`SET LOCAL session_replication_role = replica`);
        await run(`DELETE FROM collection_activities`);
        await run(`DELETE FROM approval_requests WHERE kind = 'lawyer_letter'`);
      });
      // The deleted rows' space back, or every reuse runs on larger tables and indexes than the last (this
      // machine's PostgreSQL has autovacuum off: after ten runs, 600,000 dead activities made the run 20% slower).
      await vacuumAnalyze(url, ['collection_activities', 'approval_requests']);
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
  await vacuumAnalyze(url, []);
  return organization.tenant_id;
}

/** VACUUM ANALYZE of these tables, or of the whole database when none are named (outside any transaction). */
async function vacuumAnalyze(url: string, tables: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`VACUUM ANALYZE ${tables.join(', ')}`);
  } finally {
    await client.end();
  }
}

/** What /proc counts CPU time in (USER_HZ; 100 on Linux whatever the kernel's own tick rate). */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds so far of the database's backends (same machine: /proc), by process id. */
async function backendCpu(admin: pg.Client, database: string): Promise<Map<number, number>> {
  const rows = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [
    database,
  ]);
  const cpu = new Map<number, number>();
  for (const { pid } of rows.rows) {
    try {
      // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised name): user and system time in ticks.
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND);
    } catch {
      // The backend ended in between.
    }
  }
  return cpu;
}

/**
 * CPU seconds the hypervisor gave to other guests while this machine wanted them (the steal column of /proc/stat,
 * all cores): when it grows, a run is slower for reasons outside the code. Null where /proc/stat has no such column.
 */
function stolenSeconds(): number | null {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/) ?? [];
  // cpu user nice system idle iowait irq softirq steal …
  return fields[0] === 'cpu' && fields[8] !== undefined ? Number(fields[8]) / CLOCK_TICKS_PER_SECOND : null;
}

type Meter = { stop(): Promise<string> };

/** Wall time, this process's CPU time, the backends' CPU time, stolen time and the load average, from now to stop(). */
async function meter(admin: pg.Client, database: string): Promise<Meter> {
  const started = performance.now();
  const nodeBefore = process.cpuUsage();
  const pgBefore = await backendCpu(admin, database);
  const stolenBefore = stolenSeconds();
  const loopBefore = performance.eventLoopUtilization();
  return {
    stop: async () => {
      const wall = (performance.now() - started) / 1000;
      const node = process.cpuUsage(nodeBefore);
      const pgAfter = await backendCpu(admin, database);
      let pgSeconds = 0;
      for (const [pid, seconds] of pgAfter) pgSeconds += seconds - (pgBefore.get(pid) ?? 0);
      const load = os
        .loadavg()
        .map((value) => value.toFixed(2))
        .join(', ');
      const stolenAfter = stolenSeconds();
      // How much of the wall time this process's main thread was not waiting for anything (PostgreSQL's answers).
      const loopBusy = performance.eventLoopUtilization(loopBefore).utilization;
      const stolen =
        stolenBefore === null || stolenAfter === null
          ? ''
          : `, stolen ${(stolenAfter - stolenBefore).toFixed(2)} s`;
      return (
        `${wall.toFixed(2)} s (CPU: node ${((node.user + node.system) / 1e6).toFixed(1)} s, event loop busy ` +
        `${(loopBusy * 100).toFixed(0)}%, ` +
        `postgres ${pgSeconds.toFixed(1)} s${stolen}; load average ${load})`
      );
    },
  };
}

/** Phase timings of one run, summed over its batches. */
function phaseClock(): { onPhase: (phase: string, ms: number) => void; summary(): string } {
  const totals = new Map<string, number>();
  return {
    onPhase: (phase, ms) => totals.set(phase, (totals.get(phase) ?? 0) + ms),
    summary: () =>
      [...totals]
        .sort(([, a], [, b]) => b - a)
        .map(([phase, ms]) => `${phase} ${(ms / 1000).toFixed(2)} s`)
        .join(', '),
  };
}

type Profiler = { stop(): Promise<void> };

/**
 * --profile cpu|alloc: a profile of this process over the first run only (the inspector's CPU profiler at 200 µs, or
 * its sampling heap profiler counting what both collectors freed too), written to the working directory for Chrome's
 * DevTools.
 */
async function startProfiler(kind: string | undefined): Promise<Profiler | null> {
  if (kind === undefined) return null;
  if (kind !== 'cpu' && kind !== 'alloc') throw new Error(`--profile cpu or alloc, not ${kind}`);
  const session = new inspector.Session();
  session.connect();
  if (kind === 'cpu') {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
  } else {
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 65536,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }
  return {
    stop: async () => {
      const { profile } =
        kind === 'cpu'
          ? await session.post('Profiler.stop')
          : await session.post('HeapProfiler.stopSampling');
      const file = `bench-dunning-first-run.${kind === 'cpu' ? 'cpuprofile' : 'heapprofile'}`;
      fs.writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      log(`  profile: ${file}`);
    },
  };
}

async function timedRun(
  db: Database,
  bench: { tenantId: string; admin: pg.Client; database: string },
  label: string,
  asOf: CalendarDate = ANCHOR as CalendarDate,
): Promise<void> {
  const phases = phaseClock();
  const profiler = label.startsWith('first') ? await startProfiler(options.profile) : null;
  const measuring = await meter(bench.admin, bench.database);
  const result = await runDunningNow(
    db,
    { ...CLI_AUDIT, tenantId: bench.tenantId, tokenId: null },
    asOf,
    'cli',
    {
      isFollowUpLeft: true,
      ...(options['batch-size'] ? { batchSize: Number(options['batch-size']) } : {}),
      ...(options.lanes ? { lanes: Number(options.lanes) } : {}),
      ...(options.phases ? { onPhase: phases.onPhase } : {}),
    },
  );
  const measured = await measuring.stop();
  await profiler?.stop();
  log(
    `${label}: ${measured} — ${result.total.toLocaleString('en-US')} open items, ` +
      `${result.fired.toLocaleString('en-US')} actions fired, ${result.paused} paused, ${result.errorCount} errors, ` +
      `status ${result.status}; by kind ${JSON.stringify(result.countsByKind)}`,
  );
  if (options.phases) log(`  phases: ${phases.summary()}`);
}

/** The follow-up of the first run: renders up to `count` of its pending 催款函 and times them. */
async function timedRender(
  db: Database,
  bench: { tenantId: string; admin: pg.Client; database: string },
  count: number,
): Promise<void> {
  const pending = await db.tenant(bench.tenantId, (tx) =>
    sql<{ n: number }>`SELECT count(*)::int AS n FROM pending_dunning_letters`.execute(tx),
  );
  const measuring = await meter(bench.admin, bench.database);
  let rendered = 0;
  const stop = new Error('enough');
  await renderPendingLetters(db, bench.tenantId, {
    onRendered: (report) => {
      rendered = report.rendered + report.notNeeded + report.failed;
      if (rendered >= count) throw stop;
    },
  }).catch((error: unknown) => {
    if (error !== stop) throw error;
  });
  log(
    `rendering ${rendered} of ${(pending.rows[0]?.n ?? 0).toLocaleString('en-US')} pending 催款函 after the first run: ` +
      (await measuring.stop()),
  );
}

async function main(): Promise<void> {
  const isWired = !options['engine-only'];
  if (isWired) wireCollections();
  else registerDunningStepExecutors();
  const url = await ensureDatabase(`bench_dunning_${INVOICES}`, options.reuse);
  const db = await openDatabase({ databaseUrl: url, dataDir: '/nonexistent' });
  try {
    const tenantId = await prepare(db, url);
    const database = `bench_dunning_${INVOICES}`;
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    const bench = { tenantId, admin, database };
    log(
      `engine: ${isWired ? 'every wired executor' : 'engine only (credit_hold executor, others recorded)'}`,
    );
    await timedRun(db, bench, 'first run (fires steps)');
    if (Number(options.render) > 0) await timedRender(db, bench, Number(options.render));
    for (let rerun = 0; rerun < Number(options.reruns); rerun += 1) {
      await timedRun(db, bench, 'rerun, same as-of (fires none)');
    }
    // The daily run of the next morning: only what became due that day fires.
    await timedRun(db, bench, 'next day (what fell due)', addDays(ANCHOR as CalendarDate, 1));
    await admin.end();
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
