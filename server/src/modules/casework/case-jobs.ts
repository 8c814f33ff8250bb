import { registerJob, scheduleCron } from '../../platform/jobs';
import type { AppDeps } from '../../platform/deps';
import { refreshCollectionCases } from './cases';

/**
 * The worklist's rows are recomputed for every organization each hour on the job queue (at :45, after the daily
 * dunning run at 06:00 local time has had its chance to create tasks): days overdue grow at midnight, payments and
 * credit notes arrive through other modules, promises break when their date passes. Each organization in its own
 * transaction; a failure is retried by the queue and leaves the previous rows in place.
 */
export const REFRESH_CASES_JOB = 'casework.refresh-cases';

export async function refreshAllOrganizations(deps: Pick<AppDeps, 'db' | 'clock'>): Promise<number> {
  const organizations = await deps.db.system((tx) =>
    tx.selectFrom('organizations').select('tenant_id').execute(),
  );
  for (const organization of organizations) {
    await refreshCollectionCases(deps.db, deps.clock, {
      tenantId: organization.tenant_id,
      userId: null,
      tokenId: null,
      requestId: 'job',
      ip: 'job',
    });
  }
  return organizations.length;
}

export function registerCaseworkJobs(): void {
  registerJob(REFRESH_CASES_JOB, async (_data, deps) => {
    await refreshAllOrganizations(deps);
  });
  scheduleCron(REFRESH_CASES_JOB, process.env.HUIKUAN_WORKLIST_CRON || '45 * * * *');
}
