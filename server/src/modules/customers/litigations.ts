import type { Litigation } from '@huikuan/core/contracts';
import type { createLitigationRequestSchema } from '@huikuan/core/contracts';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import type { CustomerLitigationsTable } from '../../db/schema';
import { recordAudit } from '../../platform/audit';
import type { AppDeps } from '../../platform/deps';
import type { Actor } from '../../platform/request-context';
import { visibleCustomerOrThrow } from './customer-access';

export type CreateLitigationInput = z.output<typeof createLitigationRequestSchema>;

function toLitigationView(row: Selectable<CustomerLitigationsTable>): Litigation {
  return {
    id: row.id,
    customerId: row.customer_id,
    caseNumber: row.case_number,
    court: row.court,
    filedOn: row.filed_on,
    partyRole: row.party_role as Litigation['partyRole'],
    status: row.status,
    summary: row.summary,
    createdAt: row.created_at.toISOString(),
  };
}

/** Public litigation records (公共诉讼记录) of a customer, newest filing first (unknown dates last). */
export async function listLitigations(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
): Promise<{ items: Litigation[] }> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    await visibleCustomerOrThrow(tx, actor, customerId);
    const rows = await tx
      .selectFrom('customer_litigations')
      .selectAll()
      .where('tenant_id', '=', actor.tenantId)
      .where('customer_id', '=', customerId)
      .orderBy('filed_on', (ob) => ob.desc().nullsLast())
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return { items: rows.map(toLitigationView) };
  });
}

export async function addLitigation(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
  input: CreateLitigationInput,
): Promise<Litigation> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    await visibleCustomerOrThrow(tx, actor, customerId);
    const row = await tx
      .insertInto('customer_litigations')
      .values({
        tenant_id: actor.tenantId,
        customer_id: customerId,
        case_number: input.caseNumber ?? null,
        court: input.court ?? null,
        filed_on: input.filedOn ?? null,
        party_role: input.partyRole ?? null,
        status: input.status ?? null,
        summary: input.summary,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'customer_litigation.created',
      entityType: 'customer_litigation',
      entityId: row.id,
      after: row,
    });
    return toLitigationView(row);
  });
}
