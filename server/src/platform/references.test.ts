import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUp, type Client, type TestApp } from '../../test/support/test-app';
import { seedCustomer, seedInvoice } from '../modules/receipts/test-fixtures';
import type { Tx } from './db';

/**
 * The references migration 0022 checks once per statement instead of with foreign keys (tasks, messages, approval
 * requests, audit entries): a row naming what is not in its organization fails the whole statement with
 * foreign_key_violation, as the keys did, and what they refer to is never deleted nor given another id.
 */

let t: TestApp;
let ours: Client;
let theirs: Client;
let customerId: string;
let theirCustomerId: string;
let issuedInvoiceId: string;

beforeAll(async () => {
  t = await createTestApp();
  ours = await signUp(t.app);
  theirs = await signUp(t.app);
  customerId = await seedCustomer(t, ours.tenantId, { code: 'C1' });
  theirCustomerId = await seedCustomer(t, theirs.tenantId, { code: 'C1' });
  issuedInvoiceId = await seedInvoice(t, ours.tenantId, {
    customerId,
    number: 'INV-1',
    totalMinor: 100_00n,
    invoiceDate: '2026-10-01',
    dueDate: '2026-10-31',
  });
});
afterAll(() => t.close());

/** Runs `work` in our organization and answers the SQLSTATE it failed with (null when it did not). */
async function failureOf(work: (tx: Tx) => Promise<unknown>): Promise<string | null> {
  try {
    await t.db.tenant(ours.tenantId, work);
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

function tasks(tx: Tx, rows: { customer: string; assignee?: string | null }[]) {
  return tx
    .insertInto('collection_activities')
    .values(
      rows.map((row, index) => ({
        tenant_id: ours.tenantId,
        customer_id: row.customer,
        kind: 'task' as const,
        task_type: 'call' as const,
        title: `task ${index}`,
        assignee_user_id: row.assignee ?? null,
        created_by_user_id: ours.userId,
      })),
    )
    .returning('id')
    .execute();
}

function message(tx: Tx, customer: string) {
  return tx
    .insertInto('outbound_messages')
    .values({
      tenant_id: ours.tenantId,
      customer_id: customer,
      invoice_id: issuedInvoiceId,
      channel: 'in_app',
      recipient: ours.userId,
      subject: 'reminder',
      body_text: 'please pay',
      source_kind: 'test',
      status: 'dismissed',
      created_by_user_id: ours.userId,
    })
    .execute();
}

async function activityCount(): Promise<number> {
  const row = await t.db.tenant(ours.tenantId, (tx) =>
    tx
      .selectFrom('collection_activities')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .executeTakeFirstOrThrow(),
  );
  return Number(row.count);
}

describe('references checked per statement', () => {
  it('refuse the whole statement when one row names a customer or user that is not in the organization', async () => {
    const before = await activityCount();
    const good = Array.from({ length: 50 }, () => ({ customer: customerId, assignee: ours.userId }));
    expect(await failureOf((tx) => tasks(tx, [...good, { customer: theirCustomerId }]))).toBe('23503');
    expect(await failureOf((tx) => tasks(tx, [...good, { customer: randomUUID() }]))).toBe('23503');
    expect(
      await failureOf((tx) => tasks(tx, [...good, { customer: customerId, assignee: theirs.userId }])),
    ).toBe('23503');
    expect(await activityCount()).toBe(before);
    expect(await failureOf((tx) => tasks(tx, good))).toBeNull();
    expect(await activityCount()).toBe(before + good.length);
  });

  it('check updates too', async () => {
    const [task] = await t.db.tenant(ours.tenantId, (tx) => tasks(tx, [{ customer: customerId }]));
    const assign = (userId: string) => (tx: Tx) =>
      tx
        .updateTable('collection_activities')
        .set({ assignee_user_id: userId })
        .where('id', '=', task?.id ?? '')
        .execute();
    expect(await failureOf(assign(randomUUID()))).toBe('23503');
    expect(await failureOf(assign(theirs.userId))).toBe('23503');
    expect(await failureOf(assign(ours.userId))).toBeNull();
  });

  it('refuse a message to a customer of another organization', async () => {
    expect(await failureOf((tx) => message(tx, theirCustomerId))).toBe('23503');
    expect(await failureOf((tx) => message(tx, customerId))).toBeNull();
  });

  it('refuse an audit entry or approval request of an organization that does not exist', async () => {
    const nowhere = randomUUID();
    const audit = await t.db
      .system((tx) =>
        tx
          .insertInto('audit_log')
          .values({ tenant_id: nowhere, action: 'test', entity_type: 'test', entity_id: '1' })
          .execute(),
      )
      .then(
        () => null,
        (error: { code?: string }) => error.code,
      );
    expect(audit).toBe('23503');
    const request = await failureOf((tx) =>
      tx
        .insertInto('approval_requests')
        .values({
          tenant_id: ours.tenantId,
          kind: 'lawyer_letter',
          subject_type: 'customer',
          subject_id: customerId,
          customer_id: theirCustomerId,
          payload: JSON.stringify({}),
          reason: 'test',
          requested_by_user_id: ours.userId,
        })
        .execute(),
    );
    expect(request).toBe('23503');
  });

  it('keep what is referred to: organizations, customers and users are never deleted nor given another id', async () => {
    const refused = [
      sql`DELETE FROM customers WHERE id = ${customerId}`,
      sql`DELETE FROM users WHERE id = ${ours.userId}`,
      sql`UPDATE customers SET id = ${randomUUID()} WHERE id = ${customerId}`,
      sql`UPDATE users SET id = ${randomUUID()} WHERE id = ${ours.userId}`,
    ];
    for (const statement of refused) expect(await failureOf((tx) => statement.execute(tx))).toBe('23001');
    const organization = await t.db
      .system((tx) => sql`DELETE FROM organizations WHERE tenant_id = ${ours.tenantId}`.execute(tx))
      .then(
        () => null,
        (error: { code?: string }) => error.code,
      );
    expect(organization).toBe('23001');
    expect(
      await failureOf((tx) =>
        sql`UPDATE customers SET name = 'Renamed' WHERE id = ${customerId}`.execute(tx),
      ),
    ).toBeNull();
  });
});
