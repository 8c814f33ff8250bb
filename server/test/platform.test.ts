import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/platform/config';
import { DataDirLockedError, lockDataDir } from '../src/platform/data-dir-lock';
import { assertTenantIsolation } from '../src/platform/db';
import { migrate, readMigrations } from '../src/platform/migrate';
import { createTestApp, signUp, type TestApp } from './support/test-app';
import { createTestDatabase, testEngine } from './support/test-db';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
});
afterAll(() => t.close());

describe('HTTP surface', () => {
  it('answers health with the database engine in use', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: testEngine, version: 'test' });
  });

  it('answers unknown API routes with a 404 error body', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/no/such/thing',
      headers: { 'accept-language': 'en' },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toMatchObject({ code: 'route_not_found', message: 'No such endpoint' });
  });

  it('never sends a stack trace to the client on an unexpected failure', async () => {
    const app = await buildApp({
      db: t.db,
      clock: t.clock,
      config: loadConfig({}, { logLevel: 'silent', webDistDir: '/nonexistent' }),
      version: 'test',
    });
    app.get('/api/explode-for-test', () => {
      throw new Error('secret internal detail at /srv/app.ts:12');
    });
    const response = await app.inject({ method: 'GET', url: '/api/explode-for-test' });
    expect(response.statusCode).toBe(500);
    expect(response.json().error.code).toBe('internal');
    expect(response.body).not.toMatch(/secret internal detail|\.ts:|at /);
    await app.close();
  });

  it('rejects malformed JSON and a bad path parameter with 400', async () => {
    const admin = await signUp(t.app);
    const badJson = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"organizationSlug":',
    });
    expect(badJson.statusCode).toBe(400);
    const badId = await admin.request('PATCH', '/api/users/not-a-uuid', { name: 'x' });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.issues[0].path).toBe('id');
  });

  it('serves the OpenAPI document and its viewer', async () => {
    const spec = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(spec.statusCode).toBe(200);
    const paths = Object.keys(spec.json().paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/api/auth/login', '/api/users/{id}', '/api/audit', '/api/health']),
    );
    const login = spec.json().paths['/api/auth/login'].post;
    expect(login.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['organizationSlug', 'email', 'password']),
    );
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toMatch(/swagger/i);
  });
});

describe('migrations', () => {
  it('applies nothing the second time', async () => {
    expect(await migrate(t.db)).toEqual({ applied: [], alreadyApplied: readMigrations().length });
  });

  it('stops when an applied migration was edited, instead of drifting', async () => {
    const edited = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
    await expect(migrate(t.db, edited)).rejects.toThrow(/was edited after it was applied/);
  });

  it('applies a new migration once even when two migrators race', async () => {
    const db = await createTestDatabase();
    try {
      const extra = { id: '9999_test_extra', checksum: 'x', sql: 'CREATE TABLE race_probe (id int);' };
      const results = await Promise.all([
        migrate(db, [...readMigrations(), extra]),
        migrate(db, [...readMigrations(), extra]),
      ]);
      expect(results.flatMap((r) => r.applied)).toEqual(['9999_test_extra']);
    } finally {
      await db.close();
    }
  });
});

describe('start-up guard', () => {
  it('refuses to run when a tenant table has row-level security switched off', async () => {
    const db = await createTestDatabase();
    try {
      await assertTenantIsolation(db);
      await db.system((tx) => sql`ALTER TABLE teams DISABLE ROW LEVEL SECURITY`.execute(tx));
      await expect(assertTenantIsolation(db)).rejects.toThrow(
        /row-level security is off on tenant tables: teams/,
      );
    } finally {
      await db.close();
    }
  });

  it.runIf(testEngine === 'pglite')(
    'refuses to run when the application role can bypass row-level security',
    async () => {
      // Roles are cluster-wide; only the embedded engine's private cluster may be altered in a test.
      const db = await createTestDatabase();
      try {
        await db.system((tx) => sql`ALTER ROLE huikuan_app BYPASSRLS`.execute(tx));
        await expect(assertTenantIsolation(db)).rejects.toThrow(/bypasses row-level security/);
      } finally {
        await db.close();
      }
    },
  );
});

describe('data directory lock', () => {
  it('lets one process hold a PGlite directory and tells a second who holds it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huikuan-lock-'));
    const lock = lockDataDir(dir);
    fs.writeFileSync(path.join(dir, 'huikuan.lock'), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(
      new RegExp(`in use by another Huikuan process \\(PID ${process.ppid}\\)`),
    );
    fs.writeFileSync(path.join(dir, 'huikuan.lock'), String(process.pid));
    lock.release();
    expect(fs.existsSync(path.join(dir, 'huikuan.lock'))).toBe(false);
    fs.rmSync(dir, { recursive: true });
  });

  it('takes over a lock left behind by a process that no longer exists', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huikuan-lock-'));
    fs.writeFileSync(path.join(dir, 'huikuan.lock'), '999999999');
    const lock = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, 'huikuan.lock'), 'utf8')).toBe(String(process.pid));
    lock.release();
    fs.rmSync(dir, { recursive: true });
  });
});
