import { approvalPageSchema, approvalRequestSchema, type ApprovalKind } from '@huikuan/core/contracts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest, withQuery } from '../../app/api';

export const APPROVALS_QUERY_KEY = ['approvals'] as const;
const PAGE_SIZE = 50;
/** The badge counts up to one server page; beyond that it shows "200+". */
const COUNT_LIMIT = 200;

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'cancelled';
export type ApprovalFilters = { status: ApprovalStatus | null; kind: ApprovalKind | null };

export function useApprovalsPages(filters: ApprovalFilters) {
  return useInfiniteQuery({
    queryKey: [...APPROVALS_QUERY_KEY, 'list', filters],
    queryFn: ({ pageParam }) =>
      apiRequest(
        'GET',
        withQuery('/api/approvals', { ...filters, cursor: pageParam, limit: PAGE_SIZE }),
        approvalPageSchema,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

/** Pending approvals for the menu badge: one light request, refreshed now and then. */
export function usePendingApprovalCount(options: { enabled: boolean }) {
  return useQuery({
    queryKey: [...APPROVALS_QUERY_KEY, 'pending-count'],
    queryFn: async () => {
      const page = await apiRequest(
        'GET',
        withQuery('/api/approvals', { status: 'pending', limit: COUNT_LIMIT }),
        approvalPageSchema,
      );
      return { count: page.items.length, hasMore: page.nextCursor !== null };
    },
    enabled: options.enabled,
    refetchInterval: 60_000,
  });
}

export function useDecideApproval() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      decision,
      comment,
    }: {
      id: string;
      decision: 'approve' | 'reject';
      comment?: string;
    }) =>
      apiRequest('POST', `/api/approvals/${encodeURIComponent(id)}/decision`, approvalRequestSchema, {
        decision,
        comment,
      }),
    // An approval's effect lands on invoices, receipts and balances.
    onSuccess: () =>
      Promise.all(
        ['approvals', 'invoices', 'receipts', 'customers', 'contracts', 'audit'].map((key) =>
          client.invalidateQueries({ queryKey: [key] }),
        ),
      ),
  });
}

export function useCancelApproval() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiRequest('POST', `/api/approvals/${encodeURIComponent(id)}/cancel`, approvalRequestSchema),
    onSuccess: () => client.invalidateQueries({ queryKey: APPROVALS_QUERY_KEY }),
  });
}
