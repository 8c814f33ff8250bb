import type {
  Dispute,
  DisputeDetail,
  DisputeListQuery,
  ResolveDisputeRequest,
  createDisputeRequestSchema,
} from '@huikuan/core/contracts';
import type { z } from 'zod';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { decodeCursor, pageFrom } from '../../platform/pagination';
import { recordScope, type Actor } from '../../platform/request-context';
import { closeDispute, raiseDisputeV2, toDisputeView } from '../casework/disputes';
import { customerScopeCondition } from '../customers/customer-access';

/**
 * 争议 as the credit module's API has always offered it (POST /disputes, POST /disputes/:id/resolve, GET /disputes).
 * The use cases live in the casework module (modules/casework/disputes.ts: owner, history, resolution through a
 * credit note, the dunning pause); they still re-evaluate the credit hold in the same transaction, so open disputes
 * above the organization's threshold hold the customer and resolving or withdrawing releases that cause.
 */

function visibleDisputes(tx: Tx, actor: Actor) {
  return tx
    .selectFrom('disputes as d')
    .innerJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'd.tenant_id').onRef('c.id', '=', 'd.customer_id'),
    )
    .leftJoin('invoices as i', (join) =>
      join.onRef('i.tenant_id', '=', 'd.tenant_id').onRef('i.id', '=', 'd.invoice_id'),
    )
    .selectAll('d')
    .select('i.number as invoice_number')
    .where('d.tenant_id', '=', actor.tenantId)
    .where(customerScopeCondition(recordScope(actor), 'c'));
}

export type CreateDisputeInput = z.output<typeof createDisputeRequestSchema>;

/** The credit module's dispute shape, from the casework module's detail (which says more). */
function asDispute(detail: DisputeDetail): Dispute {
  const {
    customerName: _name,
    ownerName: _owner,
    creditNoteId: _cn,
    creditNoteNumber: _cnn,
    creditNoteStatus: _cns,
    approvalRequestId: _ar,
    pausesChasing: _p,
    events: _e,
    ...dispute
  } = detail;
  return dispute;
}

/** Raises a dispute: the casework module owns the use case (events, case rescoring); the credit hold follows. */
export async function raiseDispute(deps: AppDeps, actor: Actor, input: CreateDisputeInput): Promise<Dispute> {
  return asDispute(await raiseDisputeV2(deps, actor, input));
}

/**
 * Ends a dispute the credit module's way (outcome resolved_valid / resolved_invalid / withdrawn). A valid dispute on
 * an invoice raises its credit note for approval, as the casework resolution does.
 */
export async function resolveDispute(
  deps: AppDeps,
  actor: Actor,
  disputeId: string,
  input: ResolveDisputeRequest,
): Promise<Dispute> {
  const outcome =
    input.outcome === 'withdrawn' ? 'withdrawn' : input.outcome === 'resolved_valid' ? 'valid' : 'invalid';
  return asDispute(
    await closeDispute(deps, actor, disputeId, { outcome, note: input.note, resolvedOn: input.resolvedOn }),
  );
}

/** Disputes of customers in scope, newest first (opened on, then id). */
export async function listDisputes(deps: AppDeps, actor: Actor, query: DisputeListQuery) {
  const after = decodeCursor(query.cursor, 2);
  const rows = await deps.db.tenant(actor.tenantId, (tx) => {
    let select = visibleDisputes(tx, actor);
    if (query.customerId) select = select.where('d.customer_id', '=', query.customerId);
    if (query.status) select = select.where('d.status', '=', query.status);
    if (after) {
      const [openedOn = '', id = ''] = after;
      select = select.where((eb) =>
        eb.or([
          eb('d.opened_on', '<', openedOn),
          eb.and([eb('d.opened_on', '=', openedOn), eb('d.id', '<', id)]),
        ]),
      );
    }
    return select
      .orderBy('d.opened_on', 'desc')
      .orderBy('d.id', 'desc')
      .limit(query.limit + 1)
      .execute();
  });
  const page = pageFrom(rows, query.limit, (row) => [row.opened_on, row.id]);
  return { items: page.items.map(toDisputeView), nextCursor: page.nextCursor };
}
