import {
  approvalRequestSchema,
  createDisputeRequestSchema,
  creditHoldsPageSchema,
  creditHoldsQuerySchema,
  creditOverrideRequestSchema,
  creditSettingsSchema,
  customerCreditSchema,
  disputeListQuerySchema,
  disputePageSchema,
  disputeSchema,
  idParamSchema,
  resolveDisputeRequestSchema,
  setCreditLimitRequestSchema,
  updateCreditSettingsRequestSchema,
} from '@huikuan/core/contracts';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { requireActor } from '../../platform/request-context';
import { listCreditHolds } from './credit-holds';
import { registerCreditOverrideEffect, requestCreditOverride } from './credit-overrides';
import { getCreditSettings, updateCreditSettings } from './credit-settings';
import { getCustomerCredit, setCreditLimit } from './customer-credit';
import { listDisputes, raiseDispute, resolveDispute } from './disputes';

export function registerCreditRoutes(app: ApiApp, deps: AppDeps): void {
  registerCreditOverrideEffect(deps);
  const tags = ['credit'];
  app.get(
    '/customers/:id/credit',
    { schema: { tags, params: idParamSchema, response: { 200: customerCreditSchema } } },
    (request) => getCustomerCredit(deps, requireActor(request, 'records.read'), request.params.id),
  );
  app.put(
    '/customers/:id/credit-limit',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: setCreditLimitRequestSchema,
        response: { 200: customerCreditSchema },
      },
    },
    (request) =>
      setCreditLimit(deps, requireActor(request, 'records.write'), request.params.id, request.body),
  );
  app.post(
    '/customers/:id/credit-overrides',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: creditOverrideRequestSchema,
        response: { 201: approvalRequestSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await requestCreditOverride(
            deps,
            requireActor(request, 'records.write'),
            request.params.id,
            request.body,
          ),
        ),
  );
  app.get('/credit/settings', { schema: { tags, response: { 200: creditSettingsSchema } } }, (request) =>
    getCreditSettings(deps, requireActor(request, 'records.read')),
  );
  app.put(
    '/credit/settings',
    { schema: { tags, body: updateCreditSettingsRequestSchema, response: { 200: creditSettingsSchema } } },
    (request) => updateCreditSettings(deps, requireActor(request, 'records.write'), request.body),
  );
  app.get(
    '/credit/holds',
    { schema: { tags, querystring: creditHoldsQuerySchema, response: { 200: creditHoldsPageSchema } } },
    (request) => listCreditHolds(deps, requireActor(request, 'records.read'), request.query),
  );
  registerDisputeRoutes(app, deps);
}

function registerDisputeRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['disputes'];
  app.get(
    '/disputes',
    { schema: { tags, querystring: disputeListQuerySchema, response: { 200: disputePageSchema } } },
    (request) => listDisputes(deps, requireActor(request, 'records.read'), request.query),
  );
  app.post(
    '/disputes',
    { schema: { tags, body: createDisputeRequestSchema, response: { 201: disputeSchema } } },
    async (request, reply) =>
      reply.status(201).send(await raiseDispute(deps, requireActor(request, 'records.write'), request.body)),
  );
  app.post(
    '/disputes/:id/resolve',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: resolveDisputeRequestSchema,
        response: { 200: disputeSchema },
      },
    },
    (request) =>
      resolveDispute(deps, requireActor(request, 'records.write'), request.params.id, request.body),
  );
}
