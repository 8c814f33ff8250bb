import {
  acceptInvitationRequestSchema,
  createInvitationRequestSchema,
  createInvitationResponseSchema,
  idParamSchema,
  invitationPreviewSchema,
  invitationSchema,
  okSchema,
  sessionResponseSchema,
  updateUserRequestSchema,
  userListQuerySchema,
  userPageSchema,
  userSchema,
} from '@huikuan/core/contracts';
import { z } from 'zod';
import { exportFormatShape } from '../../platform/export';
import { exportListRoute } from '../customers/export-route';
import { userExport } from './export-users';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { requireActor } from '../../platform/request-context';
import { requestMeta, setSessionCookie } from '../auth/auth.routes';
import { acceptInvitation, previewInvitation } from './accept-invitation';
import { createInvitation, listInvitations, revokeInvitation } from './invitations';
import { listUsers } from './list-users';
import { updateUser } from './update-user';

const tokenParamSchema = z.object({ token: z.string().min(10).max(200) });

export function registerUserRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['users'];
  app.get(
    '/users/export',
    {
      schema: {
        tags: ['exports'],
        querystring: userListQuerySchema.omit({ cursor: true, limit: true }).extend(exportFormatShape),
      },
    },
    (request, reply) => exportListRoute(deps, request, reply, 'users.read', userExport(deps), request.query),
  );
  app.get(
    '/users',
    { schema: { tags, querystring: userListQuerySchema, response: { 200: userPageSchema } } },
    (request) => listUsers(deps, requireActor(request, 'users.read'), request.query),
  );
  app.patch(
    '/users/:id',
    { schema: { tags, params: idParamSchema, body: updateUserRequestSchema, response: { 200: userSchema } } },
    (request) => updateUser(deps, requireActor(request, 'users.manage'), request.params.id, request.body),
  );

  const invitationTags = ['invitations'];
  app.get(
    '/invitations',
    { schema: { tags: invitationTags, response: { 200: z.object({ items: z.array(invitationSchema) }) } } },
    (request) => listInvitations(deps, requireActor(request, 'users.manage')),
  );
  app.post(
    '/invitations',
    {
      schema: {
        tags: invitationTags,
        body: createInvitationRequestSchema,
        response: { 201: createInvitationResponseSchema },
      },
    },
    async (request, reply) => {
      const created = await createInvitation(deps, requireActor(request, 'users.manage'), request.body);
      return reply.status(201).send(created);
    },
  );
  app.delete(
    '/invitations/:id',
    { schema: { tags: invitationTags, params: idParamSchema, response: { 200: okSchema } } },
    async (request) => {
      await revokeInvitation(deps, requireActor(request, 'users.manage'), request.params.id);
      return { ok: true as const };
    },
  );
  app.get(
    '/invitations/by-token/:token',
    {
      schema: { tags: invitationTags, params: tokenParamSchema, response: { 200: invitationPreviewSchema } },
    },
    (request) => previewInvitation(deps, request.params.token),
  );
  app.post(
    '/invitations/by-token/:token/accept',
    {
      schema: {
        tags: invitationTags,
        params: tokenParamSchema,
        body: acceptInvitationRequestSchema,
        response: { 201: sessionResponseSchema },
      },
      config: {
        isCsrfExempt: true,
        rateLimit: { max: deps.config.authAttemptsPerMinute, timeWindow: '1 minute' },
      },
    },
    async (request, reply) => {
      const { session, view } = await acceptInvitation(
        deps,
        request.params.token,
        request.body,
        requestMeta(request),
      );
      setSessionCookie(deps, request, reply, session);
      return reply.status(201).send(view);
    },
  );
}
