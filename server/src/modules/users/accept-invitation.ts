import type { Role } from '@huikuan/core';
import type { SessionResponse } from '@huikuan/core/contracts';
import { recordAudit } from '../../platform/audit';
import type { AppDeps } from '../../platform/deps';
import { AppError } from '../../platform/errors';
import { hashPassword, sha256 } from '../../platform/secrets';
import { createUserIn } from './create-user';
import { createSession, sessionView, type NewSession, type RequestMeta } from '../auth/sessions';

type PendingInvitation = {
  tenantId: string;
  id: string;
  email: string;
  role: Role;
  teamId: string | null;
  organizationName: string;
};

/** Finds a pending invitation by the token in its link; anything else (used, revoked, expired) is the same 410. */
async function findPendingInvitation(deps: AppDeps, token: string): Promise<PendingInvitation> {
  const row = await deps.db.system((tx) =>
    tx
      .selectFrom('invitations as i')
      .innerJoin('organizations as o', 'o.tenant_id', 'i.tenant_id')
      .select(['i.tenant_id', 'i.id', 'i.email', 'i.role', 'i.team_id', 'o.name as organization_name'])
      .where('i.token_hash', '=', sha256(token))
      .where('i.accepted_at', 'is', null)
      .where('i.revoked_at', 'is', null)
      .where('i.expires_at', '>', deps.clock.now())
      .executeTakeFirst(),
  );
  if (!row) throw new AppError('invitation_invalid');
  return {
    tenantId: row.tenant_id,
    id: row.id,
    email: row.email,
    role: row.role as Role,
    teamId: row.team_id,
    organizationName: row.organization_name,
  };
}

export async function previewInvitation(deps: AppDeps, token: string) {
  const invitation = await findPendingInvitation(deps, token);
  return { organizationName: invitation.organizationName, email: invitation.email, role: invitation.role };
}

/** The invitee picks a name and password; the user is created with the invited role and signed in. */
export async function acceptInvitation(
  deps: AppDeps,
  token: string,
  input: { name: string; password: string },
  meta: RequestMeta,
): Promise<{ session: NewSession; view: SessionResponse }> {
  const invitation = await findPendingInvitation(deps, token);
  const passwordHash = await hashPassword(input.password);
  const now = deps.clock.now();
  return deps.db.tenant(invitation.tenantId, async (tx) => {
    const claimed = await tx
      .updateTable('invitations')
      .set({ accepted_at: now })
      .where('tenant_id', '=', invitation.tenantId)
      .where('id', '=', invitation.id)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!claimed) throw new AppError('invitation_invalid');
    const actorOf = (userId: string) => ({
      tenantId: invitation.tenantId,
      userId,
      tokenId: null,
      requestId: meta.requestId,
      ip: meta.ip,
    });
    const user = await createUserIn(
      tx,
      invitation.tenantId,
      {
        email: invitation.email,
        name: input.name,
        role: invitation.role,
        teamId: invitation.teamId,
        locale: null,
        passwordHash,
      },
      actorOf,
    );
    await tx
      .updateTable('invitations')
      .set({ accepted_user_id: user.id })
      .where('tenant_id', '=', invitation.tenantId)
      .where('id', '=', invitation.id)
      .execute();
    await recordAudit(tx, actorOf(user.id), {
      action: 'invitation.accepted',
      entityType: 'invitation',
      entityId: invitation.id,
    });
    const session = await createSession(tx, invitation.tenantId, user.id, meta, now);
    return { session, view: await sessionView(tx, invitation.tenantId, user.id, session.csrfToken) };
  });
}
