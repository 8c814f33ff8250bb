import type { CalendarDate } from '@huikuan/core';
import type {
  SalesContractDetail,
  replacePlanRequestSchema,
  updateSalesContractRequestSchema,
} from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { assertCreditAllows, withCreditRefusalRecorded } from '../credit/credit-check';
import { visibleContractOrThrow } from './contract-access';
import { contractDetailIn } from './contract-views';
import { assertTeamOfOrganization, assertUsersOfOrganization, organizationToday } from './ledger-input';
import { loadPlanNodeRows, planNodeRows } from './plan-nodes';

export type UpdateContractInput = z.output<typeof updateSalesContractRequestSchema>;

async function detailNow(deps: AppDeps, tx: Tx, actor: Actor, contractId: string) {
  return contractDetailIn(tx, actor, contractId, await organizationToday(tx, actor.tenantId, deps.clock));
}

/** Title, owner, team, terms and notes; the amount, currency, customer and signing date stay as signed. */
export async function updateContract(
  deps: AppDeps,
  actor: Actor,
  contractId: string,
  input: UpdateContractInput,
): Promise<SalesContractDetail> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await visibleContractOrThrow(tx, actor, contractId, { forUpdate: true });
    await assertUsersOfOrganization(tx, actor.tenantId, [{ path: 'ownerUserId', userId: input.ownerUserId }]);
    await assertTeamOfOrganization(tx, actor.tenantId, input.teamId, 'teamId');
    const after = await tx
      .updateTable('contracts')
      .set({
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.ownerUserId !== undefined ? { owner_user_id: input.ownerUserId } : {}),
        ...(input.teamId !== undefined ? { team_id: input.teamId } : {}),
        ...(input.paymentTermsDays !== undefined ? { payment_terms_days: input.paymentTermsDays } : {}),
        ...(input.paymentTermsText !== undefined ? { payment_terms_text: input.paymentTermsText } : {}),
        ...(input.notes !== undefined ? { notes: input.notes } : {}),
        updated_at: deps.clock.now(),
      })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', contractId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'contract.updated',
      entityType: 'contract',
      entityId: contractId,
      before,
      after,
    });
    return detailNow(deps, tx, actor, contractId);
  });
}

/** Whether an issued, unvoided invoice or any allocation points at the contract or its plan. */
async function hasPostedActivity(tx: Tx, tenantId: string, contractId: string): Promise<boolean> {
  const result = await sql<{ found: boolean }>`
    SELECT EXISTS (
      SELECT 1 FROM invoices i WHERE i.tenant_id = ${tenantId} AND i.contract_id = ${contractId}
        AND i.status = 'issued'
        AND NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.tenant_id = i.tenant_id AND v.invoice_id = i.id)
    ) OR EXISTS (
      SELECT 1 FROM allocations a JOIN payment_plan_nodes n ON n.tenant_id = a.tenant_id AND n.id = a.plan_node_id
      WHERE a.tenant_id = ${tenantId} AND n.contract_id = ${contractId}
    ) AS found`.execute(tx);
  return result.rows[0]?.found === true;
}

/**
 * Closing (完结) ends an active contract; cancelling (作废) is only for one nothing was invoiced or received
 * against, because posted invoices and receipts must keep pointing at a live contract.
 */
export async function setContractStatus(
  deps: AppDeps,
  actor: Actor,
  contractId: string,
  status: 'closed' | 'cancelled',
): Promise<SalesContractDetail> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await visibleContractOrThrow(tx, actor, contractId, { forUpdate: true });
    if (before.status !== 'active') {
      throw new AppError('conflict', { detail: `contract ${before.number} is already ${before.status}` });
    }
    if (status === 'cancelled' && (await hasPostedActivity(tx, actor.tenantId, contractId))) {
      throw new AppError('conflict', {
        detail: `contract ${before.number} has issued invoices or receipts; void or reverse them before cancelling`,
      });
    }
    const after = await tx
      .updateTable('contracts')
      .set({ status, updated_at: deps.clock.now() })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', contractId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: status === 'closed' ? 'contract.closed' : 'contract.cancelled',
      entityType: 'contract',
      entityId: contractId,
      before,
      after,
    });
    return detailNow(deps, tx, actor, contractId);
  });
}

/** Whether anything (an invoice, an invoice request, an allocation) refers to one of the contract's nodes. */
async function isPlanReferenced(tx: Tx, tenantId: string, contractId: string): Promise<boolean> {
  const result = await sql<{ found: boolean }>`
    SELECT EXISTS (
      SELECT 1 FROM payment_plan_nodes n WHERE n.tenant_id = ${tenantId} AND n.contract_id = ${contractId} AND (
        EXISTS (SELECT 1 FROM invoices i WHERE i.tenant_id = n.tenant_id AND i.plan_node_id = n.id)
        OR EXISTS (SELECT 1 FROM invoice_requests r WHERE r.tenant_id = n.tenant_id AND r.plan_node_id = n.id)
        OR EXISTS (SELECT 1 FROM allocations a WHERE a.tenant_id = n.tenant_id AND a.plan_node_id = n.id))
    ) AS found`.execute(tx);
  return result.rows[0]?.found === true;
}

export type ReplacePlanInput = z.output<typeof replacePlanRequestSchema>;

/** Replaces the whole plan while nothing refers to its nodes yet; afterwards the plan is part of the record. */
export async function replacePlan(
  deps: AppDeps,
  actor: Actor,
  contractId: string,
  input: ReplacePlanInput,
): Promise<SalesContractDetail> {
  return withCreditRefusalRecorded(deps, actor, () => replacePlanChecked(deps, actor, contractId, input));
}

async function replacePlanChecked(
  deps: AppDeps,
  actor: Actor,
  contractId: string,
  input: ReplacePlanInput,
): Promise<SalesContractDetail> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const contract = await visibleContractOrThrow(tx, actor, contractId, { forUpdate: true });
    if (contract.status === 'cancelled') {
      throw new AppError('conflict', { detail: `contract ${contract.number} is cancelled` });
    }
    if (await isPlanReferenced(tx, actor.tenantId, contractId)) {
      throw new AppError('conflict', {
        detail: `the plan of contract ${contract.number} is referenced by invoices, invoice requests or receipts and can no longer be replaced`,
      });
    }
    const before = await loadPlanNodeRows(tx, actor.tenantId, contractId);
    const rows = await planNodeRows(
      tx,
      {
        tenantId: actor.tenantId,
        contractId,
        amountMinor: contract.amount_minor,
        currency: contract.currency,
        signedOn: contract.signed_on as CalendarDate,
      },
      input.nodes,
      'nodes',
    );
    // A plan that schedules more of the contract is more supply: a customer on hold does not get it. (Exposure
    // stays the contract's uninvoiced amount either way, so the write adds none.)
    const plannedMinor = (nodes: readonly { amount_minor: bigint }[]) =>
      nodes.reduce((sum, node) => sum + node.amount_minor, 0n);
    if (plannedMinor(rows) > plannedMinor(before)) {
      await assertCreditAllows(deps, tx, actor, {
        customerId: contract.customer_id,
        addedExposureMinor: 0n,
        currency: contract.currency,
        action: 'contract.plan_increase',
      });
    }
    await tx
      .deleteFrom('payment_plan_nodes')
      .where('tenant_id', '=', actor.tenantId)
      .where('contract_id', '=', contractId)
      .execute();
    const after =
      rows.length === 0
        ? []
        : await tx.insertInto('payment_plan_nodes').values(rows).returningAll().execute();
    await recordAudit(tx, actor, {
      action: 'contract.plan_replaced',
      entityType: 'contract',
      entityId: contractId,
      before: { planNodes: before },
      after: { planNodes: after },
    });
    return detailNow(deps, tx, actor, contractId);
  });
}
