import { amountMinorOrThrow } from '../../platform/money-input';
import type { SalesContractDetail, createSalesContractRequestSchema } from '@huikuan/core/contracts';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit';
import { isUniqueViolation } from '../../platform/db-errors';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { assertCreditAllows, withCreditRefusalRecorded } from '../credit/credit-check';
import { visibleCustomerOrThrow } from '../customers/customer-access';
import { contractDetailIn } from './contract-views';
import { assertTeamOfOrganization, assertUsersOfOrganization, organizationToday } from './ledger-input';
import { planNodeRows } from './plan-nodes';

export type CreateContractInput = z.output<typeof createSalesContractRequestSchema>;

/**
 * Creates a contract (合同) with its payment plan in one transaction. Currency, owner, team and payment terms
 * default to the customer's; the plan's nodes may not add up to more than the contract.
 */
export async function createContract(
  deps: AppDeps,
  actor: Actor,
  input: CreateContractInput,
): Promise<SalesContractDetail> {
  // A refusal by the credit check is audited after the rollback, in a transaction of its own.
  return withCreditRefusalRecorded(deps, actor, () => createContractChecked(deps, actor, input));
}

async function createContractChecked(
  deps: AppDeps,
  actor: Actor,
  input: CreateContractInput,
): Promise<SalesContractDetail> {
  try {
    return await deps.db.tenant(actor.tenantId, async (tx) => {
      const customer = await visibleCustomerOrThrow(tx, actor, input.customerId);
      const currency = input.currency ?? customer.currency;
      const amountMinor = amountMinorOrThrow(input.amount, currency, 'amount', 'non_negative');
      const ownerUserId = input.ownerUserId === undefined ? customer.owner_user_id : input.ownerUserId;
      const teamId = input.teamId === undefined ? customer.team_id : input.teamId;
      await assertUsersOfOrganization(tx, actor.tenantId, [{ path: 'ownerUserId', userId: ownerUserId }]);
      await assertTeamOfOrganization(tx, actor.tenantId, teamId, 'teamId');
      await assertCreditAllows(deps, tx, actor, {
        customerId: customer.id,
        addedExposureMinor: amountMinor,
        currency,
        action: 'contract.create',
      });
      const contract = await tx
        .insertInto('contracts')
        .values({
          tenant_id: actor.tenantId,
          customer_id: customer.id,
          number: input.number,
          title: input.title ?? null,
          owner_user_id: ownerUserId,
          team_id: teamId,
          amount_minor: amountMinor,
          currency,
          signed_on: input.signedOn,
          payment_terms_days: input.paymentTermsDays ?? customer.payment_terms_days,
          payment_terms_text: input.paymentTermsText ?? null,
          notes: input.notes ?? null,
          created_by_user_id: actor.userId,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const nodeRows = await planNodeRows(
        tx,
        {
          tenantId: actor.tenantId,
          contractId: contract.id,
          amountMinor,
          currency,
          signedOn: input.signedOn,
        },
        input.planNodes,
        'planNodes',
      );
      const nodes =
        nodeRows.length === 0
          ? []
          : await tx.insertInto('payment_plan_nodes').values(nodeRows).returningAll().execute();
      await recordAudit(tx, actor, {
        action: 'contract.created',
        entityType: 'contract',
        entityId: contract.id,
        after: { ...contract, planNodes: nodes },
      });
      return contractDetailIn(
        tx,
        actor,
        contract.id,
        await organizationToday(tx, actor.tenantId, deps.clock),
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('conflict', { detail: `contract number "${input.number}" is already used` });
    }
    throw error;
  }
}
