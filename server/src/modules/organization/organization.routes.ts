import { organizationSchema, updateOrganizationRequestSchema } from '@huikuan/core/contracts';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';
import { requireActor } from '../../platform/request-context';
import { getOrganization, updateOrganization } from './organization';

const tags = ['organization'];

export function registerOrganizationRoutes(app: ApiApp, deps: AppDeps): void {
  app.get('/organization', { schema: { tags, response: { 200: organizationSchema } } }, (request) =>
    getOrganization(deps, requireActor(request)),
  );
  app.patch(
    '/organization',
    { schema: { tags, body: updateOrganizationRequestSchema, response: { 200: organizationSchema } } },
    (request) => updateOrganization(deps, requireActor(request, 'org.manage'), request.body),
  );
}
