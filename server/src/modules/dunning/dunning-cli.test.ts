import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createOrganizationIn } from '../organization/create-organization';
import { openDatabase, type Database } from '../../platform/db';
import { migrate } from '../../platform/migrate';
import { adminUrl, urlForDatabase } from '../../../test/support/global-setup';
import { testEngine } from '../../../test/support/test-db';

/**
 * The real `huikuan dunning run` process: its JSON contract, --dry-run writing nothing, and a run killed (SIGKILL) in
 * the middle and started again: every due action exists exactly once and every outbox message exactly once. On the
 * PGlite project the CLI runs on a data directory; on the PostgreSQL project on a fresh database (DATABASE_URL).
 */
const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const BIN = path.join(repoRoot, 'server/bin/huikuan.mjs');

const ITEMS = 60;
/** Four customers of three invoices: a batch never splits a customer, so asking for 12 gives exactly 12. */
const BATCH = 12;
const STALL_AFTER = 2;
const ACTIONS_PER_BATCH = BATCH * 2;

type Target = {
  args: string[];
  env: Record<string, string>;
  open(): Promise<Database>;
  cleanup(): Promise<void>;
};

let target: Target;
let workDir: string;

async function pgTarget(): Promise<Target> {
  const name = `huikuan_cli_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplateDb')}`);
  await admin.end();
  const url = urlForDatabase(name);
  return {
    args: ['--database-url', url],
    env: { DATABASE_URL: url },
    open: () => openDatabase({ databaseUrl: url, dataDir: workDir }),
    cleanup: async () => {
      const cleanup = new pg.Client({ connectionString: adminUrl() });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

function pgliteTarget(): Target {
  const dataDir = path.join(workDir, 'data');
  return {
    args: ['--data-dir', dataDir],
    env: {},
    open: () => openDatabase({ databaseUrl: null, dataDir }),
    cleanup: () => Promise.resolve(),
  };
}

async function withDb<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const db = await target.open();
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

let tenantId: string;

/** 20 customers × 3 invoices, all 10 days overdue on 2026-03-11: each fires the overdue notice and the call task. */
async function seed(): Promise<void> {
  await withDb(async (db) => {
    await migrate(db);
    const org = await db.system((tx) =>
      createOrganizationIn(
        tx,
        { name: '催收测试', slug: 'dun', baseCurrency: 'CNY', timezone: 'Asia/Shanghai', locale: 'zh-CN' },
        { userId: null, requestId: 'test', ip: 'test' },
      ),
    );
    tenantId = org.tenant_id;
    await db.tenant(tenantId, async (tx) => {
      const owner = await tx
        .insertInto('users')
        .values({
          tenant_id: tenantId,
          email: 'owner@dun.test',
          name: '业务员',
          role: 'salesperson',
          password_hash: 'x',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (let c = 1; c <= ITEMS / 3; c += 1) {
        const code = `K-${String(c).padStart(2, '0')}`;
        const customer = await tx
          .insertInto('customers')
          .values({ tenant_id: tenantId, code, name: `客户${c}`, currency: 'CNY', owner_user_id: owner.id })
          .returning('id')
          .executeTakeFirstOrThrow();
        await tx
          .insertInto('customer_contacts')
          .values({
            tenant_id: tenantId,
            customer_id: customer.id,
            name: '财务',
            email: `ap${c}@customer.test`,
          })
          .execute();
        for (let i = 1; i <= 3; i += 1) {
          await tx
            .insertInto('invoices')
            .values({
              tenant_id: tenantId,
              customer_id: customer.id,
              number: `INV-${code}-${i}`,
              invoice_date: '2026-01-01',
              due_date: '2026-03-01',
              currency: 'CNY',
              subtotal_minor: 1_000_00n + BigInt(i),
              tax_minor: 0n,
              total_minor: 1_000_00n + BigInt(i),
              status: 'issued',
              issued_at: new Date(),
            })
            .execute();
        }
      }
    });
  });
}

type CliResult = { exitCode: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/** Runs the CLI; with `killWhen`, SIGKILLs it as soon as stderr says so. */
function huikuan(
  args: string[],
  extraEnv: Record<string, string> = {},
  killWhen?: RegExp,
): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...target.env, ...extraEnv };
  if (!('DATABASE_URL' in target.env)) delete env.DATABASE_URL;
  delete env.HUIKUAN_DATA_DIR;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args, ...target.args], {
      cwd: repoRoot,
      env,
      timeout: 90_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (killWhen?.test(stderr)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr }));
  });
}

type Report = {
  asOf: string;
  actions: {
    invoice: string;
    customer: string;
    step: string;
    channel: string | null;
    daysOverdue: number;
    dueDate: string;
  }[];
};

const keyOf = (action: { invoice: string; step: string }) => `${action.invoice}:${action.step}`;

async function recorded(): Promise<{
  actions: { key: string; id: string; kind: string }[];
  messagesBySource: Map<string, number> | null;
}> {
  return withDb((db) =>
    db.tenant(tenantId, async (tx) => {
      const actions = await sql<{ number: string; kind: string; id: string }>`
        SELECT i.number, a.kind, a.id FROM dunning_actions a JOIN invoices i ON i.tenant_id = a.tenant_id AND i.id = a.invoice_id`.execute(
        tx,
      );
      const hasOutbox = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'outbound_messages'`.execute(
        tx,
      );
      let messagesBySource: Map<string, number> | null = null;
      if ((hasOutbox.rows[0]?.n ?? 0) > 0) {
        const messages = await sql<{ source_id: string; n: number }>`
          SELECT source_id, count(*)::int AS n FROM outbound_messages WHERE source_kind = 'dunning_action'
          GROUP BY source_id`.execute(tx);
        messagesBySource = new Map(messages.rows.map((row) => [row.source_id, row.n]));
      }
      return {
        actions: actions.rows.map((row) => ({
          key: `${row.number}:${row.kind}`,
          id: row.id,
          kind: row.kind,
        })),
        messagesBySource,
      };
    }),
  );
}

/**
 * The ladder tasks' actions as "invoice:task" pairs, from the actions and from the tasks' invoice links; and how many
 * link rows name a run's group instead of listing invoices (migration 0026).
 */
async function taskLinks(): Promise<{ fromActions: string[]; fromTasks: string[]; byGroup: number }> {
  return withDb((db) =>
    db.tenant(tenantId, async (tx) => {
      const pairs = await sql<{ source: string; pair: string }>`
        SELECT 'action' AS source, a.invoice_id || ':' || a.ref_id AS pair FROM dunning_actions a
        WHERE a.kind IN ('call_task', 'visit_task', 'litigation_review')
        UNION ALL
        SELECT 'task', l.invoice_id || ':' || l.activity_id FROM collection_activity_invoices l
        ORDER BY 1, 2`.execute(tx);
      const sets = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM collection_activity_invoice_sets WHERE group_id IS NOT NULL`.execute(
        tx,
      );
      const of = (source: string) => pairs.rows.filter((row) => row.source === source).map((row) => row.pair);
      return { fromActions: of('action'), fromTasks: of('task'), byGroup: sets.rows[0]?.n ?? 0 };
    }),
  );
}

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huikuan-dunning-cli-'));
  target = testEngine === 'pglite' ? pgliteTarget() : await pgTarget();
  await seed();
}, 120_000);

afterAll(async () => {
  await target.cleanup();
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe('huikuan dunning run', () => {
  it('--dry-run prints the contract, sorted by customer then invoice, and records nothing', async () => {
    const dry = await huikuan([
      'dunning',
      'run',
      '--org',
      'dun',
      '--as-of',
      '2026-03-11',
      '--dry-run',
      '--json',
    ]);
    expect(dry.stderr).toBe('');
    expect(dry.exitCode).toBe(0);
    const report = JSON.parse(dry.stdout) as Report;
    expect(report.asOf).toBe('2026-03-11');
    expect(report.actions).toHaveLength(ITEMS * 2);
    expect(report.actions.slice(0, 2)).toEqual([
      {
        invoice: 'INV-K-01-1',
        customer: 'K-01',
        step: 'overdue_notice',
        channel: 'email',
        daysOverdue: 10,
        dueDate: '2026-03-01',
      },
      {
        invoice: 'INV-K-01-1',
        customer: 'K-01',
        step: 'call_task',
        channel: null,
        daysOverdue: 10,
        dueDate: '2026-03-01',
      },
    ]);
    const sorted = [...report.actions].sort((a, b) =>
      a.customer + a.invoice < b.customer + b.invoice
        ? -1
        : a.customer + a.invoice > b.customer + b.invoice
          ? 1
          : 0,
    );
    expect(report.actions.map((a) => a.customer + a.invoice)).toEqual(
      sorted.map((a) => a.customer + a.invoice),
    );
    expect((await recorded()).actions).toEqual([]);
  }, 60_000);

  it('killed in the middle of a run and started again, records and sends every due action exactly once', async () => {
    const expected = (
      JSON.parse(
        (await huikuan(['dunning', 'run', '--org', 'dun', '--as-of', '2026-03-11', '--dry-run', '--json']))
          .stdout,
      ) as Report
    ).actions.map(keyOf);

    const killed = await huikuan(
      ['dunning', 'run', '--org', 'dun', '--as-of', '2026-03-11', '--json'],
      {
        HUIKUAN_TEST_DUNNING_BATCH_SIZE: String(BATCH),
        HUIKUAN_TEST_DUNNING_STALL_AFTER_BATCHES: String(STALL_AFTER),
      },
      /stalled after 2 batches/,
    );
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stdout).toBe('');
    const beforeRestart = await recorded();
    // Exactly the committed batches, whole (12 items of 4 customers, two steps each): the two the hook counted, and
    // on PostgreSQL (two batches in flight) maybe the one the other lane had started — never part of a batch, never
    // the batches not started.
    const committed = beforeRestart.actions.length;
    expect(committed % ACTIONS_PER_BATCH).toBe(0);
    expect(committed).toBeGreaterThanOrEqual(STALL_AFTER * ACTIONS_PER_BATCH);
    expect(committed).toBeLessThanOrEqual((STALL_AFTER + 1) * ACTIONS_PER_BATCH);
    if (testEngine === 'pglite') expect(committed).toBe(STALL_AFTER * ACTIONS_PER_BATCH);

    const restarted = await huikuan(['dunning', 'run', '--org', 'dun', '--as-of', '2026-03-11', '--json'], {
      HUIKUAN_TEST_DUNNING_BATCH_SIZE: String(BATCH),
    });
    expect(restarted.exitCode).toBe(0);
    const second = (JSON.parse(restarted.stdout) as Report).actions.map(keyOf);
    const before = new Set(beforeRestart.actions.map((action) => action.key));
    expect(second).toEqual(expected.filter((key) => !before.has(key)));

    const after = await recorded();
    expect(after.actions.map((action) => action.key).sort()).toEqual([...expected].sort());
    expect(new Set(after.actions.map((action) => action.key)).size).toBe(after.actions.length);
    if (after.messagesBySource !== null) {
      // Messaging's outbox: one message per message step, none for the others, never two.
      for (const action of after.actions) {
        expect(after.messagesBySource.get(action.id) ?? 0, action.key).toBe(
          action.kind === 'overdue_notice' ? 1 : 0,
        );
      }
    }

    // Each call task lists exactly the invoices of its actions, read through the run's groups.
    const links = await taskLinks();
    expect(links.fromActions.length).toBeGreaterThan(0);
    expect(links.fromTasks).toEqual(links.fromActions);
    expect(links.byGroup).toBeGreaterThan(0);

    const third = await huikuan(['dunning', 'run', '--org', 'dun', '--as-of', '2026-03-11', '--json']);
    expect(JSON.parse(third.stdout)).toEqual({ asOf: '2026-03-11', actions: [] });
  }, 120_000);
});
