import { minorToDecimalString, type CalendarDate } from '@huikuan/core';
import type { SalesContract, SalesContractDetail } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import type { Actor } from '../../platform/request-context';
import { invoiceBalancesAsOf } from '../receipts/balances';
import { visibleContractOrThrow, type ContractWithCustomer } from './contract-access';
import { organizationToday } from './ledger-input';
import { loadPlanNodeRows, planNodeViews } from './plan-nodes';

export function toContractView(row: ContractWithCustomer): SalesContract {
  return {
    id: row.id,
    number: row.number,
    customerId: row.customer_id,
    customerCode: row.customer_code,
    customerName: row.customer_name,
    title: row.title,
    ownerUserId: row.owner_user_id,
    teamId: row.team_id,
    amount: minorToDecimalString(row.amount_minor, row.currency),
    currency: row.currency,
    signedOn: row.signed_on,
    paymentTermsDays: row.payment_terms_days,
    paymentTermsText: row.payment_terms_text,
    status: row.status as SalesContract['status'],
    notes: row.notes,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

type Actuals = { invoicedMinor: bigint; creditedMinor: bigint; receivedMinor: bigint };

/**
 * What was invoiced against the contract (issued, not voided, by the date) and what was received against its
 * invoices or directly against its plan nodes, each allocation counted once. Two queries whatever the size.
 */
async function contractActuals(
  tx: Tx,
  tenantId: string,
  contractId: string,
  asOf: CalendarDate,
): Promise<Actuals> {
  const invoices = await tx
    .selectFrom('invoices')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('contract_id', '=', contractId)
    .where('status', '=', 'issued')
    .execute();
  const balances = await invoiceBalancesAsOf(
    tx,
    tenantId,
    invoices.map((row) => row.id),
    asOf,
  );
  let invoicedMinor = 0n;
  let creditedMinor = 0n;
  for (const balance of balances.values()) {
    if (balance.isVoid) continue;
    invoicedMinor += balance.totalMinor;
    creditedMinor += balance.creditedMinor;
  }
  const received = await sql<{ received: bigint }>`
    SELECT coalesce(sum(a.amount_minor), 0)::bigint AS received
    FROM allocations a
    WHERE a.tenant_id = ${tenantId} AND a.allocated_on <= ${asOf}::date
      AND (EXISTS (SELECT 1 FROM invoices i WHERE i.tenant_id = a.tenant_id AND i.id = a.invoice_id
                     AND i.contract_id = ${contractId})
        OR EXISTS (SELECT 1 FROM payment_plan_nodes n WHERE n.tenant_id = a.tenant_id AND n.id = a.plan_node_id
                     AND n.contract_id = ${contractId}))`.execute(tx);
  return { invoicedMinor, creditedMinor, receivedMinor: received.rows[0]?.received ?? 0n };
}

/** The contract with its plan, each node's received amount and status, and plan vs actual, as of a date. */
export async function contractDetailIn(
  tx: Tx,
  actor: Actor,
  contractId: string,
  asOf: CalendarDate,
): Promise<SalesContractDetail> {
  const contract = await visibleContractOrThrow(tx, actor, contractId);
  const nodeRows = await loadPlanNodeRows(tx, actor.tenantId, contractId);
  const planNodes = await planNodeViews(tx, actor.tenantId, nodeRows, asOf);
  const actuals = await contractActuals(tx, actor.tenantId, contractId, asOf);
  const plannedMinor = nodeRows.reduce((sum, row) => sum + row.amount_minor, 0n);
  const money = (amountMinor: bigint) => minorToDecimalString(amountMinor, contract.currency);
  return {
    ...toContractView(contract),
    asOf,
    planNodes,
    planVsActual: {
      contractAmount: money(contract.amount_minor),
      plannedTotal: money(plannedMinor),
      unplannedGap: money(contract.amount_minor - plannedMinor),
      invoicedTotal: money(actuals.invoicedMinor),
      creditedTotal: money(actuals.creditedMinor),
      receivedTotal: money(actuals.receivedMinor),
    },
  };
}

export async function getContract(
  deps: AppDeps,
  actor: Actor,
  contractId: string,
  asOf?: CalendarDate,
): Promise<SalesContractDetail> {
  return deps.db.tenant(actor.tenantId, async (tx) =>
    contractDetailIn(
      tx,
      actor,
      contractId,
      asOf ?? (await organizationToday(tx, actor.tenantId, deps.clock)),
    ),
  );
}
