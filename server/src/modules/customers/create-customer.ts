import type { Customer } from '@huikuan/core/contracts';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import { isForeignKeyViolation, isUniqueViolation } from '../../platform/db-errors';
import type { AppDeps } from '../../platform/deps';
import { AppError, notFound } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { newCustomerAssignment } from './customer-assignment';
import { plainColumnsOf, registeredCapitalColumns, type CreateCustomerInput } from './customer-fields';
import { assertCreditCodeFree } from './customer-identity';
import { customerViewOrThrow } from './customer-view';

async function baseCurrencyOf(tx: Tx, tenantId: string): Promise<string> {
  const organization = await tx
    .selectFrom('organizations')
    .select('base_currency')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return organization.base_currency.trim();
}

/** Unique violations and dangling owner/team references, in words the user can act on. */
export function translateCustomerWriteError(error: unknown, code: string | undefined): never {
  // A concurrent write took the credit code after assertCreditCodeFree looked (migration 0019's index).
  if (isUniqueViolation(error, 'unified_credit')) {
    throw new AppError('conflict', { detail: 'the unified credit code already belongs to another customer' });
  }
  if (isUniqueViolation(error, 'code')) {
    throw new AppError('conflict', { detail: `customer code "${code ?? ''}" is already used` });
  }
  // The owner and team are looked up first; this covers one removed by a concurrent request.
  if (isForeignKeyViolation(error)) throw notFound('user or team');
  throw error;
}

/** Inserts a customer inside the caller's transaction (the import uses this too) and audits it. */
export async function createCustomerIn(tx: Tx, actor: Actor, input: CreateCustomerInput): Promise<string> {
  const assignment = await newCustomerAssignment(tx, actor, input);
  await assertCreditCodeFree(tx, actor.tenantId, input.unifiedCreditCode, null);
  const currency = input.currency ?? (await baseCurrencyOf(tx, actor.tenantId));
  const row = await tx
    .insertInto('customers')
    .values({
      ...plainColumnsOf(input),
      ...registeredCapitalColumns(input, currency),
      tenant_id: actor.tenantId,
      code: input.code,
      name: input.name,
      owner_user_id: assignment.ownerUserId,
      team_id: assignment.teamId,
      currency,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(tx, actor, {
    action: 'customer.created',
    entityType: 'customer',
    entityId: row.id,
    after: row,
  });
  return row.id;
}

export async function createCustomer(
  deps: AppDeps,
  actor: Actor,
  input: CreateCustomerInput,
): Promise<Customer> {
  try {
    return await deps.db.tenant(actor.tenantId, async (tx) => {
      const customerId = await createCustomerIn(tx, actor, input);
      return customerViewOrThrow(tx, actor, customerId);
    });
  } catch (error) {
    return translateCustomerWriteError(error, input.code);
  }
}
