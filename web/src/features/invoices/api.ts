import {
  approvalRequestSchema,
  creditNoteSchema,
  invoiceDetailSchema,
  invoicePageSchema,
  invoiceRequestPageSchema,
  invoiceRequestSchema,
  productConditionHistorySchema,
  type CreateInvoiceRequest,
} from '@huikuan/core/contracts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { anyResponseSchema, apiRequest, withQuery } from '../../app/api';

export const INVOICES_QUERY_KEY = ['invoices'] as const;
const PAGE_SIZE = 50;
/** The server's page ceiling; an allocation dialog shows at most this many open invoices at once. */
const OPEN_INVOICES_LIMIT = 200;

export type InvoiceStatusFilter = 'draft' | 'issued' | 'void';
export type InvoiceFilters = {
  search: string;
  customerId: string | null;
  contractId: string | null;
  status: InvoiceStatusFilter | null;
  overdue: 'true' | null;
};

const invoicePath = (id: string) => `/api/invoices/${encodeURIComponent(id)}`;
type KeyHeaders = Record<string, string>;

export function useInvoicesPages(filters: InvoiceFilters) {
  return useInfiniteQuery({
    queryKey: [...INVOICES_QUERY_KEY, 'list', filters],
    queryFn: ({ pageParam }) =>
      apiRequest(
        'GET',
        withQuery('/api/invoices', { ...filters, cursor: pageParam, limit: PAGE_SIZE }),
        invoicePageSchema,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

/** Issued, not voided invoices of a customer, for allocation and claims; the caller skips the fully paid. */
export function useIssuedInvoices(customerId: string | null) {
  return useQuery({
    queryKey: [...INVOICES_QUERY_KEY, 'issued', customerId],
    queryFn: async () =>
      (
        await apiRequest(
          'GET',
          withQuery('/api/invoices', { customerId, status: 'issued', limit: OPEN_INVOICES_LIMIT }),
          invoicePageSchema,
        )
      ).items,
    enabled: customerId !== null,
  });
}

export function useInvoice(id: string) {
  return useQuery({
    queryKey: [...INVOICES_QUERY_KEY, 'one', id],
    queryFn: () => apiRequest('GET', invoicePath(id), invoiceDetailSchema),
  });
}

/** An invoice changes balances everywhere: customers, contracts, receipts and approvals all refresh. */
export function useInvalidateLedger() {
  const client = useQueryClient();
  return () =>
    Promise.all(
      ['invoices', 'invoice-requests', 'contracts', 'receipts', 'customers', 'approvals', 'audit'].map(
        (key) => client.invalidateQueries({ queryKey: [key] }),
      ),
    );
}

export function useCreateInvoice() {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: (request: CreateInvoiceRequest) =>
      apiRequest('POST', '/api/invoices', invoiceDetailSchema, request),
    onSuccess: invalidate,
  });
}

/** A draft's content may change (not its customer); an issued invoice is corrected by credit note or void. */
export function useUpdateDraftInvoice() {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: ({
      id,
      request,
    }: {
      id: string;
      request: Omit<CreateInvoiceRequest, 'customerId' | 'invoiceRequestId'>;
    }) => apiRequest('PATCH', invoicePath(id), invoiceDetailSchema, request),
    onSuccess: invalidate,
  });
}

export function useDeleteDraftInvoice() {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: (id: string) => apiRequest('DELETE', invoicePath(id), anyResponseSchema),
    onSuccess: invalidate,
  });
}

export function useIssueInvoice() {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: ({ id, headers }: { id: string; headers: KeyHeaders }) =>
      apiRequest('POST', `${invoicePath(id)}/issue`, invoiceDetailSchema, {}, { headers }),
    onSuccess: invalidate,
  });
}

export function useVoidInvoice() {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: ({
      id,
      headers,
      body,
    }: {
      id: string;
      headers: KeyHeaders;
      body: { reason: string; voidedOn?: string };
    }) => apiRequest('POST', `${invoicePath(id)}/void`, invoiceDetailSchema, body, { headers }),
    onSuccess: invalidate,
  });
}

export type CreditNoteBody = { number: string; amount: string; issuedOn?: string; reason: string };

export function useCreateCreditNote() {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: ({ id, headers, body }: { id: string; headers: KeyHeaders; body: CreditNoteBody }) =>
      apiRequest('POST', `${invoicePath(id)}/credit-notes`, creditNoteSchema, body, { headers }),
    onSuccess: invalidate,
  });
}

/** Requests that only take effect once approved: a waiver (减免), an offset (三角债), settlement in goods. */
/** Requests that wait for an approval; each is POSTed to /api/invoices/:id/<kind>. */
export type SettlementKind = 'waivers' | 'write-offs' | 'offset-requests' | 'goods-settlement-requests';

export function useRequestSettlement() {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: ({ id, kind, body }: { id: string; kind: SettlementKind; body: Record<string, string> }) =>
      apiRequest('POST', `${invoicePath(id)}/${kind}`, approvalRequestSchema, body),
    onSuccess: invalidate,
  });
}

export type InvoiceRequestFilters = { status: 'pending' | 'approved' | 'rejected' | 'issued' | null };

export function useInvoiceRequestsPages(filters: InvoiceRequestFilters) {
  return useInfiniteQuery({
    queryKey: ['invoice-requests', filters],
    queryFn: ({ pageParam }) =>
      apiRequest(
        'GET',
        withQuery('/api/invoice-requests', { ...filters, cursor: pageParam, limit: PAGE_SIZE }),
        invoiceRequestPageSchema,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

export type NewInvoiceRequest = {
  customerId: string;
  contractId?: string | null;
  planNodeId?: string | null;
  amount: string;
  notes?: string | null;
};

export function useCreateInvoiceRequest() {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: (body: NewInvoiceRequest) =>
      apiRequest('POST', '/api/invoice-requests', invoiceRequestSchema, body),
    onSuccess: invalidate,
  });
}

export function useDecideInvoiceRequest() {
  const invalidate = useInvalidateLedger();
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
      apiRequest('POST', `/api/invoice-requests/${encodeURIComponent(id)}/decision`, invoiceRequestSchema, {
        decision,
        comment,
      }),
    onSuccess: invalidate,
  });
}

export function useProductCondition(id: string) {
  return useQuery({
    queryKey: [...INVOICES_QUERY_KEY, 'one', id, 'product-condition'],
    queryFn: () => apiRequest('GET', `${invoicePath(id)}/product-condition`, productConditionHistorySchema),
  });
}

export function useRecordProductCondition(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { condition: 'normal' | 'abnormal'; effectiveOn?: string; reason: string }) =>
      apiRequest('POST', `${invoicePath(id)}/product-condition`, productConditionHistorySchema, body),
    onSuccess: () => client.invalidateQueries({ queryKey: [...INVOICES_QUERY_KEY, 'one', id] }),
  });
}
