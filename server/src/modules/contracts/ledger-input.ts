import type { CalendarDate } from '@huikuan/core';
import type { Clock } from '../../platform/clock';
import { todayIn } from '../../platform/clock';
import type { Tx } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';

/** Helpers the contracts and invoices use cases share: the organization's today, users and teams. */

/** "Today" for the organization, in its own time zone. */
export async function organizationToday(tx: Tx, tenantId: string, clock: Clock): Promise<CalendarDate> {
  const organization = await tx
    .selectFrom('organizations')
    .select('timezone')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  if (!organization) throw notFound('organization');
  return todayIn(clock, organization.timezone);
}

/** Every named user must belong to the organization; one query for all of them. */
export async function assertUsersOfOrganization(
  tx: Tx,
  tenantId: string,
  users: readonly { path: string; userId: string | null | undefined }[],
): Promise<void> {
  const ids = [...new Set(users.flatMap((user) => (user.userId ? [user.userId] : [])))];
  if (ids.length === 0) return;
  const found = await tx
    .selectFrom('users')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute();
  const known = new Set(found.map((row) => row.id));
  const issues = users
    .filter((user) => user.userId && !known.has(user.userId))
    .map((user) => ({ path: user.path, message: 'No such user in this organization' }));
  if (issues.length > 0) throw new AppError('validation_failed', {}, issues);
}

export async function assertTeamOfOrganization(
  tx: Tx,
  tenantId: string,
  teamId: string | null | undefined,
  path: string,
): Promise<void> {
  if (!teamId) return;
  const team = await tx
    .selectFrom('teams')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', teamId)
    .executeTakeFirst();
  if (!team) {
    throw new AppError('validation_failed', {}, [{ path, message: 'No such team in this organization' }]);
  }
}

/** Escapes LIKE wildcards so a search for "50%" means the text, not a pattern. */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}
