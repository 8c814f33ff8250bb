import {
  changePasswordRequestSchema,
  loginRequestSchema,
  okSchema,
  sessionResponseSchema,
  signupRequestSchema,
  updateProfileRequestSchema,
} from '@huikuan/core/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { requireActor, SESSION_COOKIE } from '../../platform/request-context';
import { changePassword, logout, updateProfile } from './account';
import { login } from './login';
import { sessionView, type NewSession, type RequestMeta } from './sessions';
import { signup } from './signup';

const tags = ['auth'];

export function requestMeta(request: FastifyRequest): RequestMeta {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null, requestId: request.id };
}

/** HttpOnly so scripts cannot read it, SameSite=Lax against cross-site posts, Secure whenever TLS is in front. */
export function setSessionCookie(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  session: NewSession,
) {
  void reply.setCookie(SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: deps.config.isBehindTls || request.protocol === 'https',
    path: '/',
    expires: session.expiresAt,
  });
}

export function registerAuthRoutes(app: ApiApp, deps: AppDeps): void {
  const loginRateLimit = { max: deps.config.authAttemptsPerMinute, timeWindow: '1 minute' };

  app.post(
    '/auth/signup',
    {
      schema: { tags, body: signupRequestSchema, response: { 201: sessionResponseSchema } },
      config: { isCsrfExempt: true, rateLimit: loginRateLimit },
    },
    async (request, reply) => {
      const { session, view } = await signup(deps, request.body, requestMeta(request));
      setSessionCookie(deps, request, reply, session);
      return reply.status(201).send(view);
    },
  );

  app.post(
    '/auth/login',
    {
      schema: { tags, body: loginRequestSchema, response: { 200: sessionResponseSchema } },
      config: { isCsrfExempt: true, rateLimit: loginRateLimit },
    },
    async (request, reply) => {
      const { session, view } = await login(deps, request.body, requestMeta(request));
      setSessionCookie(deps, request, reply, session);
      return view;
    },
  );

  app.post('/auth/logout', { schema: { tags, response: { 200: okSchema } } }, async (request, reply) => {
    const actor = requireActor(request);
    await logout(deps, actor);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  app.get(
    '/auth/session',
    { schema: { tags, response: { 200: sessionResponseSchema } } },
    async (request) => {
      const actor = requireActor(request);
      const userId = actor.userId ?? '';
      return deps.db.tenant(actor.tenantId, (tx) =>
        sessionView(tx, actor.tenantId, userId, actor.csrfToken ?? ''),
      );
    },
  );

  app.post(
    '/auth/password',
    { schema: { tags, body: changePasswordRequestSchema, response: { 200: okSchema } } },
    async (request) => {
      await changePassword(deps, requireActor(request), request.body);
      return { ok: true as const };
    },
  );

  app.patch(
    '/auth/profile',
    { schema: { tags, body: updateProfileRequestSchema, response: { 200: sessionResponseSchema } } },
    async (request) => {
      const actor = requireActor(request);
      await updateProfile(deps, actor, request.body);
      const userId = actor.userId ?? '';
      return deps.db.tenant(actor.tenantId, (tx) =>
        sessionView(tx, actor.tenantId, userId, actor.csrfToken ?? ''),
      );
    },
  );
}
