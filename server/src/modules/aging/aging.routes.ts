import {
  agingItemsPageSchema,
  agingItemsQuerySchema,
  agingQuerySchema,
  agingReportSchema,
  agingSettingsSchema,
  provisionQuerySchema,
  provisionReportSchema,
} from '@huikuan/core/contracts';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { sendJsonText } from '../../platform/json-text';
import { requireActor } from '../../platform/request-context';
import { listAgingItems } from './aging-items';
import { agingReportJson } from './aging-report';
import { getAgingSettings, updateAgingSettings } from './aging-settings';
import { provisionReportJson } from './provision';

export function registerAgingRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['aging'];
  app.get(
    '/aging',
    { schema: { tags, querystring: agingQuerySchema, response: { 200: agingReportSchema } } },
    async (request, reply) =>
      sendJsonText(reply, await agingReportJson(deps, requireActor(request, 'records.read'), request.query)),
  );
  app.get(
    '/aging/items',
    { schema: { tags, querystring: agingItemsQuerySchema, response: { 200: agingItemsPageSchema } } },
    (request) => listAgingItems(deps, requireActor(request, 'records.read'), request.query),
  );
  app.get('/aging/settings', { schema: { tags, response: { 200: agingSettingsSchema } } }, (request) =>
    getAgingSettings(deps, requireActor(request, 'records.read')),
  );
  app.put(
    '/aging/settings',
    { schema: { tags, body: agingSettingsSchema, response: { 200: agingSettingsSchema } } },
    (request) => updateAgingSettings(deps, requireActor(request, 'records.write'), request.body),
  );
  app.get(
    '/provision',
    { schema: { tags, querystring: provisionQuerySchema, response: { 200: provisionReportSchema } } },
    async (request, reply) =>
      sendJsonText(
        reply,
        await provisionReportJson(deps, requireActor(request, 'records.read'), request.query),
      ),
  );
}
