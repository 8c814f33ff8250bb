import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from './db';

/**
 * One ordered, append-only folder of SQL migrations serves PGlite and PostgreSQL alike. Each file runs in its own
 * transaction under an advisory lock, and an applied file whose text later changed stops the migrator: schema
 * history is never rewritten, only extended.
 */
export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../db/migrations');

export type Migration = { id: string; checksum: string; sql: string };
export type MigrationResult = { applied: string[]; alreadyApplied: number };

const LOCK_KEY = 7_146_321_001;

export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      return {
        id: file.replace(/\.sql$/, ''),
        checksum: createHash('sha256').update(text).digest('hex'),
        sql: text,
      };
    });
}

export async function migrate(
  db: Database,
  migrations: Migration[] = readMigrations(),
): Promise<MigrationResult> {
  const applied: string[] = [];
  let alreadyApplied = 0;
  for (const migration of migrations) {
    const didApply = await db.script(async (run) => {
      await run(`SELECT pg_advisory_xact_lock(${LOCK_KEY})`, []);
      await run(`CREATE TABLE IF NOT EXISTS huikuan_migrations (
        id text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const existing = await run('SELECT checksum FROM huikuan_migrations WHERE id = $1', [migration.id]);
      const recorded = existing.rows[0]?.checksum;
      if (recorded !== undefined) {
        if (recorded !== migration.checksum) {
          throw new Error(
            `Migration ${migration.id} was edited after it was applied; add a new migration instead`,
          );
        }
        return false;
      }
      await run(migration.sql);
      await run('INSERT INTO huikuan_migrations (id, checksum) VALUES ($1, $2)', [
        migration.id,
        migration.checksum,
      ]);
      return true;
    });
    if (didApply) applied.push(migration.id);
    else alreadyApplied += 1;
  }
  return { applied, alreadyApplied };
}

export async function appliedMigrationIds(db: Database): Promise<string[]> {
  return db.script(async (run) => {
    const exists = await run(`SELECT to_regclass('huikuan_migrations') IS NOT NULL AS present`);
    if (exists.rows[0]?.present !== true) return [];
    const rows = await run('SELECT id FROM huikuan_migrations ORDER BY id');
    return rows.rows.map((row) => String(row.id));
  });
}
