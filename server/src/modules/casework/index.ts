/**
 * Casework's public face for other modules: the dunning steps it does and its pause source, tasks for the ladder,
 * the customer timeline, broken-promise counts for payment behaviour, and the worklist refresh (after each dunning
 * run and daily).
 */
export { registerCaseworkStepExecutors, caseworkPauses } from './step-executors';
export { insertActivity as createTask, type NewActivity } from './activities';
export { listCustomerTimeline } from './timeline';
export { brokenPromiseCounts } from './promises';
export { refreshCollectionCases, refreshCustomerCase } from './cases';
export { registerCaseworkRoutes } from './casework.routes';
