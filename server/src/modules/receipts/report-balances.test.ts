import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { seedReportDataDir } from '../../../test/support/cli-data-dir';
import { testEngine } from '../../../test/support/test-db';
import { balanceReport, registerReportCommands } from '../../cli/report-commands';
import { openDatabase } from '../../platform/db';
import { postReceipt, seedCustomer, seedInvoice } from './test-fixtures';

let t: TestApp;
let admin: Client;
let finance: Client;

beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  admin = await signUp(t.app);
  finance = await addUser(admin, 'finance');
  const tenantId = admin.tenantId;
  const b2 = await seedCustomer(t, tenantId, { code: 'B-2' });
  await seedInvoice(t, tenantId, { customerId: b2, totalMinor: 10_000n, invoiceDate: '2026-11-01' });
  const a1 = await seedCustomer(t, tenantId, { code: 'A-1' });
  await seedInvoice(t, tenantId, { customerId: a1, totalMinor: 123_456n, invoiceDate: '2026-11-01' });
  await postReceipt(finance, { customerId: a1, receivedOn: '2026-11-10', amount: '0.56' });
  const zero = await seedCustomer(t, tenantId, { code: 'Z-0' });
  const paid = await seedInvoice(t, tenantId, {
    customerId: zero,
    totalMinor: 1_000n,
    invoiceDate: '2026-11-01',
  });
  const paying = await postReceipt(finance, { customerId: zero, receivedOn: '2026-11-10', amount: '10.00' });
  await finance.request(
    'POST',
    `/api/receipts/${paying}/allocations`,
    { lines: [{ invoiceId: paid, amount: '10.00' }] },
    { headers: { 'idempotency-key': `report-${paying}` } },
  );
  const c3 = await seedCustomer(t, tenantId, { code: 'C-3' });
  await postReceipt(finance, { customerId: c3, receivedOn: '2026-11-10', amount: '50.00' });
  const usd = await seedCustomer(t, tenantId, { code: 'U-1', currency: 'USD' });
  await seedInvoice(t, tenantId, {
    customerId: usd,
    totalMinor: 500n,
    invoiceDate: '2026-11-01',
    currency: 'USD',
  });
});

afterAll(async () => {
  await t.close();
});

describe('report balances', () => {
  it('lists non-zero balances in the base currency by code, with other currencies apart', async () => {
    const report = await balanceReport(t.db, admin.session?.organization.slug ?? '', '2026-11-22');
    expect(report).toEqual({
      asOf: '2026-11-22',
      currency: 'CNY',
      customers: [
        { code: 'A-1', name: 'Customer A-1', open: '1234.00' },
        { code: 'B-2', name: 'Customer B-2', open: '100.00' },
        { code: 'C-3', name: 'Customer C-3', open: '-50.00' },
      ],
      total: '1284.00',
      otherCurrencies: [
        { currency: 'USD', customers: [{ code: 'U-1', name: 'Customer U-1', open: '5.00' }], total: '5.00' },
      ],
    });
  });

  it('answers as of an earlier date from the records of that date', async () => {
    const report = await balanceReport(t.db, admin.session?.organization.slug ?? '', '2026-11-09');
    expect(report.customers).toEqual([
      { code: 'A-1', name: 'Customer A-1', open: '1234.56' },
      { code: 'B-2', name: 'Customer B-2', open: '100.00' },
      { code: 'Z-0', name: 'Customer Z-0', open: '10.00' },
    ]);
    expect(report.total).toBe('1344.56');
    const before = await balanceReport(t.db, admin.session?.organization.slug ?? '', '2026-10-31');
    expect(before).toEqual({ asOf: '2026-10-31', currency: 'CNY', customers: [], total: '0.00' });
  });
});

describe.runIf(testEngine === 'pglite')('huikuan report balances --json on a data directory', () => {
  let workDir: string;

  beforeAll(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huikuan-report-'));
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
    await program.parseAsync(['--data-dir', workDir, ...args], { from: 'user' });
    return printed;
  }

  it('prints the contract JSON and refuses a bad date by naming the option', async () => {
    await seedReportDataDir(workDir, { name: 'Report Co', slug: 'report-co' });
    const printed = await run([
      'report',
      'balances',
      '--org',
      'report-co',
      '--as-of',
      '2026-03-01',
      '--json',
    ]);
    expect(printed.map((line) => JSON.parse(line) as unknown)).toEqual([
      {
        asOf: '2026-03-01',
        currency: 'CNY',
        customers: [{ code: 'K-1', name: '客户一', open: '1000000.07' }],
        total: '1000000.07',
      },
    ]);
    await expect(run(['report', 'balances', '--org', 'report-co', '--as-of', '2026-02-30'])).rejects.toThrow(
      /--as-of/,
    );
    await expect(run(['report', 'balances', '--org', 'no-such-org', '--json'])).rejects.toThrow(
      /no-such-org/,
    );
    // The command let go of the data directory: it opens again.
    const db = await openDatabase({ databaseUrl: null, dataDir: workDir });
    await db.close();
  }, 60_000);
});
