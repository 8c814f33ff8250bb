import {
  salesContractDetailSchema,
  salesContractPageSchema,
  type CreateSalesContractRequest,
} from '@huikuan/core/contracts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest, withQuery } from '../../app/api';
import type { PlanNodeRequest } from './plan-node-values';

export const CONTRACTS_QUERY_KEY = ['contracts'] as const;
const PAGE_SIZE = 50;

export type ContractStatus = 'active' | 'closed' | 'cancelled';
export type ContractFilters = { search: string; customerId: string | null; status: ContractStatus | null };

const contractPath = (id: string) => `/api/contracts/${encodeURIComponent(id)}`;

export function useContractsPages(filters: ContractFilters) {
  return useInfiniteQuery({
    queryKey: [...CONTRACTS_QUERY_KEY, 'list', filters],
    queryFn: ({ pageParam }) =>
      apiRequest(
        'GET',
        withQuery('/api/contracts', { ...filters, cursor: pageParam, limit: PAGE_SIZE }),
        salesContractPageSchema,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

export function useContract(id: string | null) {
  return useQuery({
    queryKey: [...CONTRACTS_QUERY_KEY, 'one', id],
    queryFn: () => apiRequest('GET', contractPath(id ?? ''), salesContractDetailSchema),
    enabled: id !== null,
  });
}

/** Contracts and plan nodes feed balances and lists elsewhere, so every write refreshes them all. */
function useInvalidateLedger() {
  const client = useQueryClient();
  return () =>
    Promise.all(
      ['contracts', 'invoices', 'receipts', 'customers', 'audit'].map((key) =>
        client.invalidateQueries({ queryKey: [key] }),
      ),
    );
}

export function useCreateContract() {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: (request: CreateSalesContractRequest) =>
      apiRequest('POST', '/api/contracts', salesContractDetailSchema, request),
    onSuccess: invalidate,
  });
}

export function useReplacePlan(contractId: string) {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: (nodes: PlanNodeRequest[]) =>
      apiRequest('PUT', `${contractPath(contractId)}/plan`, salesContractDetailSchema, { nodes }),
    onSuccess: invalidate,
  });
}

export function useSetContractStatus(contractId: string) {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: (action: 'close' | 'cancel') =>
      apiRequest('POST', `${contractPath(contractId)}/${action}`, salesContractDetailSchema),
    onSuccess: invalidate,
  });
}

/** Records the day delivery or acceptance happened; the node then falls due its offset days later. */
export function useRecordNodeEvent() {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: ({ nodeId, eventOn }: { nodeId: string; eventOn: string }) =>
      apiRequest('POST', `/api/plan-nodes/${encodeURIComponent(nodeId)}/event`, salesContractDetailSchema, {
        eventOn,
      }),
    onSuccess: invalidate,
  });
}
