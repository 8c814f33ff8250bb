import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import zlib from 'node:zlib';
import { z } from 'zod';
import type { Database, ScriptRunner } from './db';

/**
 * Logical backups that restore on PGlite and PostgreSQL alike: gzip'd NDJSON with a header line, then per table a
 * `{"table":…}` line followed by one line per row. Each row line is exactly the text PostgreSQL produced for
 * `to_jsonb(row)`, and restore hands those lines back to PostgreSQL untouched, so bigint money never passes through
 * a JS number and no value is reinterpreted on the way.
 */
export const BACKUP_FORMAT = 'huikuan-backup';
export const BACKUP_VERSION = 1;

/** Rows per page when reading and per INSERT when restoring; big enough to amortize round trips. */
const BATCH_ROWS = 5_000;
/** A restore batch is also cut at this size, so a table of wide rows does not build one giant parameter. */
const BATCH_MAX_CHARS = 8 * 1024 * 1024;
const MIGRATIONS_TABLE = 'huikuan_migrations';

export type TableSummary = { name: string; rowCount: number };

export type BackupHeader = {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  createdAt: string;
  migrations: string[];
  tables: TableSummary[];
};

export type TransferProgress =
  | { kind: 'begin'; tables: TableSummary[] }
  | { kind: 'rows'; table: string; rowsDone: number; rowCount: number }
  | { kind: 'table-done'; table: string; rowCount: number };

export type OnTransferProgress = (event: TransferProgress) => void;

const headerSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  createdAt: z.string(),
  migrations: z.array(z.string()),
  tables: z.array(z.object({ name: z.string().min(1), rowCount: z.number().int().nonnegative() })),
});

type KeyColumn = { name: string; sqlType: string };
type TableInfo = { name: string; primaryKey: KeyColumn[] };

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function qualified(table: string): string {
  return `public.${quoteIdent(table)}`;
}

function tableMarker(table: string): string {
  return JSON.stringify({ table });
}

// ---------------------------------------------------------------------------------------------------------------
// Catalog

/** The per-statement reference check of migration 0022 (0 before it). */
const REFERENCE_CHECK_OID = `coalesce(to_regproc('public.huikuan_check_references')::oid, 0)`;

const TABLES_SQL = `
  SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> '${MIGRATIONS_TABLE}'
  ORDER BY c.relname`;

/**
 * Which table refers to which: foreign keys, and the references checked per statement (migration 0022: the trigger's
 * arguments come in fours, the referenced table second), so that a restore loads what is referred to first.
 */
const FOREIGN_KEYS_SQL = `
  SELECT child.relname AS child, parent.relname AS parent FROM pg_constraint k
  JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid
  JOIN pg_namespace n ON n.oid = child.relnamespace
  WHERE k.contype = 'f' AND n.nspname = 'public'
  UNION
  SELECT child.relname, a.arg FROM pg_trigger t
  JOIN pg_class child ON child.oid = t.tgrelid JOIN pg_namespace n ON n.oid = child.relnamespace
  CROSS JOIN LATERAL unnest(string_to_array(encode(t.tgargs, 'escape'), '\\000')) WITH ORDINALITY AS a (arg, i)
  WHERE n.nspname = 'public' AND t.tgfoid = ${REFERENCE_CHECK_OID} AND a.i % 4 = 2`;

const PRIMARY_KEYS_SQL = `
  SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS sql_type
  FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
  WHERE i.indisprimary AND n.nspname = 'public'
  ORDER BY c.relname, array_position(i.indkey::int2[], a.attnum)`;

async function listTableNames(run: ScriptRunner): Promise<string[]> {
  const result = await run(TABLES_SQL);
  return result.rows.map((row) => String(row.name));
}

/**
 * Parents before children, so a restore would succeed even if a future foreign key were not deferrable. A cycle
 * (teams ↔ users) is broken where the depth-first walk meets it; deferred constraints cover those.
 */
function orderByDependencies(names: string[], edges: { child: string; parent: string }[]): string[] {
  const ordered: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const parents = edges.filter((edge) => edge.child === name && names.includes(edge.parent));
    for (const parent of parents.map((edge) => edge.parent).sort()) visit(parent);
    ordered.push(name);
  };
  for (const name of [...names].sort()) visit(name);
  return ordered;
}

async function describeTables(run: ScriptRunner): Promise<TableInfo[]> {
  const names = await listTableNames(run);
  const edges = (await run(FOREIGN_KEYS_SQL)).rows.map((row) => ({
    child: String(row.child),
    parent: String(row.parent),
  }));
  const keys = new Map<string, KeyColumn[]>();
  for (const row of (await run(PRIMARY_KEYS_SQL)).rows) {
    const table = String(row.table_name);
    keys.set(table, [
      ...(keys.get(table) ?? []),
      { name: String(row.column_name), sqlType: String(row.sql_type) },
    ]);
  }
  return orderByDependencies(names, edges).map((name) => {
    const primaryKey = keys.get(name);
    if (!primaryKey) throw new Error(`Table ${name} has no primary key; a backup pages through tables by it`);
    return { name, primaryKey };
  });
}

async function appliedMigrations(run: ScriptRunner): Promise<string[] | null> {
  const exists = await run(`SELECT to_regclass('public.${MIGRATIONS_TABLE}') IS NOT NULL AS present`);
  if (exists.rows[0]?.present !== true) return null;
  const result = await run(`SELECT id FROM public.${MIGRATIONS_TABLE} ORDER BY id`);
  return result.rows.map((row) => String(row.id));
}

// ---------------------------------------------------------------------------------------------------------------
// Backup

type LineWriter = { write(text: string): Promise<void>; commit(): Promise<void>; abort(): Promise<void> };

/** Writes to a temporary file next to the target and renames it into place only once complete. */
async function openLineWriter(filePath: string): Promise<LineWriter> {
  const target = path.resolve(filePath);
  const partial = `${target}.partial-${process.pid}`;
  const file = fs.createWriteStream(partial, { flags: 'wx', flush: true });
  await once(file, 'open');
  const gzip = zlib.createGzip();
  const done = pipeline(gzip, file);
  // Surfaced by `write`, `commit` or `abort`; without this handler a disk error would crash the process first.
  done.catch(() => undefined);
  return {
    async write(text) {
      if (!gzip.write(text)) await Promise.race([once(gzip, 'drain'), done]);
    },
    async commit() {
      gzip.end();
      await done;
      fs.renameSync(partial, target);
    },
    async abort() {
      gzip.destroy();
      await done.catch(() => undefined);
      fs.rmSync(partial, { force: true });
    },
  };
}

async function countRows(run: ScriptRunner, tables: TableInfo[]): Promise<TableSummary[]> {
  const summaries: TableSummary[] = [];
  for (const table of tables) {
    const result = await run(`SELECT count(*)::text AS n FROM ${qualified(table.name)}`);
    summaries.push({ name: table.name, rowCount: Number(result.rows[0]?.n) });
  }
  return summaries;
}

/** One page in primary-key order, starting after `afterKey` (the previous page's last key, as text). */
function pageSql(table: TableInfo, hasAfterKey: boolean): string {
  const keys = table.primaryKey.map((column) => `t.${quoteIdent(column.name)}`);
  const keyTexts = keys.map((key, index) => `${key}::text AS k${index}`).join(', ');
  const params = table.primaryKey.map((column, index) => `$${index + 1}::${column.sqlType}`).join(', ');
  const where = hasAfterKey ? `WHERE (${keys.join(', ')}) > (${params})` : '';
  return `SELECT to_jsonb(t.*)::text AS row, ${keyTexts} FROM ${qualified(table.name)} t ${where}
    ORDER BY ${keys.join(', ')} LIMIT ${BATCH_ROWS}`;
}

async function dumpTable(
  run: ScriptRunner,
  table: TableInfo,
  rowCount: number,
  writer: LineWriter,
  onProgress: OnTransferProgress,
): Promise<void> {
  await writer.write(`${tableMarker(table.name)}\n`);
  let afterKey: string[] | null = null;
  let rowsDone = 0;
  for (;;) {
    const page = await run(pageSql(table, afterKey !== null), afterKey ?? []);
    if (page.rows.length === 0) break;
    const lines = page.rows.map((row) => {
      if (typeof row.row !== 'string') throw new Error(`Row of ${table.name} did not come back as JSON text`);
      return row.row;
    });
    await writer.write(`${lines.join('\n')}\n`);
    rowsDone += lines.length;
    onProgress({ kind: 'rows', table: table.name, rowsDone, rowCount });
    const last = page.rows.at(-1) ?? {};
    afterKey = table.primaryKey.map((_column, index) => String(last[`k${index}`]));
    if (page.rows.length < BATCH_ROWS) break;
  }
  // The snapshot is repeatable read, so the count taken at its start must match what was read.
  if (rowsDone !== rowCount) throw new Error(`Read ${rowsDone} rows of ${table.name}, expected ${rowCount}`);
  onProgress({ kind: 'table-done', table: table.name, rowCount });
}

/** Settings that make the dump independent of server configuration: instants in UTC, RLS never filtering. */
async function useDumpSettings(run: ScriptRunner): Promise<void> {
  // row_security off makes a policy that would hide rows an error, instead of a silently short backup.
  await run(`SET LOCAL row_security = off; SET LOCAL TimeZone = 'UTC'; SET LOCAL IntervalStyle = 'iso_8601'`);
}

/** Writes a consistent snapshot of every table (except the migration log) to `filePath`. */
export async function backupDatabase(
  db: Database,
  filePath: string,
  onProgress: OnTransferProgress = () => {},
): Promise<BackupHeader> {
  const writer = await openLineWriter(filePath);
  try {
    const header = await db.script(async (run) => {
      // Must be the transaction's first statement: every read below then sees one snapshot.
      await run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      await useDumpSettings(run);
      const migrations = await appliedMigrations(run);
      if (migrations === null) throw new Error('The database has no Huikuan schema; nothing to back up');
      const tables = await describeTables(run);
      const summaries = await countRows(run, tables);
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        version: BACKUP_VERSION,
        createdAt: new Date().toISOString(),
        migrations,
        tables: summaries,
      };
      await writer.write(`${JSON.stringify(header)}\n`);
      onProgress({ kind: 'begin', tables: summaries });
      for (const [index, table] of tables.entries()) {
        await dumpTable(run, table, summaries[index]?.rowCount ?? 0, writer, onProgress);
      }
      return header;
    });
    await writer.commit();
    return header;
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading a backup file

type LineReader = { lineNumber: number; next(): Promise<string | null>; close(): Promise<void> };

async function* readLines(filePath: string): AsyncGenerator<string> {
  const file = fs.createReadStream(filePath);
  const gunzip = zlib.createGunzip();
  file.on('error', (error) => gunzip.destroy(error));
  file.pipe(gunzip);
  const decoder = new StringDecoder('utf8');
  let pending = '';
  try {
    for await (const chunk of gunzip) {
      const lines = (pending + decoder.write(chunk as Buffer)).split('\n');
      pending = lines.pop() ?? '';
      yield* lines;
    }
  } catch (error) {
    throw new Error(
      `Cannot read backup file ${filePath}: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    file.destroy();
    gunzip.destroy();
  }
  pending += decoder.end();
  if (pending !== '') yield pending;
}

function openLineReader(filePath: string): LineReader {
  const lines = readLines(filePath);
  const reader: LineReader = {
    lineNumber: 0,
    async next() {
      const item = await lines.next();
      if (item.done) return null;
      reader.lineNumber += 1;
      return item.value;
    },
    async close() {
      await lines.return(undefined);
    },
  };
  return reader;
}

function parseHeaderOrThrow(filePath: string, line: string | null): BackupHeader {
  let parsed: unknown;
  try {
    parsed = line === null ? null : JSON.parse(line);
  } catch {
    parsed = null;
  }
  const result = headerSchema.safeParse(parsed);
  if (!result.success) throw new Error(`${filePath} is not a Huikuan backup (version ${BACKUP_VERSION})`);
  return result.data;
}

export async function readBackupHeader(filePath: string): Promise<BackupHeader> {
  const reader = openLineReader(filePath);
  try {
    return parseHeaderOrThrow(filePath, await reader.next());
  } finally {
    await reader.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Restore

function describeList(items: string[]): string {
  return items.length > 0 ? items.join(', ') : '(none)';
}

/** Restoring is only safe into the same schema version and into empty tables: nothing is merged or overwritten. */
async function assertRestorableTarget(run: ScriptRunner, header: BackupHeader): Promise<void> {
  const migrations = (await appliedMigrations(run)) ?? [];
  if (migrations.join('\n') !== header.migrations.join('\n')) {
    throw new Error(
      `Refusing to restore: the backup was made at migrations [${describeList(header.migrations)}] ` +
        `but the database is at [${describeList(migrations)}]; restore into a database at the backup's version`,
    );
  }
  const tables = await listTableNames(run);
  const inBackup = header.tables.map((table) => table.name);
  const missing = inBackup.filter((name) => !tables.includes(name));
  const extra = tables.filter((name) => !inBackup.includes(name));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `Refusing to restore: tables differ (missing in the database: ${describeList(missing)}; ` +
        `not in the backup: ${describeList(extra)})`,
    );
  }
  const nonEmpty: string[] = [];
  for (const name of tables) {
    const result = await run(`SELECT EXISTS (SELECT 1 FROM ${qualified(name)}) AS has_rows`);
    if (result.rows[0]?.has_rows === true) nonEmpty.push(name);
  }
  if (nonEmpty.length > 0) {
    throw new Error(
      `Refusing to restore: the database is not empty (rows in ${nonEmpty.join(', ')}); ` +
        `restore only into a freshly migrated, empty database`,
    );
  }
}

const INSERTABLE_COLUMNS_SQL = `
  SELECT c.relname AS table_name, a.attname AS column_name FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
  ORDER BY c.relname, a.attnum`;

/** The INSERT per table: generated columns are computed again, identity values are kept as they were. */
async function insertStatements(run: ScriptRunner): Promise<Map<string, string>> {
  const columns = new Map<string, string[]>();
  for (const row of (await run(INSERTABLE_COLUMNS_SQL)).rows) {
    const table = String(row.table_name);
    columns.set(table, [...(columns.get(table) ?? []), quoteIdent(String(row.column_name))]);
  }
  const statements = new Map<string, string>();
  for (const [table, names] of columns) {
    const list = names.join(', ');
    statements.set(
      table,
      `INSERT INTO ${qualified(table)} (${list}) OVERRIDING SYSTEM VALUE
       SELECT ${list} FROM jsonb_populate_recordset(NULL::${qualified(table)}, $1::jsonb)`,
    );
  }
  return statements;
}

async function loadTable(
  run: ScriptRunner,
  reader: LineReader,
  table: TableSummary,
  insertSql: string,
  onProgress: OnTransferProgress,
): Promise<void> {
  const marker = await reader.next();
  if (marker === null) throw new Error(`Backup file is truncated: table ${table.name} is missing`);
  if (marker !== tableMarker(table.name)) {
    throw new Error(`Backup file is damaged: expected table ${table.name} at line ${reader.lineNumber}`);
  }
  let batch: string[] = [];
  let batchChars = 0;
  let rowsDone = 0;
  const flush = async () => {
    // The row lines are PostgreSQL's own JSON text; joined into an array, they go back without being parsed here.
    await run(insertSql, [`[${batch.join(',')}]`]);
    rowsDone += batch.length;
    batch = [];
    batchChars = 0;
    onProgress({ kind: 'rows', table: table.name, rowsDone, rowCount: table.rowCount });
  };
  for (let index = 0; index < table.rowCount; index += 1) {
    const line = await reader.next();
    if (line === null) throw new Error(`Backup file is truncated: table ${table.name} ends early`);
    batch.push(line);
    batchChars += line.length;
    if (batch.length >= BATCH_ROWS || batchChars >= BATCH_MAX_CHARS) await flush();
  }
  if (batch.length > 0) await flush();
  const count = await run(`SELECT count(*)::text AS n FROM ${qualified(table.name)}`);
  if (Number(count.rows[0]?.n) !== table.rowCount) {
    throw new Error(
      `Restored ${String(count.rows[0]?.n)} rows into ${table.name}, expected ${table.rowCount}`,
    );
  }
  onProgress({ kind: 'table-done', table: table.name, rowCount: table.rowCount });
}

/** Plain (non-constraint) user triggers that are on: guards and side effects meant for application writes. */
const PLAIN_TRIGGERS_SQL = `
  SELECT c.relname AS table_name, t.tgname AS trigger_name FROM pg_trigger t
  JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND NOT t.tgisinternal AND t.tgconstraint = 0 AND t.tgenabled = 'O'
    AND t.tgfoid <> ${REFERENCE_CHECK_OID}
  ORDER BY c.relname, t.tgname`;

type TriggerRef = { table: string; trigger: string };

/**
 * Restored rows are history, not new writes: a guard such as "no lines on an issued invoice" would reject rows that
 * were valid when written, and a side-effect trigger would write its effect a second time. So plain triggers are off
 * while loading (as in a pg_dump restore) and back on before commit; the DDL is part of the one transaction, so it
 * is undone with everything else on failure. Constraint triggers stay on: deferred invariant checks run again over
 * the restored rows. So do the references checked per statement (0022), like the foreign keys they stand for: tables
 * are loaded after what they refer to, and a row naming what is not there fails the restore.
 */
async function setPlainTriggers(
  run: ScriptRunner,
  triggers: TriggerRef[],
  isEnabled: boolean,
): Promise<void> {
  const verb = isEnabled ? 'ENABLE' : 'DISABLE';
  for (const { table, trigger } of triggers) {
    await run(`ALTER TABLE ${qualified(table)} ${verb} TRIGGER ${quoteIdent(trigger)}`);
  }
}

async function listPlainTriggers(run: ScriptRunner): Promise<TriggerRef[]> {
  const result = await run(PLAIN_TRIGGERS_SQL);
  return result.rows.map((row) => ({ table: String(row.table_name), trigger: String(row.trigger_name) }));
}

const SEQUENCE_COLUMNS_SQL = `
  SELECT table_name, column_name FROM information_schema.columns
  WHERE table_schema = 'public' AND table_name <> '${MIGRATIONS_TABLE}'
    AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')`;

/** Identity and serial sequences continue after the restored rows, so the next insert does not collide. */
async function resetSequences(run: ScriptRunner): Promise<void> {
  const columns = await run(SEQUENCE_COLUMNS_SQL);
  for (const row of columns.rows) {
    const table = qualified(String(row.table_name));
    const column = String(row.column_name);
    // setval with NULL (an empty table) does nothing, leaving the sequence where it was.
    await run(
      `SELECT setval(pg_get_serial_sequence($1, $2), (SELECT max(${quoteIdent(column)}) FROM ${table}))`,
      [table, column],
    );
  }
}

/**
 * Loads a backup into an empty database at the same migration version, in one transaction: either every row is
 * restored and sequences continue after them, or nothing changes.
 */
export async function restoreDatabase(
  db: Database,
  filePath: string,
  onProgress: OnTransferProgress = () => {},
): Promise<BackupHeader> {
  await fs.promises.access(filePath, fs.constants.R_OK).catch(() => {
    throw new Error(`Cannot read backup file ${filePath}`);
  });
  const reader = openLineReader(filePath);
  try {
    const header = parseHeaderOrThrow(filePath, await reader.next());
    await db.script(async (run) => {
      await run('SET CONSTRAINTS ALL DEFERRED');
      await run('SET LOCAL row_security = off');
      await assertRestorableTarget(run, header);
      const statements = await insertStatements(run);
      const triggers = await listPlainTriggers(run);
      await setPlainTriggers(run, triggers, false);
      onProgress({ kind: 'begin', tables: header.tables });
      for (const table of header.tables) {
        const insertSql = statements.get(table.name);
        if (insertSql === undefined) throw new Error(`Table ${table.name} has no columns to restore`);
        await loadTable(run, reader, table, insertSql, onProgress);
      }
      if ((await reader.next()) !== null) {
        throw new Error(`Backup file is damaged: unexpected data at line ${reader.lineNumber}`);
      }
      // Deferred checks run now rather than at COMMIT, so a broken reference fails inside the work with its own
      // message; and ALTER TABLE refuses a table with deferred checks still pending, so this precedes re-enabling.
      await run('SET CONSTRAINTS ALL IMMEDIATE');
      await setPlainTriggers(run, triggers, true);
      await resetSequences(run);
    });
    return header;
  } finally {
    await reader.close();
  }
}

/**
 * The migrations that bring a fresh database to exactly the backup's version, so a backup from an older release can
 * be restored by a newer one (which then migrates forward on start).
 */
export function migrationsForBackup<T extends { id: string }>(header: BackupHeader, available: T[]): T[] {
  const ids = available.map((migration) => migration.id);
  const isPrefix = header.migrations.every((id, index) => ids[index] === id);
  if (!isPrefix) {
    throw new Error(
      `The backup was made at migrations [${describeList(header.migrations)}], ` +
        `which this release does not have in that order; restore it with the release that made it`,
    );
  }
  return available.slice(0, header.migrations.length);
}
