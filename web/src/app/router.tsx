import { lazy, type ComponentType, type ReactNode } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { ComingSoonPage } from '../features/modules/ComingSoonPage';
import { NotFound, RedirectIfSignedIn, RequirePermission, RequireSession } from './guards';
import { MODULE_ENTRIES, type NavEntry } from './navigation';
import { PublicLayout } from './PublicLayout';
import { RouteError } from './RouteError';
import { AppShell } from './shell/AppShell';

/** React.lazy wants a default export; the house style is named exports, so pick the name here. */
function lazyNamed<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}

const LoginPage = lazyNamed(() => import('../features/auth/LoginPage'), 'LoginPage');
const SignupPage = lazyNamed(() => import('../features/auth/SignupPage'), 'SignupPage');
const AcceptInvitationPage = lazyNamed(
  () => import('../features/auth/AcceptInvitationPage'),
  'AcceptInvitationPage',
);
const HomePage = lazyNamed(() => import('../features/home/HomePage'), 'HomePage');
const OrganizationPage = lazyNamed(
  () => import('../features/organization/OrganizationPage'),
  'OrganizationPage',
);
const UsersPage = lazyNamed(() => import('../features/users/UsersPage'), 'UsersPage');
const TeamsPage = lazyNamed(() => import('../features/teams/TeamsPage'), 'TeamsPage');
const ApiTokensPage = lazyNamed(() => import('../features/api-tokens/ApiTokensPage'), 'ApiTokensPage');
const AuditLogPage = lazyNamed(() => import('../features/audit/AuditLogPage'), 'AuditLogPage');
const CustomersPage = lazyNamed(() => import('../features/customers/CustomersPage'), 'CustomersPage');
const CustomerDetailPage = lazyNamed(
  () => import('../features/customers/CustomerDetailPage'),
  'CustomerDetailPage',
);
const ContractsPage = lazyNamed(() => import('../features/contracts/ContractsPage'), 'ContractsPage');
const ContractDetailPage = lazyNamed(
  () => import('../features/contracts/ContractDetailPage'),
  'ContractDetailPage',
);
const InvoicesPage = lazyNamed(() => import('../features/invoices/InvoicesPage'), 'InvoicesPage');
const InvoiceDetailPage = lazyNamed(
  () => import('../features/invoices/InvoiceDetailPage'),
  'InvoiceDetailPage',
);
const ReceiptsPage = lazyNamed(() => import('../features/receipts/ReceiptsPage'), 'ReceiptsPage');
const ReceiptDetailPage = lazyNamed(
  () => import('../features/receipts/ReceiptDetailPage'),
  'ReceiptDetailPage',
);
const ApprovalsPage = lazyNamed(() => import('../features/approvals/ApprovalsPage'), 'ApprovalsPage');
const ImportsPage = lazyNamed(() => import('../features/imports/ImportsPage'), 'ImportsPage');
const AgingPage = lazyNamed(() => import('../features/reports/AgingPage'), 'AgingPage');
const DashboardPage = lazyNamed(() => import('../features/reports/DashboardPage'), 'DashboardPage');
const CreditHoldsPage = lazyNamed(() => import('../features/credit/CreditHoldsPage'), 'CreditHoldsPage');
const WriteOffsPage = lazyNamed(() => import('../features/write-offs/WriteOffsPage'), 'WriteOffsPage');
const WorklistPage = lazyNamed(() => import('../features/collections/WorklistPage'), 'WorklistPage');
const CaseDetailPage = lazyNamed(() => import('../features/collections/CaseDetailPage'), 'CaseDetailPage');
const PlaybookEditorPage = lazyNamed(
  () => import('../features/collections/PlaybookEditorPage'),
  'PlaybookEditorPage',
);
const IncentivesPage = lazyNamed(() => import('../features/incentives/IncentivesPage'), 'IncentivesPage');
const MessageLogPage = lazyNamed(() => import('../features/messaging/MessageLogPage'), 'MessageLogPage');
const ChannelSettingsPage = lazyNamed(
  () => import('../features/messaging/ChannelSettingsPage'),
  'ChannelSettingsPage',
);
const DunningPoliciesPage = lazyNamed(
  () => import('../features/dunning/DunningPoliciesPage'),
  'DunningPoliciesPage',
);
const DunningRunsPage = lazyNamed(() => import('../features/dunning/DunningRunsPage'), 'DunningRunsPage');
const LetterSettingsPage = lazyNamed(
  () => import('../features/letters/LetterSettingsPage'),
  'LetterSettingsPage',
);

/** Built modules: the list page at the menu path, plus a detail page at path/:id where there is one. */
const MODULE_PAGES: Record<string, { list: ComponentType; detail?: ComponentType }> = {
  '/customers': { list: CustomersPage, detail: CustomerDetailPage },
  '/contracts': { list: ContractsPage, detail: ContractDetailPage },
  '/invoices': { list: InvoicesPage, detail: InvoiceDetailPage },
  '/receipts': { list: ReceiptsPage, detail: ReceiptDetailPage },
  '/approvals': { list: ApprovalsPage },
  '/imports': { list: ImportsPage },
  '/aging': { list: AgingPage },
  '/reports': { list: DashboardPage },
  '/write-offs': { list: WriteOffsPage },
  '/targets': { list: IncentivesPage },
  '/messages': { list: MessageLogPage },
  '/credit-holds': { list: CreditHoldsPage },
  '/collections': { list: WorklistPage, detail: CaseDetailPage },
  '/dunning-policies': { list: DunningPoliciesPage },
  '/dunning-runs': { list: DunningRunsPage },
};

function guarded(entry: NavEntry, element: ReactNode): ReactNode {
  return entry.permission === null ? (
    element
  ) : (
    <RequirePermission permission={entry.permission}>{element}</RequirePermission>
  );
}

const moduleRoutes: RouteObject[] = MODULE_ENTRIES.flatMap((entry) => {
  const pages = MODULE_PAGES[entry.path];
  if (pages === undefined)
    return [
      { path: entry.path.slice(1), element: guarded(entry, <ComingSoonPage labelKey={entry.labelKey} />) },
    ];
  const { list: List, detail: Detail } = pages;
  const routes: RouteObject[] = [{ path: entry.path.slice(1), element: guarded(entry, <List />) }];
  if (Detail !== undefined)
    routes.push({ path: `${entry.path.slice(1)}/:id`, element: guarded(entry, <Detail />) });
  return routes;
});

const settingsRoutes: RouteObject[] = [
  {
    path: 'settings/playbook',
    element: (
      <RequirePermission permission="records.read">
        <PlaybookEditorPage />
      </RequirePermission>
    ),
  },
  { path: 'settings', element: <OrganizationPage /> },
  { path: 'settings/organization', element: <OrganizationPage /> },
  {
    path: 'settings/users',
    element: (
      <RequirePermission permission="users.read">
        <UsersPage />
      </RequirePermission>
    ),
  },
  {
    path: 'settings/teams',
    element: (
      <RequirePermission permission="teams.manage">
        <TeamsPage />
      </RequirePermission>
    ),
  },
  {
    path: 'settings/api-tokens',
    element: (
      <RequirePermission permission="tokens.manage">
        <ApiTokensPage />
      </RequirePermission>
    ),
  },
  {
    path: 'settings/audit',
    element: (
      <RequirePermission permission="audit.read">
        <AuditLogPage />
      </RequirePermission>
    ),
  },
  {
    path: 'settings/messaging',
    element: (
      <RequirePermission permission="org.manage">
        <ChannelSettingsPage />
      </RequirePermission>
    ),
  },
  {
    path: 'settings/letters',
    element: (
      <RequirePermission permission="records.read">
        <LetterSettingsPage />
      </RequirePermission>
    ),
  },
];

export const routes: RouteObject[] = [
  {
    element: <PublicLayout />,
    errorElement: <RouteError />,
    children: [
      {
        path: 'login',
        element: (
          <RedirectIfSignedIn>
            <LoginPage />
          </RedirectIfSignedIn>
        ),
      },
      {
        path: 'signup',
        element: (
          <RedirectIfSignedIn>
            <SignupPage />
          </RedirectIfSignedIn>
        ),
      },
      { path: 'invite/:token', element: <AcceptInvitationPage /> },
    ],
  },
  {
    path: '/',
    element: (
      <RequireSession>
        <AppShell />
      </RequireSession>
    ),
    errorElement: <RouteError />,
    children: [
      { index: true, element: <HomePage /> },
      ...moduleRoutes,
      ...settingsRoutes,
      { path: '*', element: <NotFound /> },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}
