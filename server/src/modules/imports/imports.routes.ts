import { idParamSchema, okSchema } from '@huikuan/core/contracts';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import { requireActor, type Actor } from '../../platform/request-context';
import {
  createImportPresetSchema,
  importJobCreatedSchema,
  importJobListSchema,
  importJobRequestSchema,
  importJobSchema,
  importKindParamSchema,
  importPresetListQuerySchema,
  importPresetListSchema,
  importPresetSchema,
  importPreviewSchema,
  importRequestSchema,
  importResultSchema,
  updateImportPresetSchema,
  type ImportKind,
  type ImportRequestBody,
} from '@huikuan/core';
import { getImportJob, listImportJobs, startImportJob } from './import-jobs';
import { createPreset, deletePreset, listPresets, updatePreset } from './presets';
import { previewImport } from './preview';
import { runImport, type ImportRequest } from './run-import';

/** Base64 of a file up to 30 MB; the app-wide 5 MB body limit is too small for a 100,000-row file. */
const IMPORT_BODY_LIMIT_BYTES = 40 * 1024 * 1024;

/** Writing the ledger in bulk is finance's job (or an admin's); anyone who may write records may try a dry run. */
function assertMayCommit(actor: Actor): void {
  if (actor.role !== 'finance' && actor.role !== 'admin') throw new AppError('forbidden');
}

function requestOf(kind: ImportKind, body: ImportRequestBody, isDryRun: boolean): ImportRequest {
  const { contentBase64, ...rest } = body;
  return { ...rest, kind, content: Buffer.from(contentBase64, 'base64'), isDryRun };
}

function registerRunRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['imports'];
  const schema = {
    tags,
    params: importKindParamSchema,
    body: importRequestSchema,
    response: { 200: importResultSchema },
  };
  const limits = { bodyLimit: IMPORT_BODY_LIMIT_BYTES };
  app.post('/imports/:kind/dry-run', { schema, ...limits }, (request) => {
    const actor = requireActor(request, 'records.write');
    return runImport(deps.db, actor, requestOf(request.params.kind, request.body, true), deps.clock.now());
  });
  app.post('/imports/:kind/commit', { schema, ...limits }, (request) => {
    const actor = requireActor(request, 'records.write');
    assertMayCommit(actor);
    return runImport(deps.db, actor, requestOf(request.params.kind, request.body, false), deps.clock.now());
  });
  app.post(
    '/imports/:kind/preview',
    { schema: { ...schema, response: { 200: importPreviewSchema } }, ...limits },
    (request) => {
      requireActor(request, 'records.write');
      return previewImport(requestOf(request.params.kind, request.body, true));
    },
  );
  app.post(
    '/imports/:kind/jobs',
    {
      schema: { ...schema, body: importJobRequestSchema, response: { 202: importJobCreatedSchema } },
      ...limits,
    },
    async (request, reply) => {
      const actor = requireActor(request, 'records.write');
      const { isDryRun, ...body } = request.body;
      if (!isDryRun) assertMayCommit(actor);
      const job = await startImportJob(deps, actor, requestOf(request.params.kind, body, isDryRun));
      return reply.status(202).send({ jobId: job.jobId });
    },
  );
}

function registerJobRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['imports'];
  app.get('/import-jobs', { schema: { tags, response: { 200: importJobListSchema } } }, (request) =>
    listImportJobs(deps, requireActor(request, 'records.write')),
  );
  app.get(
    '/import-jobs/:id',
    { schema: { tags, params: idParamSchema, response: { 200: importJobSchema } } },
    (request) => getImportJob(deps, requireActor(request, 'records.write'), request.params.id),
  );
}

function registerPresetRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['imports'];
  app.get(
    '/import-presets',
    { schema: { tags, querystring: importPresetListQuerySchema, response: { 200: importPresetListSchema } } },
    (request) => listPresets(deps, requireActor(request, 'records.write'), request.query.kind),
  );
  app.post(
    '/import-presets',
    { schema: { tags, body: createImportPresetSchema, response: { 201: importPresetSchema } } },
    async (request, reply) =>
      reply.status(201).send(await createPreset(deps, requireActor(request, 'records.write'), request.body)),
  );
  app.patch(
    '/import-presets/:id',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: updateImportPresetSchema,
        response: { 200: importPresetSchema },
      },
    },
    (request) => updatePreset(deps, requireActor(request, 'records.write'), request.params.id, request.body),
  );
  app.delete(
    '/import-presets/:id',
    { schema: { tags, params: idParamSchema, response: { 200: okSchema } } },
    async (request) => {
      await deletePreset(deps, requireActor(request, 'records.write'), request.params.id);
      return { ok: true as const };
    },
  );
}

/**
 * Imports: synchronous dry-run and commit (scripts, the CLI's twin), and for the web app a preview for the mapping
 * editor, background jobs with progress, and saved mappings (presets).
 */
export function registerImportRoutes(app: ApiApp, deps: AppDeps): void {
  registerRunRoutes(app, deps);
  registerJobRoutes(app, deps);
  registerPresetRoutes(app, deps);
}
