import type { TokenScope } from '@huikuan/core';
import { apiTokenSchema, createApiTokenResponseSchema } from '@huikuan/core/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { anyResponseSchema, apiRequest } from '../../app/api';

const TOKENS_QUERY_KEY = ['api-tokens'] as const;
const tokenListSchema = z.object({ items: z.array(apiTokenSchema) });

export type CreateApiTokenRequest = { name: string; scopes: TokenScope[]; expiresAt: string | null };

export function useApiTokens() {
  return useQuery({
    queryKey: TOKENS_QUERY_KEY,
    queryFn: async () => (await apiRequest('GET', '/api/api-tokens', tokenListSchema)).items,
  });
}

export function useCreateApiToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: CreateApiTokenRequest) =>
      apiRequest('POST', '/api/api-tokens', createApiTokenResponseSchema, request),
    onSuccess: () => client.invalidateQueries({ queryKey: TOKENS_QUERY_KEY }),
  });
}

export function useRevokeApiToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiRequest('DELETE', `/api/api-tokens/${encodeURIComponent(id)}`, anyResponseSchema),
    onSuccess: () => client.invalidateQueries({ queryKey: TOKENS_QUERY_KEY }),
  });
}
