import { minorToDecimalString } from '@huikuan/core';
import type { WriteOff } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { recordScope, type Actor } from '../../platform/request-context';
import { customerScopeCondition } from '../customers/customer-access';

/**
 * Posted write-offs the actor may see (through the invoice's customer), each with what has been recovered on it:
 * recoveries net of their reversals, summed in one grouped subquery rather than per row.
 */
export function writeOffRows(tx: Tx, actor: Actor) {
  return tx
    .selectFrom('credit_notes as wo')
    .innerJoin('invoices as i', (join) =>
      join.onRef('i.tenant_id', '=', 'wo.tenant_id').onRef('i.id', '=', 'wo.invoice_id'),
    )
    .innerJoin('customers as c', (join) =>
      join.onRef('c.tenant_id', '=', 'i.tenant_id').onRef('c.id', '=', 'i.customer_id'),
    )
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('allocations')
          .select(['write_off_id', sql<bigint>`sum(amount_minor)::bigint`.as('recovered_minor')])
          .where('tenant_id', '=', actor.tenantId)
          .where('write_off_id', 'is not', null)
          .groupBy('write_off_id')
          .as('rec'),
      (join) => join.onRef('rec.write_off_id', '=', 'wo.id'),
    )
    .select([
      'wo.id',
      'wo.number',
      'wo.invoice_id',
      'wo.amount_minor',
      'wo.currency',
      'wo.issued_on',
      'wo.reason',
      'wo.approval_request_id',
      'wo.created_at',
      'i.number as invoice_number',
      'i.customer_id',
      'c.code as customer_code',
      'c.name as customer_name',
      sql<bigint>`coalesce(rec.recovered_minor, 0)::bigint`.as('recovered_minor'),
    ])
    .where('wo.tenant_id', '=', actor.tenantId)
    .where('wo.kind', '=', 'write_off')
    .where('wo.status', '=', 'posted')
    .where(customerScopeCondition(recordScope(actor), 'c'));
}

type WriteOffRow = Awaited<ReturnType<ReturnType<typeof writeOffRows>['executeTakeFirstOrThrow']>>;

export function toWriteOffView(row: WriteOffRow): WriteOff {
  return {
    id: row.id,
    number: row.number,
    invoiceId: row.invoice_id,
    invoiceNumber: row.invoice_number,
    customerId: row.customer_id,
    customerCode: row.customer_code,
    customerName: row.customer_name,
    currency: row.currency,
    writtenOffOn: row.issued_on,
    amount: minorToDecimalString(row.amount_minor, row.currency),
    recovered: minorToDecimalString(row.recovered_minor, row.currency),
    outstanding: minorToDecimalString(row.amount_minor - row.recovered_minor, row.currency),
    reason: row.reason,
    approvalRequestId: row.approval_request_id,
    createdAt: row.created_at.toISOString(),
  };
}

export async function writeOffViewOrThrow(tx: Tx, actor: Actor, writeOffId: string): Promise<WriteOff> {
  const row = await writeOffRows(tx, actor).where('wo.id', '=', writeOffId).executeTakeFirst();
  if (!row) throw notFound('write_off');
  return toWriteOffView(row);
}
