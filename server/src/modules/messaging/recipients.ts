import type { MessageChannel } from '@huikuan/core';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db';

/**
 * Who a message goes to. By default the customer's contact for the channel: the one who starts payments
 * (finance_initiator) first, then the approver, then the earliest-added contact that has an address; in-app
 * messages go to the customer's owner (负责人). A message whose recipient is missing or malformed is still written —
 * failed, with the reason — so it shows up for a person to fix the contact and resend, instead of disappearing.
 *
 * Everything needed is read for many customers at once (a "recipient book"), so a dunning run over thousands of
 * items resolves its recipients in a fixed number of queries.
 */

export type Recipient =
  | { ok: true; address: string | null; name: string | null }
  | { ok: false; address: string | null; name: string | null; reason: string };

type Person = { name: string; address: string };
type User = { id: string; name: string; email: string; isActive: boolean };

export type RecipientBook = {
  emailContact: Map<string, Person>;
  phoneContact: Map<string, Person>;
  /** The owner of each customer that has one. */
  owner: Map<string, User>;
  /** Users named explicitly as in-app recipients. */
  users: Map<string, User>;
};

const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

/**
 * A phone number the SMS provider accepts: mainland mobiles as 11 digits (a +86/0086 prefix is dropped), others
 * with their country code and no '+'. Spaces, dashes and brackets are ignored. Null when it is not a mobile number.
 */
export function normalizePhone(value: string): string | null {
  const compact = value.replace(/[\s\-()]/g, '');
  const mainland = /^(?:\+86|0086|86)?(1[3-9]\d{9})$/.exec(compact);
  if (mainland?.[1]) return mainland[1];
  const international = /^(?:\+|00)([1-9]\d{6,14})$/.exec(compact);
  return international?.[1] ?? null;
}

async function firstContacts(
  tx: Tx,
  tenantId: string,
  customerIds: readonly string[],
  column: 'email' | 'phone',
): Promise<Map<string, Person>> {
  const address = sql.ref(`cc.${column}`);
  const rows = await sql<{ customer_id: string; name: string; address: string }>`
    SELECT DISTINCT ON (cc.customer_id) cc.customer_id, cc.name, btrim(${address}) AS address
    FROM customer_contacts cc
    WHERE cc.tenant_id = ${tenantId} AND cc.customer_id = ANY(${[...customerIds]}::uuid[])
      AND ${address} IS NOT NULL AND btrim(${address}) <> ''
    ORDER BY cc.customer_id,
      CASE WHEN 'finance_initiator' = ANY(cc.roles) THEN 0 WHEN 'approver' = ANY(cc.roles) THEN 1 ELSE 2 END,
      cc.created_at, cc.id`.execute(tx);
  return new Map(rows.rows.map((row) => [row.customer_id, { name: row.name, address: row.address }]));
}

async function owners(tx: Tx, tenantId: string, customerIds: readonly string[]): Promise<Map<string, User>> {
  const rows = await tx
    .selectFrom('customers as c')
    .innerJoin('users as u', (join) =>
      join.onRef('u.tenant_id', '=', 'c.tenant_id').onRef('u.id', '=', 'c.owner_user_id'),
    )
    .select(['c.id as customer_id', 'u.id', 'u.name', 'u.email', 'u.is_active'])
    .where('c.tenant_id', '=', tenantId)
    .where(sql<boolean>`c.id = ANY(${[...customerIds]}::uuid[])`)
    .execute();
  return new Map(
    rows.map((row) => [
      row.customer_id,
      { id: row.id, name: row.name, email: row.email, isActive: row.is_active },
    ]),
  );
}

async function usersById(tx: Tx, tenantId: string, userIds: readonly string[]): Promise<Map<string, User>> {
  const valid = userIds.filter((id) => UUID.test(id));
  if (valid.length === 0) return new Map();
  const rows = await tx
    .selectFrom('users')
    .select(['id', 'name', 'email', 'is_active'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', valid)
    .execute();
  return new Map(
    rows.map((row) => [row.id, { id: row.id, name: row.name, email: row.email, isActive: row.is_active }]),
  );
}

/** Four queries whatever the number of customers: email contacts, phone contacts, owners, named users. */
export async function loadRecipientBook(
  tx: Tx,
  tenantId: string,
  customerIds: readonly string[],
  userIds: readonly string[] = [],
): Promise<RecipientBook> {
  const customers = [...new Set(customerIds)];
  if (customers.length === 0) {
    return {
      emailContact: new Map(),
      phoneContact: new Map(),
      owner: new Map(),
      users: await usersById(tx, tenantId, userIds),
    };
  }
  return {
    emailContact: await firstContacts(tx, tenantId, customers, 'email'),
    phoneContact: await firstContacts(tx, tenantId, customers, 'phone'),
    owner: await owners(tx, tenantId, customers),
    users: await usersById(tx, tenantId, [...new Set(userIds)]),
  };
}

function emailRecipient(book: RecipientBook, customerId: string | null, explicit?: string): Recipient {
  if (explicit !== undefined) {
    const address = explicit.trim();
    if (address === '') return fail(null, null, 'recipient_missing: no email address');
    return isEmailAddress(address)
      ? ok(address, null)
      : fail(address, null, `recipient_invalid: "${address}" is not an email address`);
  }
  const contact = customerId === null ? undefined : book.emailContact.get(customerId);
  if (!contact)
    return fail(null, null, 'recipient_missing: the customer has no contact with an email address');
  return isEmailAddress(contact.address)
    ? ok(contact.address, contact.name)
    : fail(contact.address, contact.name, `recipient_invalid: "${contact.address}" is not an email address`);
}

function smsRecipient(book: RecipientBook, customerId: string | null, explicit?: string): Recipient {
  if (explicit !== undefined) {
    const phone = normalizePhone(explicit);
    return phone
      ? ok(phone, null)
      : fail(explicit, null, `recipient_invalid: "${explicit}" is not a mobile number`);
  }
  const contact = customerId === null ? undefined : book.phoneContact.get(customerId);
  if (!contact) return fail(null, null, 'recipient_missing: the customer has no contact with a phone number');
  const phone = normalizePhone(contact.address);
  return phone
    ? ok(phone, contact.name)
    : fail(contact.address, contact.name, `recipient_invalid: "${contact.address}" is not a mobile number`);
}

/** In-app messages go to a user of the organization: the one named, or the customer's owner (负责人). */
function inAppRecipient(book: RecipientBook, customerId: string | null, explicit?: string): Recipient {
  const user =
    explicit !== undefined
      ? book.users.get(explicit)
      : customerId === null
        ? undefined
        : book.owner.get(customerId);
  if (!user) {
    return explicit !== undefined
      ? fail(explicit, null, `recipient_invalid: no user ${explicit} in this organization`)
      : fail(null, null, 'recipient_missing: the customer has no owner to remind');
  }
  if (!user.isActive) return fail(user.id, user.name, `recipient_invalid: user ${user.name} is disabled`);
  return ok(user.id, user.name);
}

export function recipientFromBook(
  book: RecipientBook,
  customerId: string | null,
  channel: MessageChannel,
  explicit?: string,
): Recipient {
  switch (channel) {
    case 'email':
      return emailRecipient(book, customerId, explicit);
    case 'sms':
      return smsRecipient(book, customerId, explicit);
    case 'in_app':
      return inAppRecipient(book, customerId, explicit);
    case 'wecom':
    case 'dingtalk':
    case 'feishu':
      // A group robot posts to its group; a named recipient is only kept for the log.
      return ok(explicit?.trim() ?? null, null);
  }
}

export async function resolveRecipient(
  tx: Tx,
  tenantId: string,
  customerId: string | null,
  channel: MessageChannel,
  explicit?: string,
): Promise<Recipient> {
  const book = await loadRecipientBook(
    tx,
    tenantId,
    customerId === null ? [] : [customerId],
    channel === 'in_app' && explicit !== undefined ? [explicit] : [],
  );
  return recipientFromBook(book, customerId, channel, explicit);
}

/** The owner's email for Cc when the owner is an active user and not already the recipient. */
export function ownerCc(book: RecipientBook, customerId: string | null, recipient: string | null): string[] {
  const owner = customerId === null ? undefined : book.owner.get(customerId);
  return owner?.isActive && owner.email !== recipient ? [owner.email] : [];
}

function ok(address: string | null, name: string | null): Recipient {
  return { ok: true, address, name };
}

function fail(address: string | null, name: string | null, reason: string): Recipient {
  return { ok: false, address, name, reason };
}
