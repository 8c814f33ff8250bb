/** The incentives module's exports for the app, the CLI and other modules. */
export { registerIncentiveRoutes } from './incentives.routes';
export {
  commissionsReport,
  targetsReport,
  type CommissionsReport,
  type TargetsReport,
} from './incentive-reports';
