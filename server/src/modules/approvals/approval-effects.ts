import type { ApprovalKind } from '@huikuan/core/contracts';
import type { Selectable } from 'kysely';
import type { ApprovalRequestsTable } from '../../db/schema';
import type { Tx } from '../../platform/db';
import type { Actor } from '../../platform/request-context';

/**
 * What an approval does once granted (or refused) is owned by the module that asked for it: invoices post a
 * credit note, receipts book an offset, and so on. They register here at start-up; approvals only call them, in
 * the same transaction as the decision, so a decision and its effect land together or not at all.
 */
export type ApprovalEffect = {
  onApproved(tx: Tx, actor: Actor, request: Selectable<ApprovalRequestsTable>): Promise<void>;
  onRejected?(tx: Tx, actor: Actor, request: Selectable<ApprovalRequestsTable>): Promise<void>;
};

const effects = new Map<ApprovalKind, ApprovalEffect>();

export function registerApprovalEffect(kind: ApprovalKind, effect: ApprovalEffect): void {
  effects.set(kind, effect);
}

export function approvalEffectOrThrow(kind: ApprovalKind): ApprovalEffect {
  const effect = effects.get(kind);
  if (!effect) throw new Error(`No effect registered for approvals of kind ${kind}`);
  return effect;
}
