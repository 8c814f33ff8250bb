import type { Notification } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { AppDeps } from '../../platform/deps';
import { AppError, notFound } from '../../platform/errors';
import { decodeCursor, pageFrom } from '../../platform/pagination';
import type { Actor } from '../../platform/request-context';

/** The signed-in user's own notifications (站内提醒): nobody reads or marks anyone else's. */

function userIdOf(actor: Actor): string {
  if (!actor.userId) throw new AppError('forbidden');
  return actor.userId;
}

type Row = {
  id: string;
  title: string;
  body: string;
  link: string | null;
  customer_id: string | null;
  created_at: Date;
  read_at: Date | null;
};

function toView(row: Row): Notification {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    link: row.link,
    customerId: row.customer_id,
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at?.toISOString() ?? null,
  };
}

export async function listMyNotifications(
  deps: AppDeps,
  actor: Actor,
  query: { cursor?: string; limit: number; unreadOnly?: boolean },
) {
  const userId = userIdOf(actor);
  const after = decodeCursor(query.cursor, 2);
  const rows = await deps.db.tenant(actor.tenantId, (tx) => {
    let select = tx
      .selectFrom('notifications as n')
      .select([
        'n.id',
        'n.title',
        'n.body',
        'n.link',
        'n.customer_id',
        'n.created_at',
        'n.read_at',
        sql<string>`n.created_at::text`.as('created_key'),
      ])
      .where('n.tenant_id', '=', actor.tenantId)
      .where('n.user_id', '=', userId);
    if (query.unreadOnly) select = select.where('n.read_at', 'is', null);
    if (after) {
      const [createdKey = '', id = ''] = after;
      select = select.where(sql<boolean>`(n.created_at, n.id) < (${createdKey}::timestamptz, ${id}::uuid)`);
    }
    return select
      .orderBy('n.created_at', 'desc')
      .orderBy('n.id', 'desc')
      .limit(query.limit + 1)
      .execute();
  });
  const page = pageFrom(rows, query.limit, (row) => [row.created_key, row.id]);
  return { items: page.items.map(toView), nextCursor: page.nextCursor };
}

export async function countMyUnread(deps: AppDeps, actor: Actor): Promise<{ unread: number }> {
  const userId = userIdOf(actor);
  const row = await deps.db.tenant(actor.tenantId, (tx) =>
    tx
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('tenant_id', '=', actor.tenantId)
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow(),
  );
  return { unread: Number(row.n) };
}

/** Marking read is not audited: it changes nothing but the reader's own bell. */
export async function markNotificationRead(
  deps: AppDeps,
  actor: Actor,
  notificationId: string,
): Promise<Notification> {
  const userId = userIdOf(actor);
  const row = await deps.db.tenant(actor.tenantId, async (tx) => {
    const found = await tx
      .selectFrom('notifications')
      .select(['id', 'title', 'body', 'link', 'customer_id', 'created_at', 'read_at'])
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', notificationId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!found) throw notFound('notification');
    if (found.read_at !== null) return found;
    return tx
      .updateTable('notifications')
      .set({ read_at: deps.clock.now() })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', notificationId)
      .returning(['id', 'title', 'body', 'link', 'customer_id', 'created_at', 'read_at'])
      .executeTakeFirstOrThrow();
  });
  return toView(row);
}

export async function markAllNotificationsRead(deps: AppDeps, actor: Actor): Promise<{ unread: number }> {
  const userId = userIdOf(actor);
  await deps.db.tenant(actor.tenantId, (tx) =>
    tx
      .updateTable('notifications')
      .set({ read_at: deps.clock.now() })
      .where('tenant_id', '=', actor.tenantId)
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .execute(),
  );
  return { unread: 0 };
}
