import {
  agingItemsPageSchema,
  agingReportSchema,
  dashboardSummarySchema,
  kpiReportSchema,
  kpiTrendSchema,
  type KpiGrouping,
} from '@huikuan/core/contracts';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { apiRequest, withQuery } from '../../app/api';
import type { AgingPageState, DrillTarget, ReportFilters } from './report-filters';

/**
 * The dashboard asks for three things whatever the data size: the receivables summary (one pass over the open
 * items), the KPIs of the period and the monthly trend. Each keeps showing its last answer while a new filter
 * loads, so the charts do not blink.
 */

const REPORTS_KEY = 'reports';
const ITEMS_PAGE_SIZE = 50;

function filterParams(filters: ReportFilters) {
  return { teamId: filters.teamId, salespersonId: filters.salespersonId };
}

export function useDashboardSummary(asOf: string, filters: ReportFilters) {
  return useQuery({
    queryKey: [REPORTS_KEY, 'dashboard', asOf, filters],
    queryFn: () =>
      apiRequest(
        'GET',
        withQuery('/api/reports/dashboard', { asOf, top: 10, ...filterParams(filters) }),
        dashboardSummarySchema,
      ),
    placeholderData: keepPreviousData,
  });
}

export function useKpis(
  period: { from: string; to: string },
  filters: ReportFilters,
  by: KpiGrouping = 'organization',
  options: { enabled?: boolean } = {},
) {
  return useQuery({
    queryKey: [REPORTS_KEY, 'kpis', period, by, filters],
    queryFn: () =>
      apiRequest('GET', withQuery('/api/kpis', { ...period, by, ...filterParams(filters) }), kpiReportSchema),
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });
}

export function useKpiTrend(to: string, months: number, filters: ReportFilters) {
  return useQuery({
    queryKey: [REPORTS_KEY, 'kpi-trend', to, months, filters],
    queryFn: () =>
      apiRequest(
        'GET',
        withQuery('/api/kpis/trend', { to, months, ...filterParams(filters) }),
        kpiTrendSchema,
      ),
    placeholderData: keepPreviousData,
  });
}

export function useAgingReport(state: AgingPageState) {
  return useQuery({
    queryKey: [REPORTS_KEY, 'aging', state],
    queryFn: () =>
      apiRequest(
        'GET',
        withQuery('/api/aging', {
          asOf: state.asOf,
          by: state.by,
          basis: state.basis,
          view: state.view,
          disputes: state.disputes,
          ...filterParams(state),
        }),
        agingReportSchema,
      ),
    placeholderData: keepPreviousData,
  });
}

export type AgingItemsQuery = {
  asOf: string;
  basis: 'due_date' | 'invoice_date';
  target: DrillTarget;
  filters: ReportFilters;
};

/** The drill-down's query params, shared by the list and its export. */
export function agingItemsParams(query: AgingItemsQuery) {
  return {
    asOf: query.asOf,
    basis: query.basis,
    by: query.target.by,
    key: query.target.key,
    bucket: query.target.bucket,
    ...filterParams(query.filters),
  };
}

export function useAgingItems(query: AgingItemsQuery | null) {
  return useInfiniteQuery({
    queryKey: [REPORTS_KEY, 'aging-items', query],
    queryFn: ({ pageParam }) =>
      apiRequest(
        'GET',
        withQuery('/api/aging/items', {
          ...(query === null ? {} : agingItemsParams(query)),
          cursor: pageParam,
          limit: ITEMS_PAGE_SIZE,
        }),
        agingItemsPageSchema,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    enabled: query !== null,
  });
}
