import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganizationIn } from '../src/modules/organization/create-organization';
import { createUserIn } from '../src/modules/users/create-user';
import { recordAudit } from '../src/platform/audit';
import {
  backupDatabase,
  readBackupHeader,
  restoreDatabase,
  type TransferProgress,
} from '../src/platform/backup';
import { createPglite, databaseFromPglite, type Database } from '../src/platform/db';
import { migrate, readMigrations } from '../src/platform/migrate';
import { createTestDatabase, testEngine } from './support/test-db';

const BIG_MINOR = '9007199254740993'; // 2^53 + 1: a JS number would round it to …992.
const BULK_AUDIT_ROWS = 12_001; // more than two pages of 5,000, so keyset paging and batching are exercised
/** Per organization: created, two users created, one more entry; then the three big-number rows and the bulk. */
const AUDIT_ROWS = 2 * 4 + 2 + BULK_AUDIT_ROWS;

let workDir: string;
let source: Database;
let sourceBackup: string;
let firstTenantId: string;

function closeDatabase(db: Database): Promise<void> {
  return db.close();
}

async function seedOrganization(db: Database, slug: string, name: string): Promise<string> {
  const audit = { userId: null, requestId: 'test', ip: 'test' };
  const organization = await db.system((tx) =>
    createOrganizationIn(
      tx,
      { name, slug, baseCurrency: 'CNY', timezone: 'Asia/Shanghai', locale: 'zh-CN' },
      audit,
    ),
  );
  const tenantId = organization.tenant_id;
  const actorOf = () => ({ tenantId, userId: null, tokenId: null, requestId: 'test', ip: 'test' });
  await db.tenant(tenantId, async (tx) => {
    const team = await tx
      .insertInto('teams')
      .values({ tenant_id: tenantId, name: `${slug} 华东销售` })
      .returning('id')
      .executeTakeFirstOrThrow();
    const newUser = { name: '张三 "Zhang"\n\\ line two', teamId: team.id, locale: null, passwordHash: 'x' };
    const admin = await createUserIn(
      tx,
      tenantId,
      { ...newUser, email: `admin@${slug}.cn`, role: 'admin' },
      actorOf,
    );
    await createUserIn(tx, tenantId, { ...newUser, email: `sales@${slug}.cn`, role: 'salesperson' }, actorOf);
    // teams → users → teams is a foreign-key cycle: restore relies on deferred constraints for it.
    await tx.updateTable('teams').set({ manager_user_id: admin.id }).where('id', '=', team.id).execute();
    await tx
      .insertInto('api_tokens')
      .values({
        tenant_id: tenantId,
        name: 'ERP sync',
        scopes: ['read', 'write'],
        prefix: 'hk_test',
        secret_hash: `hash-${slug}`,
        created_by_user_id: admin.id,
      })
      .execute();
    await recordAudit(tx, actorOf(), {
      action: 'test.money',
      entityType: 'test',
      entityId: slug,
      after: { n: 1n },
    });
  });
  return tenantId;
}

/** Bigints beyond 2^53 in a bigint column (an audit id), as a JSON number and as a JSON string; bulk rows. */
async function seedAuditRows(db: Database, tenantId: string): Promise<void> {
  await db.system(async (tx) => {
    await sql`INSERT INTO audit_log (tenant_id, id, action, entity_type, entity_id)
      OVERRIDING SYSTEM VALUE VALUES (${tenantId}, ${BIG_MINOR}::bigint, 'big.id', 'test', 'x')`.execute(tx);
  });
  await db.tenant(tenantId, async (tx) => {
    await sql`INSERT INTO audit_log (tenant_id, action, entity_type, entity_id, before, after)
      VALUES (${tenantId}, 'receipt.posted', 'receipt', 'r-1',
        ${`{"amountMinor": ${BIG_MINOR}}`}::jsonb, ${`{"amountMinor": "${BIG_MINOR}"}`}::jsonb)`.execute(tx);
    await sql`INSERT INTO audit_log (tenant_id, action, entity_type, entity_id, after)
      SELECT ${tenantId}, 'bulk', 'row', n::text, jsonb_build_object('n', n)
      FROM generate_series(1, ${BULK_AUDIT_ROWS}) AS n`.execute(tx);
  });
}

/** Every table's rows as PostgreSQL's own JSON text, instants in UTC so two engines compare equal. */
async function snapshotOf(db: Database): Promise<Record<string, string[]>> {
  return db.script(async (run) => {
    await run(`SET LOCAL TimeZone = 'UTC'`);
    const tables =
      await run(`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'huikuan_migrations' ORDER BY 1`);
    const snapshot: Record<string, string[]> = {};
    for (const { name } of tables.rows) {
      const rows = await run(`SELECT to_jsonb(t.*)::text AS row FROM public."${String(name)}" t ORDER BY 1`);
      snapshot[String(name)] = rows.rows.map((row) => String(row.row));
    }
    return snapshot;
  });
}

async function freshPglite(): Promise<Database> {
  const db = databaseFromPglite(await createPglite(undefined));
  await migrate(db);
  return db;
}

function rewriteBackup(from: string, to: string, edit: (lines: string[]) => string[]): void {
  const lines = zlib.gunzipSync(fs.readFileSync(from)).toString('utf8').split('\n');
  fs.writeFileSync(to, zlib.gzipSync(edit(lines).join('\n')));
}

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huikuan-backup-test-'));
  source = await createTestDatabase();
  firstTenantId = await seedOrganization(source, 'acme', 'Acme 回款 "quoted" \\ back');
  await seedOrganization(source, 'globex', 'Globex');
  await seedAuditRows(source, firstTenantId);
  sourceBackup = path.join(workDir, 'source.huikuan.gz');
  await backupDatabase(source, sourceBackup);
}, 120_000);

afterAll(async () => {
  await closeDatabase(source);
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe('backup', () => {
  it('writes a header with the migrations and row counts, then PostgreSQL’s exact JSON text per row', async () => {
    const header = await readBackupHeader(sourceBackup);
    expect(header.format).toBe('huikuan-backup');
    expect(header.migrations).toEqual(readMigrations().map((migration) => migration.id));
    const counts = Object.fromEntries(header.tables.map((table) => [table.name, table.rowCount]));
    expect(Object.keys(counts).sort()).toEqual(Object.keys(await snapshotOf(source)));
    expect(counts).toMatchObject({
      organizations: 2,
      users: 4,
      teams: 2,
      api_tokens: 2,
      audit_log: AUDIT_ROWS,
    });
    expect(header.tables[0]?.name).toBe('organizations');
    const text = zlib.gunzipSync(fs.readFileSync(sourceBackup)).toString('utf8');
    expect(text).toContain(`"before": {"amountMinor": ${BIG_MINOR}}`);
    expect(text).toContain(`"after": {"amountMinor": "${BIG_MINOR}"}`);
    expect(text).toContain(`"id": ${BIG_MINOR}`);
  });

  it('reports progress page by page and once per table', async () => {
    const events: TransferProgress[] = [];
    await backupDatabase(source, path.join(workDir, 'progress.huikuan.gz'), (event) => events.push(event));
    const auditPages = events.filter((event) => event.kind === 'rows' && event.table === 'audit_log');
    expect(auditPages.map((event) => (event.kind === 'rows' ? event.rowsDone : 0))).toEqual([
      5_000,
      10_000,
      AUDIT_ROWS,
    ]);
    const header = await readBackupHeader(sourceBackup);
    expect(events.filter((event) => event.kind === 'table-done')).toHaveLength(header.tables.length);
  });

  it('leaves no file behind when the target folder does not exist', async () => {
    const target = path.join(workDir, 'missing', 'x.gz');
    await expect(backupDatabase(source, target)).rejects.toThrow(/ENOENT/);
    expect(fs.existsSync(target)).toBe(false);
  });
});

describe('restore', () => {
  it('reproduces every row exactly, bigint money included, and identities continue after it', async () => {
    const target = await createTestDatabase();
    try {
      await restoreDatabase(target, sourceBackup);
      expect(await snapshotOf(target)).toEqual(await snapshotOf(source));
      const amounts = await target.script((run) =>
        run(
          `SELECT before->>'amountMinor' AS b, after->>'amountMinor' AS a FROM audit_log WHERE action = 'receipt.posted'`,
        ),
      );
      expect(amounts.rows).toEqual([{ b: BIG_MINOR, a: BIG_MINOR }]);
      const maxId = await target.system((tx) =>
        tx
          .selectFrom('audit_log')
          .select((eb) => eb.fn.max('id').as('id'))
          .executeTakeFirstOrThrow(),
      );
      const actor = { tenantId: firstTenantId, userId: null, tokenId: null, requestId: 't', ip: 't' };
      await target.tenant(firstTenantId, (tx) =>
        recordAudit(tx, actor, { action: 'after.restore', entityType: 'test', entityId: 'x' }),
      );
      const added = await target.system((tx) =>
        tx
          .selectFrom('audit_log')
          .select('id')
          .where('action', '=', 'after.restore')
          .executeTakeFirstOrThrow(),
      );
      expect(maxId.id).toBe(BigInt(BIG_MINOR));
      expect(added.id).toBe(BigInt(BIG_MINOR) + 1n);
    } finally {
      await closeDatabase(target);
    }
  });

  it('loads rows past insert guards (like "no lines on an issued invoice"), which are on again afterwards', async () => {
    const target = await createTestDatabase();
    try {
      await target.script((run) =>
        run(`CREATE FUNCTION test_reject_insert() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'test guard: no new teams'; END $$;
          CREATE TRIGGER test_reject_insert BEFORE INSERT ON teams FOR EACH ROW EXECUTE FUNCTION test_reject_insert();`),
      );
      await restoreDatabase(target, sourceBackup);
      expect((await snapshotOf(target)).teams).toEqual((await snapshotOf(source)).teams);
      await expect(
        target.tenant(firstTenantId, (tx) =>
          tx.insertInto('teams').values({ tenant_id: firstTenantId, name: 'After restore' }).execute(),
        ),
      ).rejects.toThrow(/test guard: no new teams/);
    } finally {
      await closeDatabase(target);
    }
  });

  it('refuses a database that already has rows, naming them, and changes nothing', async () => {
    const target = await createTestDatabase();
    try {
      await seedOrganization(target, 'other', 'Other');
      const before = await snapshotOf(target);
      await expect(restoreDatabase(target, sourceBackup)).rejects.toThrow(
        /not empty \(rows in .*organizations.*\)/,
      );
      expect(await snapshotOf(target)).toEqual(before);
    } finally {
      await closeDatabase(target);
    }
  });

  it('refuses a backup made at a different migration list', async () => {
    const edited = path.join(workDir, 'future.huikuan.gz');
    const current = readMigrations().map((migration) => migration.id);
    rewriteBackup(sourceBackup, edited, ([header = '', ...rest]) => [
      JSON.stringify({ ...JSON.parse(header), migrations: [...current, '9999_future'] }),
      ...rest,
    ]);
    const target = await createTestDatabase();
    try {
      await expect(restoreDatabase(target, edited)).rejects.toThrow(
        `backup was made at migrations [${[...current, '9999_future'].join(', ')}] ` +
          `but the database is at [${current.join(', ')}]`,
      );
      const snapshot = await snapshotOf(target);
      expect(Object.values(snapshot).flat()).toEqual([]);
    } finally {
      await closeDatabase(target);
    }
  });

  it('rolls back everything when the file ends early, leaving no table half restored', async () => {
    const truncated = path.join(workDir, 'truncated.huikuan.gz');
    // Cut inside audit_log, after the tables it depends on were loaded in full.
    rewriteBackup(sourceBackup, truncated, (lines) =>
      lines.slice(0, lines.indexOf('{"table":"audit_log"}') + 100),
    );
    const target = await createTestDatabase();
    try {
      await expect(restoreDatabase(target, truncated)).rejects.toThrow(
        /truncated: table audit_log ends early/,
      );
      const snapshot = await snapshotOf(target);
      expect(Object.values(snapshot).flat()).toEqual([]);
    } finally {
      await closeDatabase(target);
    }
  });
});

describe('restored references', () => {
  it('fail the restore when a row names an organization that is not in the backup (checked per statement, 0022)', async () => {
    const broken = path.join(workDir, 'broken-reference.huikuan.gz');
    const nowhere = randomUUID();
    // The first of Acme's audit entries (the rows come in key order, and the other organization's may come first).
    rewriteBackup(sourceBackup, broken, (lines) => {
      const start = lines.indexOf('{"table":"audit_log"}');
      const at = lines.findIndex((line, index) => index > start && line.includes(firstTenantId));
      return lines.map((line, index) => (index === at ? line.replaceAll(firstTenantId, nowhere) : line));
    });
    expect(zlib.gunzipSync(fs.readFileSync(broken)).toString('utf8')).toContain(nowhere);
    const target = await createTestDatabase();
    try {
      await expect(restoreDatabase(target, broken)).rejects.toThrow(
        /audit_log.*violates its reference to "organizations"/,
      );
      const snapshot = await snapshotOf(target);
      expect(Object.values(snapshot).flat()).toEqual([]);
    } finally {
      await closeDatabase(target);
    }
  });
});

describe.runIf(testEngine === 'postgres')('across engines', () => {
  it('restores a PostgreSQL backup into PGlite', async () => {
    const target = await freshPglite();
    try {
      await restoreDatabase(target, sourceBackup);
      expect(await snapshotOf(target)).toEqual(await snapshotOf(source));
    } finally {
      await closeDatabase(target);
    }
  }, 120_000);

  it('restores a PGlite backup into PostgreSQL', async () => {
    const embedded = await freshPglite();
    const target = await createTestDatabase();
    try {
      const tenantId = await seedOrganization(embedded, 'embedded', 'Embedded 嵌入式');
      await seedAuditRows(embedded, tenantId);
      const file = path.join(workDir, 'pglite.huikuan.gz');
      await backupDatabase(embedded, file);
      await restoreDatabase(target, file);
      expect(await snapshotOf(target)).toEqual(await snapshotOf(embedded));
    } finally {
      await closeDatabase(embedded);
      await closeDatabase(target);
    }
  }, 120_000);
});
