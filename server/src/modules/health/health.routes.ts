import { healthResponseSchema } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { ApiApp } from '../../app';
import type { AppDeps } from '../../platform/deps';

export function registerHealthRoutes(app: ApiApp, deps: AppDeps): void {
  app.get(
    '/health',
    { schema: { tags: ['platform'], response: { 200: healthResponseSchema } } },
    async () => {
      await deps.db.system((tx) => sql`SELECT 1`.execute(tx));
      return { status: 'ok' as const, database: deps.db.kind, version: deps.version };
    },
  );
}
