import { pickLocale, type Permission } from '@huikuan/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../platform/deps';
import { buildListExport, type ExportFile, type ExportFormat, type ListExport } from '../../platform/export';
import { requireActor } from '../../platform/request-context';
import { contentDisposition } from './attachments';

/** Sends an export as a download that no browser sniffs or caches (RFC 5987 names for Chinese file names). */
export function sendExportFile(reply: FastifyReply, file: ExportFile): FastifyReply {
  return reply
    .type(file.contentType)
    .header('content-disposition', contentDisposition(file.fileName))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(file.content);
}

/**
 * The body of every `GET /api/<list>/export` route: the list's own permission, column titles in the caller's
 * language, the whole filtered list in the actor's record scope.
 */
export async function exportListRoute<Filters, Row>(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  permission: Permission,
  definition: ListExport<Filters, Row>,
  query: Filters & { format: ExportFormat },
): Promise<FastifyReply> {
  const actor = requireActor(request, permission);
  const locale = pickLocale(request.headers['accept-language']);
  return sendExportFile(reply, await buildListExport(deps, actor, definition, query, locale));
}
