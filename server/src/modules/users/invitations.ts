import type { Role } from '@huikuan/core';
import type { Invitation } from '@huikuan/core/contracts';
import type { Selectable } from 'kysely';
import type { InvitationsTable } from '../../db/schema';
import { recordAudit } from '../../platform/audit';
import { isForeignKeyViolation } from '../../platform/db-errors';
import type { AppDeps } from '../../platform/deps';
import { AppError, notFound } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { newSecret, sha256 } from '../../platform/secrets';

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export function invitationStatus(row: Selectable<InvitationsTable>, now: Date): Invitation['status'] {
  if (row.accepted_at) return 'accepted';
  if (row.revoked_at) return 'revoked';
  if (row.expires_at <= now) return 'expired';
  return 'pending';
}

export function toInvitationView(row: Selectable<InvitationsTable>, now: Date): Invitation {
  return {
    id: row.id,
    email: row.email,
    role: row.role as Role,
    teamId: row.team_id,
    status: invitationStatus(row, now),
    invitedByUserId: row.invited_by_user_id,
    expiresAt: row.expires_at.toISOString(),
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * Invites a colleague by email with a role. The link's token is returned once, for the inviter to pass on;
 * the database keeps only its hash.
 */
export async function createInvitation(
  deps: AppDeps,
  actor: Actor,
  input: { email: string; role: Role; teamId?: string | null | undefined },
): Promise<{ invitation: Invitation; token: string; acceptPath: string }> {
  const token = newSecret();
  const now = deps.clock.now();
  try {
    return await deps.db.tenant(actor.tenantId, async (tx) => {
      const existing = await tx
        .selectFrom('users')
        .select('id')
        .where('tenant_id', '=', actor.tenantId)
        .where('email', '=', input.email)
        .executeTakeFirst();
      if (existing) throw new AppError('email_taken', { email: input.email });
      const row = await tx
        .insertInto('invitations')
        .values({
          tenant_id: actor.tenantId,
          email: input.email,
          role: input.role,
          team_id: input.teamId ?? null,
          token_hash: sha256(token),
          invited_by_user_id: actor.userId ?? '',
          expires_at: new Date(now.getTime() + INVITATION_LIFETIME_MS),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, actor, {
        action: 'invitation.created',
        entityType: 'invitation',
        entityId: row.id,
        after: row,
      });
      return { invitation: toInvitationView(row, now), token, acceptPath: `/invite/${token}` };
    });
  } catch (error) {
    if (isForeignKeyViolation(error)) throw notFound('team');
    throw error;
  }
}

export async function listInvitations(deps: AppDeps, actor: Actor): Promise<{ items: Invitation[] }> {
  const now = deps.clock.now();
  const rows = await deps.db.tenant(actor.tenantId, (tx) =>
    tx
      .selectFrom('invitations')
      .selectAll()
      .where('tenant_id', '=', actor.tenantId)
      .orderBy('created_at', 'desc')
      .limit(200)
      .execute(),
  );
  return { items: rows.map((row) => toInvitationView(row, now)) };
}

export async function revokeInvitation(deps: AppDeps, actor: Actor, invitationId: string): Promise<void> {
  await deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await tx
      .selectFrom('invitations')
      .selectAll()
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', invitationId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw notFound('invitation');
    if (before.accepted_at) throw new AppError('conflict', { detail: 'invitation already accepted' });
    const after = await tx
      .updateTable('invitations')
      .set({ revoked_at: deps.clock.now() })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', invitationId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'invitation.revoked',
      entityType: 'invitation',
      entityId: invitationId,
      before,
      after,
    });
  });
}
