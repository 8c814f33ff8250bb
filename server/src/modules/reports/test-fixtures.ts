import { expect } from 'vitest';
import type { Client, TestApp } from '../../../test/support/test-app';
import { postReceipt, seedInvoice, withKey } from '../receipts/test-fixtures';

/** The dashboard's hand ledger (see dashboard.test.ts for the figures), shared by the reports tests. */

export async function seedTeam(t: TestApp, tenantId: string, name: string): Promise<string> {
  const row = await t.db.tenant(tenantId, (tx) =>
    tx
      .insertInto('teams')
      .values({ tenant_id: tenantId, name, parent_id: null })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

export async function seedNamedCustomer(
  t: TestApp,
  tenantId: string,
  input: { code: string; name: string; owner?: string; team?: string; currency?: string },
): Promise<string> {
  const row = await t.db.tenant(tenantId, (tx) =>
    tx
      .insertInto('customers')
      .values({
        tenant_id: tenantId,
        code: input.code,
        name: input.name,
        owner_user_id: input.owner ?? null,
        team_id: input.team ?? null,
        currency: input.currency ?? 'CNY',
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

async function allocate(client: Client, customerId: string, invoiceId: string, amount: string, on: string) {
  const receipt = await postReceipt(client, { customerId, receivedOn: on, amount });
  const response = await client.request(
    'POST',
    `/api/receipts/${receipt}/allocations`,
    { allocatedOn: on, lines: [{ invoiceId, amount }] },
    withKey(),
  );
  expect(response.statusCode, response.body).toBeLessThan(300);
}

/** Seeds the hand ledger into `owner`'s organization (S1 and S2 are salespeople); returns the ids by name. */
export async function seedDashboardLedger(
  t: TestApp,
  owner: Client,
  people: { s1: string; s2: string },
): Promise<Record<string, string>> {
  const tenantId = owner.tenantId;
  const ids: Record<string, string> = {};
  ids.east = await seedTeam(t, tenantId, 'East');
  ids.a1 = await seedNamedCustomer(t, tenantId, {
    code: 'A-1',
    name: '华东机械有限公司',
    owner: people.s1,
    team: ids.east,
  });
  ids.b2 = await seedNamedCustomer(t, tenantId, { code: 'B-2', name: '北方工业', owner: people.s2 });
  ids.c3 = await seedNamedCustomer(t, tenantId, { code: 'C-3', name: '南方贸易' });
  ids.u1 = await seedNamedCustomer(t, tenantId, {
    code: 'U-1',
    name: 'Pacific Trading',
    owner: people.s1,
    team: ids.east,
    currency: 'USD',
  });
  const invoice = (
    customerId: string,
    totalMinor: bigint,
    dueDate: string,
    number: string,
    currency = 'CNY',
  ) =>
    seedInvoice(t, tenantId, {
      customerId,
      totalMinor,
      invoiceDate: '2024-03-01',
      dueDate,
      number,
      currency,
    });
  ids.i1 = await invoice(ids.a1, 100_007n, '2026-10-01', 'I1');
  ids.i2 = await invoice(ids.a1, 3_333n, '2024-03-31', 'I2');
  ids.i3 = await invoice(ids.b2, 100_000_007n, '2026-07-01', 'I3');
  ids.i4 = await invoice(ids.b2, 1n, '2026-11-30', 'I4');
  ids.i5 = await invoice(ids.c3, 50_000n, '2026-11-01', 'I5');
  ids.i6 = await invoice(ids.u1, 500n, '2026-10-22', 'I6', 'USD');
  await allocate(owner, ids.a1, ids.i1, '300.00', '2026-08-01');
  await allocate(owner, ids.b2, ids.i3, '0.07', '2026-10-15');
  return ids;
}
