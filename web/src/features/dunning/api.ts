import {
  dunningActionPageSchema,
  dunningAssignmentSchema,
  dunningPolicyListSchema,
  dunningPolicySchema,
  dunningPreviewSchema,
  dunningRunPageSchema,
  dunningRunSchema,
  okSchema,
  type DunningAssignmentWrite,
  type DunningPolicyWrite,
} from '@huikuan/core/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { apiRequest, withQuery } from '../../app/api';

const KEY = ['dunning'] as const;

export function useDunningPolicies() {
  return useQuery({
    queryKey: [...KEY, 'policies'],
    queryFn: () => apiRequest('GET', '/api/dunning/policies', dunningPolicyListSchema),
  });
}

function useInvalidate() {
  const client = useQueryClient();
  return () => Promise.all(['dunning', 'audit'].map((key) => client.invalidateQueries({ queryKey: [key] })));
}

export function useSavePolicy() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: DunningPolicyWrite }) =>
      id === null
        ? apiRequest('POST', '/api/dunning/policies', dunningPolicySchema, body)
        : apiRequest('PUT', `/api/dunning/policies/${encodeURIComponent(id)}`, dunningPolicySchema, body),
    onSuccess: invalidate,
  });
}

export function useMakeDefaultPolicy() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) =>
      apiRequest('POST', `/api/dunning/policies/${encodeURIComponent(id)}/default`, dunningPolicySchema, {}),
    onSuccess: invalidate,
  });
}

export function useDeletePolicy() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) =>
      apiRequest('DELETE', `/api/dunning/policies/${encodeURIComponent(id)}`, okSchema),
    onSuccess: invalidate,
  });
}

export function useAssignPolicy() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: DunningAssignmentWrite) =>
      apiRequest('POST', '/api/dunning/assignments', dunningAssignmentSchema, body),
    onSuccess: invalidate,
  });
}

export function useRemoveAssignment() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) =>
      apiRequest('DELETE', `/api/dunning/assignments/${encodeURIComponent(id)}`, okSchema),
    onSuccess: invalidate,
  });
}

export function usePreview() {
  return useMutation({
    mutationFn: (asOf: string) => apiRequest('POST', '/api/dunning/preview', dunningPreviewSchema, { asOf }),
  });
}

export function useStartRun() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (asOf: string) => apiRequest('POST', '/api/dunning/runs', dunningRunSchema, { asOf }),
    onSuccess: invalidate,
  });
}

export function useRuns() {
  return useQuery({
    queryKey: [...KEY, 'runs'],
    queryFn: () => apiRequest('GET', withQuery('/api/dunning/runs', { limit: 20 }), dunningRunPageSchema),
  });
}

/** A run's status, polled every second while it is running (the progress bar). */
export function useRun(id: string | null) {
  return useQuery({
    queryKey: [...KEY, 'run', id],
    enabled: id !== null,
    queryFn: () => apiRequest('GET', `/api/dunning/runs/${encodeURIComponent(id ?? '')}`, dunningRunSchema),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 1000 : false),
  });
}

export function useRunActions(id: string | null) {
  return useQuery({
    queryKey: [...KEY, 'run-actions', id],
    enabled: id !== null,
    queryFn: () =>
      apiRequest(
        'GET',
        withQuery(`/api/dunning/runs/${encodeURIComponent(id ?? '')}/actions`, { limit: 200 }),
        dunningActionPageSchema,
      ),
  });
}

/**
 * What a finished run changed: the run list (started as "running"), and what its steps wrote — tasks and cases,
 * letters, messages and notifications, credit holds. Stable, so an effect can call it when a run finishes.
 */
export function useRunFinished() {
  const client = useQueryClient();
  return useCallback(
    () =>
      Promise.all(
        [[...KEY, 'runs'], ['collections'], ['letters'], ['messages'], ['notifications'], ['credit']].map(
          (queryKey) => client.invalidateQueries({ queryKey }),
        ),
      ),
    [client],
  );
}
