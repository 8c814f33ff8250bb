import { auditPageSchema, auditQuerySchema } from '@huikuan/core/contracts';
import { exportFormatShape } from '../../platform/export';
import { exportListRoute } from '../customers/export-route';
import { auditExport } from './export-audit';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { requireActor } from '../../platform/request-context';
import { listAudit } from './list-audit';

export function registerAuditRoutes(app: ApiApp, deps: AppDeps): void {
  app.get(
    '/audit/export',
    {
      schema: {
        tags: ['exports'],
        querystring: auditQuerySchema.omit({ cursor: true, limit: true }).extend(exportFormatShape),
      },
    },
    (request, reply) => exportListRoute(deps, request, reply, 'audit.read', auditExport(deps), request.query),
  );
  app.get(
    '/audit',
    { schema: { tags: ['audit'], querystring: auditQuerySchema, response: { 200: auditPageSchema } } },
    (request) => listAudit(deps, requireActor(request, 'audit.read'), request.query),
  );
}
