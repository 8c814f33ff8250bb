import { errorMessage, pickLocale, type ErrorBody, type ErrorCode, type ErrorParams } from '@huikuan/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from './errors';

function send(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: ErrorCode,
  params: ErrorParams = {},
  issues?: { path: string; message: string }[],
) {
  const locale = pickLocale(request.headers['accept-language']);
  const body: ErrorBody = {
    error: {
      code,
      message: errorMessage(code, locale, params),
      ...(Object.keys(params).length ? { params } : {}),
      ...(issues ? { issues } : {}),
      requestId: request.id,
    },
  };
  return reply.status(status).type('application/json').send(JSON.stringify(body));
}

function issuePath(instancePath: string, context: string | undefined): string {
  const inner = instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
  return inner || context || '';
}

/**
 * One place turns failures into responses: AppError with its code and status, validation failures as 400 with
 * each field's path, anything unexpected as 500 with a request id and never a stack trace.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      return send(request, reply, error.status, error.code, error.params, error.issues);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((issue) => ({
        path: issuePath(issue.instancePath, error.validationContext),
        message: issue.message ?? 'Invalid value',
      }));
      return send(request, reply, 400, 'validation_failed', {}, issues);
    }
    if (error.statusCode === 429) return send(request, reply, 429, 'rate_limited');
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return send(request, reply, error.statusCode, 'bad_request', { detail: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(request, reply, 500, 'internal');
  });
  app.setNotFoundHandler((request, reply) => send(request, reply, 404, 'route_not_found'));
}
