import {
  kpiQuerySchema,
  kpiReportSchema,
  kpiTrendQuerySchema,
  kpiTrendSchema,
} from '@huikuan/core/contracts';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { requireActor } from '../../platform/request-context';
import { getKpiTrend, getKpis } from './kpi-report';

const READ = 'records.read';

export function registerAnalyticsRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['analytics'];
  app.get(
    '/kpis',
    { schema: { tags, querystring: kpiQuerySchema, response: { 200: kpiReportSchema } } },
    (request) => getKpis(deps, requireActor(request, READ), request.query),
  );
  app.get(
    '/kpis/trend',
    { schema: { tags, querystring: kpiTrendQuerySchema, response: { 200: kpiTrendSchema } } },
    (request) => getKpiTrend(deps, requireActor(request, READ), request.query),
  );
}
