import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDateOrThrow } from '@huikuan/core';
import {
  agingReportSchema,
  provisionReportSchema,
  type AgingReport,
  type ProvisionReport,
} from '@huikuan/core/contracts';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { seedReportDataDir } from '../../../test/support/cli-data-dir';
import { countingDb } from '../../../test/support/statement-count';
import { testEngine } from '../../../test/support/test-db';
import { agingCliReport, registerAgingCommands } from '../../cli/aging-commands';
import { registerReportCommands } from '../../cli/report-commands';
import { customerBalancesAsOf } from '../receipts/balances';
import {
  postReceipt,
  seedCreditNote,
  seedCustomer,
  seedInvoice,
  seedVoid,
  withKey,
} from '../receipts/test-fixtures';
import { agingReport } from './aging-report';
import { assertAgreesWithLedger } from './open-items';

let t: TestApp;
let admin: Client;
let finance: Client;
let salesperson: Client;
let other: Client;
const ids: Record<string, string> = {};

async function allocate(client: Client, receiptId: string, invoiceId: string, amount: string, on: string) {
  const response = await client.request(
    'POST',
    `/api/receipts/${receiptId}/allocations`,
    { allocatedOn: on, lines: [{ invoiceId, amount }] },
    withKey(),
  );
  if (response.statusCode !== 200 && response.statusCode !== 201) {
    throw new Error(`allocate failed: ${response.statusCode} ${response.body}`);
  }
}

/**
 * The hand ledger (CNY unless noted), due-date basis:
 *   I1 A-1 1000.07 invoiced 2026-01-10 due 2026-02-09; credit note 200.00 on 2026-04-01; 300.00 allocated 2026-08-01
 *   I2 A-1 33.33 invoiced 2024-03-01 due 2024-03-31
 *   I3 B-2 1,000,000.07 invoiced 2026-06-01 due 2026-07-01; 0.07 allocated 2026-10-15
 *   I4 B-2 0.01 invoiced 2026-10-01 due 2026-11-30
 *   I5 B-2 500.00 invoiced 2026-05-01 due 2026-05-31, voided 2026-09-01
 *   I6 U-1 USD 5.00 invoiced 2026-11-01 due 2026-12-01
 * A-1 belongs to the salesperson; B-2 and U-1 to nobody.
 */
beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  admin = await signUp(t.app);
  finance = await addUser(admin, 'finance');
  salesperson = await addUser(admin, 'salesperson');
  other = await signUp(t.app);
  const tenantId = admin.tenantId;
  ids.a1 = await seedCustomer(t, tenantId, { code: 'A-1', ownerUserId: salesperson.userId });
  ids.b2 = await seedCustomer(t, tenantId, { code: 'B-2' });
  ids.u1 = await seedCustomer(t, tenantId, { code: 'U-1', currency: 'USD' });
  const invoice = (
    customerId: string,
    totalMinor: bigint,
    invoiceDate: string,
    dueDate: string,
    number: string,
  ) => seedInvoice(t, tenantId, { customerId, totalMinor, invoiceDate, dueDate, number });
  ids.i1 = await invoice(ids.a1, 100_007n, '2026-01-10', '2026-02-09', 'I1');
  ids.i2 = await invoice(ids.a1, 3_333n, '2024-03-01', '2024-03-31', 'I2');
  ids.i3 = await invoice(ids.b2, 100_000_007n, '2026-06-01', '2026-07-01', 'I3');
  ids.i4 = await invoice(ids.b2, 1n, '2026-10-01', '2026-11-30', 'I4');
  ids.i5 = await invoice(ids.b2, 50_000n, '2026-05-01', '2026-05-31', 'I5');
  ids.i6 = await seedInvoice(t, tenantId, {
    customerId: ids.u1,
    totalMinor: 500n,
    invoiceDate: '2026-11-01',
    dueDate: '2026-12-01',
    currency: 'USD',
    number: 'I6',
  });
  await seedCreditNote(t, tenantId, { invoiceId: ids.i1, amountMinor: 20_000n, issuedOn: '2026-04-01' });
  await seedVoid(t, tenantId, ids.i5, '2026-09-01');
  const r1 = await postReceipt(finance, { customerId: ids.a1, receivedOn: '2026-08-01', amount: '300.00' });
  await allocate(finance, r1, ids.i1, '300.00', '2026-08-01');
  const r2 = await postReceipt(finance, { customerId: ids.b2, receivedOn: '2026-10-15', amount: '0.07' });
  await allocate(finance, r2, ids.i3, '0.07', '2026-10-15');
  // Another organization's ledger, which must never show up in the first one's aging.
  const foreign = await seedCustomer(t, other.tenantId, { code: 'A-1' });
  ids.foreign = foreign;
  await seedInvoice(t, other.tenantId, {
    customerId: foreign,
    totalMinor: 777n,
    invoiceDate: '2026-01-01',
    dueDate: '2026-01-31',
    number: 'X1',
  });
}, 60_000);

afterAll(async () => {
  await t.close();
});

const ZERO_BUCKETS = {
  not_due: '0.00',
  '1-30': '0.00',
  '31-60': '0.00',
  '61-90': '0.00',
  '91-180': '0.00',
  '181-365': '0.00',
  '366-730': '0.00',
  over_730: '0.00',
};

/** GET /api/aging, whose JSON text the report writes itself: it must be exactly what the contract's schema reads. */
async function aging(client: Client, query: string): Promise<AgingReport> {
  const response = await client.request('GET', `/api/aging?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  const body = response.json<AgingReport>();
  expect(agingReportSchema.parse(body)).toEqual(body);
  return body;
}

function cny(report: AgingReport) {
  const section = report.currencies.find((entry) => entry.currency === 'CNY');
  if (!section) throw new Error('no CNY section');
  return section;
}

describe('aging report', () => {
  it('buckets the hand ledger as of 2026-11-22 (after allocations, credit notes and the void)', async () => {
    const report = await aging(admin, 'asOf=2026-11-22');
    expect(report.columns).toEqual(Object.keys(ZERO_BUCKETS));
    expect(report.currencies.map((section) => section.currency)).toEqual(['CNY', 'USD']);
    const section = cny(report);
    expect(section.rows).toEqual([
      {
        id: ids.a1,
        key: 'A-1',
        name: 'Customer A-1',
        // I1: 1000.07 − 200.00 − 300.00 = 500.07, 286 days past due; I2: 966 days.
        columns: { ...ZERO_BUCKETS, '181-365': '500.07', over_730: '33.33' },
        total: '533.40',
      },
      {
        id: ids.b2,
        key: 'B-2',
        name: 'Customer B-2',
        // I3: 1,000,000.07 − 0.07, 144 days; I4 not due (−8); I5 voided.
        columns: { ...ZERO_BUCKETS, not_due: '0.01', '91-180': '1000000.00' },
        total: '1000000.01',
      },
    ]);
    expect(section.totals).toEqual({
      ...ZERO_BUCKETS,
      not_due: '0.01',
      '91-180': '1000000.00',
      '181-365': '500.07',
      over_730: '33.33',
    });
    expect(section.total).toBe('1000533.41');
    expect(report.currencies[1]?.rows).toEqual([
      {
        id: ids.u1,
        key: 'U-1',
        name: 'Customer U-1',
        columns: { ...ZERO_BUCKETS, not_due: '5.00' },
        total: '5.00',
      },
    ]);
  });

  it('answers as of earlier dates from the records of those dates', async () => {
    const july = cny(await aging(admin, 'asOf=2026-07-15'));
    expect(july.rows.map((row) => [row.key, row.columns, row.total])).toEqual([
      // Credit note counted, allocation not yet: 800.07 at 156 days; I2 at 836 days.
      ['A-1', { ...ZERO_BUCKETS, '91-180': '800.07', over_730: '33.33' }, '833.40'],
      // I3 at 14 days, I5 (not yet voided) at 45 days; I4 not yet invoiced.
      ['B-2', { ...ZERO_BUCKETS, '1-30': '1000000.07', '31-60': '500.00' }, '1000500.07'],
    ]);
    expect(july.total).toBe('1001333.47');
    const january = await aging(admin, 'asOf=2026-01-31');
    expect(january.currencies).toHaveLength(1);
    expect(cny(january).rows.map((row) => [row.key, row.columns, row.total])).toEqual([
      ['A-1', { ...ZERO_BUCKETS, not_due: '1000.07', '366-730': '33.33' }, '1033.40'],
    ]);
    const empty = await aging(admin, 'asOf=2024-02-01');
    expect(empty.currencies).toEqual([]);
  });

  it('ages from the invoice date on request', async () => {
    const section = cny(await aging(admin, 'asOf=2026-11-22&basis=invoice_date'));
    expect(section.rows.map((row) => [row.key, row.columns])).toEqual([
      ['A-1', { ...ZERO_BUCKETS, '181-365': '500.07', over_730: '33.33' }],
      ['B-2', { ...ZERO_BUCKETS, '31-60': '0.01', '91-180': '1000000.00' }],
    ]);
  });

  it('splits by class and by year of origin', async () => {
    const classes = cny(await aging(admin, 'asOf=2026-11-22&view=classes'));
    const none = { not_yet_due: '0.00', in_collection: '0.00', doubtful: '0.00', bad: '0.00', dead: '0.00' };
    expect(classes.rows.map((row) => [row.key, row.columns])).toEqual([
      ['A-1', { ...none, doubtful: '500.07', dead: '33.33' }],
      ['B-2', { ...none, not_yet_due: '0.01', doubtful: '1000000.00' }],
    ]);
    const january = cny(await aging(admin, 'asOf=2026-01-31&view=classes'));
    expect(january.totals).toEqual({ ...none, not_yet_due: '1000.07', bad: '33.33' });
    const vintage = await aging(admin, 'asOf=2026-11-22&view=vintage');
    expect(vintage.columns).toEqual(['2024', '2026']);
    expect(cny(vintage).rows.map((row) => [row.key, row.columns])).toEqual([
      ['A-1', { '2024': '33.33', '2026': '500.07' }],
      ['B-2', { '2024': '0.00', '2026': '1000000.01' }],
    ]);
  });

  it('groups by salesperson (email), team and contract, with a "(none)" row', async () => {
    const email = salesperson.session?.user.email ?? '';
    const bySales = cny(await aging(admin, 'asOf=2026-11-22&by=salesperson'));
    expect(bySales.rows.map((row) => [row.id, row.key, row.total])).toEqual([
      [null, '(none)', '1000000.01'],
      [salesperson.userId, email, '533.40'],
    ]);
    const byTeam = cny(await aging(admin, 'asOf=2026-11-22&by=team'));
    expect(byTeam.rows.map((row) => [row.key, row.total])).toEqual([['(none)', '1000533.41']]);
    const byContract = cny(await aging(admin, 'asOf=2026-11-22&by=contract'));
    expect(byContract.total).toBe('1000533.41');
  });

  it('shows a salesperson only their customers, and another organization nothing of ours', async () => {
    const own = await aging(salesperson, 'asOf=2026-11-22');
    expect(
      own.currencies.map((section) => [section.currency, section.rows.map((row) => row.key), section.total]),
    ).toEqual([['CNY', ['A-1'], '533.40']]);
    const foreign = await aging(other, 'asOf=2026-11-22');
    expect(foreign.currencies.map((section) => [section.rows.map((row) => row.key), section.total])).toEqual([
      [['A-1'], '7.77'],
    ]);
    expect(cny(await aging(admin, 'asOf=2026-11-22')).rows.map((row) => row.id)).not.toContain(ids.foreign);
  });

  it('writes names that JSON must escape exactly as they are stored', async () => {
    const client = await signUp(t.app);
    const name = 'Quote " back\\ slash \n newline \t tab \u0001 回款 \u2028 end';
    const customerId = await seedCustomer(t, client.tenantId, { code: 'Q"1' });
    await t.db.tenant(client.tenantId, (tx) =>
      tx.updateTable('customers').set({ name }).where('id', '=', customerId).execute(),
    );
    await seedInvoice(t, client.tenantId, {
      customerId,
      totalMinor: 1_234n,
      invoiceDate: '2026-11-01',
      dueDate: '2026-11-10',
      number: 'Q1',
    });
    for (const by of ['customer', 'salesperson', 'team']) {
      const report = await aging(client, `asOf=2026-11-22&by=${by}`);
      expect(cny(report).total).toBe('12.34');
      if (by === 'customer') expect(cny(report).rows).toMatchObject([{ id: customerId, key: 'Q"1', name }]);
    }
    const provision = await client.request('GET', '/api/provision?asOf=2026-11-22');
    const body = provision.json<ProvisionReport>();
    expect(provisionReportSchema.parse(body)).toEqual(body);
    expect(body.currencies[0]?.customers).toEqual([
      { customerId, code: 'Q"1', name, open: '12.34', provision: '0.62' },
    ]);
  });

  it('defaults to today in the organization time zone and validates its query', async () => {
    const today = await aging(admin, '');
    expect(today.asOf).toBe('2026-11-22');
    const bad = await admin.request('GET', '/api/aging?asOf=2026-02-30');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { issues: { path: string }[] } }>().error.issues[0]?.path).toBe('asOf');
  });
});

type ItemsPage = {
  items: { number: string; open: string; daysPastDue: number }[];
  nextCursor: string | null;
};

describe('aging drill-down', () => {
  async function items(client: Client, query: string): Promise<ItemsPage> {
    const response = await client.request('GET', `/api/aging/items?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ItemsPage>();
  }

  it('lists one cell, oldest first, paged', async () => {
    const cell = await items(admin, `asOf=2026-11-22&key=${ids.b2}&bucket=91-180`);
    expect(cell.items.map((item) => [item.number, item.open, item.daysPastDue])).toEqual([
      ['I3', '1000000.00', 144],
    ]);
    const first = await items(admin, `asOf=2026-11-22&key=${ids.a1}&limit=1`);
    expect(first.items.map((item) => item.number)).toEqual(['I2']);
    const second = await items(admin, `asOf=2026-11-22&key=${ids.a1}&limit=1&cursor=${first.nextCursor}`);
    expect(second.items.map((item) => [item.number, item.open])).toEqual([['I1', '500.07']]);
    expect(second.nextCursor).toBeNull();
    const dead = await items(admin, `asOf=2026-11-22&key=${ids.a1}&bucket=dead`);
    expect(dead.items.map((item) => item.number)).toEqual(['I2']);
    const none = await items(admin, 'asOf=2026-11-22&by=salesperson&key=none&bucket=not_due');
    expect(none.items.map((item) => item.number)).toEqual(['I4', 'I6']);
  });

  it('matches nothing outside the scope or the organization, and names a bad bucket', async () => {
    expect((await items(salesperson, `asOf=2026-11-22&key=${ids.b2}`)).items).toEqual([]);
    expect((await items(other, `asOf=2026-11-22&key=${ids.a1}`)).items).toEqual([]);
    expect((await items(admin, `asOf=2026-11-22&key=${ids.foreign}`)).items).toEqual([]);
    const bad = await admin.request('GET', `/api/aging/items?key=${ids.a1}&bucket=2-3`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { issues: { path: string }[] } }>().error.issues[0]?.path).toBe('bucket');
  });
});

describe('provision', () => {
  it('provides per invoice, rounded half up, per class and customer', async () => {
    const response = await admin.request('GET', '/api/provision?asOf=2026-11-22');
    expect(response.statusCode, response.body).toBe(200);
    // The report writes its JSON itself: it must be exactly what the contract's schema reads.
    const body = response.json<ProvisionReport>();
    expect(provisionReportSchema.parse(body)).toEqual(body);
    const section = body.currencies[0];
    expect(section?.currency).toBe('CNY');
    // I1 500.07 × 20% = 100.014 → 100.01; I2 33.33 × 80% = 26.664 → 26.66; I3 1,000,000.00 × 20%; I4 × 0.
    expect(section?.classes).toEqual([
      { class: 'not_yet_due', rateBp: 0, open: '0.01', provision: '0.00' },
      { class: 'in_collection', rateBp: 500, open: '0.00', provision: '0.00' },
      { class: 'doubtful', rateBp: 2000, open: '1000500.07', provision: '200100.01' },
      { class: 'bad', rateBp: 5000, open: '0.00', provision: '0.00' },
      { class: 'dead', rateBp: 8000, open: '33.33', provision: '26.66' },
    ]);
    expect(section?.customers).toEqual([
      { customerId: ids.a1, code: 'A-1', name: 'Customer A-1', open: '533.40', provision: '126.67' },
      { customerId: ids.b2, code: 'B-2', name: 'Customer B-2', open: '1000000.01', provision: '200000.00' },
    ]);
    expect(section?.total).toEqual({ open: '1000533.41', provision: '200126.67' });
  });
});

describe('query count', () => {
  it('is the same for 10 and 200 invoices', async () => {
    const counts: number[] = [];
    for (const size of [10, 200]) {
      const owner = await signUp(t.app);
      const customer = await seedCustomer(t, owner.tenantId, { code: 'Q-1' });
      await t.db.tenant(owner.tenantId, (tx) =>
        tx
          .insertInto('invoices')
          .values(
            Array.from({ length: size }, (_, index) => ({
              tenant_id: owner.tenantId,
              customer_id: customer,
              number: `Q${index}`,
              invoice_date: '2025-01-01',
              due_date: `2025-${String((index % 12) + 1).padStart(2, '0')}-01`,
              currency: 'CNY',
              subtotal_minor: BigInt(index + 1),
              tax_minor: 0n,
              total_minor: BigInt(index + 1),
              status: 'issued',
              issued_at: new Date(),
            })),
          )
          .execute(),
      );
      const actor = {
        tenantId: owner.tenantId,
        userId: owner.userId,
        role: 'admin' as const,
        teamIds: [],
        tokenId: null,
        tokenScopes: null,
        sessionId: null,
        csrfToken: null,
        requestId: 'test',
        ip: '127.0.0.1',
      };
      for (const asOf of ['2026-11-22', '2024-12-31']) {
        const counting = countingDb(t.db);
        const report = await agingReport({ db: counting.db, clock: t.clock }, actor, {
          asOf: calendarDateOrThrow(asOf),
          by: 'customer',
          basis: 'due_date',
          view: 'buckets',
        });
        if (asOf === '2026-11-22')
          expect(report.currencies[0]?.total).toBe(((size * (size + 1)) / 200).toFixed(2));
        counts.push(counting.count());
      }
    }
    // Settings + organization, the report session settings, the copy's refresh; as of today over the whole
    // organization the refresh's own per-currency totals are the ledger check; before the latest dated document
    // the check is a statement of its own.
    expect(counts).toEqual([3, 4, 3, 4]);
  });
});

describe('ledger check', () => {
  it('refuses a report whose totals differ from the ledger in any currency', () => {
    const ledger = new Map([['CNY', 100n]]);
    expect(() => assertAgreesWithLedger(new Map([['CNY', 100n]]), ledger, 'Aging')).not.toThrow();
    expect(() => assertAgreesWithLedger(new Map([['CNY', 99n]]), ledger, 'Aging')).toThrow(/does not add up/);
    expect(() =>
      assertAgreesWithLedger(
        new Map([
          ['CNY', 100n],
          ['USD', 1n],
        ]),
        ledger,
        'Aging',
      ),
    ).toThrow(/USD/);
  });
});

describe('CLI contract', () => {
  it('answers report aging --json exactly per contract', async () => {
    const slug = admin.session?.organization.slug ?? '';
    const report = await agingCliReport(t.db, slug, '2026-11-22', 'customer');
    expect(JSON.parse(JSON.stringify(report))).toEqual({
      asOf: '2026-11-22',
      currency: 'CNY',
      buckets: Object.keys(ZERO_BUCKETS),
      rows: [
        {
          key: 'A-1',
          name: 'Customer A-1',
          buckets: { ...ZERO_BUCKETS, '181-365': '500.07', over_730: '33.33' },
          total: '533.40',
        },
        {
          key: 'B-2',
          name: 'Customer B-2',
          buckets: { ...ZERO_BUCKETS, not_due: '0.01', '91-180': '1000000.00' },
          total: '1000000.01',
        },
      ],
      totals: {
        ...ZERO_BUCKETS,
        not_due: '0.01',
        '91-180': '1000000.00',
        '181-365': '500.07',
        over_730: '33.33',
      },
      total: '1000533.41',
      otherCurrencies: [
        {
          currency: 'USD',
          rows: [
            {
              key: 'U-1',
              name: 'Customer U-1',
              buckets: { ...ZERO_BUCKETS, not_due: '5.00' },
              total: '5.00',
            },
          ],
          totals: { ...ZERO_BUCKETS, not_due: '5.00' },
          total: '5.00',
        },
      ],
    });
    const bySales = await agingCliReport(t.db, slug, '2026-11-22', 'salesperson');
    expect(bySales.rows.map((row) => row.key)).toEqual(['(none)', salesperson.session?.user.email]);
  });
});

describe.runIf(testEngine === 'pglite')('huikuan report aging --json on a data directory', () => {
  let workDir: string;
  beforeAll(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huikuan-aging-'));
  });
  afterAll(() => {
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  async function run(args: string[]): Promise<string[]> {
    const printed: string[] = [];
    const program = new Command('huikuan')
      .option('--data-dir <dir>')
      .option('--database-url <url>')
      .exitOverride();
    registerReportCommands(program, {}, (text) => printed.push(text));
    registerAgingCommands(program, {}, (text) => printed.push(text));
    await program.parseAsync(['--data-dir', workDir, ...args], { from: 'user' });
    return printed;
  }

  it('prints the contract JSON and names a bad option', async () => {
    await seedReportDataDir(workDir, { name: 'Aging Co', slug: 'aging-co' });
    const printed = await run(['report', 'aging', '--org', 'aging-co', '--as-of', '2026-03-01', '--json']);
    expect(printed).toEqual([
      JSON.stringify({
        asOf: '2026-03-01',
        currency: 'CNY',
        buckets: Object.keys(ZERO_BUCKETS),
        rows: [
          {
            key: 'K-1',
            name: '客户一',
            buckets: { ...ZERO_BUCKETS, '1-30': '1000000.07' },
            total: '1000000.07',
          },
        ],
        totals: { ...ZERO_BUCKETS, '1-30': '1000000.07' },
        total: '1000000.07',
      }),
    ]);
    await expect(run(['report', 'aging', '--org', 'aging-co', '--by', 'region', '--json'])).rejects.toThrow(
      /--by/,
    );
  }, 60_000);
});

describe('aging agrees with the ledger (property)', () => {
  it('per customer, at random dates, bases and groupings', async () => {
    const owner = await signUp(t.app);
    const cashier = await addUser(owner, 'finance');
    const tenantId = owner.tenantId;
    const ledger =
      fc.sample(
        fc.array(
          fc.record({
            customer: fc.integer({ min: 0, max: 3 }),
            totalMinor: fc.bigInt({ min: 1n, max: 10_000_000n }),
            invoiceDay: fc.integer({ min: 0, max: 600 }),
            termsDays: fc.integer({ min: 0, max: 120 }),
            creditShare: fc.integer({ min: 0, max: 100 }),
            voidAfterDays: fc.option(fc.integer({ min: 0, max: 300 })),
            paidShare: fc.integer({ min: 0, max: 100 }),
          }),
          { minLength: 12, maxLength: 12 },
        ),
        { numRuns: 1, seed: 4242 },
      )[0] ?? [];
    const customers = await Promise.all(
      [0, 1, 2, 3].map((index) => seedCustomer(t, tenantId, { code: `P-${index}` })),
    );
    const day = (offset: number) =>
      new Date(Date.UTC(2025, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
    for (const [index, item] of ledger.entries()) {
      const customerId = customers[item.customer] ?? '';
      const invoiceId = await seedInvoice(t, tenantId, {
        customerId,
        totalMinor: item.totalMinor,
        invoiceDate: day(item.invoiceDay),
        dueDate: day(item.invoiceDay + item.termsDays),
        number: `P${index}`,
      });
      const creditMinor = (item.totalMinor * BigInt(item.creditShare)) / 200n;
      if (creditMinor > 0n) {
        await seedCreditNote(t, tenantId, {
          invoiceId,
          amountMinor: creditMinor,
          issuedOn: day(item.invoiceDay + 10),
        });
      }
      const paidMinor = ((item.totalMinor - creditMinor) * BigInt(item.paidShare)) / 100n;
      if (item.voidAfterDays !== null) {
        await seedVoid(t, tenantId, invoiceId, day(item.invoiceDay + item.voidAfterDays));
      } else if (paidMinor > 0n) {
        const amount = `${paidMinor / 100n}.${String(paidMinor % 100n).padStart(2, '0')}`;
        const on = day(item.invoiceDay + 20);
        const receipt = await postReceipt(cashier, { customerId, receivedOn: on, amount });
        await allocate(cashier, receipt, invoiceId, amount, on);
      }
    }
    let nonEmptyRuns = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 690 }),
        fc.constantFrom('due_date', 'invoice_date'),
        fc.constantFrom('customer', 'salesperson', 'contract', 'plan_node'),
        fc.constantFrom('buckets', 'classes', 'vintage'),
        async (offset, basis, by, view) => {
          const asOf = day(offset);
          const report = await aging(owner, `asOf=${asOf}&basis=${basis}&by=${by}&view=${view}`);
          const balances = await t.db.tenant(tenantId, (tx) => customerBalancesAsOf(tx, tenantId, asOf));
          const ledgerTotal = balances.reduce((sum, row) => sum + row.openInvoicesMinor, 0n);
          const section = report.currencies[0];
          const totalMinor = section ? BigInt(section.total.replace('.', '')) : 0n;
          expect(totalMinor).toBe(ledgerTotal);
          if (totalMinor !== 0n) nonEmptyRuns += 1;
          for (const row of section?.rows ?? []) {
            const summed = Object.values(row.columns).reduce(
              (sum, value) => sum + BigInt(value.replace('.', '')),
              0n,
            );
            expect(summed).toBe(BigInt(row.total.replace('.', '')));
          }
          if (by === 'customer' && section) {
            const perCustomer = Object.fromEntries(section.rows.map((row) => [row.id, row.total]));
            const expected = Object.fromEntries(
              balances
                .filter((row) => row.openInvoicesMinor !== 0n)
                .map((row) => [
                  row.customerId,
                  `${row.openInvoicesMinor / 100n}.${String(row.openInvoicesMinor % 100n).padStart(2, '0')}`,
                ]),
            );
            expect(perCustomer).toEqual(expected);
          }
        },
      ),
      { numRuns: 25, seed: 7 },
    );
    // The generated ledger really has open items at most of the sampled dates.
    expect(nonEmptyRuns).toBeGreaterThan(10);
  }, 120_000);
});

describe('aging settings', () => {
  it('lets finance change buckets and rates (audited); a salesperson may only read them', async () => {
    const defaults = await admin.request('GET', '/api/aging/settings');
    expect(defaults.json()).toEqual({
      bucketBoundsDays: [0, 30, 60, 90, 180, 365, 730],
      classBoundsDays: [0, 90, 365, 730],
      provisionBp: { not_yet_due: 0, in_collection: 500, doubtful: 2000, bad: 5000, dead: 8000 },
    });
    const body = {
      bucketBoundsDays: [0, 100, 200],
      classBoundsDays: [0, 90, 365, 730],
      provisionBp: { not_yet_due: 0, in_collection: 500, doubtful: 2500, bad: 5000, dead: 8000 },
    };
    expect((await salesperson.request('PUT', '/api/aging/settings', body)).statusCode).toBe(403);
    const bad = await finance.request('PUT', '/api/aging/settings', {
      ...body,
      bucketBoundsDays: [0, 50, 40],
    });
    expect(bad.statusCode).toBe(400);
    const saved = await finance.request('PUT', '/api/aging/settings', body);
    expect(saved.statusCode, saved.body).toBe(200);
    const report = await aging(admin, 'asOf=2026-11-22');
    expect(report.columns).toEqual(['not_due', '1-100', '101-200', 'over_200']);
    expect(cny(report).rows.map((row) => [row.key, row.columns])).toEqual([
      ['A-1', { not_due: '0.00', '1-100': '0.00', '101-200': '0.00', over_200: '533.40' }],
      ['B-2', { not_due: '0.01', '1-100': '0.00', '101-200': '1000000.00', over_200: '0.00' }],
    ]);
    // 500.07 × 25% = 125.0175 → 125.02; 1,000,000.00 × 25% = 250,000.00.
    const provision = await admin.request('GET', '/api/provision?asOf=2026-11-22');
    expect(provision.json<ProvisionReport>().currencies[0]?.classes[2]).toEqual({
      class: 'doubtful',
      rateBp: 2500,
      open: '1000500.07',
      provision: '250125.02',
    });
    const audit = await admin.request('GET', '/api/audit?entityType=aging_settings');
    expect(audit.body).toContain('aging_settings.update');
    // The other organization still ages with the defaults.
    expect((await aging(other, 'asOf=2026-11-22')).columns).toEqual(Object.keys(ZERO_BUCKETS));
  });
});

describe('aging without disputed amounts', () => {
  // In the other organization, so the hand ledger above stays as it is (that one holds only X1, 7.77 of 2026):
  // D1 10,000.00 invoiced 2026-09-01, due 2026-10-01, of which 2,500.00 disputed (quality) from 2026-11-22, the
  // test clock's today.
  it('moves the open disputes’ amounts to a column of their own, the total unchanged, on both paths', async () => {
    const customerId = await seedCustomer(t, other.tenantId, { code: 'D-1' });
    const invoiceId = await seedInvoice(t, other.tenantId, {
      customerId,
      totalMinor: 1_000_000n,
      invoiceDate: '2026-09-01',
      dueDate: '2026-10-01',
      number: 'D1',
    });
    const raised = await other.request('POST', '/api/disputes', {
      customerId,
      invoiceId,
      amount: '2500.00',
      reasonCode: 'quality',
    });
    expect(raised.statusCode, raised.body).toBe(201);

    const included = await aging(other, 'asOf=2026-11-22');
    expect(included.disputes).toBe('include');
    expect(included.columns).toEqual(Object.keys(ZERO_BUCKETS));
    const d1 = (report: AgingReport) => cny(report).rows.find((row) => row.key === 'D-1');
    expect(d1(included)?.columns).toEqual({ ...ZERO_BUCKETS, '31-60': '10000.00' });

    // 52 days past due: 7,500.00 stays in 31–60, 2,500.00 is disputed.
    const excluded = await aging(other, 'asOf=2026-11-22&disputes=exclude');
    expect(excluded.columns).toEqual([...Object.keys(ZERO_BUCKETS), 'disputed']);
    expect(d1(excluded)).toEqual({
      id: customerId,
      key: 'D-1',
      name: 'Customer D-1',
      columns: { ...ZERO_BUCKETS, '31-60': '7500.00', disputed: '2500.00' },
      total: '10000.00',
    });
    expect(cny(excluded).total).toBe('10007.77');
    // The day before, the dispute was not raised yet.
    const dayBefore = d1(await aging(other, 'asOf=2026-11-21&disputes=exclude'));
    expect(dayBefore?.columns).toEqual({ ...ZERO_BUCKETS, '31-60': '10000.00', disputed: '0.00' });
    // By contract: the SQL path, the same split.
    const byContract = cny(await aging(other, 'asOf=2026-11-22&by=contract&disputes=exclude'));
    expect(
      byContract.rows.map((row) => [row.key, row.columns['31-60'], row.columns.disputed, row.total]),
    ).toEqual([['(none)', '7500.00', '2500.00', '10007.77']]);
    const vintage = await aging(other, 'asOf=2026-11-22&by=contract&view=vintage&disputes=exclude');
    expect(vintage.columns).toEqual(['2026', 'disputed']);
    expect(cny(vintage).totals).toEqual({ '2026': '7507.77', disputed: '2500.00' });
  });
});
