import type { CreditSweepResult } from '@huikuan/core/contracts';
import type { AuditActor } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import { todayIn } from '../../platform/clock';
import type { Database } from '../../platform/db';
import { evaluateCustomers, withoutJit } from './credit-position';
import { loadCreditContext } from './credit-settings';
import { recordHoldTransitions } from './hold-state';

/**
 * The daily sweep (issue 5 schedules it): every customer of the organization evaluated in one set-based pass, and
 * every hold placed, released or changed since the last evaluation recorded with its audit entry. A fixed number of
 * statements per 1,000 changes; one tenant transaction.
 */
export async function sweepCreditHolds(
  db: Database,
  clock: Clock,
  actor: AuditActor,
): Promise<CreditSweepResult> {
  return db.tenant(actor.tenantId, async (tx) => {
    const context = await loadCreditContext(tx, actor.tenantId);
    const today = todayIn(clock, context.timezone);
    await withoutJit(tx);
    const evaluations = await evaluateCustomers(tx, actor.tenantId, context, today, {
      kind: 'scope',
      scope: { kind: 'all' },
    });
    const counts = await recordHoldTransitions(tx, actor, evaluations, 'sweep', today, clock.now());
    return {
      asOf: today,
      evaluated: evaluations.length,
      onHold: evaluations.filter((evaluation) => evaluation.causes.length > 0).length,
      warning: evaluations.filter((evaluation) => evaluation.isWarning).length,
      ...counts,
    };
  });
}
