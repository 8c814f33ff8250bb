import type { BankAccount } from '@huikuan/core/contracts';
import type { createBankAccountRequestSchema } from '@huikuan/core/contracts';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import type { CustomerBankAccountsTable } from '../../db/schema';
import { recordAudit } from '../../platform/audit';
import { isUniqueViolation } from '../../platform/db-errors';
import type { AppDeps } from '../../platform/deps';
import { AppError, notFound } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { visibleCustomerOrThrow } from './customer-access';

export type CreateBankAccountInput = z.output<typeof createBankAccountRequestSchema>;

function toBankAccountView(row: Selectable<CustomerBankAccountsTable>): BankAccount {
  return {
    id: row.id,
    customerId: row.customer_id,
    bankName: row.bank_name,
    accountName: row.account_name,
    accountNumber: row.account_number,
    createdAt: row.created_at.toISOString(),
  };
}

/** The customer's bank accounts (往来银行); few per customer, so the list is whole rather than paged. */
export async function listBankAccounts(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
): Promise<{ items: BankAccount[] }> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    await visibleCustomerOrThrow(tx, actor, customerId);
    const rows = await tx
      .selectFrom('customer_bank_accounts')
      .selectAll()
      .where('tenant_id', '=', actor.tenantId)
      .where('customer_id', '=', customerId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return { items: rows.map(toBankAccountView) };
  });
}

export async function addBankAccount(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
  input: CreateBankAccountInput,
): Promise<BankAccount> {
  try {
    return await deps.db.tenant(actor.tenantId, async (tx) => {
      await visibleCustomerOrThrow(tx, actor, customerId);
      const row = await tx
        .insertInto('customer_bank_accounts')
        .values({
          tenant_id: actor.tenantId,
          customer_id: customerId,
          bank_name: input.bankName,
          account_name: input.accountName,
          account_number: input.accountNumber,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, actor, {
        action: 'customer_bank_account.created',
        entityType: 'customer_bank_account',
        entityId: row.id,
        after: row,
      });
      return toBankAccountView(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('conflict', {
        detail: `bank account ${input.accountNumber} is already recorded for this customer`,
      });
    }
    throw error;
  }
}

/** Bank accounts are reference data (receipts copy the payer's account as text), so removing one deletes it. */
export async function removeBankAccount(
  deps: AppDeps,
  actor: Actor,
  ids: { customerId: string; accountId: string },
): Promise<void> {
  await deps.db.tenant(actor.tenantId, async (tx) => {
    await visibleCustomerOrThrow(tx, actor, ids.customerId);
    const before = await tx
      .deleteFrom('customer_bank_accounts')
      .where('tenant_id', '=', actor.tenantId)
      .where('customer_id', '=', ids.customerId)
      .where('id', '=', ids.accountId)
      .returningAll()
      .executeTakeFirst();
    if (!before) throw notFound('bank account');
    await recordAudit(tx, actor, {
      action: 'customer_bank_account.deleted',
      entityType: 'customer_bank_account',
      entityId: ids.accountId,
      before,
    });
  });
}
