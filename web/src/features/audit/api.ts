import { auditPageSchema } from '@huikuan/core/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { apiRequest, withQuery } from '../../app/api';

const PAGE_SIZE = 50;

export type AuditFilters = {
  entityType: string;
  entityId: string;
  action: string;
  actorUserId: string | null;
  /** ISO instants bounding the entry time. */
  from: string | null;
  to: string | null;
};

export const NO_AUDIT_FILTERS: AuditFilters = {
  entityType: '',
  entityId: '',
  action: '',
  actorUserId: null,
  from: null,
  to: null,
};

export function useAuditPages(filters: AuditFilters, pageSize = PAGE_SIZE) {
  return useInfiniteQuery({
    queryKey: ['audit', filters, pageSize],
    queryFn: ({ pageParam }) =>
      apiRequest(
        'GET',
        withQuery('/api/audit', { ...filters, cursor: pageParam, limit: pageSize }),
        auditPageSchema,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}
