import { placeDunningCreditHolds } from '../credit/dunning-hold-executor';
import { registerDunningJobs } from './dunning-jobs';
import { registerGroupStepExecutor } from './step-registry';

/**
 * What the dunning module offers other modules: the step registry (executors and pause sources register there), the
 * customer's recorded actions for the timeline, and runs for the job queue and the CLI.
 */
export {
  registerStepExecutor,
  registerBatchStepExecutor,
  registerDunningPauseSource,
  registerRunFollowUp,
  registerGroupStepExecutor,
  singleOfGroup,
  groupOfActions,
  type ChasedItem,
  type DunningGroupOutcome,
  type DunningStepGroup,
  type GroupStepExecutor,
  type DunningActionContext,
  type DunningActionOutcome,
  type DunningPause,
  type DunningPauseSource,
  type StepExecutor,
  type BatchStepExecutor,
} from './step-registry';
export { listCustomerDunningActions } from './run-views';
export { arrayLiteral, raggedUuidParams, textArrayLiteral } from './array-literals';
export { runDunningNow, organizationToday } from './start-run';
export { runScheduledDunning, DAILY_RUN_JOB } from './dunning-jobs';

/**
 * The steps the dunning module does itself — 停止供货 (credit_hold), stored for the credit module to read — and its
 * daily run per organization on the job queue (which only runs where the queue is started: the server).
 */
export function registerDunningStepExecutors(): void {
  registerGroupStepExecutor('credit_hold', placeDunningCreditHolds);
  registerDunningJobs();
}
