import { isInScope, type Role } from '@huikuan/core';
import type { Tx } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { recordScope, type Actor } from '../../platform/request-context';

/** Who owns a customer (its salesperson) and which team it counts for; together they decide who sees it. */
export type Assignment = { ownerUserId: string | null; teamId: string | null };

/**
 * Who may (re)assign a customer to an owner or team. A salesperson may create customers (owned by themselves)
 * and edit their own customers' details, but handing a customer to someone else changes who answers for the
 * money, so that is for their manager, finance or an admin. Legal records litigation and notes, and likewise
 * does not reassign.
 */
const ASSIGNING_ROLES: readonly Role[] = ['admin', 'finance', 'sales_manager'];

type OwnerFacts = { teamId: string | null; isActive: boolean };

async function ownerOrThrow(tx: Tx, tenantId: string, userId: string): Promise<OwnerFacts> {
  const user = await tx
    .selectFrom('users')
    .select(['team_id', 'is_active'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) throw notFound('user');
  return { teamId: user.team_id, isActive: user.is_active };
}

async function teamExistsOrThrow(tx: Tx, tenantId: string, teamId: string): Promise<void> {
  const team = await tx
    .selectFrom('teams')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', teamId)
    .executeTakeFirst();
  if (!team) throw notFound('team');
}

/**
 * The owner and team a change asks for. An owner named without a team brings their own team along (the customer
 * follows its salesperson); an owner must be an active user and a team must exist, both in this organization.
 */
async function requestedAssignment(
  tx: Tx,
  tenantId: string,
  current: Assignment,
  input: { ownerUserId?: string | null | undefined; teamId?: string | null | undefined },
): Promise<Assignment> {
  const ownerUserId = input.ownerUserId !== undefined ? input.ownerUserId : current.ownerUserId;
  let teamId = input.teamId !== undefined ? input.teamId : current.teamId;
  if (ownerUserId !== null && ownerUserId !== current.ownerUserId) {
    const owner = await ownerOrThrow(tx, tenantId, ownerUserId);
    if (!owner.isActive) {
      throw new AppError('validation_failed', {}, [
        { path: 'ownerUserId', message: 'This user is deactivated and cannot own customers' },
      ]);
    }
    if (input.teamId === undefined) teamId = owner.teamId;
  }
  if (teamId !== null && teamId !== current.teamId) await teamExistsOrThrow(tx, tenantId, teamId);
  return { ownerUserId, teamId };
}

function assertMayAssign(actor: Actor, from: Assignment, to: Assignment): void {
  const isChange = from.ownerUserId !== to.ownerUserId || from.teamId !== to.teamId;
  if (!isChange) return;
  if (!ASSIGNING_ROLES.includes(actor.role)) throw new AppError('forbidden');
  // A manager reassigns within their own teams; giving a customer away beyond them is for finance or an admin.
  if (!isInScope(recordScope(actor), to.ownerUserId, to.teamId)) throw new AppError('forbidden');
}

/**
 * The assignment of a new customer. By default a salesperson or manager owns what they create and it counts for
 * the owner's team; finance, legal and admins create unowned customers unless they name an owner.
 */
export async function newCustomerAssignment(
  tx: Tx,
  actor: Actor,
  input: { ownerUserId?: string | null | undefined; teamId?: string | null | undefined },
): Promise<Assignment> {
  const isSeller = actor.role === 'salesperson' || actor.role === 'sales_manager';
  const defaultOwner = isSeller && actor.userId ? actor.userId : null;
  const defaults = await requestedAssignment(
    tx,
    actor.tenantId,
    { ownerUserId: null, teamId: null },
    { ownerUserId: defaultOwner },
  );
  const requested = await requestedAssignment(
    tx,
    actor.tenantId,
    { ownerUserId: null, teamId: null },
    {
      ownerUserId: input.ownerUserId !== undefined ? input.ownerUserId : defaultOwner,
      teamId: input.teamId,
    },
  );
  assertMayAssign(actor, defaults, requested);
  return requested;
}

/** The assignment after an update; only the assigning roles may change it, and only within their reach. */
export async function updatedCustomerAssignment(
  tx: Tx,
  actor: Actor,
  current: Assignment,
  input: { ownerUserId?: string | null | undefined; teamId?: string | null | undefined },
): Promise<Assignment> {
  const requested = await requestedAssignment(tx, actor.tenantId, current, input);
  assertMayAssign(actor, current, requested);
  return requested;
}
