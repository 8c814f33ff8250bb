import type { DeliveryReport } from '@huikuan/core/contracts';
import { registerJob, scheduleEvery } from '../../platform/jobs';
import type { AppDeps } from '../../platform/deps';
import { deliverDueMessages } from './deliver-messages';

export const DELIVERY_JOB = 'messaging.deliver';
const EVERY_SECONDS = 30;
/** One tick keeps taking batches while there are due messages, but hands over before the next tick is due. */
const TICK_BUDGET_MS = 25_000;

/** One tick of the delivery worker: batches until nothing is due or the tick's time is up. */
export async function deliveryTick(deps: AppDeps): Promise<DeliveryReport> {
  const total: DeliveryReport = { claimed: 0, sent: 0, failed: 0, dead: 0, interrupted: 0 };
  const started = Date.now();
  for (;;) {
    const report = await deliverDueMessages(deps, deps.clock.now());
    for (const key of Object.keys(total) as (keyof DeliveryReport)[]) total[key] += report[key];
    if (report.claimed === 0 || Date.now() - started > TICK_BUDGET_MS) return total;
  }
}

/**
 * The delivery worker on the job queue: every 30 s, one tick across all organizations. A failed tick is not
 * retried by the queue — the next tick comes soon and the messages' own backoff decides what is due.
 */
let isRegistered = false;

export function registerDeliveryJob(): void {
  if (isRegistered) return;
  isRegistered = true;
  registerJob(
    DELIVERY_JOB,
    async (_data, deps) => {
      await deliveryTick(deps);
    },
    { retryLimit: 0 },
  );
  scheduleEvery(DELIVERY_JOB, EVERY_SECONDS);
}
