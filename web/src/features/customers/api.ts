import {
  bankAccountListSchema,
  contactListSchema,
  customerBalanceSchema,
  customerLedgerSchema,
  customerPageSchema,
  customerSchema,
  litigationListSchema,
  type CreateCustomerRequest,
  type UpdateCustomerRequest,
} from '@huikuan/core/contracts';
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { anyResponseSchema, apiRequest, withQuery } from '../../app/api';

export const CUSTOMERS_QUERY_KEY = ['customers'] as const;
const PAGE_SIZE = 50;
const PICKER_SIZE = 20;

export type CustomerFilters = {
  search: string;
  ownerUserId: string | null;
  teamId: string | null;
  isActive: 'true' | 'false' | null;
};

export const NO_CUSTOMER_FILTERS: CustomerFilters = {
  search: '',
  ownerUserId: null,
  teamId: null,
  isActive: 'true',
};

const customerPath = (id: string) => `/api/customers/${encodeURIComponent(id)}`;

export function useCustomersPages(filters: CustomerFilters) {
  return useInfiniteQuery({
    queryKey: [...CUSTOMERS_QUERY_KEY, 'list', filters],
    queryFn: ({ pageParam }) =>
      apiRequest(
        'GET',
        withQuery('/api/customers', { ...filters, cursor: pageParam, limit: PAGE_SIZE }),
        customerPageSchema,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

/** The first matches of a search, for pickers; typing narrows them on the server. */
export function useCustomerSearch(search: string) {
  return useQuery({
    queryKey: [...CUSTOMERS_QUERY_KEY, 'search', search],
    queryFn: async () =>
      (
        await apiRequest(
          'GET',
          withQuery('/api/customers', { search, isActive: 'true', limit: PICKER_SIZE }),
          customerPageSchema,
        )
      ).items,
    placeholderData: keepPreviousData,
  });
}

export function useCustomer(id: string | null) {
  return useQuery({
    queryKey: [...CUSTOMERS_QUERY_KEY, 'one', id],
    queryFn: () => apiRequest('GET', customerPath(id ?? ''), customerSchema),
    enabled: id !== null,
  });
}

export function useSaveCustomer() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      request,
    }: {
      id: string | null;
      request: CreateCustomerRequest | UpdateCustomerRequest;
    }) =>
      id === null
        ? apiRequest('POST', '/api/customers', customerSchema, request)
        : apiRequest('PATCH', customerPath(id), customerSchema, request),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: CUSTOMERS_QUERY_KEY }),
        client.invalidateQueries({ queryKey: ['audit'] }),
      ]),
  });
}

export function useCustomerBalance(id: string) {
  return useQuery({
    queryKey: [...CUSTOMERS_QUERY_KEY, 'balance', id],
    queryFn: () => apiRequest('GET', `${customerPath(id)}/balance`, customerBalanceSchema),
  });
}

export function useCustomerLedger(id: string, range: { from: string | null; to: string | null }) {
  return useQuery({
    queryKey: [...CUSTOMERS_QUERY_KEY, 'ledger', id, range],
    queryFn: () => apiRequest('GET', withQuery(`${customerPath(id)}/ledger`, range), customerLedgerSchema),
  });
}

/** The sub-lists of a customer (contacts, bank accounts, litigation) share one shape of hooks. */
type SubList = 'contacts' | 'bank-accounts' | 'litigations';

const subListKey = (id: string, list: SubList) => [...CUSTOMERS_QUERY_KEY, list, id];

export function useContacts(id: string) {
  return useQuery({
    queryKey: subListKey(id, 'contacts'),
    queryFn: async () => (await apiRequest('GET', `${customerPath(id)}/contacts`, contactListSchema)).items,
  });
}

export function useBankAccounts(id: string) {
  return useQuery({
    queryKey: subListKey(id, 'bank-accounts'),
    queryFn: async () =>
      (await apiRequest('GET', `${customerPath(id)}/bank-accounts`, bankAccountListSchema)).items,
  });
}

export function useLitigations(id: string) {
  return useQuery({
    queryKey: subListKey(id, 'litigations'),
    queryFn: async () =>
      (await apiRequest('GET', `${customerPath(id)}/litigations`, litigationListSchema)).items,
  });
}

/** Adds, changes (PATCH with itemId) or removes (DELETE with itemId) an entry of a sub-list. */
export function useSubListWrite(customerId: string, list: SubList) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      method,
      itemId,
      body,
    }: {
      method: 'POST' | 'PATCH' | 'DELETE';
      itemId?: string;
      body?: unknown;
    }) => {
      const base = `${customerPath(customerId)}/${list}`;
      const path = itemId === undefined ? base : `${base}/${encodeURIComponent(itemId)}`;
      return apiRequest(method, path, anyResponseSchema, body);
    },
    onSuccess: () => client.invalidateQueries({ queryKey: subListKey(customerId, list) }),
  });
}
