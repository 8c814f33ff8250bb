import type { FastifyReply } from 'fastify';

/**
 * Sends JSON text a use case wrote itself, as it is. For the few answers that run to megabytes (a by-customer aging
 * report is 20,000 rows): the route keeps its response schema for the API documentation, and the use case's tests
 * check the text against that schema, but the text is not parsed and serialised again on every request. Fastify
 * sends a string or Buffer payload with a JSON content type without calling the serializer.
 */
export function sendJsonText(reply: FastifyReply, json: string | Buffer): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}
