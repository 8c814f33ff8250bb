import { pickLocale, type Locale } from '@huikuan/core';
import {
  agingExportQuerySchema,
  agingItemsExportQuerySchema,
  dashboardQuerySchema,
  dashboardSummarySchema,
  kpiExportQuerySchema,
  kpiTrendExportQuerySchema,
  provisionExportQuerySchema,
  topOverdueExportQuerySchema,
  topOverdueQuerySchema,
  topOverdueReportSchema,
} from '@huikuan/core/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { collectPages, EXPORT_PAGE_SIZE } from '../../platform/export';
import { requireActor, type Actor } from '../../platform/request-context';
import { listAgingItems } from '../aging/aging-items';
import { agingReport } from '../aging/aging-report';
import { provisionReport } from '../aging/provision';
import { getKpis, getKpiTrend } from '../analytics/kpi-report';
import { sendExportFile } from '../customers/export-route';
import { dashboardSummary } from './dashboard-summary';
import { topOverdueCustomers } from './overdue';
import { buildReportExport, type ExportFilter, type ReportTable } from './report-export';
import {
  agingItemsTable,
  agingTable,
  dimensionLabel,
  kpiTable,
  kpiTrendTable,
  provisionTable,
  topOverdueTable,
} from './report-tables';

const READ = 'records.read';

/**
 * The body of every report download: the report's own use case in the caller's scope, its table in the caller's
 * language, then the file (audited) in the format asked for.
 */
async function sendReport(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  query: { format: 'xlsx' | 'pdf' | 'csv' } & ExportFilter,
  build: (actor: Actor, locale: Locale) => Promise<ReportTable>,
): Promise<FastifyReply> {
  const actor = requireActor(request, READ);
  const locale = pickLocale(request.headers['accept-language']);
  const table = await build(actor, locale);
  const file = await buildReportExport(deps, actor, locale, query.format, query, table);
  return sendExportFile(reply, file);
}

export function registerReportRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['reports'];
  app.get(
    '/reports/dashboard',
    { schema: { tags, querystring: dashboardQuerySchema, response: { 200: dashboardSummarySchema } } },
    (request) => dashboardSummary(deps, requireActor(request, READ), request.query),
  );
  app.get(
    '/reports/top-overdue',
    { schema: { tags, querystring: topOverdueQuerySchema, response: { 200: topOverdueReportSchema } } },
    (request) => topOverdueCustomers(deps, requireActor(request, READ), request.query),
  );

  app.get(
    '/reports/aging/export',
    { schema: { tags, querystring: agingExportQuerySchema } },
    (request, reply) => {
      const { format: _format, ...query } = request.query;
      return sendReport(deps, request, reply, request.query, async (actor, locale) =>
        agingTable(await agingReport(deps, actor, query), locale, query),
      );
    },
  );
  app.get(
    '/reports/aging-items/export',
    { schema: { tags, querystring: agingItemsExportQuerySchema } },
    (request, reply) => {
      const { format: _format, ...query } = request.query;
      const subject = {
        label: dimensionLabel(query.by, pickLocale(request.headers['accept-language'])),
        id: query.key === 'none' ? null : query.key,
      };
      return sendReport(deps, request, reply, { ...request.query, subject }, async (actor, locale) => {
        const items = await collectPages(
          async (cursor, limit) => listAgingItems(deps, actor, { ...query, cursor, limit }),
          { locale, pageSize: EXPORT_PAGE_SIZE },
        );
        return agingItemsTable(items, { asOf: query.asOf, bucket: query.bucket }, locale, query);
      });
    },
  );
  app.get(
    '/reports/provision/export',
    { schema: { tags, querystring: provisionExportQuerySchema } },
    (request, reply) => {
      const { format: _format, ...query } = request.query;
      return sendReport(deps, request, reply, request.query, async (actor, locale) =>
        provisionTable(await provisionReport(deps, actor, query), locale, query),
      );
    },
  );
  app.get(
    '/reports/kpis/export',
    { schema: { tags, querystring: kpiExportQuerySchema } },
    (request, reply) => {
      const { format: _format, ...query } = request.query;
      return sendReport(deps, request, reply, request.query, async (actor, locale) =>
        kpiTable(await getKpis(deps, actor, query), locale, query),
      );
    },
  );
  app.get(
    '/reports/kpi-trend/export',
    { schema: { tags, querystring: kpiTrendExportQuerySchema } },
    (request, reply) => {
      const { format: _format, ...query } = request.query;
      return sendReport(deps, request, reply, request.query, async (actor, locale) =>
        kpiTrendTable(await getKpiTrend(deps, actor, query), locale, query),
      );
    },
  );
  app.get(
    '/reports/top-overdue/export',
    { schema: { tags, querystring: topOverdueExportQuerySchema } },
    (request, reply) => {
      const { format: _format, ...query } = request.query;
      return sendReport(deps, request, reply, request.query, async (actor, locale) =>
        topOverdueTable(await topOverdueCustomers(deps, actor, query), locale, query),
      );
    },
  );
}
