import type { Customer } from '@huikuan/core/contracts';
import type { Selectable } from 'kysely';
import type { CustomersTable } from '../../db/schema';
import { recordAudit } from '../../platform/audit';
import type { AppDeps } from '../../platform/deps';
import type { Actor } from '../../platform/request-context';
import { visibleCustomerOrThrow } from './customer-access';
import { updatedCustomerAssignment } from './customer-assignment';
import { plainColumnsOf, registeredCapitalColumns, type UpdateCustomerInput } from './customer-fields';
import { assertCreditCodeFree } from './customer-identity';
import { customerViewOrThrow } from './customer-view';
import { translateCustomerWriteError } from './create-customer';

/** Deactivating and reactivating are their own audit actions: they are what a reviewer looks for. */
function auditActionOf(before: Selectable<CustomersTable>, after: Selectable<CustomersTable>): string {
  if (before.is_active && !after.is_active) return 'customer.deactivated';
  if (!before.is_active && after.is_active) return 'customer.reactivated';
  return 'customer.updated';
}

/**
 * Edits a customer's details and credit file. The customer must be in the actor's scope (else 404); changing its
 * owner or team is limited to managers, finance and admins (see customer-assignment.ts). Customers are never
 * deleted, because contracts, invoices and receipts refer to them: `isActive: false` retires one instead.
 */
export async function updateCustomer(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
  input: UpdateCustomerInput,
): Promise<Customer> {
  try {
    return await deps.db.tenant(actor.tenantId, async (tx) => {
      await visibleCustomerOrThrow(tx, actor, customerId);
      const before = await tx
        .selectFrom('customers')
        .selectAll()
        .where('tenant_id', '=', actor.tenantId)
        .where('id', '=', customerId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const assignment = await updatedCustomerAssignment(
        tx,
        actor,
        { ownerUserId: before.owner_user_id, teamId: before.team_id },
        input,
      );
      if (input.unifiedCreditCode !== undefined) {
        await assertCreditCodeFree(tx, actor.tenantId, input.unifiedCreditCode, customerId);
      }
      const capitalCurrency =
        before.registered_capital_currency?.trim() ?? input.currency ?? before.currency.trim();
      const after = await tx
        .updateTable('customers')
        .set({
          ...plainColumnsOf(input),
          ...registeredCapitalColumns(input, capitalCurrency),
          ...(input.code !== undefined ? { code: input.code } : {}),
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.isActive !== undefined ? { is_active: input.isActive } : {}),
          owner_user_id: assignment.ownerUserId,
          team_id: assignment.teamId,
          updated_at: deps.clock.now(),
        })
        .where('tenant_id', '=', actor.tenantId)
        .where('id', '=', customerId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, actor, {
        action: auditActionOf(before, after),
        entityType: 'customer',
        entityId: customerId,
        before,
        after,
      });
      // Reassignment never leaves the actor's scope (customer-assignment.ts), so the read-back through it succeeds.
      return customerViewOrThrow(tx, actor, customerId);
    });
  } catch (error) {
    return translateCustomerWriteError(error, input.code);
  }
}
