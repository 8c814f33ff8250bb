import { LETTER_KINDS, type LetterKind } from '@huikuan/core';
import {
  registerStepExecutor,
  type DunningActionContext,
  type DunningActionOutcome,
} from '../dunning/step-registry';
import { archiveLetter, archivedLetterBySourceKey, lockSourceKey } from './archive-letter';
import { registerLawyerLetterApproval, requestLawyerLetter } from './lawyer-letter';
import { renderLetterDetail } from './render-letter';
import { registerStatementJobs } from './statement-jobs';
import { dunningAuditActor, organizationLocale, stepKey } from './step-support';

/**
 * The ladder's letter steps. A 催款函 is about the customer, not one invoice: when several of a customer's items
 * reach the step in one run, the first action renders one letter over all of that customer's chased overdue
 * items (as of the run's date), archives it and queues its e-mail; the others point at the same letter. The key
 * (run, customer, step) makes that hold across retries and restarts of the run, under an advisory lock so two
 * transactions cannot both write it.
 */

/** A policy may name another letter kind as the step's template (e.g. a softer 付款提醒 at +30). */
function letterKindOf(context: DunningActionContext): LetterKind {
  const named = context.step.templateKey;
  return named && (LETTER_KINDS as readonly string[]).includes(named)
    ? (named as LetterKind)
    : 'dunning_letter';
}

async function dunningLetterStep(context: DunningActionContext): Promise<DunningActionOutcome> {
  const { tx, tenantId } = context;
  const key = stepKey('dunning', context);
  await lockSourceKey(tx, key);
  const existing = await archivedLetterBySourceKey(tx, tenantId, key);
  if (existing) {
    return {
      outcome: 'queued',
      refId: existing.id,
      detail: 'included in the letter to this customer in this run',
    };
  }
  const request = {
    tenantId,
    kind: letterKindOf(context),
    customerId: context.customer.id,
    asOf: context.asOf,
    locale: await organizationLocale(tx, tenantId),
  };
  const rendered = await renderLetterDetail(tx, { ...request, isChasedOnly: true });
  const letter = await archiveLetter(tx, {
    actor: dunningAuditActor(tenantId, context.runId),
    request,
    rendered,
    source: { kind: 'dunning_action', key, actionId: context.actionId },
    isEmailed: true,
  });
  return {
    outcome: 'queued',
    refId: letter.id,
    detail: `${rendered.title}: ${rendered.invoiceIds.length} invoice(s)`,
  };
}

let isRegistered = false;

/**
 * Registers the 催款函 and 律师函 steps, the 律师函 approval's effect and the monthly statements job; called once from
 * wireCollections().
 */
export function registerLetterStepExecutors(): void {
  if (isRegistered) return;
  isRegistered = true;
  registerStepExecutor('dunning_letter', dunningLetterStep);
  registerStepExecutor('lawyer_letter', requestLawyerLetter);
  registerLawyerLetterApproval();
  registerStatementJobs();
}
