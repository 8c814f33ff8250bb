import {
  activityPageSchema,
  activitySchema,
  caseDetailSchema,
  disputeDetailSchema,
  disputeSchema,
  loggedCallSchema,
  playbookViewSchema,
  promiseSchema,
  timelineSchema,
  worklistBulkResultSchema,
  worklistPageSchema,
  worklistRefreshResultSchema,
  type CreateDisputeRequest,
  type LogCallRequest,
  type PlanVisitRequest,
  type ResolveDisputeV2Request,
  type UpdateCaseRequest,
  type WorklistBulkRequest,
  type playbookSchema,
} from '@huikuan/core/contracts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { apiRequest, withQuery, type QueryParams } from '../../app/api';

const COLLECTIONS_KEY = ['collections'] as const;
const customerPath = (id: string) => `/api/customers/${encodeURIComponent(id)}`;

/** A casework write moves the worklist, the case, the timeline, disputes, approvals and credit: refresh them all. */
function useInvalidateCollections() {
  const client = useQueryClient();
  return () =>
    Promise.all(
      [COLLECTIONS_KEY, ['disputes'], ['credit'], ['approvals'], ['audit'], ['payment-behaviour']].map(
        (queryKey) => client.invalidateQueries({ queryKey }),
      ),
    );
}

export type WorklistFilters = {
  collector: string;
  search?: string;
  approach?: string;
  delinquencyType?: string;
  brokenPromiseOnly?: boolean;
  includeSnoozed?: boolean;
  minScore?: number;
};

export function useWorklist(filters: WorklistFilters) {
  const params: QueryParams = {
    collector: filters.collector,
    search: filters.search || undefined,
    approach: filters.approach,
    delinquencyType: filters.delinquencyType,
    brokenPromiseOnly: filters.brokenPromiseOnly ? 'true' : undefined,
    includeSnoozed: filters.includeSnoozed ? 'true' : undefined,
    minScore: filters.minScore,
  };
  return useInfiniteQuery({
    queryKey: [...COLLECTIONS_KEY, 'worklist', params],
    queryFn: ({ pageParam }) =>
      apiRequest(
        'GET',
        withQuery('/api/worklist', { ...params, cursor: pageParam, limit: 50 }),
        worklistPageSchema,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

export function useRefreshWorklist() {
  const invalidate = useInvalidateCollections();
  return useMutation({
    mutationFn: () => apiRequest('POST', '/api/worklist/refresh', worklistRefreshResultSchema),
    onSuccess: invalidate,
  });
}

export function useBulkWorklist() {
  const invalidate = useInvalidateCollections();
  return useMutation({
    mutationFn: (body: WorklistBulkRequest) =>
      apiRequest('POST', '/api/worklist/bulk', worklistBulkResultSchema, body),
    onSuccess: invalidate,
  });
}

export function useCase(customerId: string) {
  return useQuery({
    queryKey: [...COLLECTIONS_KEY, 'case', customerId],
    queryFn: () => apiRequest('GET', `${customerPath(customerId)}/case`, caseDetailSchema),
  });
}

export function useUpdateCase(customerId: string) {
  const invalidate = useInvalidateCollections();
  return useMutation({
    mutationFn: (body: UpdateCaseRequest) =>
      apiRequest('PUT', `${customerPath(customerId)}/case`, caseDetailSchema, body),
    onSuccess: invalidate,
  });
}

export function useTimeline(customerId: string) {
  return useQuery({
    queryKey: [...COLLECTIONS_KEY, 'timeline', customerId],
    queryFn: () => apiRequest('GET', `${customerPath(customerId)}/timeline`, timelineSchema),
  });
}

export function useLogCall(customerId: string) {
  const invalidate = useInvalidateCollections();
  return useMutation({
    mutationFn: (body: LogCallRequest) =>
      apiRequest('POST', `${customerPath(customerId)}/calls`, loggedCallSchema, body),
    onSuccess: invalidate,
  });
}

export function usePlanVisit(customerId: string) {
  const invalidate = useInvalidateCollections();
  return useMutation({
    mutationFn: (body: PlanVisitRequest) =>
      apiRequest('POST', `${customerPath(customerId)}/visits`, activitySchema, body),
    onSuccess: invalidate,
  });
}

export function useVisitResult() {
  const invalidate = useInvalidateCollections();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; result: string; note?: string }) =>
      apiRequest('POST', `/api/activities/${encodeURIComponent(id)}/visit-result`, loggedCallSchema, body),
    onSuccess: invalidate,
  });
}

export function useAddNote(customerId: string) {
  const invalidate = useInvalidateCollections();
  return useMutation({
    mutationFn: (body: { body: string; kind: 'note' | 'letter' }) =>
      apiRequest('POST', `${customerPath(customerId)}/notes`, activitySchema, body),
    onSuccess: invalidate,
  });
}

export function useCreateTask(customerId: string) {
  const invalidate = useInvalidateCollections();
  return useMutation({
    mutationFn: (body: { title: string; dueOn: string; assigneeUserId?: string }) =>
      apiRequest('POST', `${customerPath(customerId)}/tasks`, activitySchema, body),
    onSuccess: invalidate,
  });
}

export function useCompleteTask() {
  const invalidate = useInvalidateCollections();
  return useMutation({
    mutationFn: (id: string) =>
      apiRequest('POST', `/api/activities/${encodeURIComponent(id)}/done`, activitySchema, {}),
    onSuccess: invalidate,
  });
}

export function useMyTasks() {
  return useQuery({
    queryKey: [...COLLECTIONS_KEY, 'my-tasks'],
    queryFn: () =>
      apiRequest(
        'GET',
        withQuery('/api/activities', { assignee: 'me', openOnly: 'true', limit: 100 }),
        activityPageSchema,
      ),
  });
}

export function useCancelPromise() {
  const invalidate = useInvalidateCollections();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      apiRequest('POST', `/api/promises/${encodeURIComponent(id)}/cancel`, promiseSchema, { reason }),
    onSuccess: invalidate,
  });
}

export function useRaiseCaseDispute() {
  const invalidate = useInvalidateCollections();
  return useMutation({
    mutationFn: (body: CreateDisputeRequest) => apiRequest('POST', '/api/disputes', disputeSchema, body),
    onSuccess: invalidate,
  });
}

export type DisputeAction =
  | { kind: 'resolution'; id: string; body: ResolveDisputeV2Request }
  | { kind: 'withdraw'; id: string; body: { note?: string } }
  | { kind: 'assign'; id: string; body: { ownerUserId: string; note?: string } };

export function useDisputeAction() {
  const invalidate = useInvalidateCollections();
  return useMutation({
    mutationFn: (action: DisputeAction) =>
      apiRequest(
        'POST',
        `/api/disputes/${encodeURIComponent(action.id)}/${action.kind}`,
        disputeDetailSchema,
        action.body,
      ),
    onSuccess: invalidate,
  });
}

export function usePlaybook() {
  return useQuery({
    queryKey: [...COLLECTIONS_KEY, 'playbook'],
    queryFn: () => apiRequest('GET', '/api/playbook', playbookViewSchema),
    staleTime: 5 * 60_000,
  });
}

export type PlaybookDocument = z.input<typeof playbookSchema>;

export function useSavePlaybook() {
  const invalidate = useInvalidateCollections();
  return useMutation({
    mutationFn: (body: PlaybookDocument) => apiRequest('PUT', '/api/playbook', playbookViewSchema, body),
    onSuccess: invalidate,
  });
}

export function useResetPlaybook() {
  const invalidate = useInvalidateCollections();
  return useMutation({
    mutationFn: () => apiRequest('DELETE', '/api/playbook', playbookViewSchema),
    onSuccess: invalidate,
  });
}
