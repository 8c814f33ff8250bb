import { addDays, calendarDateInZone, type CalendarDate } from '@huikuan/core';
import type { AppDeps } from '../../platform/deps';
import { onJobQueueStart, registerJob, scheduleCron, type JobQueue } from '../../platform/jobs';
import { sendMonthlyStatements } from './monthly-statements';

/**
 * 月度对账单 on the job queue: at 07:00 on the 1st of each month in each organization's own time zone, last month's
 * statements go out. Schedules are synced when the queue starts and hourly after that (a new organization or a
 * changed zone is picked up without a restart). A retried or repeated job sends nothing twice: the statements are
 * idempotent per customer and month.
 */

export const MONTHLY_STATEMENTS_JOB = 'letters.monthly-statements';
const SYNC_JOB = 'letters.sync-statement-schedules';

function monthlyCron(): string {
  return process.env.HUIKUAN_STATEMENTS_CRON || '0 7 1 * *';
}

/** The month before the one `today` is in, as YYYY-MM. */
export function previousMonth(today: CalendarDate): string {
  return addDays(`${today.slice(0, 8)}01` as CalendarDate, -1).slice(0, 7);
}

async function syncSchedules(
  deps: Pick<AppDeps, 'db'>,
  queue: Pick<JobQueue, 'scheduleCron'>,
): Promise<void> {
  const organizations = await deps.db.system((tx) =>
    tx.selectFrom('organizations').select(['tenant_id', 'timezone']).execute(),
  );
  for (const organization of organizations) {
    await queue.scheduleCron(MONTHLY_STATEMENTS_JOB, monthlyCron(), {
      key: organization.tenant_id,
      tz: organization.timezone,
      data: { tenantId: organization.tenant_id },
    });
  }
}

export async function runScheduledStatements(deps: AppDeps, tenantId: string): Promise<void> {
  const organization = await deps.db.system((tx) =>
    tx.selectFrom('organizations').select('timezone').where('tenant_id', '=', tenantId).executeTakeFirst(),
  );
  if (!organization) return;
  const today = calendarDateInZone(deps.clock.now(), organization.timezone);
  await sendMonthlyStatements(deps, tenantId, previousMonth(today));
}

let queueForSync: JobQueue | null = null;
let isRegistered = false;

export function registerStatementJobs(): void {
  if (isRegistered) return;
  isRegistered = true;
  registerJob<{ tenantId?: string }>(MONTHLY_STATEMENTS_JOB, async (data, deps) => {
    if (typeof data.tenantId === 'string') await runScheduledStatements(deps, data.tenantId);
  });
  registerJob(SYNC_JOB, async (_data, deps) => {
    if (queueForSync) await syncSchedules(deps, queueForSync);
  });
  scheduleCron(SYNC_JOB, '23 * * * *');
  onJobQueueStart(async (queue, deps) => {
    queueForSync = queue;
    await syncSchedules(deps, queue);
  });
}
