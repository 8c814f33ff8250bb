import { registerDunningStepExecutors } from './modules/dunning';
import { registerMessagingStepExecutors } from './modules/messaging';
import { registerLetterStepExecutors } from './modules/letters';
import { registerCaseworkStepExecutors } from './modules/casework';
/**
 * The composition root of collection work: every module that does a dunning step (or pauses chasing) registers it
 * here, once. Both the HTTP app and the CLI call this, so a run started either way does the same things.
 */
let isWired = false;

export function wireCollections(): void {
  if (isWired) return;
  isWired = true;
  // Each module inserts one line here: registerXStepExecutors();
  registerDunningStepExecutors();
  registerMessagingStepExecutors();
  registerLetterStepExecutors();
  registerCaseworkStepExecutors();
}
