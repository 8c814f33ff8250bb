import {
  approvalRequestSchema,
  idParamSchema,
  recoveryRequestSchema,
  writeOffListQuerySchema,
  writeOffPageSchema,
  writeOffRequestSchema,
  writeOffSchema,
} from '@huikuan/core/contracts';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { idempotencyKeyOf } from '../../platform/idempotency';
import { requireActor } from '../../platform/request-context';
import { registerApprovalEffect } from '../approvals/approval-effects';
import { listWriteOffs } from './list-write-offs';
import { postApprovedWriteOff } from './post-write-off';
import { recoverWriteOff } from './recover-write-off';
import { requestWriteOff } from './request-write-off';
import { writeOffViewOrThrow } from './write-off-view';

export function registerWriteOffRoutes(app: ApiApp, deps: AppDeps): void {
  registerApprovalEffect('write_off', {
    onApproved: (tx, actor, request) => postApprovedWriteOff(deps, tx, actor, request),
  });
  const tags = ['write-offs'];
  app.post(
    '/invoices/:id/write-offs',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: writeOffRequestSchema,
        response: { 201: approvalRequestSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await requestWriteOff(
            deps,
            requireActor(request, 'records.write'),
            request.params.id,
            request.body,
          ),
        ),
  );
  app.get(
    '/write-offs',
    { schema: { tags, querystring: writeOffListQuerySchema, response: { 200: writeOffPageSchema } } },
    (request) => listWriteOffs(deps, requireActor(request, 'records.read'), request.query),
  );
  app.get(
    '/write-offs/:id',
    { schema: { tags, params: idParamSchema, response: { 200: writeOffSchema } } },
    (request) => {
      const actor = requireActor(request, 'records.read');
      return deps.db.tenant(actor.tenantId, (tx) => writeOffViewOrThrow(tx, actor, request.params.id));
    },
  );
  app.post(
    '/write-offs/:id/recoveries',
    {
      schema: { tags, params: idParamSchema, body: recoveryRequestSchema, response: { 200: writeOffSchema } },
    },
    (request) =>
      recoverWriteOff(
        deps,
        requireActor(request, 'records.write'),
        request.params.id,
        request.body,
        idempotencyKeyOf(request),
      ),
  );
}
