import type { CalendarDate } from '@huikuan/core';
import type { SalesContractDetail } from '@huikuan/core/contracts';
import { recordAudit } from '../../platform/audit';
import type { AppDeps } from '../../platform/deps';
import { AppError, notFound } from '../../platform/errors';
import { recordScope, type Actor } from '../../platform/request-context';
import { customerScopeCondition } from '../customers/customer-access';
import { contractDetailIn } from './contract-views';
import { organizationToday } from './ledger-input';
import { nodeDueDate } from './plan-nodes';

/**
 * Records that delivery or acceptance happened on a date (催款启动条件): the node then falls due `offsetDays`
 * later. Recording again corrects the date; fixed-date and on-signing nodes have no event to record.
 */
export async function recordPlanNodeEvent(
  deps: AppDeps,
  actor: Actor,
  nodeId: string,
  eventOn: CalendarDate,
): Promise<SalesContractDetail> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await tx
      .selectFrom('payment_plan_nodes as n')
      .innerJoin('contracts as ct', (join) =>
        join.onRef('ct.tenant_id', '=', 'n.tenant_id').onRef('ct.id', '=', 'n.contract_id'),
      )
      .innerJoin('customers as c', (join) =>
        join.onRef('c.tenant_id', '=', 'ct.tenant_id').onRef('c.id', '=', 'ct.customer_id'),
      )
      .selectAll('n')
      .select('ct.status as contract_status')
      .where('n.tenant_id', '=', actor.tenantId)
      .where('n.id', '=', nodeId)
      .where(customerScopeCondition(recordScope(actor), 'c'))
      .forUpdate('n')
      .executeTakeFirst();
    if (!before) throw notFound('plan node');
    if (before.due_trigger !== 'on_delivery' && before.due_trigger !== 'on_acceptance') {
      throw new AppError('conflict', {
        detail: `node "${before.name}" is due ${before.due_trigger === 'fixed_date' ? 'on a fixed date' : 'from the signing date'}; it has no delivery or acceptance event`,
      });
    }
    if (before.contract_status === 'cancelled') {
      throw new AppError('conflict', { detail: 'the contract is cancelled' });
    }
    const after = await tx
      .updateTable('payment_plan_nodes')
      .set({
        trigger_event_on: eventOn,
        due_date: nodeDueDate(before.due_trigger, null, eventOn, before.offset_days),
        updated_at: deps.clock.now(),
      })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', nodeId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'plan_node.event_recorded',
      entityType: 'plan_node',
      entityId: nodeId,
      before,
      after,
    });
    return contractDetailIn(
      tx,
      actor,
      before.contract_id,
      await organizationToday(tx, actor.tenantId, deps.clock),
    );
  });
}
