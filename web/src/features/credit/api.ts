import {
  approvalRequestSchema,
  creditHoldsPageSchema,
  customerCreditSchema,
  disputePageSchema,
  disputeSchema,
  invoicePageSchema,
  type CreateDisputeRequest,
  type CreditOverrideRequest,
  type ResolveDisputeRequest,
  type SetCreditLimitRequest,
} from '@huikuan/core/contracts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest, withQuery } from '../../app/api';

export const CREDIT_QUERY_KEY = ['credit'] as const;
const DISPUTES_QUERY_KEY = ['disputes'] as const;

const customerPath = (id: string) => `/api/customers/${encodeURIComponent(id)}`;

/** Everything a credit change can move: the credit view, holds lists, disputes, approvals, the audit trail. */
function useInvalidateCredit() {
  const client = useQueryClient();
  return () =>
    Promise.all(
      [CREDIT_QUERY_KEY, DISPUTES_QUERY_KEY, ['approvals'], ['audit']].map((queryKey) =>
        client.invalidateQueries({ queryKey }),
      ),
    );
}

export function useCustomerCredit(customerId: string) {
  return useQuery({
    queryKey: [...CREDIT_QUERY_KEY, 'customer', customerId],
    queryFn: () => apiRequest('GET', `${customerPath(customerId)}/credit`, customerCreditSchema),
  });
}

export function useSetCreditLimit(customerId: string) {
  const invalidate = useInvalidateCredit();
  return useMutation({
    mutationFn: (body: SetCreditLimitRequest) =>
      apiRequest('PUT', `${customerPath(customerId)}/credit-limit`, customerCreditSchema, body),
    onSuccess: invalidate,
  });
}

export function useRequestCreditOverride(customerId: string) {
  const invalidate = useInvalidateCredit();
  return useMutation({
    mutationFn: (body: CreditOverrideRequest) =>
      apiRequest('POST', `${customerPath(customerId)}/credit-overrides`, approvalRequestSchema, body),
    onSuccess: invalidate,
  });
}

export function useCustomerDisputes(customerId: string) {
  return useInfiniteQuery({
    queryKey: [...DISPUTES_QUERY_KEY, customerId],
    queryFn: ({ pageParam }) =>
      apiRequest(
        'GET',
        withQuery('/api/disputes', { customerId, cursor: pageParam, limit: 50 }),
        disputePageSchema,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

export function useRaiseDispute() {
  const invalidate = useInvalidateCredit();
  return useMutation({
    mutationFn: (body: CreateDisputeRequest) => apiRequest('POST', '/api/disputes', disputeSchema, body),
    onSuccess: invalidate,
  });
}

export function useResolveDispute() {
  const invalidate = useInvalidateCredit();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: ResolveDisputeRequest }) =>
      apiRequest('POST', `/api/disputes/${encodeURIComponent(id)}/resolve`, disputeSchema, body),
    onSuccess: invalidate,
  });
}

/** The customer's issued invoices, newest first, for choosing the disputed one. */
export function useDisputableInvoices(customerId: string, isEnabled: boolean) {
  return useQuery({
    queryKey: ['invoices', 'disputable', customerId],
    queryFn: async () =>
      (
        await apiRequest(
          'GET',
          withQuery('/api/invoices', { customerId, status: 'issued', limit: 100 }),
          invoicePageSchema,
        )
      ).items,
    enabled: isEnabled,
  });
}

export type CreditHoldsStatus = 'hold' | 'warning' | 'any';

export function useCreditHolds(status: CreditHoldsStatus) {
  return useInfiniteQuery({
    queryKey: [...CREDIT_QUERY_KEY, 'holds', status],
    queryFn: ({ pageParam }) =>
      apiRequest(
        'GET',
        withQuery('/api/credit/holds', { status, cursor: pageParam, limit: 50 }),
        creditHoldsPageSchema,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}
