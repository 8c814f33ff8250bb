import { addDays, calendarDateOrThrow, daysBetween } from '@huikuan/core';
import type { CopyContractRequest, SalesContractDetail } from '@huikuan/core/contracts';
import { recordAudit } from '../../platform/audit';
import { isUniqueViolation } from '../../platform/db-errors';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { assertCreditAllows, withCreditRefusalRecorded } from '../credit/credit-check';
import { visibleContractOrThrow } from './contract-access';
import { contractDetailIn } from './contract-views';
import { organizationToday } from './ledger-input';
import { loadPlanNodeRows, nodeDueDate } from './plan-nodes';

/**
 * 复制合同: a new active contract for the same customer with the source's amount, terms, owner, team and plan, under
 * a new number and signed on `signedOn` (default today). The schema has no draft state for contracts, so the copy
 * is a new contract like any other and passes the same credit check as creating one (a hold must not leak).
 * Event dates are not copied: on_signing nodes fall due from the new signing date, delivery and acceptance nodes
 * wait for their events, fixed-date nodes keep their dates shifted by the gap between the two signing dates.
 */
export async function copyContract(
  deps: AppDeps,
  actor: Actor,
  sourceId: string,
  input: CopyContractRequest,
): Promise<SalesContractDetail> {
  try {
    return await withCreditRefusalRecorded(deps, actor, () =>
      deps.db.tenant(actor.tenantId, async (tx) => {
        const source = await visibleContractOrThrow(tx, actor, sourceId);
        const today = await organizationToday(tx, actor.tenantId, deps.clock);
        const signedOn = input.signedOn === undefined ? today : calendarDateOrThrow(input.signedOn);
        await assertCreditAllows(deps, tx, actor, {
          customerId: source.customer_id,
          addedExposureMinor: source.amount_minor,
          currency: source.currency,
          action: 'contract.copy',
        });
        const contract = await tx
          .insertInto('contracts')
          .values({
            tenant_id: actor.tenantId,
            customer_id: source.customer_id,
            number: input.number,
            title: input.title ?? source.title,
            owner_user_id: source.owner_user_id,
            team_id: source.team_id,
            amount_minor: source.amount_minor,
            currency: source.currency,
            signed_on: signedOn,
            payment_terms_days: source.payment_terms_days,
            payment_terms_text: source.payment_terms_text,
            notes: source.notes,
            created_by_user_id: actor.userId,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        const shiftDays = daysBetween(calendarDateOrThrow(source.signed_on), signedOn);
        const sourceNodes = await loadPlanNodeRows(tx, actor.tenantId, sourceId);
        const nodeRows = sourceNodes.map((node) => {
          const eventOn = node.due_trigger === 'on_signing' ? signedOn : null;
          const fixedDue =
            node.due_trigger === 'fixed_date' && node.due_date !== null
              ? addDays(calendarDateOrThrow(node.due_date), shiftDays)
              : null;
          return {
            tenant_id: actor.tenantId,
            contract_id: contract.id,
            seq: node.seq,
            name: node.name,
            amount_minor: node.amount_minor,
            currency: node.currency,
            percentage_bp: node.percentage_bp,
            due_trigger: node.due_trigger,
            offset_days: node.offset_days,
            trigger_event_on: eventOn,
            due_date: nodeDueDate(node.due_trigger, fixedDue, eventOn, node.offset_days),
            method: node.method,
            responsible_user_id: node.responsible_user_id,
            acceptor_name: node.acceptor_name,
            acceptance_criteria: node.acceptance_criteria,
          };
        });
        const nodes =
          nodeRows.length === 0
            ? []
            : await tx.insertInto('payment_plan_nodes').values(nodeRows).returningAll().execute();
        await recordAudit(tx, actor, {
          action: 'contract.copied',
          entityType: 'contract',
          entityId: contract.id,
          after: { ...contract, copiedFromContractId: sourceId, planNodes: nodes },
        });
        return contractDetailIn(tx, actor, contract.id, today);
      }),
    );
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('conflict', { detail: `contract number "${input.number}" is already used` });
    }
    throw error;
  }
}
