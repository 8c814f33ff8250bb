import type { Permission } from '@huikuan/core';
import { sessionResponseSchema, type SessionResponse } from '@huikuan/core/contracts';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, type ReactNode } from 'react';
import { apiRequest, isApiError, setCsrfToken } from './api';

export const SESSION_QUERY_KEY = ['session'] as const;

/** The signed-in session, or null when the server answers 401 (signed out is a state, not an error). */
async function fetchSession(): Promise<SessionResponse | null> {
  try {
    const session = await apiRequest('GET', '/api/auth/session', sessionResponseSchema);
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function useSessionQuery() {
  return useQuery({ queryKey: SESSION_QUERY_KEY, queryFn: fetchSession, staleTime: 5 * 60_000 });
}

/** Stores a session returned by sign-up, sign-in or accepting an invitation. */
export function storeSession(client: QueryClient, session: SessionResponse | null): void {
  setCsrfToken(session?.csrfToken ?? null);
  client.setQueryData(SESSION_QUERY_KEY, session);
}

export function useStoreSession(): (session: SessionResponse | null) => void {
  const client = useQueryClient();
  return useCallback((session) => storeSession(client, session), [client]);
}

const SignedInContext = createContext<SessionResponse | null>(null);

export function SignedInProvider({ session, children }: { session: SessionResponse; children: ReactNode }) {
  return <SignedInContext.Provider value={session}>{children}</SignedInContext.Provider>;
}

/** The current session inside the signed-in part of the app, where it is guaranteed to exist. */
export function useSession(): SessionResponse {
  const session = useContext(SignedInContext);
  if (session === null) throw new Error('useSession is only available inside the signed-in app shell');
  return session;
}

/** The session where it may be absent (shared components used on public pages too). */
export function useOptionalSession(): SessionResponse | null {
  return useContext(SignedInContext);
}

export function useCan(): (permission: Permission) => boolean {
  const { permissions } = useSession();
  return useCallback((permission) => permissions.includes(permission), [permissions]);
}
