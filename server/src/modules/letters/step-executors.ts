import {
  registerGroupStepExecutor,
  registerRunFollowUp,
  registerStepExecutor,
  singleOfGroup,
} from '../dunning/step-registry';
import { registerLawyerLetterApproval, requestLawyerLetters } from './lawyer-letter';
import { queueDunningLetters, registerRenderJob, renderPendingLetters } from './pending-letters';
import { registerStatementJobs } from './statement-jobs';

/**
 * The ladder's letter steps: 催款函 (dunning_letter, rendered after the run: pending-letters.ts) and 律师函
 * (lawyer_letter, an approval request first: lawyer-letter.ts). Both are about a customer, not an invoice: one
 * letter or request per customer per step per run, keyed by (run, customer, step) across retries and restarts.
 */

let isRegistered = false;

/**
 * Registers the 催款函 and 律师函 steps (group and single forms), the rendering of a run's letters after it (and the
 * job that picks up what a crash left), the 律师函 approval's effect and the monthly statements job; called once
 * from wireCollections().
 */
export function registerLetterStepExecutors(): void {
  if (isRegistered) return;
  isRegistered = true;
  registerGroupStepExecutor('dunning_letter', queueDunningLetters);
  registerStepExecutor('dunning_letter', singleOfGroup(queueDunningLetters));
  registerGroupStepExecutor('lawyer_letter', requestLawyerLetters);
  registerStepExecutor('lawyer_letter', singleOfGroup(requestLawyerLetters));
  registerRunFollowUp(async (db, tenantId) => {
    await renderPendingLetters(db, tenantId);
  });
  registerRenderJob();
  registerLawyerLetterApproval();
  registerStatementJobs();
}
