import type { Permission } from '@huikuan/core';
import { Button, Result } from 'antd';
import type { ReactNode } from 'react';
import { Link, Navigate, useLocation } from 'react-router';
import { useErrorText } from '../ui/errors';
import { FullPageSpin } from '../ui/FullPageSpin';
import { useT } from './locale';
import { SignedInProvider, useCan, useSessionQuery } from './session';

/** The signed-in part of the app: signed-out visitors go to sign in and come back afterwards. */
export function RequireSession({ children }: { children: ReactNode }) {
  const t = useT();
  const errorText = useErrorText();
  const sessionQuery = useSessionQuery();
  const location = useLocation();
  if (sessionQuery.isPending) return <FullPageSpin />;
  if (sessionQuery.isError) {
    return (
      <Result
        status="error"
        title={t('errors.loadFailed')}
        subTitle={errorText(sessionQuery.error)}
        extra={<Button onClick={() => void sessionQuery.refetch()}>{t('common.retry')}</Button>}
      />
    );
  }
  if (sessionQuery.data === null) {
    const next = `${location.pathname}${location.search}`;
    const target = next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
    return <Navigate to={target} replace />;
  }
  return <SignedInProvider session={sessionQuery.data}>{children}</SignedInProvider>;
}

/** Sign-in and sign-up make no sense while signed in. */
export function RedirectIfSignedIn({ children }: { children: ReactNode }) {
  const { data: session } = useSessionQuery();
  if (session) return <Navigate to="/" replace />;
  return children;
}

/** The server refuses these requests anyway; this shows a clear page instead of a broken one. */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const can = useCan();
  if (can(permission)) return children;
  return <Forbidden />;
}

export function Forbidden() {
  const t = useT();
  return (
    <Result
      status="403"
      title={t('errors.forbiddenTitle')}
      subTitle={t('errors.forbiddenBody')}
      extra={<Link to="/">{t('common.backHome')}</Link>}
    />
  );
}

export function NotFound() {
  const t = useT();
  return (
    <Result
      status="404"
      title={t('errors.notFoundTitle')}
      subTitle={t('errors.notFoundBody')}
      extra={<Link to="/">{t('common.backHome')}</Link>}
    />
  );
}
