import { onJobQueueStart, registerJob, scheduleCron, type JobQueue } from '../../platform/jobs';
import type { AppDeps } from '../../platform/deps';
import { organizationToday, runDunningNow } from './start-run';

/**
 * The daily dunning run of each organization at its local time (06:00 in organizations.timezone unless
 * HUIKUAN_DUNNING_CRON says otherwise), on the job queue. Schedules are synced when the queue starts and hourly after
 * that, so a new organization or a changed time zone is picked up without a restart.
 */

export const DAILY_RUN_JOB = 'dunning.daily-run';
const SYNC_JOB = 'dunning.sync-schedules';

function dailyCron(): string {
  return process.env.HUIKUAN_DUNNING_CRON || '0 6 * * *';
}

async function syncSchedules(
  deps: Pick<AppDeps, 'db'>,
  queue: Pick<JobQueue, 'scheduleCron'>,
): Promise<number> {
  const organizations = await deps.db.system((tx) =>
    tx.selectFrom('organizations').select(['tenant_id', 'timezone']).execute(),
  );
  for (const organization of organizations) {
    await queue.scheduleCron(DAILY_RUN_JOB, dailyCron(), {
      key: organization.tenant_id,
      tz: organization.timezone,
      data: { tenantId: organization.tenant_id },
    });
  }
  return organizations.length;
}

/** One organization's run as of its today; the run records everything, so a retry of the job is harmless. */
export async function runScheduledDunning(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  tenantId: string,
): Promise<void> {
  const asOf = await organizationToday(deps.db, deps.clock, tenantId);
  const result = await runDunningNow(
    deps.db,
    { tenantId, userId: null, tokenId: null, requestId: 'job', ip: 'job' },
    asOf,
    'schedule',
  );
  if (result.status === 'failed') throw new Error(`dunning run ${result.runId} failed`);
}

let queueForSync: JobQueue | null = null;

export function registerDunningJobs(): void {
  registerJob<{ tenantId?: string }>(DAILY_RUN_JOB, async (data, deps) => {
    if (typeof data.tenantId === 'string') await runScheduledDunning(deps, data.tenantId);
  });
  registerJob(SYNC_JOB, async (_data, deps) => {
    if (queueForSync) await syncSchedules(deps, queueForSync);
  });
  scheduleCron(SYNC_JOB, '17 * * * *');
  onJobQueueStart(async (queue, deps) => {
    queueForSync = queue;
    await syncSchedules(deps, queue);
  });
}
