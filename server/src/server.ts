import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { systemClock } from './platform/clock';
import type { Config } from './platform/config';
import { assertTenantIsolation, openDatabase, type Database } from './platform/db';
import { migrate } from './platform/migrate';
import { startJobQueue } from './platform/jobs';
import { VERSION } from './platform/version';

export type RunningServer = { app: FastifyInstance; db: Database; url: string; stop(): Promise<void> };

/** Opens the database, applies migrations, checks tenant isolation, then listens. */
export async function startServer(config: Config): Promise<RunningServer> {
  const db = await openDatabase(config);
  try {
    const result = await migrate(db);
    await assertTenantIsolation(db);
    const app = await buildApp({ db, config, clock: systemClock, version: VERSION });
    // The job queue (daily dunning runs, message delivery, statements) runs in the server only, not in buildApp.
    const jobs = await startJobQueue({ db, config, clock: systemClock, version: VERSION });
    if (result.applied.length > 0) app.log.info({ applied: result.applied }, 'migrations applied');
    const url = await app.listen({ port: config.port, host: config.host });
    app.log.info(
      { url, database: db.kind, dataDir: db.kind === 'pglite' ? config.dataDir : undefined },
      'Huikuan is running',
    );
    let stopping: Promise<void> | null = null;
    const stop = () => {
      stopping ??= (async () => {
        await app.close();
        await jobs.stop();
        await db.close();
      })();
      return stopping;
    };
    return { app, db, url, stop };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** Stops accepting requests, lets in-flight ones finish, closes the database (releasing the data-dir lock). */
export function stopOnSignals(server: RunningServer): void {
  const onSignal = (signal: NodeJS.Signals) => {
    server.app.log.info({ signal }, 'shutting down');
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}
