import { teamSchema } from '@huikuan/core/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { anyResponseSchema, apiRequest } from '../../app/api';

export const TEAMS_QUERY_KEY = ['teams'] as const;

const teamListSchema = z.object({ items: z.array(teamSchema) });

export type TeamRequest = { name: string; parentId: string | null; managerUserId: string | null };

export function useTeams(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: TEAMS_QUERY_KEY,
    queryFn: async () => (await apiRequest('GET', '/api/teams', teamListSchema)).items,
    enabled: options.enabled ?? true,
  });
}

function useInvalidateTeams() {
  const client = useQueryClient();
  // Member counts shown with users change too when teams change.
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: TEAMS_QUERY_KEY }),
      client.invalidateQueries({ queryKey: ['users'] }),
    ]);
}

export function useCreateTeam() {
  const invalidate = useInvalidateTeams();
  return useMutation({
    mutationFn: (request: TeamRequest) => apiRequest('POST', '/api/teams', anyResponseSchema, request),
    onSuccess: invalidate,
  });
}

export function useUpdateTeam() {
  const invalidate = useInvalidateTeams();
  return useMutation({
    mutationFn: ({ id, ...request }: TeamRequest & { id: string }) =>
      apiRequest('PATCH', `/api/teams/${encodeURIComponent(id)}`, anyResponseSchema, request),
    onSuccess: invalidate,
  });
}

export function useDeleteTeam() {
  const invalidate = useInvalidateTeams();
  return useMutation({
    mutationFn: (id: string) =>
      apiRequest('DELETE', `/api/teams/${encodeURIComponent(id)}`, anyResponseSchema),
    onSuccess: invalidate,
  });
}
