import {
  claimPageSchema,
  claimSchema,
  receiptDetailSchema,
  receiptPageSchema,
  type AllocationLineInput,
  type CreateReceiptRequest,
} from '@huikuan/core/contracts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { anyResponseSchema, apiRequest, withQuery } from '../../app/api';

export const RECEIPTS_QUERY_KEY = ['receipts'] as const;
const PAGE_SIZE = 50;

export type ReceiptStatus = 'pending' | 'confirmed' | 'reversed';
export type ReceiptFilters = {
  customerId: string | null;
  status: ReceiptStatus | null;
  method: string | null;
  receivedFrom: string | null;
  receivedTo: string | null;
  unallocatedOnly: 'true' | null;
  pool: 'true' | null;
};

export const NO_RECEIPT_FILTERS: ReceiptFilters = {
  customerId: null,
  status: null,
  method: null,
  receivedFrom: null,
  receivedTo: null,
  unallocatedOnly: null,
  pool: null,
};

type KeyHeaders = Record<string, string>;
const receiptPath = (id: string) => `/api/receipts/${encodeURIComponent(id)}`;

export function useReceiptsPages(filters: ReceiptFilters) {
  return useInfiniteQuery({
    queryKey: [...RECEIPTS_QUERY_KEY, 'list', filters],
    queryFn: ({ pageParam }) =>
      apiRequest(
        'GET',
        withQuery('/api/receipts', { ...filters, cursor: pageParam, limit: PAGE_SIZE }),
        receiptPageSchema,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

export function useReceipt(id: string) {
  return useQuery({
    queryKey: [...RECEIPTS_QUERY_KEY, 'one', id],
    queryFn: () => apiRequest('GET', receiptPath(id), receiptDetailSchema),
  });
}

/** Receipts move balances of customers, invoices and plan nodes: refresh all of them after any write. */
function useInvalidateLedger() {
  const client = useQueryClient();
  return () =>
    Promise.all(
      ['receipts', 'receipt-claims', 'invoices', 'contracts', 'customers', 'audit'].map((key) =>
        client.invalidateQueries({ queryKey: [key] }),
      ),
    );
}

/** A POST that moves money: the caller's idempotency key goes with it. */
function useMoneyPost<V>(toRequest: (variables: V) => { path: string; body: unknown }) {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: ({ headers, ...variables }: V & { headers: KeyHeaders }) => {
      const { path, body } = toRequest(variables as V);
      return apiRequest('POST', path, receiptDetailSchema, body, { headers });
    },
    onSuccess: invalidate,
  });
}

export function useCreateReceipt() {
  return useMoneyPost((request: CreateReceiptRequest) => ({ path: '/api/receipts', body: request }));
}

export function useConfirmReceipt() {
  return useMoneyPost(({ id }: { id: string }) => ({ path: `${receiptPath(id)}/confirm`, body: undefined }));
}

export function useReverseReceipt() {
  return useMoneyPost(({ id, ...body }: { id: string; reason: string; reversedOn?: string }) => ({
    path: `${receiptPath(id)}/reverse`,
    body,
  }));
}

export function useAllocate() {
  return useMoneyPost(
    ({ id, ...body }: { id: string; allocatedOn?: string; lines: AllocationLineInput[] }) => ({
      path: `${receiptPath(id)}/allocations`,
      body,
    }),
  );
}

export function useAutoAllocate() {
  return useMoneyPost(({ id, ...body }: { id: string; allocatedOn?: string }) => ({
    path: `${receiptPath(id)}/auto-allocate`,
    body,
  }));
}

export function useReverseAllocation() {
  return useMoneyPost(
    ({ allocationId, ...body }: { allocationId: string; reason: string; reversedOn?: string }) => ({
      path: `/api/allocations/${encodeURIComponent(allocationId)}/reverse`,
      body,
    }),
  );
}

export function useDeleteReceipt() {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: (id: string) => apiRequest('DELETE', receiptPath(id), anyResponseSchema),
    onSuccess: invalidate,
  });
}

export type ClaimStatus = 'pending' | 'confirmed' | 'rejected';

export function useClaimsPages(filters: { status: ClaimStatus | null; receiptId: string | null }) {
  return useInfiniteQuery({
    queryKey: ['receipt-claims', filters],
    queryFn: ({ pageParam }) =>
      apiRequest(
        'GET',
        withQuery('/api/receipt-claims', { ...filters, cursor: pageParam, limit: PAGE_SIZE }),
        claimPageSchema,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

export function useCreateClaim() {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: ({
      receiptId,
      ...body
    }: {
      receiptId: string;
      customerId: string;
      evidence: string;
      split: AllocationLineInput[];
    }) => apiRequest('POST', `${receiptPath(receiptId)}/claims`, claimSchema, body),
    onSuccess: invalidate,
  });
}

export function useConfirmClaim() {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: ({ id, headers }: { id: string; headers: KeyHeaders }) =>
      apiRequest(
        'POST',
        `/api/receipt-claims/${encodeURIComponent(id)}/confirm`,
        claimSchema,
        {},
        { headers },
      ),
    onSuccess: invalidate,
  });
}

export function useRejectClaim() {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: ({ id, comment }: { id: string; comment: string }) =>
      apiRequest('POST', `/api/receipt-claims/${encodeURIComponent(id)}/reject`, claimSchema, { comment }),
    onSuccess: invalidate,
  });
}
