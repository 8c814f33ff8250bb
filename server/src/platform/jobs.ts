import { PgBoss, fromPglite } from 'pg-boss';
import type { AppDeps } from './deps';

/**
 * The job queue: one pg-boss instance in the same database as everything else (PostgreSQL, or the embedded PGlite
 * through pg-boss's `fromPglite` adapter), started by the server, never by `buildApp` (tests start it only when they
 * ask). Modules register what they run at wiring time; `startJobQueue` then creates the queues, starts the workers and
 * sets the schedules:
 *
 *   registerJob('messaging.deliver', (data, deps) => deliverDueMessages(deps, deps.clock.now()));
 *   scheduleEvery('messaging.deliver', 30);                      // every 30 s (throttled: one per window)
 *   registerJob('letters.monthly-statements', handler);
 *   scheduleCron('letters.monthly-statements', '0 7 1 * *');      // 07:00 on the 1st, in the server's zone
 *   scheduleCron('x', '0 6 * * *', { key: tenantId, tz: 'Asia/Shanghai', data: { tenantId } }); // per organization
 *
 * The PGlite hazard: PGlite is one session. Kysely runs every transaction inside `pglite.transaction()`, which holds
 * PGlite's exclusive lock until commit, and `pglite.query()`/`exec()` (what the adapter calls) wait for that same lock,
 * so a pg-boss statement can never land inside one of our transactions (as huikuan_app, with a tenant set) nor
 * interleave with one; it runs between them. pg-boss's own multi-statement blocks go through one `exec()` call, which
 * takes the lock once for the whole block. A long transaction therefore delays jobs, never corrupts them: dunning runs
 * commit every 1,000 items for that reason.
 */

export type JobHandler<T extends object> = (data: T, deps: AppDeps) => Promise<void>;

type JobDefinition = {
  name: string;
  handler: JobHandler<object>;
  retryLimit: number;
  retryDelaySeconds: number;
};

type ScheduleDefinition =
  | {
      kind: 'cron';
      name: string;
      cron: string;
      key: string | undefined;
      tz: string | undefined;
      data: object;
    }
  | { kind: 'every'; name: string; seconds: number; data: object };

const jobs = new Map<string, JobDefinition>();
const schedules: ScheduleDefinition[] = [];
const startHooks: ((queue: JobQueue, deps: AppDeps) => Promise<void>)[] = [];

/** Declares a job: its queue is created and a worker started when the queue starts. A later call replaces it. */
export function registerJob<T extends object>(
  name: string,
  handler: JobHandler<T>,
  options: { retryLimit?: number; retryDelaySeconds?: number } = {},
): void {
  jobs.set(name, {
    name,
    handler: handler as JobHandler<object>,
    retryLimit: options.retryLimit ?? 3,
    retryDelaySeconds: options.retryDelaySeconds ?? 60,
  });
}

/**
 * A cron schedule (five fields). `tz` is an IANA zone (default: UTC); `key` tells schedules of one job apart (one per
 * organization). Registered before start, or on a running queue through `queue.scheduleCron`.
 */
export function scheduleCron(
  name: string,
  cron: string,
  options: { key?: string; tz?: string; data?: object } = {},
): void {
  schedules.push({ kind: 'cron', name, cron, key: options.key, tz: options.tz, data: options.data ?? {} });
}

/** Every `seconds` seconds (for short intervals cron cannot express): one job per window across all servers. */
export function scheduleEvery(name: string, seconds: number, data: object = {}): void {
  schedules.push({ kind: 'every', name, seconds, data });
}

/** Work to do once the queue runs (e.g. the dunning module syncing one daily schedule per organization). */
export function onJobQueueStart(hook: (queue: JobQueue, deps: AppDeps) => Promise<void>): void {
  startHooks.push(hook);
}

export type JobQueue = {
  boss: PgBoss;
  send(name: string, data?: object): Promise<string | null>;
  scheduleCron(
    name: string,
    cron: string,
    options?: { key?: string; tz?: string; data?: object },
  ): Promise<void>;
  unschedule(name: string, key?: string): Promise<void>;
  stop(): Promise<void>;
};

function bossFor(deps: AppDeps): PgBoss {
  const common = { schema: 'pgboss', application_name: 'huikuan-jobs' } as const;
  if (deps.db.pglite) return new PgBoss({ ...common, db: fromPglite(deps.db.pglite), backend: 'pglite' });
  if (!deps.config.databaseUrl) throw new Error('The job queue needs DATABASE_URL or the embedded database');
  return new PgBoss({ ...common, connectionString: deps.config.databaseUrl, max: 4 });
}

/** Starts pg-boss, every registered job's worker and every schedule. Stop it before closing the database. */
export async function startJobQueue(deps: AppDeps): Promise<JobQueue> {
  const boss = bossFor(deps);
  boss.on('error', (error: Error) => console.error(`job queue: ${error.message}`));
  await boss.start();
  const timers: NodeJS.Timeout[] = [];
  for (const job of jobs.values()) {
    await boss.createQueue(job.name, {
      retryLimit: job.retryLimit,
      retryDelay: job.retryDelaySeconds,
      retryBackoff: true,
    });
    await boss.work<object>(job.name, async (batch) => {
      for (const item of batch) await job.handler(item.data ?? {}, deps);
    });
  }
  const queue: JobQueue = {
    boss,
    send: (name, data = {}) => boss.send(name, data),
    scheduleCron: (name, cron, options = {}) =>
      boss.schedule(name, cron, options.data ?? {}, {
        ...(options.tz ? { tz: options.tz } : {}),
        ...(options.key ? { key: options.key } : {}),
      }),
    unschedule: (name, key) => boss.unschedule(name, key),
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
  for (const schedule of schedules) {
    if (schedule.kind === 'cron') {
      await queue.scheduleCron(schedule.name, schedule.cron, schedule);
      continue;
    }
    const send = () =>
      boss.sendThrottled(schedule.name, schedule.data, null, schedule.seconds).catch((error: unknown) => {
        console.error(
          `job queue: ${schedule.name}: ${error instanceof Error ? error.message : String(error)}`,
        );
        return null;
      });
    timers.push(setInterval(() => void send(), schedule.seconds * 1000));
  }
  for (const hook of startHooks) await hook(queue, deps);
  return queue;
}
