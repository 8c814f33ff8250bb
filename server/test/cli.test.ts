import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganizationIn } from '../src/modules/organization/create-organization';
import { lockDataDir } from '../src/platform/data-dir-lock';
import { openDatabase, type Database } from '../src/platform/db';
import { migrate, readMigrations } from '../src/platform/migrate';
import { verifyPassword } from '../src/platform/secrets';
import { adminUrl, urlForDatabase } from './support/global-setup';
import { testEngine } from './support/test-db';

/** These tests run the real binary, as an operator would: each start costs a few seconds, so they are few. */
const repoRoot = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(repoRoot, 'server/bin/huikuan.mjs');
const CLI_TIMEOUT_MS = 50_000;

type CliResult = { exitCode: number | null; stdout: string; stderr: string };

function runHuikuan(args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  if (!('DATABASE_URL' in extraEnv)) delete env.DATABASE_URL;
  delete env.HUIKUAN_DATA_DIR;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: repoRoot, env, timeout: CLI_TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}

async function withDataDir<T>(dataDir: string, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ databaseUrl: null, dataDir });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

let workDir: string;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huikuan-cli-test-'));
});

afterAll(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe.runIf(testEngine === 'pglite')('huikuan CLI on an embedded data directory', () => {
  it('migrates a fresh data dir, creates an organization and a user with a generated password', async () => {
    const dataDir = path.join(workDir, 'setup');
    const migrated = await runHuikuan(['migrate', '--data-dir', dataDir]);
    const migrationIds = readMigrations().map((migration) => migration.id);
    expect(migrated).toMatchObject({
      exitCode: 0,
      stdout: `Applied migrations: ${migrationIds.join(', ')}\n`,
    });

    const org = await runHuikuan([
      '--data-dir',
      dataDir,
      'org',
      'create',
      '--name',
      'Acme 回款',
      '--slug',
      'acme',
    ]);
    expect(org.stderr).toBe('');
    expect(org.stdout).toMatch(/^Created organization acme \(id [0-9a-f-]{36}\)\n$/);

    const user = await runHuikuan([
      'user',
      'create',
      '--org',
      'acme',
      '--email',
      'Finance@Acme.cn',
      '--role',
      'finance',
      '--data-dir',
      dataDir,
    ]);
    expect(user.exitCode).toBe(0);
    const password = /Generated password \(shown only now\): (\S+)/.exec(user.stdout)?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(20);

    const again = await runHuikuan([
      'org',
      'create',
      '--name',
      'Dup',
      '--slug',
      'acme',
      '--data-dir',
      dataDir,
    ]);
    expect(again).toMatchObject({ exitCode: 1, stderr: 'huikuan: The organization slug acme is taken\n' });

    // Opening the directory here also proves every CLI process released its lock on exit.
    const stored = await withDataDir(dataDir, (db) =>
      db.system(async (tx) => ({
        user: await tx
          .selectFrom('users')
          .select(['email', 'role', 'password_hash', 'name'])
          .executeTakeFirstOrThrow(),
        audit: await tx
          .selectFrom('audit_log')
          .select(['action', 'actor_user_id', 'request_id', 'ip'])
          .orderBy('id')
          .execute(),
      })),
    );
    expect(stored.user).toMatchObject({ email: 'finance@acme.cn', role: 'finance', name: 'finance' });
    expect(stored.user.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(stored.user.password_hash, password)).toBe(true);
    expect(stored.audit).toEqual([
      { action: 'organization.created', actor_user_id: null, request_id: 'cli', ip: 'cli' },
      { action: 'user.created', actor_user_id: null, request_id: 'cli', ip: 'cli' },
    ]);
  }, 90_000);

  it('rejects an invalid slug naming the option, before touching the data dir', async () => {
    const dataDir = path.join(workDir, 'bad-slug');
    const result = await runHuikuan([
      'org',
      'create',
      '--name',
      'X',
      '--slug',
      'Bad Slug',
      '--data-dir',
      dataDir,
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^huikuan: invalid --slug "Bad Slug": Lowercase letters/);
    expect(fs.existsSync(dataDir)).toBe(false);
  }, 60_000);

  it('backs up one data dir and restores it into a new one', async () => {
    const sourceDir = path.join(workDir, 'backup-source');
    const targetDir = path.join(workDir, 'backup-target');
    const file = path.join(workDir, 'cli.huikuan.gz');
    const audit = { userId: null, requestId: 'test', ip: 'test' };
    const org = {
      name: 'Globex',
      slug: 'globex',
      baseCurrency: 'JPY',
      timezone: 'Asia/Tokyo',
      locale: 'en',
    } as const;
    await withDataDir(sourceDir, async (db) => {
      await migrate(db);
      await db.system((tx) => createOrganizationIn(tx, org, audit));
    });

    const backup = await runHuikuan(['backup', file, '--data-dir', sourceDir]);
    expect(backup.exitCode).toBe(0);
    expect(backup.stdout).toMatch(
      /^Backup written to .*cli\.huikuan\.gz \(\d+ tables, 2 rows, schema at \d{4}_\w+\)/,
    );
    // Not a terminal: one line per table instead of a progress bar.
    expect(backup.stderr).toContain('Backing up organizations: 1 rows\n');

    const restore = await runHuikuan(['restore', file, '--data-dir', targetDir]);
    expect(restore.stderr).toContain('Restoring audit_log: 1 rows\n');
    expect(restore.exitCode).toBe(0);

    const restored = await withDataDir(targetDir, (db) =>
      db.system((tx) =>
        tx.selectFrom('organizations').select(['slug', 'base_currency', 'timezone']).execute(),
      ),
    );
    expect(restored).toEqual([{ slug: 'globex', base_currency: 'JPY', timezone: 'Asia/Tokyo' }]);

    const twice = await runHuikuan(['restore', file, '--data-dir', targetDir]);
    expect(twice.exitCode).toBe(1);
    expect(twice.stderr).toMatch(/^huikuan: Refusing to restore: the database is not empty/);
  }, 120_000);

  it('refuses a data dir that another process holds, saying it is in use', async () => {
    const dataDir = path.join(workDir, 'locked');
    const lock = lockDataDir(dataDir);
    try {
      const result = await runHuikuan(['migrate', '--data-dir', dataDir]);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(
        `huikuan: The data directory is in use by another Huikuan process (PID ${process.pid})`,
      );
    } finally {
      lock.release();
    }
  }, 60_000);
});

describe.runIf(testEngine === 'postgres')('huikuan CLI on PostgreSQL', () => {
  const databases = [
    `huikuan_cli_${randomBytes(5).toString('hex')}`,
    `huikuan_cli_${randomBytes(5).toString('hex')}`,
  ];

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    for (const name of databases) await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
  });

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('migrates, creates an organization from DATABASE_URL, and restores a backup into another database', async () => {
    const [sourceUrl, targetUrl] = databases.map(urlForDatabase) as [string, string];
    const file = path.join(workDir, 'postgres.huikuan.gz');
    expect(await runHuikuan(['migrate', '--database-url', sourceUrl])).toMatchObject({ exitCode: 0 });
    const org = await runHuikuan(['org', 'create', '--name', 'Initech', '--slug', 'initech'], {
      DATABASE_URL: sourceUrl,
    });
    expect(org.stdout).toMatch(/^Created organization initech/);
    expect(await runHuikuan(['backup', file, '--database-url', sourceUrl])).toMatchObject({ exitCode: 0 });
    const restore = await runHuikuan(['restore', file, '--database-url', targetUrl]);
    expect(restore.exitCode).toBe(0);

    const target = new pg.Client({ connectionString: targetUrl });
    await target.connect();
    try {
      const rows = await target.query<{ slug: string }>('SELECT slug FROM organizations');
      expect(rows.rows).toEqual([{ slug: 'initech' }]);
    } finally {
      await target.end();
    }
  }, 120_000);
});
