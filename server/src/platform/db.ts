import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import path from 'node:path';
import type { DB } from '../db/schema';
import { lockDataDir, type DataDirLock } from './data-dir-lock';

export type DatabaseKind = 'pglite' | 'postgres';
export type Tx = Transaction<DB>;

/** The role tenant work runs under: NOSUPERUSER NOBYPASSRLS, so row-level security always applies. */
export const APP_ROLE = 'huikuan_app';

/** Runs SQL text inside one transaction; text without parameters may hold several statements. */
export type ScriptRunner = (text: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

export type Database = {
  kind: DatabaseKind;
  /**
   * Tenant work. The transaction runs as huikuan_app with the tenant set for this transaction only, so row-level
   * security hides every other organization's rows even if a query forgets its tenant filter.
   */
  tenant<T>(tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Platform work that crosses tenants (sign-up, resolving a session, CLI). Runs as the connecting owner. */
  system<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Raw SQL in one transaction, for migrations, backup and restore. */
  script<T>(work: (run: ScriptRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Present for the embedded database (tests clone it). */
  pglite: PGlite | null;
};

/** int8 as bigint (money), date as 'YYYY-MM-DD' text (business dates must not shift by time zone). */
const INT8_OID = 20;
const DATE_OID = 1082;
const pgliteParsers = {
  [INT8_OID]: (value: string) => BigInt(value),
  [DATE_OID]: (value: string) => value,
};

/**
 * Switches an open transaction to tenant work: from here to its end it runs as huikuan_app, and row-level
 * security shows only `tenantId`'s rows. Used directly only where one transaction must first create the tenant.
 */
export async function enterTenant(trx: Tx, tenantId: string): Promise<void> {
  await sql`SET LOCAL ROLE huikuan_app`.execute(trx);
  await sql`SELECT set_config('huikuan.tenant_id', ${tenantId}, true)`.execute(trx);
}

async function runInTenant<T>(trx: Tx, tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  await enterTenant(trx, tenantId);
  return work(trx);
}

function wrap(
  kysely: Kysely<DB>,
  kind: DatabaseKind,
  extras: Pick<Database, 'script' | 'close' | 'pglite'>,
): Database {
  return {
    kind,
    tenant: (tenantId, work) => kysely.transaction().execute((trx) => runInTenant(trx, tenantId, work)),
    system: (work) => kysely.transaction().execute(work),
    ...extras,
  };
}

export function databaseFromPglite(pglite: PGlite, onClose: () => void = () => {}): Database {
  const kysely = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  return wrap(kysely, 'pglite', {
    pglite,
    script: (work) =>
      pglite.transaction((tx) =>
        work(async (text, params) =>
          params && params.length > 0
            ? await tx.query<Record<string, unknown>>(text, params)
            : { rows: (await tx.exec(text)).at(-1)?.rows ?? [] },
        ),
      ),
    // Kysely only closes a connection it has used; one used only through script() is closed here.
    close: async () => {
      await kysely.destroy();
      if (!pglite.closed) await pglite.close();
      onClose();
    },
  });
}

export function databaseFromPostgres(connectionString: string, poolSize = 10): Database {
  const types: pg.CustomTypesConfig = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (oid === INT8_OID) return (value: string) => BigInt(value);
      if (oid === DATE_OID) return (value: string) => value;
      return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
  const pool = new pg.Pool({ connectionString, max: poolSize, types });
  // An idle pooled connection can be cut by the server (restart, failover, admin). Without a listener that error
  // would crash the process; the pool discards the dead client and the next query opens a fresh one.
  pool.on('error', () => undefined);
  const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return wrap(kysely, 'postgres', {
    pglite: null,
    script: async (work) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(async (text, params) => {
          // Text without parameters goes over the simple protocol, which allows several statements; pg then
          // answers with one result per statement.
          const outcome = (await client.query(text, params && params.length > 0 ? params : undefined)) as
            pg.QueryResult | pg.QueryResult[];
          const last = Array.isArray(outcome) ? outcome.at(-1) : outcome;
          return { rows: (last?.rows ?? []) as Record<string, unknown>[] };
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: async () => {
      await kysely.destroy();
      if (!pool.ended) await pool.end();
    },
  });
}

export async function createPglite(dataDir: string | undefined, loadDataDir?: Blob): Promise<PGlite> {
  return PGlite.create({ dataDir, parsers: pgliteParsers, ...(loadDataDir ? { loadDataDir } : {}) });
}

/** Opens PostgreSQL when a connection string is given, else the embedded database under `dataDir` (locked). */
export async function openDatabase(options: {
  databaseUrl: string | null;
  dataDir: string;
}): Promise<Database> {
  if (options.databaseUrl) return databaseFromPostgres(options.databaseUrl);
  const lock: DataDirLock = lockDataDir(options.dataDir);
  try {
    const pglite = await createPglite(path.join(options.dataDir, 'pglite'));
    return databaseFromPglite(pglite, () => lock.release());
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * Refuses to run when tenant work could see across tenants: the app role must not bypass row-level security,
 * and every table with a tenant_id column must have it enabled.
 */
export async function assertTenantIsolation(db: Database): Promise<void> {
  await db.system(async (trx) => {
    await sql`SET LOCAL ROLE huikuan_app`.execute(trx);
    const role = await sql<{ rolsuper: boolean; rolbypassrls: boolean; name: string }>`
      SELECT rolsuper, rolbypassrls, current_user AS name FROM pg_roles WHERE rolname = current_user`.execute(
      trx,
    );
    const row = role.rows[0];
    if (!row || row.name !== APP_ROLE || row.rolsuper || row.rolbypassrls) {
      throw new Error(
        `Refusing to start: tenant queries would run as a role that bypasses row-level security`,
      );
    }
    const unprotected = await sql<{ table_name: string }>`
      SELECT c.relname AS table_name FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND NOT c.relrowsecurity
        AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')`.execute(
      trx,
    );
    if (unprotected.rows.length > 0) {
      const names = unprotected.rows.map((r) => r.table_name).join(', ');
      throw new Error(`Refusing to start: row-level security is off on tenant tables: ${names}`);
    }
  });
}
