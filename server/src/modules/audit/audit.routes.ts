import { auditPageSchema, auditQuerySchema } from '@huikuan/core/contracts';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { requireActor } from '../../platform/request-context';
import { listAudit } from './list-audit';

export function registerAuditRoutes(app: ApiApp, deps: AppDeps): void {
  app.get(
    '/audit',
    { schema: { tags: ['audit'], querystring: auditQuerySchema, response: { 200: auditPageSchema } } },
    (request) => listAudit(deps, requireActor(request, 'audit.read'), request.query),
  );
}
