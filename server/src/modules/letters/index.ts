/**
 * Letters and statements (催款函, 律师函, 对账单, 对账函): what other modules may use. Rendering reads only; the
 * ladder's letter steps and the monthly statements archive and queue e-mails through messaging's outbox.
 */
export { renderLetter, type RenderedLetter, type RenderLetterInput } from './render-letter';
export { registerLetterStepExecutors } from './step-executors';
export { sendMonthlyStatements } from './monthly-statements';
export { registerLetterRoutes } from './letters.routes';
