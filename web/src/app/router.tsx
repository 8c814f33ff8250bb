import { lazy, type ComponentType } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { ComingSoonPage } from '../features/modules/ComingSoonPage';
import { NotFound, RedirectIfSignedIn, RequirePermission, RequireSession } from './guards';
import { MODULE_ENTRIES } from './navigation';
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

const moduleRoutes: RouteObject[] = MODULE_ENTRIES.map((entry) => ({
  path: entry.path.slice(1),
  element:
    entry.permission === null ? (
      <ComingSoonPage labelKey={entry.labelKey} />
    ) : (
      <RequirePermission permission={entry.permission}>
        <ComingSoonPage labelKey={entry.labelKey} />
      </RequirePermission>
    ),
}));

const settingsRoutes: RouteObject[] = [
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
