import {
  approvalDecisionSchema,
  approvalListQuerySchema,
  approvalPageSchema,
  approvalRequestSchema,
  idParamSchema,
} from '@huikuan/core/contracts';
import { exportFormatShape } from '../../platform/export';
import { exportListRoute } from '../customers/export-route';
import { approvalExport } from './export-approvals';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { requireActor } from '../../platform/request-context';
import { cancelApproval, decideApproval, getApprovalOrThrow, listApprovals } from './approvals';

export function registerApprovalRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['approvals'];
  app.get(
    '/approvals/export',
    {
      schema: {
        tags: ['exports'],
        querystring: approvalListQuerySchema.omit({ cursor: true, limit: true }).extend(exportFormatShape),
      },
    },
    (request, reply) =>
      exportListRoute(deps, request, reply, 'records.read', approvalExport(deps), request.query),
  );
  app.get(
    '/approvals',
    { schema: { tags, querystring: approvalListQuerySchema, response: { 200: approvalPageSchema } } },
    (request) => listApprovals(deps, requireActor(request, 'records.read'), request.query),
  );
  app.get(
    '/approvals/:id',
    { schema: { tags, params: idParamSchema, response: { 200: approvalRequestSchema } } },
    (request) => getApprovalOrThrow(deps, requireActor(request, 'records.read'), request.params.id),
  );
  app.post(
    '/approvals/:id/decision',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: approvalDecisionSchema,
        response: { 200: approvalRequestSchema },
      },
    },
    (request) =>
      decideApproval(deps, requireActor(request, 'records.write'), request.params.id, request.body),
  );
  app.post(
    '/approvals/:id/cancel',
    { schema: { tags, params: idParamSchema, response: { 200: approvalRequestSchema } } },
    (request) => cancelApproval(deps, requireActor(request, 'records.write'), request.params.id),
  );
}
