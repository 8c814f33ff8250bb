import type { User } from '@huikuan/core/contracts';
import type { z } from 'zod';
import type { userListQuerySchema } from '@huikuan/core/contracts';
import type { AppDeps } from '../../platform/deps';
import { decodeCursor, pageFrom } from '../../platform/pagination';
import type { Actor } from '../../platform/request-context';
import { toUserView } from '../auth/sessions';

export type UserListQuery = z.output<typeof userListQuerySchema>;

/** Users by name, a page at a time (keyset on name and id, so pages stay stable while people are added). */
export async function listUsers(
  deps: AppDeps,
  actor: Actor,
  query: UserListQuery,
): Promise<{ items: User[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, 2);
  const rows = await deps.db.tenant(actor.tenantId, (tx) => {
    let select = tx.selectFrom('users').selectAll().where('tenant_id', '=', actor.tenantId);
    if (query.search) {
      const pattern = `%${query.search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      select = select.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('email', 'ilike', pattern)]));
    }
    if (query.role) select = select.where('role', '=', query.role);
    if (query.teamId) select = select.where('team_id', '=', query.teamId);
    if (after) {
      const [name = '', id = ''] = after;
      select = select.where((eb) =>
        eb.or([eb('name', '>', name), eb.and([eb('name', '=', name), eb('id', '>', id)])]),
      );
    }
    return select
      .orderBy('name')
      .orderBy('id')
      .limit(query.limit + 1)
      .execute();
  });
  const page = pageFrom(rows, query.limit, (row) => [row.name, row.id]);
  return { items: page.items.map(toUserView), nextCursor: page.nextCursor };
}
