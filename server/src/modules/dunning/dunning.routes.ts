import {
  dunningActionListQuerySchema,
  dunningActionPageSchema,
  dunningActionSchema,
  dunningAssignmentSchema,
  dunningAssignmentWriteSchema,
  dunningPolicyListSchema,
  dunningPolicySchema,
  dunningPolicyWriteSchema,
  dunningPreviewSchema,
  dunningRunListQuerySchema,
  dunningRunPageSchema,
  dunningRunRequestSchema,
  dunningRunSchema,
  idParamSchema,
  okSchema,
} from '@huikuan/core/contracts';
import { z } from 'zod';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { requireActor } from '../../platform/request-context';
import { visibleCustomerOrThrow } from '../customers/customer-access';
import { assignPolicy, removeAssignment } from './assignments';
import { listCustomerDunningActions, listRunActions, listRuns, runViewOrThrow } from './run-views';
import {
  createPolicy,
  deletePolicy,
  getPolicy,
  listPolicies,
  makeDefaultPolicy,
  updatePolicy,
} from './save-policy';
import { previewDunning, startDunningRun } from './start-run';

export function registerDunningRoutes(app: ApiApp, deps: AppDeps): void {
  registerPolicyRoutes(app, deps);
  registerRunRoutes(app, deps);
}

function registerPolicyRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['dunning'];
  app.get(
    '/dunning/policies',
    { schema: { tags, response: { 200: dunningPolicyListSchema } } },
    async (request) => ({
      items: await listPolicies(deps, requireActor(request, 'records.read')),
    }),
  );
  app.post(
    '/dunning/policies',
    { schema: { tags, body: dunningPolicyWriteSchema, response: { 201: dunningPolicySchema } } },
    async (request, reply) =>
      reply.status(201).send(await createPolicy(deps, requireActor(request, 'records.write'), request.body)),
  );
  app.get(
    '/dunning/policies/:id',
    { schema: { tags, params: idParamSchema, response: { 200: dunningPolicySchema } } },
    (request) => getPolicy(deps, requireActor(request, 'records.read'), request.params.id),
  );
  app.put(
    '/dunning/policies/:id',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: dunningPolicyWriteSchema,
        response: { 200: dunningPolicySchema },
      },
    },
    (request) => updatePolicy(deps, requireActor(request, 'records.write'), request.params.id, request.body),
  );
  app.delete(
    '/dunning/policies/:id',
    { schema: { tags, params: idParamSchema, response: { 200: okSchema } } },
    async (request) => {
      await deletePolicy(deps, requireActor(request, 'records.write'), request.params.id);
      return { ok: true as const };
    },
  );
  app.post(
    '/dunning/policies/:id/default',
    { schema: { tags, params: idParamSchema, response: { 200: dunningPolicySchema } } },
    (request) => makeDefaultPolicy(deps, requireActor(request, 'records.write'), request.params.id),
  );
  app.post(
    '/dunning/assignments',
    { schema: { tags, body: dunningAssignmentWriteSchema, response: { 201: dunningAssignmentSchema } } },
    async (request, reply) =>
      reply.status(201).send(await assignPolicy(deps, requireActor(request, 'records.write'), request.body)),
  );
  app.delete(
    '/dunning/assignments/:id',
    { schema: { tags, params: idParamSchema, response: { 200: okSchema } } },
    async (request) => {
      await removeAssignment(deps, requireActor(request, 'records.write'), request.params.id);
      return { ok: true as const };
    },
  );
}

function registerRunRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['dunning'];
  app.post(
    '/dunning/preview',
    { schema: { tags, body: dunningRunRequestSchema, response: { 200: dunningPreviewSchema } } },
    (request) => previewDunning(deps, requireActor(request, 'records.write'), request.body.asOf),
  );
  app.post(
    '/dunning/runs',
    { schema: { tags, body: dunningRunRequestSchema, response: { 202: dunningRunSchema } } },
    async (request, reply) =>
      reply
        .status(202)
        .send(await startDunningRun(deps, requireActor(request, 'records.write'), request.body.asOf)),
  );
  app.get(
    '/dunning/runs',
    { schema: { tags, querystring: dunningRunListQuerySchema, response: { 200: dunningRunPageSchema } } },
    (request) => listRuns(deps, requireActor(request, 'records.read'), request.query),
  );
  app.get(
    '/dunning/runs/:id',
    { schema: { tags, params: idParamSchema, response: { 200: dunningRunSchema } } },
    (request) => runViewOrThrow(deps, requireActor(request, 'records.read'), request.params.id),
  );
  app.get(
    '/dunning/runs/:id/actions',
    {
      schema: {
        tags,
        params: idParamSchema,
        querystring: dunningActionListQuerySchema,
        response: { 200: dunningActionPageSchema },
      },
    },
    (request) =>
      listRunActions(deps, requireActor(request, 'records.read'), request.params.id, request.query),
  );
  app.get(
    '/customers/:id/dunning-actions',
    {
      schema: {
        tags,
        params: idParamSchema,
        response: { 200: z.object({ items: z.array(dunningActionSchema) }) },
      },
    },
    (request) => {
      const actor = requireActor(request, 'records.read');
      return deps.db.tenant(actor.tenantId, async (tx) => {
        await visibleCustomerOrThrow(tx, actor, request.params.id);
        return { items: await listCustomerDunningActions(tx, actor.tenantId, request.params.id) };
      });
    },
  );
}
