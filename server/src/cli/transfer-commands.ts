import cliProgress from 'cli-progress';
import {
  backupDatabase,
  migrationsForBackup,
  readBackupHeader,
  restoreDatabase,
  type BackupHeader,
  type OnTransferProgress,
} from '../platform/backup';
import { appliedMigrationIds, migrate, readMigrations } from '../platform/migrate';
import { withDatabase, type DatabaseTarget } from './context';

type ProgressReporter = { onProgress: OnTransferProgress; stop(): void };

/** A bar for people at a terminal; one line per table for logs and cron mail, where a bar is noise. */
function createProgressReporter(verb: string, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (!stream.isTTY) {
    return {
      onProgress: (event) => {
        if (event.kind === 'table-done') stream.write(`${verb} ${event.table}: ${event.rowCount} rows\n`);
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream, format: `${verb} {table} |{bar}| {value}/{total} rows`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let isStarted = false;
  let rowsInDoneTables = 0;
  return {
    onProgress: (event) => {
      switch (event.kind) {
        case 'begin': {
          const totalRows = event.tables.reduce((sum, table) => sum + table.rowCount, 0);
          bar.start(Math.max(totalRows, 1), 0, { table: '' });
          isStarted = true;
          return;
        }
        case 'rows':
          bar.update(rowsInDoneTables + event.rowsDone, { table: event.table });
          return;
        case 'table-done':
          rowsInDoneTables += event.rowCount;
          bar.update(rowsInDoneTables, { table: event.table });
          return;
      }
    },
    stop: () => {
      if (isStarted) bar.stop();
    },
  };
}

function describeHeader(header: BackupHeader): string {
  const rows = header.tables.reduce((sum, table) => sum + table.rowCount, 0);
  const version = header.migrations.at(-1) ?? 'none';
  return `${header.tables.length} tables, ${rows} rows, schema at ${version}`;
}

export async function runBackup(target: DatabaseTarget, filePath: string): Promise<string> {
  const reporter = createProgressReporter('Backing up');
  try {
    // No migrate here: a backup taken before an upgrade must capture the database as it was.
    const header = await withDatabase(target, (db) => backupDatabase(db, filePath, reporter.onProgress));
    return `Backup written to ${filePath} (${describeHeader(header)})`;
  } finally {
    reporter.stop();
  }
}

export async function runRestore(target: DatabaseTarget, filePath: string): Promise<string> {
  // Read before the database is opened, so a wrong file fails fast and touches nothing.
  const header = await readBackupHeader(filePath);
  const reporter = createProgressReporter('Restoring');
  try {
    await withDatabase(target, async (db) => {
      // A brand-new database is brought to the backup's version; any other is checked strictly by the restore.
      if ((await appliedMigrationIds(db)).length === 0) {
        await migrate(db, migrationsForBackup(header, readMigrations()));
      }
      await restoreDatabase(db, filePath, reporter.onProgress);
    });
    return `Restored ${filePath} (${describeHeader(header)})`;
  } finally {
    reporter.stop();
  }
}

export async function runMigrate(target: DatabaseTarget): Promise<string> {
  const result = await withDatabase(target, (db) => migrate(db));
  if (result.applied.length === 0)
    return `Database is up to date (${result.alreadyApplied} migrations applied)`;
  return `Applied migrations: ${result.applied.join(', ')}`;
}
