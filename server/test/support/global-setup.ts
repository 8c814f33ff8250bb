import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createPglite, databaseFromPglite, databaseFromPostgres } from '../../src/platform/db';
import { migrate } from '../../src/platform/migrate';

declare module 'vitest' {
  // Declaration merging needs an interface here.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  export interface ProvidedContext {
    pgliteTemplatePath: string;
    postgresTemplateDb: string;
  }
}

/**
 * Migrates one template per run and hands it to every test file: a PGlite data-dir dump (loading one is far
 * cheaper than initdb) or a PostgreSQL template database (CREATE DATABASE … TEMPLATE is a file copy).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The project's env reaches its test workers, not this setup; the project name says the engine.
  const engine = project.name.endsWith(':postgres') ? 'postgres' : 'pglite';
  if (engine === 'postgres') return setupPostgres(project);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huikuan-template-'));
  const pglite = await createPglite(path.join(dir, 'db'));
  const db = databaseFromPglite(pglite);
  await migrate(db);
  const dump = await pglite.dumpDataDir('none');
  const dumpPath = path.join(dir, 'template.tar');
  fs.writeFileSync(dumpPath, Buffer.from(await dump.arrayBuffer()));
  await db.close();
  project.provide('pgliteTemplatePath', dumpPath);
  return () => {
    fs.rmSync(dir, { recursive: true, force: true });
    return Promise.resolve();
  };
}

export function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  return url;
}

export function urlForDatabase(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function setupPostgres(project: TestProject): Promise<() => Promise<void>> {
  const templateName = `huikuan_tpl_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${templateName}`);
  await admin.query(`CREATE DATABASE ${templateName}`);
  const db = databaseFromPostgres(urlForDatabase(templateName), 1);
  await migrate(db);
  await db.close();
  await waitUntilNoConnections(admin, templateName);
  project.provide('postgresTemplateDb', templateName);
  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${templateName} WITH (FORCE)`);
    await admin.end();
  };
}

/**
 * A closed client's server process can linger for a moment, and CREATE DATABASE … TEMPLATE refuses a template with
 * any connection, so setup waits until the server has let go of the template.
 */
async function waitUntilNoConnections(admin: pg.Client, database: string): Promise<void> {
  for (let waitedMs = 0; waitedMs < 10_000; waitedMs += 50) {
    const result = await admin.query<{ n: string }>(
      'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1',
      [database],
    );
    if (result.rows[0]?.n === '0') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`template database ${database} still has connections after 10 s`);
}
