import { amountMinorOrThrow } from '../../platform/money-input';
import {
  addDays,
  allocateByWeights,
  minorToDecimalString,
  planNodeStatus,
  type CalendarDate,
} from '@huikuan/core';
import type { PlanNode, PlanNodeInput } from '@huikuan/core/contracts';
import type { Insertable, Selectable } from 'kysely';
import type { PaymentPlanNodesTable } from '../../db/schema';
import type { Tx } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { planNodeReceivedAsOf } from '../receipts/balances';
import { assertUsersOfOrganization } from './ledger-input';

type PlanContract = {
  tenantId: string;
  contractId: string;
  amountMinor: bigint;
  currency: string;
  signedOn: CalendarDate;
};

const FULL_BP = 10_000n;

/**
 * Each node's amount: fixed amounts as given; percentages as shares of the contract amount split with the
 * largest-remainder method, so 30/60/10 % of ¥100,000.01 add up to exactly ¥100,000.01. The unplanned rest of the
 * contract takes part in the split as one more weight, so a partial plan rounds the same way every time.
 */
function nodeAmountsMinor(contract: PlanContract, nodes: readonly PlanNodeInput[], path: string): bigint[] {
  const percentageIndexes = nodes.flatMap((node, index) => (node.percentageBp !== undefined ? [index] : []));
  const percentSum = percentageIndexes.reduce(
    (sum, index) => sum + BigInt(nodes[index]?.percentageBp ?? 0),
    0n,
  );
  if (percentSum > FULL_BP) {
    throw new AppError('validation_failed', {}, [
      { path, message: `The nodes' percentages add up to ${Number(percentSum) / 100} %, more than 100 %` },
    ]);
  }
  const shares =
    percentageIndexes.length === 0
      ? []
      : allocateByWeights({ amountMinor: contract.amountMinor, currency: contract.currency }, [
          ...percentageIndexes.map((index) => BigInt(nodes[index]?.percentageBp ?? 0)),
          FULL_BP - percentSum,
        ]);
  return nodes.map((node, index) => {
    if (node.amount !== undefined) {
      return amountMinorOrThrow(node.amount, contract.currency, `${path}.${index}.amount`);
    }
    const share = shares[percentageIndexes.indexOf(index)]?.amountMinor ?? 0n;
    if (share === 0n) {
      throw new AppError('validation_failed', {}, [
        { path: `${path}.${index}.percentageBp`, message: 'This share of the contract comes to zero' },
      ]);
    }
    return share;
  });
}

/** A node falls due on its fixed date, or `offsetDays` after its event once the event has a date. */
export function nodeDueDate(
  dueTrigger: string,
  fixedDueDate: CalendarDate | null,
  eventOn: CalendarDate | null,
  offsetDays: number,
): CalendarDate | null {
  if (dueTrigger === 'fixed_date') return fixedDueDate;
  return eventOn === null ? null : addDays(eventOn, offsetDays);
}

/** Validates a plan against its contract and turns it into rows; Σ nodes may not exceed the contract amount. */
export async function planNodeRows(
  tx: Tx,
  contract: PlanContract,
  nodes: readonly PlanNodeInput[],
  path: string,
): Promise<Insertable<PaymentPlanNodesTable>[]> {
  const amounts = nodeAmountsMinor(contract, nodes, path);
  const plannedMinor = amounts.reduce((sum, amount) => sum + amount, 0n);
  if (plannedMinor > contract.amountMinor) {
    const planned = minorToDecimalString(plannedMinor, contract.currency);
    const total = minorToDecimalString(contract.amountMinor, contract.currency);
    throw new AppError('validation_failed', {}, [
      { path, message: `The plan's nodes add up to ${planned}, more than the contract amount ${total}` },
    ]);
  }
  await assertUsersOfOrganization(
    tx,
    contract.tenantId,
    nodes.map((node, index) => ({
      path: `${path}.${index}.responsibleUserId`,
      userId: node.responsibleUserId,
    })),
  );
  return nodes.map((node, index) => {
    // Signing has happened by the time a contract exists, so on_signing nodes are due from the start.
    const eventOn = node.dueTrigger === 'on_signing' ? contract.signedOn : null;
    return {
      tenant_id: contract.tenantId,
      contract_id: contract.contractId,
      seq: index + 1,
      name: node.name,
      amount_minor: amounts[index] ?? 0n,
      currency: contract.currency,
      percentage_bp: node.percentageBp ?? null,
      due_trigger: node.dueTrigger,
      offset_days: node.offsetDays,
      trigger_event_on: eventOn,
      due_date: nodeDueDate(node.dueTrigger, node.dueDate ?? null, eventOn, node.offsetDays),
      method: node.method ?? null,
      responsible_user_id: node.responsibleUserId ?? null,
      acceptor_name: node.acceptorName ?? null,
      acceptance_criteria: node.acceptanceCriteria ?? null,
    };
  });
}

export async function loadPlanNodeRows(
  tx: Tx,
  tenantId: string,
  contractId: string,
): Promise<Selectable<PaymentPlanNodesTable>[]> {
  return tx
    .selectFrom('payment_plan_nodes')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('contract_id', '=', contractId)
    .orderBy('seq')
    .execute();
}

/** Nodes with what they have received and their status (未到期/部分回款/已完成/已逾期) as of a date. */
export async function planNodeViews(
  tx: Tx,
  tenantId: string,
  rows: readonly Selectable<PaymentPlanNodesTable>[],
  asOf: CalendarDate,
): Promise<PlanNode[]> {
  const received = await planNodeReceivedAsOf(
    tx,
    tenantId,
    rows.map((row) => row.id),
    asOf,
  );
  return rows.map((row) => {
    const receivedMinor = received.get(row.id) ?? 0n;
    const openMinor = row.amount_minor > receivedMinor ? row.amount_minor - receivedMinor : 0n;
    return {
      id: row.id,
      contractId: row.contract_id,
      seq: row.seq,
      name: row.name,
      amount: minorToDecimalString(row.amount_minor, row.currency),
      currency: row.currency,
      percentageBp: row.percentage_bp,
      dueTrigger: row.due_trigger as PlanNode['dueTrigger'],
      offsetDays: row.offset_days,
      triggerEventOn: row.trigger_event_on,
      dueDate: row.due_date,
      method: row.method,
      responsibleUserId: row.responsible_user_id,
      acceptorName: row.acceptor_name,
      acceptanceCriteria: row.acceptance_criteria,
      received: minorToDecimalString(receivedMinor, row.currency),
      open: minorToDecimalString(openMinor, row.currency),
      status: planNodeStatus({
        amountMinor: row.amount_minor,
        receivedMinor,
        dueDate: row.due_date as CalendarDate | null,
        today: asOf,
      }),
    };
  });
}
