import type { LedgerView, TenantLedger } from '../aging/ledger-cache';
import { toMinor } from '../aging/ledger-scan';
import type { DayPeriod, Groups } from './balance-scan';
import type { TenantPlans } from './plan-cache';

/** Per period, group and currency: the amounts of the plan nodes due in it and what they had received by its end. */
export type PlanRow = { idx: number; group_key: string; currency: string; due: bigint; received: bigint };

type CustomerIndex = { ledger: TenantLedger; nodesVersion: number; customers: number; index: Int32Array };

/** Each node slot's customer as an index of the ledger copy, kept while neither copy changes its customers. */
const customerIndexes = new WeakMap<TenantPlans, CustomerIndex>();

function customerIndexOf(plans: TenantPlans, ledger: TenantLedger): Int32Array {
  const kept = customerIndexes.get(plans);
  if (
    kept?.ledger === ledger &&
    kept.nodesVersion === plans.nodesVersion &&
    kept.customers === ledger.customers.length
  ) {
    return kept.index;
  }
  const index = new Int32Array(plans.nodeCount);
  for (let node = 0; node < plans.nodeCount; node += 1) {
    index[node] = ledger.customerIndex.get(plans.customerOf[node] ?? '') ?? -1;
  }
  customerIndexes.set(plans, {
    ledger,
    nodesVersion: plans.nodesVersion,
    customers: ledger.customers.length,
    index,
  });
  return index;
}

/** The period each live node the caller may see is due in (−1: none), for periods in order that do not overlap. */
function periodOfNodes(
  plans: TenantPlans,
  periods: readonly DayPeriod[],
  customerIndex: Int32Array,
  selected: Uint8Array | null,
): Int16Array {
  const periodOf = new Int16Array(plans.nodeCount).fill(-1);
  const firstDay = periods[0]?.fromDay ?? 0;
  const lastDay = periods.at(-1)?.toDay ?? -1;
  for (let node = 0; node < plans.nodeCount; node += 1) {
    const due = plans.dueDay[node] ?? 0;
    if (plans.live[node] !== 1 || due < firstDay || due > lastDay) continue;
    let k = 0;
    while ((periods[k]?.toDay ?? lastDay) < due) k += 1;
    if ((periods[k]?.fromDay ?? 0) > due) continue;
    const customer = customerIndex[node] ?? -1;
    if (customer < 0) {
      // The ledger copy is refreshed after the plan copy and so knows every customer a node can name.
      throw new Error(`plan copy: the customer of plan node ${plans.ids[node]} is not in the ledger copy`);
    }
    if (selected === null || selected[customer] === 1) periodOf[node] = k;
  }
  return periodOf;
}

/** What each node due in a period had received by the end of that period (allocations dated by then). */
function receivedByEnd(
  plans: TenantPlans,
  periods: readonly DayPeriod[],
  periodOf: Int16Array,
): Float64Array {
  const received = new Float64Array(plans.nodeCount);
  const toDays = Int32Array.from(periods, (period) => period.toDay);
  const { mNode, mDay, mAmount, mSource, mGeneration, sourceGeneration } = plans;
  for (let m = 0; m < plans.movementCount; m += 1) {
    const node = mNode[m] ?? 0;
    const k = periodOf[node] ?? -1;
    if (k < 0 || (mDay[m] ?? 0) > (toDays[k] ?? 0)) continue;
    if (mGeneration[m] !== sourceGeneration[mSource[m] ?? 0]) continue;
    received[node] = (received[node] ?? 0) + (mAmount[m] ?? 0);
  }
  return received;
}

/**
 * Plan nodes due in each period and what they had received by its end, from the plan copy: the same figures as
 * the plan-node SQL (kpi-inputs.ts, planTotalsSql), each node capped at its amount so an overpaid node cannot make
 * up for another one. Nodes belong to their contract's customer, grouped as the ledger copy groups customers.
 */
export function planTotalsFromCopy(
  plans: TenantPlans,
  view: LedgerView,
  periods: readonly DayPeriod[],
  groups: Groups,
): PlanRow[] {
  const customerIndex = customerIndexOf(plans, view.ledger);
  const periodOf = periodOfNodes(plans, periods, customerIndex, view.selected);
  const received = receivedByEnd(plans, periods, periodOf);
  const currencies = plans.currencies.length;
  const cells = groups.keys.length * currencies;
  const due = new Float64Array(periods.length * cells);
  const capped = new Float64Array(periods.length * cells);
  const seen = new Uint8Array(periods.length * cells);
  for (let node = 0; node < plans.nodeCount; node += 1) {
    const k = periodOf[node] ?? -1;
    if (k < 0) continue;
    const group = groups.ofCustomer[customerIndex[node] ?? 0] ?? 0;
    const index = k * cells + group * currencies + (plans.currency[node] ?? 0);
    const amount = plans.amount[node] ?? 0;
    due[index] = (due[index] ?? 0) + amount;
    capped[index] = (capped[index] ?? 0) + Math.max(0, Math.min(received[node] ?? 0, amount));
    seen[index] = 1;
  }
  const rows: PlanRow[] = [];
  for (let index = 0; index < seen.length; index += 1) {
    if (seen[index] !== 1) continue;
    const cell = index % cells;
    rows.push({
      idx: Math.floor(index / cells),
      group_key: groups.keys[Math.floor(cell / currencies)] ?? '',
      currency: plans.currencies[cell % currencies] ?? '',
      due: toMinor(due[index] ?? 0),
      received: toMinor(capped[index] ?? 0),
    });
  }
  return rows;
}
