import {
  activityListQuerySchema,
  activityPageSchema,
  activitySchema,
  addNoteRequestSchema,
  assignDisputeRequestSchema,
  cancelPromiseRequestSchema,
  caseDetailSchema,
  completeTaskRequestSchema,
  createPromiseRequestSchema,
  createTaskRequestSchema,
  disputeDetailSchema,
  idParamSchema,
  loggedCallSchema,
  logCallRequestSchema,
  planVisitRequestSchema,
  playbookSchema,
  playbookViewSchema,
  promiseListQuerySchema,
  promisePageSchema,
  promiseSchema,
  resolveDisputeV2RequestSchema,
  timelineQuerySchema,
  timelineSchema,
  updateCaseRequestSchema,
  visitResultRequestSchema,
  withdrawDisputeRequestSchema,
  worklistBulkRequestSchema,
  worklistBulkResultSchema,
  worklistPageSchema,
  worklistQuerySchema,
  worklistRefreshResultSchema,
} from '@huikuan/core/contracts';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { requireActor } from '../../platform/request-context';
import { addNote, completeTask, createTask, logCall, planVisit, recordVisitResult } from './activities';
import { listActivities } from './activity-views';
import { bulkUpdateCases, getCaseDetail, refreshCollectionCases, updateCase } from './cases';
import { assignDispute, closeDispute, getDisputeDetail } from './disputes';
import { getPlaybook, resetPlaybook, savePlaybook } from './playbooks';
import { cancelPromise, createPromise, getPromise, listPromises } from './promise-use-cases';
import { listCustomerTimeline } from './timeline';
import { listWorklist } from './worklist';

/** 催收工作: the worklist, cases, activities, promises, disputes v2, playbooks and the customer timeline. */
export function registerCaseworkRoutes(app: ApiApp, deps: AppDeps): void {
  registerWorklistRoutes(app, deps);
  registerActivityRoutes(app, deps);
  registerPromiseRoutes(app, deps);
  registerDisputeV2Routes(app, deps);
  registerPlaybookRoutes(app, deps);
}

function registerWorklistRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['casework'];
  app.get(
    '/worklist',
    { schema: { tags, querystring: worklistQuerySchema, response: { 200: worklistPageSchema } } },
    (request) => listWorklist(deps, requireActor(request, 'records.read'), request.query),
  );
  app.post(
    '/worklist/refresh',
    { schema: { tags, response: { 200: worklistRefreshResultSchema } } },
    (request) => refreshCollectionCases(deps.db, deps.clock, requireActor(request, 'records.write')),
  );
  app.post(
    '/worklist/bulk',
    { schema: { tags, body: worklistBulkRequestSchema, response: { 200: worklistBulkResultSchema } } },
    (request) => bulkUpdateCases(deps, requireActor(request, 'records.write'), request.body),
  );
  app.get(
    '/customers/:id/case',
    { schema: { tags, params: idParamSchema, response: { 200: caseDetailSchema } } },
    (request) => getCaseDetail(deps, requireActor(request, 'records.read'), request.params.id),
  );
  app.put(
    '/customers/:id/case',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: updateCaseRequestSchema,
        response: { 200: caseDetailSchema },
      },
    },
    (request) => updateCase(deps, requireActor(request, 'records.write'), request.params.id, request.body),
  );
  app.get(
    '/customers/:id/timeline',
    {
      schema: {
        tags,
        params: idParamSchema,
        querystring: timelineQuerySchema,
        response: { 200: timelineSchema },
      },
    },
    (request) =>
      listCustomerTimeline(
        deps,
        requireActor(request, 'records.read'),
        request.params.id,
        request.query.limit,
      ),
  );
}

function registerActivityRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['casework'];
  app.post(
    '/customers/:id/calls',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: logCallRequestSchema,
        response: { 201: loggedCallSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await logCall(deps, requireActor(request, 'records.write'), request.params.id, request.body)),
  );
  app.post(
    '/customers/:id/visits',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: planVisitRequestSchema,
        response: { 201: activitySchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await planVisit(deps, requireActor(request, 'records.write'), request.params.id, request.body)),
  );
  app.post(
    '/customers/:id/notes',
    {
      schema: { tags, params: idParamSchema, body: addNoteRequestSchema, response: { 201: activitySchema } },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await addNote(deps, requireActor(request, 'records.write'), request.params.id, request.body)),
  );
  app.post(
    '/customers/:id/tasks',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: createTaskRequestSchema,
        response: { 201: activitySchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await createTask(deps, requireActor(request, 'records.write'), request.params.id, request.body),
        ),
  );
  app.get(
    '/activities',
    { schema: { tags, querystring: activityListQuerySchema, response: { 200: activityPageSchema } } },
    (request) => listActivities(deps, requireActor(request, 'records.read'), request.query),
  );
  app.post(
    '/activities/:id/done',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: completeTaskRequestSchema,
        response: { 200: activitySchema },
      },
    },
    (request) => completeTask(deps, requireActor(request, 'records.write'), request.params.id, request.body),
  );
  app.post(
    '/activities/:id/visit-result',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: visitResultRequestSchema,
        response: { 200: loggedCallSchema },
      },
    },
    (request) =>
      recordVisitResult(deps, requireActor(request, 'records.write'), request.params.id, request.body),
  );
}

function registerPromiseRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['casework'];
  app.post(
    '/customers/:id/promises',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: createPromiseRequestSchema,
        response: { 201: promiseSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await createPromise(deps, requireActor(request, 'records.write'), request.params.id, request.body),
        ),
  );
  app.get(
    '/promises',
    { schema: { tags, querystring: promiseListQuerySchema, response: { 200: promisePageSchema } } },
    (request) => listPromises(deps, requireActor(request, 'records.read'), request.query),
  );
  app.get(
    '/promises/:id',
    { schema: { tags, params: idParamSchema, response: { 200: promiseSchema } } },
    (request) => getPromise(deps, requireActor(request, 'records.read'), request.params.id),
  );
  app.post(
    '/promises/:id/cancel',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: cancelPromiseRequestSchema,
        response: { 200: promiseSchema },
      },
    },
    (request) => cancelPromise(deps, requireActor(request, 'records.write'), request.params.id, request.body),
  );
}

function registerDisputeV2Routes(app: ApiApp, deps: AppDeps): void {
  const tags = ['disputes'];
  app.get(
    '/disputes/:id',
    { schema: { tags, params: idParamSchema, response: { 200: disputeDetailSchema } } },
    (request) => getDisputeDetail(deps, requireActor(request, 'records.read'), request.params.id),
  );
  app.post(
    '/disputes/:id/assign',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: assignDisputeRequestSchema,
        response: { 200: disputeDetailSchema },
      },
    },
    (request) => assignDispute(deps, requireActor(request, 'records.write'), request.params.id, request.body),
  );
  app.post(
    '/disputes/:id/resolution',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: resolveDisputeV2RequestSchema,
        response: { 200: disputeDetailSchema },
      },
    },
    (request) => closeDispute(deps, requireActor(request, 'records.write'), request.params.id, request.body),
  );
  app.post(
    '/disputes/:id/withdraw',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: withdrawDisputeRequestSchema,
        response: { 200: disputeDetailSchema },
      },
    },
    (request) =>
      closeDispute(deps, requireActor(request, 'records.write'), request.params.id, {
        outcome: 'withdrawn',
        note: request.body.note,
      }),
  );
}

function registerPlaybookRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['casework'];
  app.get('/playbook', { schema: { tags, response: { 200: playbookViewSchema } } }, (request) =>
    getPlaybook(deps, requireActor(request, 'records.read')),
  );
  app.put(
    '/playbook',
    { schema: { tags, body: playbookSchema, response: { 200: playbookViewSchema } } },
    (request) => savePlaybook(deps, requireActor(request, 'org.manage'), request.body),
  );
  app.delete('/playbook', { schema: { tags, response: { 200: playbookViewSchema } } }, (request) =>
    resetPlaybook(deps, requireActor(request, 'org.manage')),
  );
}
