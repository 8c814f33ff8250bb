import {
  commissionRuleSetListSchema,
  commissionRuleSetSchema,
  commissionStatementSchema,
  commissionSummarySchema,
  evaluationSchema,
  incentiveSettingsSchema,
  reviewNoteListSchema,
  reviewNoteSchema,
  targetListSchema,
  targetSchema,
  type CommissionRulesBody,
  type IncentiveSettings,
  type TargetRequest,
  type TargetSplit,
} from '@huikuan/core/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { anyResponseSchema, apiRequest, withQuery } from '../../app/api';

const KEY = ['incentives'] as const;

function useInvalidate() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: KEY });
}

export function useTargets(period: string) {
  return useQuery({
    queryKey: [...KEY, 'targets', period],
    queryFn: () => apiRequest('GET', withQuery('/api/collection-targets', { period }), targetListSchema),
  });
}

export function useCreateTarget() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (request: TargetRequest) =>
      apiRequest('POST', '/api/collection-targets', targetSchema, request),
    onSuccess: invalidate,
  });
}

export function useSplitTarget() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, ...body }: TargetSplit & { id: string }) =>
      apiRequest('POST', `/api/collection-targets/${encodeURIComponent(id)}/split`, targetListSchema, body),
    onSuccess: invalidate,
  });
}

export function useDeleteTarget() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) =>
      apiRequest('DELETE', `/api/collection-targets/${encodeURIComponent(id)}`, anyResponseSchema),
    onSuccess: invalidate,
  });
}

export function useRuleSets(period?: string) {
  return useQuery({
    queryKey: [...KEY, 'rules', period ?? null],
    queryFn: () =>
      apiRequest('GET', withQuery('/api/commission-rules', { period }), commissionRuleSetListSchema),
  });
}

export function useCreateRuleSet() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (request: { effectiveFrom: string; rules: CommissionRulesBody; note?: string }) =>
      apiRequest('POST', '/api/commission-rules', commissionRuleSetSchema, request),
    onSuccess: invalidate,
  });
}

export function useIncentiveSettings() {
  return useQuery({
    queryKey: [...KEY, 'settings'],
    queryFn: () => apiRequest('GET', '/api/incentive-settings', incentiveSettingsSchema),
  });
}

export function useUpdateIncentiveSettings() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (request: IncentiveSettings) =>
      apiRequest('PUT', '/api/incentive-settings', incentiveSettingsSchema, request),
    onSuccess: invalidate,
  });
}

export function useStatementSummary(period: string) {
  return useQuery({
    queryKey: [...KEY, 'statements', period],
    queryFn: () =>
      apiRequest('GET', withQuery('/api/commission-statements', { period }), commissionSummarySchema),
  });
}

export function useStatement(userId: string | null, period: string) {
  return useQuery({
    queryKey: [...KEY, 'statement', userId, period],
    enabled: userId !== null,
    queryFn: () =>
      apiRequest(
        'GET',
        withQuery(`/api/commission-statements/${encodeURIComponent(userId ?? '')}`, { period }),
        commissionStatementSchema,
      ),
  });
}

export function useLockStatement() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ userId, period }: { userId: string; period: string }) =>
      apiRequest(
        'POST',
        `/api/commission-statements/${encodeURIComponent(userId)}/lock`,
        commissionStatementSchema,
        {
          period,
        },
      ),
    onSuccess: invalidate,
  });
}

export function useEvaluation(period: string) {
  return useQuery({
    queryKey: [...KEY, 'evaluation', period],
    queryFn: () => apiRequest('GET', withQuery('/api/performance', { period }), evaluationSchema),
  });
}

export function useReviewNotes(userId: string | null) {
  return useQuery({
    queryKey: [...KEY, 'notes', userId],
    enabled: userId !== null,
    queryFn: () => apiRequest('GET', withQuery('/api/review-notes', { userId }), reviewNoteListSchema),
  });
}

export function useAddReviewNote() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (request: { userId: string; period?: string; body: string }) =>
      apiRequest('POST', '/api/review-notes', reviewNoteSchema, request),
    onSuccess: invalidate,
  });
}
