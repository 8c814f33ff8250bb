import {
  createTeamRequestSchema,
  idParamSchema,
  okSchema,
  teamSchema,
  updateTeamRequestSchema,
} from '@huikuan/core/contracts';
import { z } from 'zod';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { requireActor } from '../../platform/request-context';
import { createTeam, deleteTeam, listTeams, updateTeam } from './teams';

export function registerTeamRoutes(app: ApiApp, deps: AppDeps): void {
  const tags = ['teams'];
  app.get(
    '/teams',
    { schema: { tags, response: { 200: z.object({ items: z.array(teamSchema) }) } } },
    (request) => listTeams(deps, requireActor(request)),
  );
  app.post(
    '/teams',
    { schema: { tags, body: createTeamRequestSchema, response: { 201: teamSchema } } },
    async (request, reply) =>
      reply.status(201).send(await createTeam(deps, requireActor(request, 'teams.manage'), request.body)),
  );
  app.patch(
    '/teams/:id',
    { schema: { tags, params: idParamSchema, body: updateTeamRequestSchema, response: { 200: teamSchema } } },
    (request) => updateTeam(deps, requireActor(request, 'teams.manage'), request.params.id, request.body),
  );
  app.delete(
    '/teams/:id',
    { schema: { tags, params: idParamSchema, response: { 200: okSchema } } },
    async (request) => {
      await deleteTeam(deps, requireActor(request, 'teams.manage'), request.params.id);
      return { ok: true as const };
    },
  );
}
