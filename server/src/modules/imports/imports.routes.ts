import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import { requireActor, type Actor } from '../../platform/request-context';
import {
  importKindParamSchema,
  importRequestSchema,
  importResultSchema,
  type ImportKind,
  type ImportRequestBody,
} from '@huikuan/core';
import { runImport } from './run-import';

/** Base64 of a file up to 30 MB; the app-wide 5 MB body limit is too small for a 100,000-row file. */
const IMPORT_BODY_LIMIT_BYTES = 40 * 1024 * 1024;

/** Writing the ledger in bulk is finance's job (or an admin's); anyone who may write records may try a dry run. */
function assertMayCommit(actor: Actor): void {
  if (actor.role !== 'finance' && actor.role !== 'admin') throw new AppError('forbidden');
}

function run(deps: AppDeps, actor: Actor, kind: ImportKind, body: ImportRequestBody, isDryRun: boolean) {
  const { contentBase64, ...rest } = body;
  return runImport(
    deps.db,
    actor,
    { ...rest, kind, content: Buffer.from(contentBase64, 'base64'), isDryRun },
    deps.clock.now(),
  );
}

export function registerImportRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['imports'];
  const schema = {
    tags,
    params: importKindParamSchema,
    body: importRequestSchema,
    response: { 200: importResultSchema },
  };
  app.post('/imports/:kind/dry-run', { schema, bodyLimit: IMPORT_BODY_LIMIT_BYTES }, (request) =>
    run(deps, requireActor(request, 'records.write'), request.params.kind, request.body, true),
  );
  app.post('/imports/:kind/commit', { schema, bodyLimit: IMPORT_BODY_LIMIT_BYTES }, (request) => {
    const actor = requireActor(request, 'records.write');
    assertMayCommit(actor);
    return run(deps, actor, request.params.kind, request.body, false);
  });
}
