import {
  idParamSchema,
  letterDetailSchema,
  letterheadRequestSchema,
  letterheadSchema,
  letterListSchema,
  letterPreviewSchema,
  letterRequestSchema,
  letterSchema,
  letterTemplateListSchema,
  letterTemplateParamSchema,
  letterTemplateQuerySchema,
  letterTemplateSchema,
  letterTemplateViewSchema,
  MAX_SEAL_BYTES,
  statementMonthSchema,
  sealUploadSchema,
  statementRunSchema,
  templatePreviewRequestSchema,
} from '@huikuan/core/contracts';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { requireActor } from '../../platform/request-context';
import { contentDisposition } from '../customers/attachments';
import { generateCustomerLetter, previewCustomerLetter } from './generate-letter';
import { registerLawyerLetterApproval } from './lawyer-letter';
import { getLetter, letterPdf, listCustomerLetters } from './letter-queries';
import { getLetterhead, requireLetterAdmin, saveLetterhead, sealImageOrThrow, setSeal } from './letterhead';
import { sendMonthlyStatements } from './monthly-statements';
import { previewTemplate, previewTemplatePdf } from './preview-template';
import { getTemplate, listTemplates, resetTemplate, saveTemplate } from './templates';

const tags = ['letters'];

function sendPdf(reply: FastifyReply, fileName: string, content: Buffer) {
  return reply
    .type('application/pdf')
    .header('content-disposition', contentDisposition(fileName))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(content);
}

/** A retried generate with the same Idempotency-Key answers with the letter it made; without one, each is new. */
function requestKeyOf(request: FastifyRequest): string {
  const key = request.headers['idempotency-key'];
  return typeof key === 'string' && key.length >= 8 && key.length <= 200 ? key : randomUUID();
}

function registerLetterheadRoutes(app: ApiApp, deps: AppDeps): void {
  app.get('/letterhead', { schema: { tags, response: { 200: letterheadSchema } } }, (request) =>
    getLetterhead(deps, requireActor(request, 'records.read')),
  );
  app.put(
    '/letterhead',
    { schema: { tags, body: letterheadRequestSchema, response: { 200: letterheadSchema } } },
    (request) => saveLetterhead(deps, requireActor(request, 'records.write'), request.body),
  );
  app.put(
    '/letterhead/seal',
    {
      schema: { tags, body: sealUploadSchema, response: { 200: letterheadSchema } },
      // Room past the largest allowed seal, so an oversized one is refused by the contract (400), naming the field.
      bodyLimit: Math.ceil(MAX_SEAL_BYTES / 3) * 4 + 64 * 1024,
    },
    (request) => setSeal(deps, requireActor(request, 'records.write'), request.body.contentBase64),
  );
  app.delete('/letterhead/seal', { schema: { tags, response: { 200: letterheadSchema } } }, (request) =>
    setSeal(deps, requireActor(request, 'records.write'), null),
  );
  app.get('/letterhead/seal', { schema: { tags } }, async (request, reply) => {
    const seal = await sealImageOrThrow(deps, requireActor(request, 'records.read'));
    return reply
      .type(seal.contentType)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .send(Buffer.from(seal.bytes));
  });
}

function registerTemplateRoutes(app: ApiApp, deps: AppDeps): void {
  app.get('/letter-templates', { schema: { tags, response: { 200: letterTemplateListSchema } } }, (request) =>
    listTemplates(deps, requireActor(request, 'records.read')),
  );
  const byKind = { params: letterTemplateParamSchema, querystring: letterTemplateQuerySchema };
  app.get(
    '/letter-templates/:kind',
    { schema: { tags, ...byKind, response: { 200: letterTemplateViewSchema } } },
    (request) =>
      getTemplate(deps, requireActor(request, 'records.read'), request.params.kind, request.query.locale),
  );
  app.put(
    '/letter-templates/:kind',
    { schema: { tags, ...byKind, body: letterTemplateSchema, response: { 200: letterTemplateViewSchema } } },
    (request) =>
      saveTemplate(
        deps,
        requireActor(request, 'records.write'),
        request.params.kind,
        request.query.locale,
        request.body,
      ),
  );
  app.delete(
    '/letter-templates/:kind',
    { schema: { tags, ...byKind, response: { 200: letterTemplateViewSchema } } },
    (request) =>
      resetTemplate(deps, requireActor(request, 'records.write'), request.params.kind, request.query.locale),
  );
  app.post(
    '/letter-templates/preview',
    { schema: { tags, body: templatePreviewRequestSchema, response: { 200: letterPreviewSchema } } },
    (request) => previewTemplate(deps, requireActor(request, 'records.read'), request.body),
  );
  app.post(
    '/letter-templates/preview/pdf',
    { schema: { tags, body: templatePreviewRequestSchema } },
    async (request, reply) => {
      const pdf = await previewTemplatePdf(deps, requireActor(request, 'records.read'), request.body);
      return sendPdf(reply, `preview-${request.body.kind}.pdf`, pdf);
    },
  );
}

function registerCustomerLetterRoutes(app: ApiApp, deps: AppDeps): void {
  app.post(
    '/customers/:id/letters/preview',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: letterRequestSchema,
        response: { 200: letterPreviewSchema },
      },
    },
    (request) =>
      previewCustomerLetter(deps, requireActor(request, 'records.read'), request.params.id, request.body),
  );
  app.post(
    '/customers/:id/letters',
    {
      schema: {
        tags,
        params: idParamSchema,
        body: letterRequestSchema,
        response: { 200: letterSchema, 201: letterSchema },
      },
    },
    async (request, reply) => {
      const result = await generateCustomerLetter(
        deps,
        requireActor(request, 'records.write'),
        request.params.id,
        request.body,
        requestKeyOf(request),
      );
      return reply.status(result.isNew ? 201 : 200).send(result.letter);
    },
  );
  app.get(
    '/customers/:id/letters',
    { schema: { tags, params: idParamSchema, response: { 200: letterListSchema } } },
    (request) => listCustomerLetters(deps, requireActor(request, 'records.read'), request.params.id),
  );
  app.get(
    '/letters/:id',
    { schema: { tags, params: idParamSchema, response: { 200: letterDetailSchema } } },
    (request) => getLetter(deps, requireActor(request, 'records.read'), request.params.id),
  );
  app.get('/letters/:id/pdf', { schema: { tags, params: idParamSchema } }, async (request, reply) => {
    const file = await letterPdf(deps, requireActor(request, 'records.read'), request.params.id);
    return sendPdf(reply, file.fileName, file.content);
  });
}

export function registerLetterRoutes(app: ApiApp, deps: AppDeps): void {
  // The approval kind's effect must exist wherever approvals can be decided, ladder or not (idempotent).
  registerLawyerLetterApproval();
  registerLetterheadRoutes(app, deps);
  registerTemplateRoutes(app, deps);
  registerCustomerLetterRoutes(app, deps);
  app.post(
    '/statements/monthly',
    {
      schema: {
        tags,
        body: z.object({ month: statementMonthSchema, isDryRun: z.boolean().default(false) }),
        response: { 200: statementRunSchema },
      },
    },
    (request) => {
      const actor = requireActor(request, 'records.write');
      requireLetterAdmin(actor);
      return sendMonthlyStatements(deps, actor.tenantId, request.body.month, {
        isDryRun: request.body.isDryRun,
      });
    },
  );
}
