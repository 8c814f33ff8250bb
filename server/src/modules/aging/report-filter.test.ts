import type { AgingReport, KpiReport, KpiTrend, ProvisionReport } from '@huikuan/core/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { postReceipt, seedCustomer, seedInvoice, withKey } from '../receipts/test-fixtures';

/**
 * The dashboard's filters (teamId with its sub-teams, salespersonId) on aging, drill-down, provision and KPIs.
 *
 * Teams: North, North-East (beneath North), South. Salespeople S1, S2; manager M of South. CNY, as of 2026-11-22:
 *   C1 (S1, North)      A 100.00 dated 2026-09-01 due 2026-10-01: 52 days past due (31-60, in collection)
 *   C2 (S2, North-East) B 200.00 dated 2026-10-01 due 2026-10-31, 50.00 allocated 2026-11-01: 150.00 at 22 days
 *   C3 (S1, South)      C 400.00 dated 2026-11-01 due 2026-12-01: not due
 *   C4 (nobody)         D 800.00 dated 2025-01-01 due 2025-01-31: 660 days (366-730)
 */

let t: TestApp;
let admin: Client;
let s1: Client;
let manager: Client;
let other: Client;
const ids: Record<string, string> = {};

async function seedTeam(tenantId: string, name: string, parentId: string | null = null): Promise<string> {
  const row = await t.db.tenant(tenantId, (tx) =>
    tx
      .insertInto('teams')
      .values({ tenant_id: tenantId, name, parent_id: parentId })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  admin = await signUp(t.app);
  other = await signUp(t.app);
  const tenantId = admin.tenantId;
  ids.north = await seedTeam(tenantId, 'North');
  ids.northEast = await seedTeam(tenantId, 'North-East', ids.north);
  ids.south = await seedTeam(tenantId, 'South');
  ids.foreignTeam = await seedTeam(other.tenantId, 'North');
  s1 = await addUser(admin, 'salesperson', { teamId: ids.north });
  const s2 = await addUser(admin, 'salesperson', { teamId: ids.northEast });
  manager = await addUser(admin, 'sales_manager', { teamId: ids.south });
  const finance = await addUser(admin, 'finance');
  ids.s1 = s1.userId;
  ids.s2 = s2.userId;
  ids.c1 = await seedCustomer(t, tenantId, { code: 'C1', ownerUserId: s1.userId, teamId: ids.north });
  ids.c2 = await seedCustomer(t, tenantId, { code: 'C2', ownerUserId: s2.userId, teamId: ids.northEast });
  ids.c3 = await seedCustomer(t, tenantId, { code: 'C3', ownerUserId: s1.userId, teamId: ids.south });
  ids.c4 = await seedCustomer(t, tenantId, { code: 'C4' });
  const invoice = (
    customerId: string,
    totalMinor: bigint,
    invoiceDate: string,
    dueDate: string,
    number: string,
  ) => seedInvoice(t, tenantId, { customerId, totalMinor, invoiceDate, dueDate, number });
  await invoice(ids.c1, 10_000n, '2026-09-01', '2026-10-01', 'A');
  const b = await invoice(ids.c2, 20_000n, '2026-10-01', '2026-10-31', 'B');
  await invoice(ids.c3, 40_000n, '2026-11-01', '2026-12-01', 'C');
  await invoice(ids.c4, 80_000n, '2025-01-01', '2025-01-31', 'D');
  const receipt = await postReceipt(finance, {
    customerId: ids.c2,
    receivedOn: '2026-11-01',
    amount: '50.00',
  });
  const allocated = await finance.request(
    'POST',
    `/api/receipts/${receipt}/allocations`,
    { allocatedOn: '2026-11-01', lines: [{ invoiceId: b, amount: '50.00' }] },
    withKey(),
  );
  expect(allocated.statusCode, allocated.body).toBeLessThan(300);
}, 60_000);

afterAll(async () => {
  await t.close();
});

async function get<T>(client: Client, url: string): Promise<T> {
  const response = await client.request('GET', url);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<T>();
}

/** [key, total] per row of the CNY section, and the section's total ('0.00' when there is none). */
async function agingRows(client: Client, filter: string) {
  const report = await get<AgingReport>(client, `/api/aging?asOf=2026-11-22&${filter}`);
  const section = report.currencies.find((entry) => entry.currency === 'CNY');
  return { rows: section?.rows.map((row) => [row.key, row.total]) ?? [], total: section?.total ?? '0.00' };
}

describe('aging filters', () => {
  it('keeps a team with its sub-teams, or a salesperson, or both', async () => {
    expect(await agingRows(admin, '')).toEqual({
      rows: [
        ['C1', '100.00'],
        ['C2', '150.00'],
        ['C3', '400.00'],
        ['C4', '800.00'],
      ],
      total: '1450.00',
    });
    expect(await agingRows(admin, `teamId=${ids.north}`)).toEqual({
      rows: [
        ['C1', '100.00'],
        ['C2', '150.00'],
      ],
      total: '250.00',
    });
    expect(await agingRows(admin, `teamId=${ids.northEast}`)).toEqual({
      rows: [['C2', '150.00']],
      total: '150.00',
    });
    expect(await agingRows(admin, `salespersonId=${ids.s1}`)).toEqual({
      rows: [
        ['C1', '100.00'],
        ['C3', '400.00'],
      ],
      total: '500.00',
    });
    expect(await agingRows(admin, `teamId=${ids.north}&salespersonId=${ids.s1}`)).toEqual({
      rows: [['C1', '100.00']],
      total: '100.00',
    });
  });

  it('buckets the filtered items and groups them by any dimension', async () => {
    const report = await get<AgingReport>(admin, `/api/aging?asOf=2026-11-22&by=team&teamId=${ids.north}`);
    expect(
      report.currencies[0]?.rows.map((row) => [row.key, row.columns['1-30'], row.columns['31-60']]),
    ).toEqual([
      ['North', '0.00', '100.00'],
      ['North-East', '150.00', '0.00'],
    ]);
    expect(report.currencies[0]?.totals).toMatchObject({
      '1-30': '150.00',
      '31-60': '100.00',
      not_due: '0.00',
    });
  });

  it('never widens the record scope, and another organization’s team matches nothing', async () => {
    // S1 sees C1 and C3; filtering by S2 or by South narrows that, never adds to it.
    expect(await agingRows(s1, '')).toEqual({
      rows: [
        ['C1', '100.00'],
        ['C3', '400.00'],
      ],
      total: '500.00',
    });
    expect(await agingRows(s1, `salespersonId=${ids.s2}`)).toEqual({ rows: [], total: '0.00' });
    expect(await agingRows(s1, `teamId=${ids.north}`)).toEqual({ rows: [['C1', '100.00']], total: '100.00' });
    // The manager of South sees C3 only; North is outside their scope.
    expect(await agingRows(manager, `teamId=${ids.north}`)).toEqual({ rows: [], total: '0.00' });
    expect(await agingRows(manager, `teamId=${ids.south}`)).toEqual({
      rows: [['C3', '400.00']],
      total: '400.00',
    });
    expect(await agingRows(admin, `teamId=${ids.foreignTeam}`)).toEqual({ rows: [], total: '0.00' });
    expect(await agingRows(other, `teamId=${ids.north}`)).toEqual({ rows: [], total: '0.00' });
  });

  it('rejects a malformed id', async () => {
    const bad = await admin.request('GET', '/api/aging?teamId=north');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { issues: { path: string }[] } }>().error.issues[0]?.path).toBe('teamId');
  });
});

describe('drill-down filters', () => {
  it('lists only the filtered items of a cell', async () => {
    type Page = { items: { number: string; open: string }[] };
    const all = `/api/aging/items?asOf=2026-11-22&by=salesperson&key=${ids.s1}`;
    expect((await get<Page>(admin, all)).items.map((item) => [item.number, item.open])).toEqual([
      ['A', '100.00'],
      ['C', '400.00'],
    ]);
    const south = await get<Page>(admin, `${all}&teamId=${ids.south}`);
    expect(south.items.map((item) => [item.number, item.open])).toEqual([['C', '400.00']]);
    const foreign = await get<Page>(admin, `${all}&teamId=${ids.foreignTeam}`);
    expect(foreign.items).toEqual([]);
    const northBucket = await get<Page>(
      admin,
      `/api/aging/items?asOf=2026-11-22&by=team&key=${ids.northEast}&bucket=1-30&teamId=${ids.north}`,
    );
    expect(northBucket.items.map((item) => [item.number, item.open])).toEqual([['B', '150.00']]);
  });
});

describe('provision filters', () => {
  it('provides for the filtered customers only', async () => {
    const north = await get<ProvisionReport>(admin, `/api/provision?asOf=2026-11-22&teamId=${ids.north}`);
    // A 100.00 and B 150.00 are in collection (1–90 days) at 5%: 5.00 + 7.50.
    expect(north.currencies[0]?.total).toEqual({ open: '250.00', provision: '12.50' });
    expect(north.currencies[0]?.customers.map((line) => [line.code, line.provision])).toEqual([
      ['C1', '5.00'],
      ['C2', '7.50'],
    ]);
    const s1Only = await get<ProvisionReport>(
      admin,
      `/api/provision?asOf=2026-11-22&salespersonId=${ids.s1}`,
    );
    // A at 5% = 5.00; C not yet due at 0%.
    expect(s1Only.currencies[0]?.total).toEqual({ open: '500.00', provision: '5.00' });
    const foreign = await get<ProvisionReport>(
      admin,
      `/api/provision?asOf=2026-11-22&teamId=${ids.foreignTeam}`,
    );
    expect(foreign.currencies).toEqual([]);
  });
});

describe('KPI filters', () => {
  const november = 'from=2026-11-01&to=2026-11-30';

  it('computes the KPIs of the filtered customers', async () => {
    // North: B = A 100.00 + B 200.00 (open on 10-31), S = 0, E = 100.00 + 150.00, nothing current at 11-30.
    const north = await get<KpiReport>(admin, `/api/kpis?${november}&teamId=${ids.north}`);
    expect(north.rows).toHaveLength(1);
    expect(north.rows[0]).toMatchObject({
      openingAR: '300.00',
      invoiced: '0.00',
      collected: '50.00',
      received: '50.00',
      endingAR: '250.00',
      endingCurrentAR: '0.00',
      collectionRate: 50 / 300,
    });
    // S1: B = A 100.00, S = C 400.00, E = 500.00 of which C (due 12-01) is current.
    const s1Only = await get<KpiReport>(admin, `/api/kpis?${november}&by=customer&salespersonId=${ids.s1}`);
    expect(
      s1Only.rows.map((row) => [row.key, row.openingAR, row.invoiced, row.endingAR, row.endingCurrentAR]),
    ).toEqual(
      [
        [ids.c1, '100.00', '0.00', '100.00', '0.00'],
        [ids.c3, '0.00', '400.00', '400.00', '400.00'],
      ].sort((a, b) => ((a[0] ?? '') < (b[0] ?? '') ? -1 : 1)),
    );
    const foreign = await get<KpiReport>(admin, `/api/kpis?${november}&teamId=${ids.foreignTeam}`);
    expect(foreign.rows).toEqual([]);
    expect((await get<KpiReport>(manager, `/api/kpis?${november}&teamId=${ids.north}`)).rows).toEqual([]);
  });

  it('filters every month of the trend', async () => {
    const trend = await get<KpiTrend>(admin, `/api/kpis/trend?to=2026-11-30&months=2&teamId=${ids.north}`);
    // October: B = A 100.00, S = B 200.00, E = 300.00. November as above.
    expect(
      trend.months.map((month) => [
        month.month,
        month.rows.map((row) => [row.openingAR, row.invoiced, row.endingAR]),
      ]),
    ).toEqual([
      ['2026-10', [['100.00', '200.00', '300.00']]],
      ['2026-11', [['300.00', '0.00', '250.00']]],
    ]);
    const foreign = await get<KpiTrend>(
      admin,
      `/api/kpis/trend?to=2026-11-30&months=2&teamId=${ids.foreignTeam}`,
    );
    expect(foreign.months.map((month) => month.rows)).toEqual([[], []]);
  });
});
