import type { TestApp } from '../../../test/support/test-app';

/**
 * Test data the contracts and invoices tests need from modules built alongside them: customers go straight into
 * the table, and receipts with their allocations too, so balances can be tested before the receipts API exists.
 */
export async function insertCustomer(
  t: TestApp,
  tenantId: string,
  input: {
    code: string;
    ownerUserId: string | null;
    teamId?: string | null;
    currency?: string;
    paymentTermsDays?: number;
  },
): Promise<string> {
  const row = await t.db.tenant(tenantId, (tx) =>
    tx
      .insertInto('customers')
      .values({
        tenant_id: tenantId,
        code: input.code,
        name: `客户 ${input.code}`,
        owner_user_id: input.ownerUserId,
        team_id: input.teamId ?? null,
        currency: input.currency ?? 'CNY',
        payment_terms_days: input.paymentTermsDays ?? 30,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

/** A confirmed receipt of `amountMinor` applied in full to an invoice and/or plan node on `allocatedOn`. */
export async function insertAllocatedReceipt(
  t: TestApp,
  tenantId: string,
  input: {
    customerId: string;
    invoiceId?: string | null;
    planNodeId?: string | null;
    amountMinor: bigint;
    allocatedOn: string;
    currency?: string;
  },
): Promise<void> {
  await t.db.tenant(tenantId, async (tx) => {
    const receipt = await tx
      .insertInto('receipts')
      .values({
        tenant_id: tenantId,
        customer_id: input.customerId,
        received_on: input.allocatedOn,
        amount_minor: input.amountMinor,
        currency: input.currency ?? 'CNY',
        method: 'bank_transfer',
        status: 'confirmed',
        confirmed_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('allocations')
      .values({
        tenant_id: tenantId,
        receipt_id: receipt.id,
        invoice_id: input.invoiceId ?? null,
        plan_node_id: input.planNodeId ?? null,
        amount_minor: input.amountMinor,
        currency: input.currency ?? 'CNY',
        allocated_on: input.allocatedOn,
      })
      .execute();
  });
}

let keyCounter = 0;
/** A fresh Idempotency-Key header. */
export function idempotencyKey(): { headers: { 'idempotency-key': string } } {
  keyCounter += 1;
  return {
    headers: {
      'idempotency-key': `test-key-${process.pid}-${keyCounter}-${Math.random().toString(36).slice(2)}`,
    },
  };
}
