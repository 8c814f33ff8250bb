import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { registerErrorHandling } from './platform/http-errors';
import { resolveActor } from './platform/request-context';
import type { AppDeps } from './platform/deps';
import { registerAuthRoutes } from './modules/auth/auth.routes';
import { registerOrganizationRoutes } from './modules/organization/organization.routes';
import { registerUserRoutes } from './modules/users/users.routes';
import { registerTeamRoutes } from './modules/teams/teams.routes';
import { registerApiTokenRoutes } from './modules/api-tokens/api-tokens.routes';
import { registerAuditRoutes } from './modules/audit/audit.routes';
import { registerHealthRoutes } from './modules/health/health.routes';
import { registerApprovalRoutes } from './modules/approvals/approvals.routes';
import { registerCustomersRoutes } from './modules/customers/customers.routes';
import { registerContractsRoutes } from './modules/contracts/contracts.routes';
import { registerInvoicesRoutes } from './modules/invoices/invoices.routes';
import { registerReceiptsRoutes } from './modules/receipts/receipts.routes';
import { registerImportRoutes } from './modules/imports/imports.routes';
import { registerAgingRoutes } from './modules/aging/aging.routes';
import { registerAnalyticsRoutes } from './modules/analytics/analytics.routes';
import { registerCreditRoutes } from './modules/credit/credit.routes';
import { registerReportRoutes } from './modules/reports/reports.routes';
import { registerPaymentBehaviourRoutes } from './modules/payment-behaviour/payment-behaviour.routes';
import { registerWriteOffRoutes } from './modules/write-offs/write-offs.routes';
import { registerIncentiveRoutes } from './modules/incentives';
import { registerLetterRoutes } from './modules/letters/letters.routes';
import { registerDunningRoutes } from './modules/dunning/dunning.routes';
import { wireCollections } from './collections-wiring';
import { registerMessagingRoutes } from './modules/messaging/messaging.routes';
import { registerCaseworkRoutes } from './modules/casework';

export type ApiApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

declare module 'fastify' {
  // Fastify's types are extended by declaration merging, which needs an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface FastifyInstance {
    /** Every route as registered (method and URL pattern), for tests that must cover all of them. */
    routeTable: { method: string; url: string }[];
  }
  // Fastify's types are extended by declaration merging, which needs an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface FastifyContextConfig {
    /** Public writes (sign-up, sign-in, accepting an invitation) carry no CSRF token yet. */
    isCsrfExempt?: boolean;
  }
}

/** Builds the HTTP app without listening, so tests drive it with inject(). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  // Collection step executors and pause sources register once, before any route can start a dunning run.
  wireCollections();
  const app = Fastify({
    logger: { level: deps.config.logLevel, redact: ['req.headers.cookie', 'req.headers.authorization'] },
    genReqId: () => randomUUID(),
    requestIdHeader: 'x-request-id',
    trustProxy: deps.config.isBehindTls,
    bodyLimit: 5 * 1024 * 1024,
  });
  const routeTable: { method: string; url: string }[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Huikuan API', version: deps.version, description: 'Sales collections and receivables' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'hk_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());

  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/') || request.url.startsWith('/api/docs')) return;
    if (request.routeOptions.config.isCsrfExempt && request.method === 'POST') {
      request.actor = null;
      return;
    }
    await resolveActor(deps, request, reply);
  });

  await app.register(
    (api, _opts, done) => {
      const typed = api.withTypeProvider<ZodTypeProvider>();
      registerHealthRoutes(typed, deps);
      registerAuthRoutes(typed, deps);
      registerOrganizationRoutes(typed, deps);
      registerUserRoutes(typed, deps);
      registerTeamRoutes(typed, deps);
      registerApiTokenRoutes(typed, deps);
      registerAuditRoutes(typed, deps);
      registerCustomersRoutes(typed, deps);
      registerContractsRoutes(typed, deps);
      registerInvoicesRoutes(typed, deps);
      registerReceiptsRoutes(typed, deps);
      registerApprovalRoutes(typed, deps);
      registerImportRoutes(typed, deps);
      registerAgingRoutes(typed, deps);
      registerAnalyticsRoutes(typed, deps);
      registerCreditRoutes(typed, deps);
      registerReportRoutes(typed, deps);
      registerPaymentBehaviourRoutes(typed, deps);
      registerWriteOffRoutes(typed, deps);
      registerIncentiveRoutes(typed, deps);
      registerLetterRoutes(typed, deps);
      registerDunningRoutes(typed, deps);
      registerMessagingRoutes(typed, deps);
      registerCaseworkRoutes(typed, deps);
      done();
    },
    { prefix: '/api' },
  );
  await registerWebApp(app, deps.config.webDistDir);
  return app;
}

/** Serves the built single-page app; unknown non-API paths get index.html so client routes work on reload. */
async function registerWebApp(app: FastifyInstance, webDistDir: string): Promise<void> {
  const indexPath = path.join(webDistDir, 'index.html');
  if (!fs.existsSync(indexPath)) {
    app.log.warn({ webDistDir }, 'web app is not built; run `npm run build` to serve it');
    return;
  }
  await app.register(fastifyStatic, { root: webDistDir, wildcard: false, index: false });
  app.get('/*', (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    if (file === 'api' || file.startsWith('api/')) return reply.callNotFound();
    const candidate = path.join(webDistDir, file);
    if (
      file &&
      candidate.startsWith(webDistDir) &&
      fs.statSync(candidate, { throwIfNoEntry: false })?.isFile()
    ) {
      return reply.sendFile(file);
    }
    return reply.type('text/html').sendFile('index.html');
  });
}
