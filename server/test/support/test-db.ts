import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createPglite, databaseFromPglite, databaseFromPostgres, type Database } from '../../src/platform/db';
import { urlForDatabase, adminUrl } from './global-setup';

export type TestEngine = 'pglite' | 'postgres';

export const testEngine: TestEngine = process.env.HUIKUAN_TEST_ENGINE === 'postgres' ? 'postgres' : 'pglite';

/** A fresh, migrated database for one test file, on the engine this project runs. */
export async function createTestDatabase(): Promise<Database> {
  if (testEngine === 'pglite') {
    const template = fs.readFileSync(inject('pgliteTemplatePath'));
    const pglite = await createPglite(undefined, new Blob([template]));
    return databaseFromPglite(pglite);
  }
  return postgresDatabaseFrom(inject('postgresTemplateDb'));
}

/** A fresh database with no migration applied yet (a test of what one migration does to existing rows). */
export async function createEmptyTestDatabase(): Promise<Database> {
  if (testEngine === 'pglite') return databaseFromPglite(await createPglite(undefined));
  return postgresDatabaseFrom('template1');
}

async function postgresDatabaseFrom(template: string): Promise<Database> {
  const name = `huikuan_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const db = databaseFromPostgres(urlForDatabase(name), 20);
  return {
    ...db,
    close: async () => {
      await db.close();
      const cleanup = new pg.Client({ connectionString: adminUrl() });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
