import {
  invitationPreviewSchema,
  sessionResponseSchema,
  type LoginRequest,
  type SessionResponse,
  type SignupRequest,
} from '@huikuan/core/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { anyResponseSchema, apiRequest } from '../../app/api';
import { SESSION_QUERY_KEY, storeSession } from '../../app/session';

export type AcceptInvitationRequest = { name: string; password: string };
export type ChangePasswordRequest = { currentPassword: string; newPassword: string };

/**
 * Starts a fresh signed-in state: whatever was cached belonged to the previous session (possibly another
 * user or organization), so it is dropped before the new session is stored. The session query itself is
 * updated in place rather than removed, so components already watching it (the locale) see the change.
 * Callers then navigate with `flushSync`, so route guards never see the new session on the old route (a
 * guard would otherwise redirect first and, e.g., lose the `next` path).
 */
export function useBeginSession(): (session: SessionResponse | null) => void {
  const client = useQueryClient();
  return useCallback(
    (session) => {
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_QUERY_KEY[0] });
      storeSession(client, session);
    },
    [client],
  );
}

export function useSignup() {
  return useMutation({
    mutationFn: (request: SignupRequest) =>
      apiRequest('POST', '/api/auth/signup', sessionResponseSchema, request),
  });
}

export function useLogin() {
  return useMutation({
    mutationFn: (request: LoginRequest) =>
      apiRequest('POST', '/api/auth/login', sessionResponseSchema, request),
  });
}

function invitationPath(token: string): string {
  return `/api/invitations/by-token/${encodeURIComponent(token)}`;
}

export function useInvitationPreview(token: string) {
  return useQuery({
    queryKey: ['invitation-preview', token],
    queryFn: () => apiRequest('GET', invitationPath(token), invitationPreviewSchema),
  });
}

export function useAcceptInvitation(token: string) {
  return useMutation({
    mutationFn: (request: AcceptInvitationRequest) =>
      apiRequest('POST', `${invitationPath(token)}/accept`, sessionResponseSchema, request),
  });
}

export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: ChangePasswordRequest) =>
      apiRequest('POST', '/api/auth/password', anyResponseSchema, request),
    // The server may rotate the session (and its CSRF token) on a password change; fetch the current one.
    onSuccess: () => client.invalidateQueries({ queryKey: SESSION_QUERY_KEY }),
  });
}

export function useLogout() {
  return useMutation({
    mutationFn: () => apiRequest('POST', '/api/auth/logout', anyResponseSchema),
  });
}
