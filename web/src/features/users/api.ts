import type { Role } from '@huikuan/core';
import { createInvitationResponseSchema, invitationSchema, userPageSchema } from '@huikuan/core/contracts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { anyResponseSchema, apiRequest, withQuery } from '../../app/api';

export const USERS_QUERY_KEY = ['users'] as const;
const INVITATIONS_QUERY_KEY = ['invitations'] as const;
const PAGE_SIZE = 50;
/** The server's page-size ceiling; pickers (team manager, audit actor) take the first page this size. */
const PICKER_SIZE = 200;

export type UserFilters = { search: string; role: Role | null; teamId: string | null };
export type UpdateUserRequest = { name?: string; role?: Role; teamId?: string | null; isActive?: boolean };
export type CreateInvitationRequest = { email: string; role: Role; teamId: string | null };

export function useUsersPages(filters: UserFilters) {
  return useInfiniteQuery({
    queryKey: [...USERS_QUERY_KEY, 'list', filters],
    queryFn: ({ pageParam }) =>
      apiRequest(
        'GET',
        withQuery('/api/users', { ...filters, cursor: pageParam, limit: PAGE_SIZE }),
        userPageSchema,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

/** Users for pickers; large organizations can still type a search into the list page. */
export function useUserOptions(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: [...USERS_QUERY_KEY, 'options'],
    queryFn: async () =>
      (await apiRequest('GET', withQuery('/api/users', { limit: PICKER_SIZE }), userPageSchema)).items,
    enabled: options.enabled ?? true,
  });
}

export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...request }: UpdateUserRequest & { id: string }) =>
      apiRequest('PATCH', `/api/users/${encodeURIComponent(id)}`, anyResponseSchema, request),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: USERS_QUERY_KEY }),
        client.invalidateQueries({ queryKey: ['teams'] }),
      ]),
  });
}

const invitationListSchema = z.object({ items: z.array(invitationSchema) });

export function useInvitations(options: { enabled: boolean }) {
  return useQuery({
    queryKey: INVITATIONS_QUERY_KEY,
    queryFn: async () => (await apiRequest('GET', '/api/invitations', invitationListSchema)).items,
    enabled: options.enabled,
  });
}

export function useCreateInvitation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: CreateInvitationRequest) =>
      apiRequest('POST', '/api/invitations', createInvitationResponseSchema, request),
    onSuccess: () => client.invalidateQueries({ queryKey: INVITATIONS_QUERY_KEY }),
  });
}

export function useRevokeInvitation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiRequest('DELETE', `/api/invitations/${encodeURIComponent(id)}`, anyResponseSchema),
    onSuccess: () => client.invalidateQueries({ queryKey: INVITATIONS_QUERY_KEY }),
  });
}
