import type { Contact, ContactRole } from '@huikuan/core/contracts';
import type { createContactRequestSchema, updateContactRequestSchema } from '@huikuan/core/contracts';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import type { CustomerContactsTable } from '../../db/schema';
import { recordAudit } from '../../platform/audit';
import type { Tx } from '../../platform/db';
import type { AppDeps } from '../../platform/deps';
import { notFound } from '../../platform/errors';
import type { Actor } from '../../platform/request-context';
import { visibleCustomerOrThrow } from './customer-access';

export type CreateContactInput = z.output<typeof createContactRequestSchema>;
export type UpdateContactInput = z.output<typeof updateContactRequestSchema>;

function toContactView(row: Selectable<CustomerContactsTable>): Contact {
  return {
    id: row.id,
    customerId: row.customer_id,
    name: row.name,
    title: row.title,
    phone: row.phone,
    email: row.email,
    imHandle: row.im_handle,
    roles: row.roles as ContactRole[],
    notes: row.notes,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Each role once, in a stable order, so the stored array and the audit diff do not depend on how it was sent. */
function distinctRoles(roles: readonly ContactRole[]): ContactRole[] {
  return [...new Set(roles)].sort();
}

function optionalColumns(input: UpdateContactInput) {
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.phone !== undefined ? { phone: input.phone } : {}),
    ...(input.email !== undefined ? { email: input.email } : {}),
    ...(input.imHandle !== undefined ? { im_handle: input.imHandle } : {}),
    ...(input.notes !== undefined ? { notes: input.notes } : {}),
    ...(input.roles !== undefined ? { roles: distinctRoles(input.roles) } : {}),
  };
}

/** A customer's contacts, by name. A customer has a handful, so the list is whole rather than paged. */
export async function listContacts(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
): Promise<{ items: Contact[] }> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    await visibleCustomerOrThrow(tx, actor, customerId);
    const rows = await tx
      .selectFrom('customer_contacts')
      .selectAll()
      .where('tenant_id', '=', actor.tenantId)
      .where('customer_id', '=', customerId)
      .orderBy('name')
      .orderBy('id')
      .execute();
    return { items: rows.map(toContactView) };
  });
}

export async function addContact(
  deps: AppDeps,
  actor: Actor,
  customerId: string,
  input: CreateContactInput,
): Promise<Contact> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    await visibleCustomerOrThrow(tx, actor, customerId);
    const row = await tx
      .insertInto('customer_contacts')
      .values({
        ...optionalColumns(input),
        tenant_id: actor.tenantId,
        customer_id: customerId,
        name: input.name,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'customer_contact.created',
      entityType: 'customer_contact',
      entityId: row.id,
      after: row,
    });
    return toContactView(row);
  });
}

async function lockContactOrThrow(tx: Tx, actor: Actor, customerId: string, contactId: string) {
  await visibleCustomerOrThrow(tx, actor, customerId);
  const row = await tx
    .selectFrom('customer_contacts')
    .selectAll()
    .where('tenant_id', '=', actor.tenantId)
    .where('customer_id', '=', customerId)
    .where('id', '=', contactId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('contact');
  return row;
}

export async function updateContact(
  deps: AppDeps,
  actor: Actor,
  ids: { customerId: string; contactId: string },
  input: UpdateContactInput,
): Promise<Contact> {
  return deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await lockContactOrThrow(tx, actor, ids.customerId, ids.contactId);
    const after = await tx
      .updateTable('customer_contacts')
      .set({ ...optionalColumns(input), updated_at: deps.clock.now() })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', ids.contactId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'customer_contact.updated',
      entityType: 'customer_contact',
      entityId: ids.contactId,
      before,
      after,
    });
    return toContactView(after);
  });
}

/** Contacts are reference data nothing financial points at, so removing one deletes it; the audit keeps it. */
export async function removeContact(
  deps: AppDeps,
  actor: Actor,
  ids: { customerId: string; contactId: string },
): Promise<void> {
  await deps.db.tenant(actor.tenantId, async (tx) => {
    const before = await lockContactOrThrow(tx, actor, ids.customerId, ids.contactId);
    await tx
      .deleteFrom('customer_contacts')
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', ids.contactId)
      .execute();
    await recordAudit(tx, actor, {
      action: 'customer_contact.deleted',
      entityType: 'customer_contact',
      entityId: ids.contactId,
      before,
    });
  });
}
