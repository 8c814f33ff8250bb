import {
  copyContractRequestSchema,
  createSalesContractRequestSchema,
  idParamSchema,
  salesContractDetailQuerySchema,
  planNodeEventRequestSchema,
  replacePlanRequestSchema,
  salesContractDetailSchema,
  salesContractListQuerySchema,
  salesContractPageSchema,
  updateSalesContractRequestSchema,
} from '@huikuan/core/contracts';
import { exportFormatShape } from '../../platform/export';
import { exportListRoute } from '../customers/export-route';
import { contractExport } from './export-contracts';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { requireActor } from '../../platform/request-context';
import { getContract } from './contract-views';
import { copyContract } from './copy-contract';
import { createContract } from './create-contract';
import { listContracts } from './list-contracts';
import { recordPlanNodeEvent } from './record-plan-node-event';
import { replacePlan, setContractStatus, updateContract } from './update-contract';

export function registerContractsRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['contracts'];
  const detail = { 200: salesContractDetailSchema };
  app.get(
    '/contracts/export',
    {
      schema: {
        tags: ['exports'],
        querystring: salesContractListQuerySchema
          .omit({ cursor: true, limit: true })
          .extend(exportFormatShape),
      },
    },
    (request, reply) =>
      exportListRoute(deps, request, reply, 'records.read', contractExport(deps), request.query),
  );
  app.get(
    '/contracts',
    {
      schema: { tags, querystring: salesContractListQuerySchema, response: { 200: salesContractPageSchema } },
    },
    (request) => listContracts(deps, requireActor(request, 'records.read'), request.query),
  );
  app.post(
    '/contracts',
    {
      schema: { tags, body: createSalesContractRequestSchema, response: { 201: salesContractDetailSchema } },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createContract(deps, requireActor(request, 'records.write'), request.body)),
  );
  app.get(
    '/contracts/:id',
    {
      schema: { tags, params: idParamSchema, querystring: salesContractDetailQuerySchema, response: detail },
    },
    (request) =>
      getContract(deps, requireActor(request, 'records.read'), request.params.id, request.query.asOf),
  );
  app.patch(
    '/contracts/:id',
    { schema: { tags, params: idParamSchema, body: updateSalesContractRequestSchema, response: detail } },
    (request) =>
      updateContract(deps, requireActor(request, 'records.write'), request.params.id, request.body),
  );
  app.post(
    '/contracts/:id/copy',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: copyContractRequestSchema,
        response: { 201: salesContractDetailSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await copyContract(deps, requireActor(request, 'records.write'), request.params.id, request.body),
        ),
  );
  app.post('/contracts/:id/close', { schema: { tags, params: idParamSchema, response: detail } }, (request) =>
    setContractStatus(deps, requireActor(request, 'records.write'), request.params.id, 'closed'),
  );
  app.post(
    '/contracts/:id/cancel',
    { schema: { tags, params: idParamSchema, response: detail } },
    (request) =>
      setContractStatus(deps, requireActor(request, 'records.write'), request.params.id, 'cancelled'),
  );
  app.put(
    '/contracts/:id/plan',
    { schema: { tags, params: idParamSchema, body: replacePlanRequestSchema, response: detail } },
    (request) => replacePlan(deps, requireActor(request, 'records.write'), request.params.id, request.body),
  );
  app.post(
    '/plan-nodes/:id/event',
    { schema: { tags, params: idParamSchema, body: planNodeEventRequestSchema, response: detail } },
    (request) =>
      recordPlanNodeEvent(
        deps,
        requireActor(request, 'records.write'),
        request.params.id,
        request.body.eventOn,
      ),
  );
}
