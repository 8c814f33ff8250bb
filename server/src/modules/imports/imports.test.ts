import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import cookie from '@fastify/cookie';
import { Command } from 'commander';
import ExcelJS from 'exceljs';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, Client, createTestApp, signUp, type TestApp } from '../../../test/support/test-app';
import { importFromCli, parseImportOptions, registerImportCommands } from '../../cli/import-commands';
import { CliUsageError } from '../../cli/context';
import { loadConfig } from '../../platform/config';
import { registerErrorHandling } from '../../platform/http-errors';
import { resolveActor } from '../../platform/request-context';
import { customerBalancesAsOf } from '../receipts/balances';
import { registerImportRoutes } from './imports.routes';
import { excelNumberText } from './read-file';

let t: TestApp;
let api: FastifyInstance;

/** The import routes on their own app over the test database, until app.ts registers them beside the others. */
async function buildImportApi(testApp: TestApp): Promise<FastifyInstance> {
  const deps = {
    db: testApp.db,
    clock: testApp.clock,
    config: loadConfig({}, { logLevel: 'silent' }),
    version: 'test',
  };
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  await app.register(cookie);
  app.decorateRequest('actor', null);
  app.addHook('onRequest', (request, reply) => resolveActor(deps, request, reply));
  await app.register(
    (scope, _options, done) => {
      registerImportRoutes(scope.withTypeProvider<ZodTypeProvider>(), deps);
      done();
    },
    { prefix: '/api' },
  );
  await app.ready();
  return app;
}

beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  api = await buildImportApi(t);
});
afterAll(async () => {
  await api.close();
  await t.close();
});

function on(client: Client): Client {
  return new Client(api, client.sessionCookie, client.session);
}

function post(
  client: Client,
  kind: string,
  action: 'dry-run' | 'commit',
  file: { name: string; bytes: Buffer },
  extra = {},
) {
  return on(client).request('POST', `/api/imports/${kind}/${action}`, {
    fileName: file.name,
    contentBase64: file.bytes.toString('base64'),
    ...extra,
  });
}

const HEADER =
  'customerCode,customerName,number,invoiceDate,dueDate,amount,currency,settledDate,settledAmount,disputed';

async function counts(tenantId: string) {
  return t.db.system(async (tx) => {
    const count = async (table: 'customers' | 'invoices' | 'invoice_lines' | 'receipts' | 'allocations') =>
      Number(
        (
          await tx
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('tenant_id', '=', tenantId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      customers: await count('customers'),
      invoices: await count('invoices'),
      lines: await count('invoice_lines'),
      receipts: await count('receipts'),
      allocations: await count('allocations'),
    };
  });
}

async function balancesByCode(tenantId: string, asOf: string): Promise<Record<string, string>> {
  return t.db.tenant(tenantId, async (tx) => {
    const balances = await customerBalancesAsOf(tx, tenantId, asOf);
    const customers = await tx
      .selectFrom('customers')
      .select(['id', 'code'])
      .where('tenant_id', '=', tenantId)
      .execute();
    const codeOf = new Map(customers.map((c) => [c.id, c.code]));
    return Object.fromEntries(
      balances.map((b) => [`${codeOf.get(b.customerId)}/${b.currency}`, b.balanceMinor.toString()]),
    );
  });
}

describe('invoice import', () => {
  it('imports a UTF-8 CSV: new customers, issued invoices, settled history as receipts allocated on their dates', async () => {
    const admin = await signUp(t.app);
    const csv = [
      HEADER,
      'C001,甲公司,INV-001,2026-01-05,2026-02-04,"1,000,000.07",CNY,2026-03-01,33.33,否',
      'C001,甲公司,INV-002,2026-01-06,2026-02-05,0.01,CNY,2026-01-20,,',
      'C002,"Beta, ""Ltd""",INV-003,2026-02-01,2026-03-03,61.7,CNY,,,是',
    ].join('\r\n');
    const response = await post(admin, 'invoices', 'commit', {
      name: 'history.csv',
      bytes: Buffer.from(`\uFEFF${csv}`),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      summary: {
        kind: 'invoices',
        fileName: 'history.csv',
        rows: 3,
        newCustomers: 2,
        invoices: 3,
        receipts: 2,
        allocations: 2,
        totals: [{ currency: 'CNY', amount: '1000061.78', settledAmount: '33.34' }],
        isCommitted: true,
      },
      errors: [],
    });
    expect(await counts(admin.tenantId)).toEqual({
      customers: 2,
      invoices: 3,
      lines: 3,
      receipts: 2,
      allocations: 2,
    });
    const rows = await t.db.system((tx) =>
      tx
        .selectFrom('invoices as i')
        .innerJoin('customers as c', (j) =>
          j.onRef('c.tenant_id', '=', 'i.tenant_id').onRef('c.id', '=', 'i.customer_id'),
        )
        .select(['i.number', 'i.status', 'i.total_minor', 'i.notes', 'c.name'])
        .where('i.tenant_id', '=', admin.tenantId)
        .orderBy('i.number')
        .execute(),
    );
    expect(rows).toEqual([
      { number: 'INV-001', status: 'issued', total_minor: 100000007n, notes: null, name: '甲公司' },
      { number: 'INV-002', status: 'issued', total_minor: 1n, notes: null, name: '甲公司' },
      { number: 'INV-003', status: 'issued', total_minor: 6170n, notes: '[disputed]', name: 'Beta, "Ltd"' },
    ]);
    expect(await balancesByCode(admin.tenantId, '2026-01-10')).toEqual({ 'C001/CNY': '100000008' });
    expect(await balancesByCode(admin.tenantId, '2026-01-20')).toEqual({ 'C001/CNY': '100000007' });
    expect(await balancesByCode(admin.tenantId, '2026-03-01')).toEqual({
      'C001/CNY': '99996674',
      'C002/CNY': '6170',
    });
    const receipts = await t.db.system((tx) =>
      tx
        .selectFrom('receipts')
        .select(['received_on', 'amount_minor', 'method', 'status'])
        .where('tenant_id', '=', admin.tenantId)
        .orderBy('received_on')
        .execute(),
    );
    expect(receipts).toEqual([
      { received_on: '2026-01-20', amount_minor: 1n, method: 'bank_transfer', status: 'confirmed' },
      { received_on: '2026-03-01', amount_minor: 3333n, method: 'bank_transfer', status: 'confirmed' },
    ]);
    const audit = await t.db.system((tx) =>
      tx
        .selectFrom('audit_log')
        .select(['action', 'entity_type', 'after'])
        .where('tenant_id', '=', admin.tenantId)
        .where('entity_type', '=', 'import')
        .execute(),
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'import.committed',
      after: { fileName: 'history.csv', invoices: 3 },
    });
  });

  it('imports a GBK file with Chinese headers, its encoding detected, YYYY年M月D日 dates and full-width digits', async () => {
    const admin = await signUp(t.app);
    const text = [
      '客户编码,客户名称,发票号,开票日期,到期日,金额,币种,回款日期,回款金额,是否争议',
      'K01,华东贸易有限公司,FP-1,2026年1月5日,2026年2月4日,１２３.４５,人民币,2026年1月31日,100,否',
      'K01,华东贸易有限公司,FP-2,2026年1月8日,2026年3月9日,94,CNY,,,否',
    ].join('\r\n');
    const gbk = iconv.encode(text, 'gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow();
    const file = { name: '金蝶导出.csv', bytes: gbk };
    const dry = await post(admin, 'invoices', 'dry-run', file, { dateFormat: 'YYYY年M月D日' });
    expect(dry.json().errors).toEqual([]);
    expect(await counts(admin.tenantId)).toMatchObject({ customers: 0, invoices: 0 });
    const response = await post(admin, 'invoices', 'commit', file, {
      dateFormat: 'YYYY年M月D日',
      encoding: 'gbk',
    });
    expect(response.json().summary).toMatchObject({
      newCustomers: 1,
      invoices: 2,
      receipts: 1,
      isCommitted: true,
    });
    expect(response.json().summary.totals).toEqual([
      { currency: 'CNY', amount: '217.45', settledAmount: '100.00' },
    ]);
    const customer = await t.db.system((tx) =>
      tx
        .selectFrom('customers')
        .select(['code', 'name', 'currency'])
        .where('tenant_id', '=', admin.tenantId)
        .executeTakeFirstOrThrow(),
    );
    expect(customer).toEqual({ code: 'K01', name: '华东贸易有限公司', currency: 'CNY' });
    expect(await balancesByCode(admin.tenantId, '2026-01-06')).toEqual({ 'K01/CNY': '12345' });
    expect(await balancesByCode(admin.tenantId, '2026-01-30')).toEqual({ 'K01/CNY': '21745' });
    expect(await balancesByCode(admin.tenantId, '2026-01-31')).toEqual({ 'K01/CNY': '11745' });
  });

  it('imports the first sheet of an XLSX workbook, dates as date cells or text, numbers exactly', async () => {
    const admin = await signUp(t.app);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('发票');
    workbook.addWorksheet('ignored').addRow(['nothing']);
    sheet.addRow(['客户编码', '客户名称', '发票号', '开票日期', '到期日', '金额', '回款日期']);
    sheet.addRow([
      'X1',
      'Excel Co',
      1001,
      new Date(Date.UTC(2026, 0, 5)),
      '2026-02-04',
      1234.56,
      new Date(Date.UTC(2026, 1, 1)),
    ]);
    sheet.addRow([
      'X1',
      'Excel Co',
      'A-2',
      new Date(Date.UTC(2026, 0, 6)),
      new Date(Date.UTC(2026, 1, 5)),
      0.1 + 0.2,
      null,
    ]);
    sheet.addRow([
      'X1',
      'Excel Co',
      'A-3',
      '2026-01-07',
      '2026-02-06',
      { formula: '1000000+0.07', result: 1000000.07 },
      null,
    ]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const response = await post(admin, 'invoices', 'commit', { name: 'book.xlsx', bytes });
    expect(response.json().errors).toEqual([]);
    expect(response.json().summary.totals).toEqual([
      { currency: 'CNY', amount: '1001234.93', settledAmount: '1234.56' },
    ]);
    const invoices = await t.db.system((tx) =>
      tx
        .selectFrom('invoices')
        .select(['number', 'invoice_date', 'due_date', 'total_minor'])
        .where('tenant_id', '=', admin.tenantId)
        .orderBy('number')
        .execute(),
    );
    expect(invoices).toEqual([
      { number: '1001', invoice_date: '2026-01-05', due_date: '2026-02-04', total_minor: 123456n },
      { number: 'A-2', invoice_date: '2026-01-06', due_date: '2026-02-05', total_minor: 30n },
      { number: 'A-3', invoice_date: '2026-01-07', due_date: '2026-02-06', total_minor: 100000007n },
    ]);
    // The double Excel stores for 1234.56 after arithmetic, one unit in the last place away from 1234.56 itself.
    expect(excelNumberText(1234.56 + 2 ** -42)).toBe('1234.56');
    expect(String(1234.56 + 2 ** -42)).not.toBe('1234.56');
    expect(excelNumberText(123456789012)).toBe('123456789012');
  });

  it('writes nothing when one row of 10,000 is bad, and names that row, its line and column', async () => {
    const admin = await signUp(t.app);
    const lines = [HEADER];
    for (let i = 1; i <= 10_000; i += 1) {
      const amount = i === 7_777 ? '12.3.4' : `${i}.${String(i % 100).padStart(2, '0')}`;
      lines.push(
        `C${i % 50},Customer ${i % 50},N-${i},2026-01-01,2026-01-31,${amount},CNY,${i % 3 === 0 ? '2026-01-15' : ''},,`,
      );
    }
    const response = await post(admin, 'invoices', 'commit', {
      name: 'big.csv',
      bytes: Buffer.from(lines.join('\n')),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().errors).toEqual([
      {
        row: 7_777,
        line: 7_778,
        column: 'amount',
        message: 'amount "12.3.4" has more than one decimal separator',
      },
    ]);
    expect(response.json().summary.isCommitted).toBe(false);
    expect(await counts(admin.tenantId)).toEqual({
      customers: 0,
      invoices: 0,
      lines: 0,
      receipts: 0,
      allocations: 0,
    });
  });

  it('reports duplicate numbers within the file and already in the organization, and another organization’s do not count', async () => {
    const admin = await signUp(t.app);
    const other = await signUp(t.app);
    // Not yet due on the test clock (2026-11-22): a long-overdue customer would be on credit hold and refused.
    const first = [HEADER, 'C1,One,D-1,2026-11-01,2026-11-30,10,CNY,,,'].join('\n');
    expect(
      (await post(admin, 'invoices', 'commit', { name: 'a.csv', bytes: Buffer.from(first) })).json().summary
        .isCommitted,
    ).toBe(true);
    const second = [
      HEADER,
      'C1,One,D-1,2026-11-01,2026-11-30,10,CNY,,,',
      'C1,One,D-2,2026-11-01,2026-11-30,10,CNY,,,',
      'C2,Two,D-2,2026-11-01,2026-11-30,10,CNY,,,',
    ].join('\n');
    const response = await post(admin, 'invoices', 'commit', { name: 'b.csv', bytes: Buffer.from(second) });
    expect(response.json().errors).toEqual([
      { row: 1, line: 2, column: 'number', message: 'invoice number D-1 already exists' },
      { row: 3, line: 4, column: 'number', message: 'invoice number D-2 is also on row 2' },
    ]);
    expect(await counts(admin.tenantId)).toMatchObject({ customers: 1, invoices: 1 });
    const elsewhere = await post(other, 'invoices', 'commit', { name: 'a.csv', bytes: Buffer.from(first) });
    expect(elsewhere.json()).toMatchObject({ errors: [], summary: { isCommitted: true, newCustomers: 1 } });
  });

  it('a dry run writes nothing and summarizes rows, new customers, invoices, receipts and totals per currency', async () => {
    const admin = await signUp(t.app);
    const csv = [
      HEADER,
      'U1,Dollar Inc,U-1,2026-01-01,2026-01-31,33.33,USD,2026-01-02,,',
      'J1,円,J-1,2026-01-01,2026-01-31,"1,000",JPY,,,',
    ].join('\n');
    const response = await post(admin, 'invoices', 'dry-run', { name: 'dry.csv', bytes: Buffer.from(csv) });
    expect(response.json()).toEqual({
      summary: {
        kind: 'invoices',
        fileName: 'dry.csv',
        rows: 2,
        newCustomers: 2,
        invoices: 2,
        receipts: 1,
        allocations: 1,
        totals: [
          { currency: 'JPY', amount: '1000', settledAmount: '0' },
          { currency: 'USD', amount: '33.33', settledAmount: '33.33' },
        ],
        isCommitted: false,
      },
      errors: [],
    });
    expect(await counts(admin.tenantId)).toEqual({
      customers: 0,
      invoices: 0,
      lines: 0,
      receipts: 0,
      allocations: 0,
    });
  });

  it('lets finance and admins commit, anyone who writes records dry-run, and read-only roles neither', async () => {
    const admin = await signUp(t.app);
    const file = {
      name: 'p.csv',
      bytes: Buffer.from([HEADER, 'P1,P,P-1,2026-01-01,2026-01-31,1,CNY,,,'].join('\n')),
    };
    const salesperson = await addUser(admin, 'salesperson');
    const executive = await addUser(admin, 'executive');
    const finance = await addUser(admin, 'finance');
    expect((await post(salesperson, 'invoices', 'dry-run', file)).statusCode).toBe(200);
    expect((await post(salesperson, 'invoices', 'commit', file)).statusCode).toBe(403);
    expect((await post(executive, 'invoices', 'dry-run', file)).statusCode).toBe(403);
    expect((await post(finance, 'invoices', 'commit', file)).json().summary.isCommitted).toBe(true);
    expect((await post(finance, 'payments', 'commit', file)).statusCode).toBe(400);
  });
});

describe('customer and receipt imports', () => {
  it('imports customers with owners, then receipts allocated to invoices up to what is open', async () => {
    const admin = await signUp(t.app);
    const salesperson = await addUser(admin, 'salesperson', { email: 'li.lei@example.test' });
    const customers = [
      'code,name,ownerEmail,paymentTermsDays,currency',
      'R1,Receipt Co,LI.LEI@example.test,45,CNY',
      'R2,No Owner,,,',
    ].join('\n');
    const imported = await post(admin, 'customers', 'commit', {
      name: 'c.csv',
      bytes: Buffer.from(customers),
    });
    expect(imported.json().summary).toMatchObject({ newCustomers: 2, isCommitted: true });
    const owners = await t.db.system((tx) =>
      tx
        .selectFrom('customers')
        .select(['code', 'owner_user_id', 'payment_terms_days'])
        .where('tenant_id', '=', admin.tenantId)
        .orderBy('code')
        .execute(),
    );
    expect(owners).toEqual([
      { code: 'R1', owner_user_id: salesperson.userId, payment_terms_days: 45 },
      { code: 'R2', owner_user_id: null, payment_terms_days: 30 },
    ]);
    const again = await post(admin, 'customers', 'commit', { name: 'c.csv', bytes: Buffer.from(customers) });
    expect(again.json().errors.map((e: { row: number; column: string }) => `${e.row}:${e.column}`)).toEqual([
      '1:code',
      '2:code',
    ]);

    // One customer per legal entity: a credit code twice in the file, or one an existing customer holds.
    await post(admin, 'customers', 'commit', {
      name: 'e.csv',
      bytes: Buffer.from('code,name,unifiedCreditCode\nE1,Entity,91310000MA1FL0XX7Q'),
    });
    const entities = [
      'code,name,统一社会信用代码',
      'E2,Same entity,91310000ma1fl0xx7q',
      'E3,New entity,91440300MA5EXAMPLE',
      'E4,New entity again, 91440300MA5EXAMPLE',
    ].join('\n');
    const sameEntity = await post(admin, 'customers', 'commit', {
      name: 'e.csv',
      bytes: Buffer.from(entities),
    });
    expect(sameEntity.json().errors).toEqual([
      expect.objectContaining({
        row: 1,
        column: '统一社会信用代码',
        message: 'unified credit code 91310000ma1fl0xx7q already belongs to customer E1',
      }),
      expect.objectContaining({
        row: 3,
        column: '统一社会信用代码',
        message: 'unified credit code 91440300MA5EXAMPLE is also on row 2',
      }),
    ]);
    expect((await counts(admin.tenantId)).customers).toBe(3);

    const invoices = [HEADER, 'R1,,RI-1,2026-01-01,2026-01-31,100,CNY,,,'].join('\n');
    expect(
      (await post(admin, 'invoices', 'commit', { name: 'i.csv', bytes: Buffer.from(invoices) })).json()
        .errors,
    ).toEqual([]);
    const receipts = [
      '客户编码,回款日期,金额,收款方式,付款人,银行流水号,invoiceNumber',
      'R1,2026-01-10,61.70,银行转账,Receipt Co,B-1,RI-1',
      'R1,2026-01-20,61.70,微信,Receipt Co,B-2,RI-1',
      'R2,2026-01-20,0.01,cash,,,',
    ].join('\n');
    const response = await post(admin, 'receipts', 'commit', { name: 'r.csv', bytes: Buffer.from(receipts) });
    expect(response.json()).toMatchObject({
      errors: [],
      summary: {
        receipts: 3,
        allocations: 2,
        totals: [{ currency: 'CNY', amount: '123.41', settledAmount: '100.00' }],
      },
    });
    expect(await balancesByCode(admin.tenantId, '2026-01-15')).toEqual({ 'R1/CNY': '3830' });
    expect(await balancesByCode(admin.tenantId, '2026-01-31')).toEqual({ 'R1/CNY': '-2340', 'R2/CNY': '-1' });

    const bad = [
      'customerCode,receivedDate,amount,invoiceNumber',
      'NOPE,2026-01-10,1,',
      'R2,2026-01-10,1,RI-1',
      'R1,2025-12-31,1,RI-1',
    ].join('\n');
    const refused = await post(admin, 'receipts', 'dry-run', { name: 'bad.csv', bytes: Buffer.from(bad) });
    expect(
      refused
        .json()
        .errors.map(
          (e: { row: number; column: string; message: string }) => `${e.row}:${e.column}:${e.message}`,
        ),
    ).toEqual([
      '1:customerCode:customer NOPE does not exist; import customers first',
      '2:invoiceNumber:invoice RI-1 belongs to another customer',
      '3:invoiceNumber:received 2025-12-31, before invoice RI-1 was dated 2026-01-01',
    ]);
  });
});

function bufferStream(): Writable & { text(): string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return Object.assign(stream, { text: () => Buffer.concat(chunks).toString('utf8') });
}

describe('huikuan import (CLI)', () => {
  it('imports with --map and --date-format, and fails naming file, row and column without writing', async () => {
    const admin = await signUp(t.app);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huikuan-import-'));
    const good = path.join(dir, 'legacy.csv');
    fs.writeFileSync(
      good,
      [
        'Kunde;Name;Rechnung;Datum;Faellig;Betrag',
        'D1;Deutsch GmbH;R-1;05.01.2026;04.02.2026;"1.234,56"',
      ].join('\n'),
    );
    const slug = admin.session?.organization.slug ?? '';
    const options = {
      org: slug,
      map: [
        'customerCode=Kunde',
        'customerName=Name',
        'number=Rechnung',
        'invoiceDate=Datum',
        'dueDate=Faellig',
        'amount=Betrag',
      ],
      dateFormat: 'DD.MM.YYYY',
      currency: 'eur',
      decimal: ',',
      delimiter: ';',
    };
    const stdout = bufferStream();
    const stderr = bufferStream();
    const result = await importFromCli(t.db, parseImportOptions('invoices', good, options), {
      stdout,
      stderr,
    });
    expect(result.summary).toMatchObject({
      invoices: 1,
      isCommitted: true,
      totals: [{ currency: 'EUR', amount: '1234.56' }],
    });
    expect(stdout.text()).toContain(`${good}: 1 rows, 1 new customers, 1 invoices`);
    expect(stderr.text()).toContain('write: 1/1');

    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(
      bad,
      [HEADER, 'B1,B,B-1,2026-01-01,2026-01-31,5,CNY,,,', 'B1,B,B-2,2026-13-01,2026-01-31,5,CNY,,,'].join(
        '\n',
      ),
    );
    const errors = bufferStream();
    await expect(
      importFromCli(t.db, parseImportOptions('invoices', bad, { org: slug, map: [] }), {
        stdout: bufferStream(),
        stderr: errors,
      }),
    ).rejects.toThrow(new CliUsageError(`${bad}: 1 error(s); nothing was written`));
    expect(errors.text()).toContain(
      `${bad}:3: row 2, column "invoiceDate": "2026-13-01" is not a date in the format YYYY-MM-DD`,
    );
    expect(await counts(admin.tenantId)).toMatchObject({ invoices: 1 });
    expect(() => parseImportOptions('invoices', bad, { org: slug, map: ['nofield=X'] })).toThrow(
      /invoices fields are/,
    );
    expect(() => parseImportOptions('invoices', bad, { org: slug, map: [], dateFormat: 'YYYY' })).toThrow(
      /--date-format/,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports contracts with their plan nodes: `import contracts FILE --org SLUG`', async () => {
    const admin = await signUp(t.app);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huikuan-import-'));
    const file = path.join(dir, 'contracts.csv');
    fs.writeFileSync(
      file,
      [
        'contractNumber,customerCode,customerName,amount,signedDate,nodeName,nodePercent,nodeDueDate',
        'HT-9,K9,九公司,0.03,2026/01/10,一期,33.33%,2026/02/10',
        'HT-9,,,,,二期,33.33%,2026/03/10',
        'HT-9,,,,,三期,33.34%,2026/04/10',
      ].join('\n'),
    );
    const slug = admin.session?.organization.slug ?? '';
    const stdout = bufferStream();
    const input = parseImportOptions('contracts', file, { org: slug, map: [], dateFormat: 'YYYY/MM/DD' });
    const result = await importFromCli(t.db, input, { stdout, stderr: bufferStream() });
    expect(result.summary).toMatchObject({ contracts: 1, planNodes: 3, newCustomers: 1, isCommitted: true });
    expect(stdout.text()).toContain(`${file}: 3 rows, 1 new customers, 1 contracts, 3 plan nodes (imported)`);
    const nodes = await t.db.tenant(admin.tenantId, (tx) =>
      tx.selectFrom('payment_plan_nodes').select(['amount_minor', 'due_date']).orderBy('seq').execute(),
    );
    // 33.33/33.33/33.34 % of ¥0.03: a cent each.
    expect(nodes).toEqual([
      { amount_minor: 1n, due_date: '2026-02-10' },
      { amount_minor: 1n, due_date: '2026-03-10' },
      { amount_minor: 1n, due_date: '2026-04-10' },
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('registers `import invoices FILE --org SLUG …` on the huikuan program', async () => {
    const program = new Command('huikuan')
      .exitOverride()
      .option('--data-dir <dir>')
      .option('--database-url <url>');
    registerImportCommands(program, {}, { stdout: bufferStream(), stderr: bufferStream() });
    const importCommand = program.commands.find((command) => command.name() === 'import');
    expect(importCommand?.commands.map((command) => command.name())).toEqual([
      'invoices',
      'customers',
      'receipts',
      'contracts',
    ]);
    const invoices = importCommand?.commands[0];
    expect(invoices?.options.map((option) => option.long)).toEqual([
      '--org',
      '--format',
      '--encoding',
      '--map',
      '--date-format',
      '--currency',
      '--decimal',
      '--delimiter',
      '--dry-run',
      '--json',
    ]);
    await expect(
      program.parseAsync([
        'node',
        'huikuan',
        'import',
        'invoices',
        'x.csv',
        '--org',
        'a',
        '--encoding',
        'latin1',
      ]),
    ).rejects.toThrow(/--encoding/);
  });
});
