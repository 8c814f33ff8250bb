import { receiptPageSchema, writeOffPageSchema, writeOffSchema } from '@huikuan/core/contracts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest, withQuery } from '../../app/api';

export const WRITE_OFFS_QUERY_KEY = ['write-offs'] as const;
const PAGE_SIZE = 50;

export type WriteOffFilters = { outstandingOnly: 'true' | null };

export function useWriteOffsPages(filters: WriteOffFilters) {
  return useInfiniteQuery({
    queryKey: [...WRITE_OFFS_QUERY_KEY, 'list', filters],
    queryFn: ({ pageParam }) =>
      apiRequest(
        'GET',
        withQuery('/api/write-offs', { ...filters, cursor: pageParam, limit: PAGE_SIZE }),
        writeOffPageSchema,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

/** The customer's confirmed receipts that still hold unapplied money: what a recovery can draw on. */
export function useRecoverableReceipts(customerId: string) {
  return useQuery({
    queryKey: ['receipts', 'recoverable', customerId],
    queryFn: () =>
      apiRequest(
        'GET',
        withQuery('/api/receipts', { customerId, status: 'confirmed', unallocatedOnly: 'true', limit: 200 }),
        receiptPageSchema,
      ),
  });
}

export function useRecoverWriteOff() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      headers,
      ...body
    }: {
      id: string;
      headers: Record<string, string>;
      receiptId: string;
      amount: string;
      recoveredOn?: string;
    }) =>
      apiRequest('POST', `/api/write-offs/${encodeURIComponent(id)}/recoveries`, writeOffSchema, body, {
        headers,
      }),
    // A recovery uses up receipt money and moves the customer's balance.
    onSuccess: () =>
      Promise.all(
        ['write-offs', 'receipts', 'customers', 'audit'].map((key) =>
          client.invalidateQueries({ queryKey: [key] }),
        ),
      ),
  });
}
