import { pickLocale } from '@huikuan/core';
import {
  approvalRequestSchema,
  commissionLockSchema,
  commissionRuleSetListSchema,
  commissionRuleSetRequestSchema,
  commissionRuleSetSchema,
  commissionStatementExportQuerySchema,
  commissionStatementQuerySchema,
  commissionStatementSchema,
  commissionSummaryQuerySchema,
  commissionSummarySchema,
  customerIncentiveListQuerySchema,
  customerIncentiveListSchema,
  customerIncentiveRequestSchema,
  evaluationQuerySchema,
  evaluationSchema,
  idParamSchema,
  incentiveSettingsSchema,
  monthSchema,
  okSchema,
  reviewNoteListQuerySchema,
  reviewNoteListSchema,
  reviewNoteRequestSchema,
  reviewNoteSchema,
  salesCauseRequestSchema,
  salesCauseSchema,
  targetListQuerySchema,
  targetListSchema,
  targetRequestSchema,
  targetSchema,
  targetSplitSchema,
  targetUpdateSchema,
} from '@huikuan/core/contracts';
import { z } from 'zod';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { requireActor } from '../../platform/request-context';
import { sendExportFile } from '../customers/export-route';
import {
  getCommissionStatement,
  listCommissionStatements,
  lockCommissionStatement,
} from './commission-statements';
import {
  listCustomerIncentives,
  registerCustomerIncentiveEffect,
  requestCustomerIncentive,
} from './customer-incentives';
import { evaluatePeriod } from './evaluation';
import { getIncentiveSettings, updateIncentiveSettings } from './incentive-settings';
import { addReviewNote, listReviewNotes } from './review-notes';
import { createRuleSet, listRuleSets } from './rule-sets';
import { markSalesCause } from './sales-cause';
import { exportCommissionStatement } from './statement-export';
import { createTarget, deleteTarget, getTarget, listTargets, splitTargetInto, updateTarget } from './targets';

const READ = 'records.read';
const WRITE = 'records.write';

function registerTargetRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['incentives'];
  app.get(
    '/collection-targets',
    { schema: { tags, querystring: targetListQuerySchema, response: { 200: targetListSchema } } },
    (request) => listTargets(deps, requireActor(request, READ), request.query),
  );
  app.post(
    '/collection-targets',
    { schema: { tags, body: targetRequestSchema, response: { 201: targetSchema } } },
    async (request, reply) =>
      reply.status(201).send(await createTarget(deps, requireActor(request, WRITE), request.body)),
  );
  app.get(
    '/collection-targets/:id',
    { schema: { tags, params: idParamSchema, response: { 200: targetSchema } } },
    (request) => getTarget(deps, requireActor(request, READ), request.params.id),
  );
  app.patch(
    '/collection-targets/:id',
    { schema: { tags, params: idParamSchema, body: targetUpdateSchema, response: { 200: targetSchema } } },
    (request) => updateTarget(deps, requireActor(request, WRITE), request.params.id, request.body),
  );
  app.delete(
    '/collection-targets/:id',
    { schema: { tags, params: idParamSchema, response: { 200: okSchema } } },
    async (request) => {
      await deleteTarget(deps, requireActor(request, WRITE), request.params.id);
      return { ok: true as const };
    },
  );
  app.post(
    '/collection-targets/:id/split',
    { schema: { tags, params: idParamSchema, body: targetSplitSchema, response: { 200: targetListSchema } } },
    (request) => splitTargetInto(deps, requireActor(request, WRITE), request.params.id, request.body),
  );
}

function registerCommissionRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['incentives'];
  app.get(
    '/incentive-settings',
    { schema: { tags, response: { 200: incentiveSettingsSchema } } },
    (request) => getIncentiveSettings(deps, requireActor(request, READ)),
  );
  app.put(
    '/incentive-settings',
    { schema: { tags, body: incentiveSettingsSchema, response: { 200: incentiveSettingsSchema } } },
    (request) => updateIncentiveSettings(deps, requireActor(request, WRITE), request.body),
  );
  app.get(
    '/commission-rules',
    {
      schema: {
        tags,
        querystring: z.object({ period: monthSchema.optional() }),
        response: { 200: commissionRuleSetListSchema },
      },
    },
    (request) => listRuleSets(deps, requireActor(request, READ), request.query.period),
  );
  app.post(
    '/commission-rules',
    { schema: { tags, body: commissionRuleSetRequestSchema, response: { 201: commissionRuleSetSchema } } },
    async (request, reply) =>
      reply.status(201).send(await createRuleSet(deps, requireActor(request, WRITE), request.body)),
  );
  app.get(
    '/commission-statements',
    {
      schema: {
        tags,
        querystring: commissionSummaryQuerySchema,
        response: { 200: commissionSummarySchema },
      },
    },
    (request) => listCommissionStatements(deps, requireActor(request, READ), request.query.period),
  );
  // :id is the salesperson's user id: a statement is one person's month.
  app.get(
    '/commission-statements/:id',
    {
      schema: {
        tags,
        params: idParamSchema,
        querystring: commissionStatementQuerySchema,
        response: { 200: commissionStatementSchema },
      },
    },
    (request) =>
      getCommissionStatement(deps, requireActor(request, READ), request.params.id, request.query.period),
  );
  app.get(
    '/commission-statements/:id/export',
    { schema: { tags, params: idParamSchema, querystring: commissionStatementExportQuerySchema } },
    async (request, reply) => {
      const actor = requireActor(request, READ);
      const locale = pickLocale(request.headers['accept-language']);
      const { period, format } = request.query;
      const file = await exportCommissionStatement(deps, actor, request.params.id, period, format, locale);
      return sendExportFile(reply, file);
    },
  );
  app.post(
    '/commission-statements/:id/lock',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: commissionLockSchema,
        response: { 200: commissionStatementSchema },
      },
    },
    (request) =>
      lockCommissionStatement(deps, requireActor(request, WRITE), request.params.id, request.body.period),
  );
}

function registerEvaluationRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['incentives'];
  app.get(
    '/performance',
    { schema: { tags, querystring: evaluationQuerySchema, response: { 200: evaluationSchema } } },
    (request) => evaluatePeriod(deps, requireActor(request, READ), request.query.period),
  );
  app.get(
    '/review-notes',
    { schema: { tags, querystring: reviewNoteListQuerySchema, response: { 200: reviewNoteListSchema } } },
    (request) => listReviewNotes(deps, requireActor(request, READ), request.query),
  );
  app.post(
    '/review-notes',
    { schema: { tags, body: reviewNoteRequestSchema, response: { 201: reviewNoteSchema } } },
    async (request, reply) =>
      reply.status(201).send(await addReviewNote(deps, requireActor(request, WRITE), request.body)),
  );
  app.post(
    '/customers/:id/incentive-requests',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: customerIncentiveRequestSchema,
        response: { 201: approvalRequestSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await requestCustomerIncentive(deps, requireActor(request, WRITE), request.params.id, request.body),
        ),
  );
  app.get(
    '/customer-incentives',
    {
      schema: {
        tags,
        querystring: customerIncentiveListQuerySchema,
        response: { 200: customerIncentiveListSchema },
      },
    },
    (request) => listCustomerIncentives(deps, requireActor(request, READ), request.query.customerId),
  );
  app.post(
    '/invoices/:id/sales-cause',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: salesCauseRequestSchema,
        response: { 201: salesCauseSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await markSalesCause(deps, requireActor(request, WRITE), request.params.id, request.body)),
  );
}

/** 目标化、激励、评估 (issue 6): targets, commission rules and statements, evaluation, reviews, customer incentives. */
export function registerIncentiveRoutes(app: ApiApp, deps: AppDeps): void {
  registerCustomerIncentiveEffect();
  registerTargetRoutes(app, deps);
  registerCommissionRoutes(app, deps);
  registerEvaluationRoutes(app, deps);
}
