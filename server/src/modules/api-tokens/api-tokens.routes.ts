import {
  apiTokenSchema,
  createApiTokenRequestSchema,
  createApiTokenResponseSchema,
  idParamSchema,
  okSchema,
} from '@huikuan/core/contracts';
import { z } from 'zod';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { requireActor } from '../../platform/request-context';
import { createApiToken, listApiTokens, revokeApiToken } from './api-tokens';

export function registerApiTokenRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['api-tokens'];
  app.get(
    '/api-tokens',
    { schema: { tags, response: { 200: z.object({ items: z.array(apiTokenSchema) }) } } },
    (request) => listApiTokens(deps, requireActor(request, 'tokens.manage')),
  );
  app.post(
    '/api-tokens',
    { schema: { tags, body: createApiTokenRequestSchema, response: { 201: createApiTokenResponseSchema } } },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createApiToken(deps, requireActor(request, 'tokens.manage'), request.body)),
  );
  app.delete(
    '/api-tokens/:id',
    { schema: { tags, params: idParamSchema, response: { 200: okSchema } } },
    async (request) => {
      await revokeApiToken(deps, requireActor(request, 'tokens.manage'), request.params.id);
      return { ok: true as const };
    },
  );
}
