import { parseCsv } from '@huikuan/core';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { AppError } from '../../platform/errors';
import { collectPages } from '../../platform/export';
import { idempotencyKey, insertCustomer } from './test-fixtures';

// The test clock stands at 2026-11-22T02:00Z: today is 2026-11-22 in Asia/Shanghai.
let t: TestApp;
let admin: Client;
let sales: Client;
let other: Client;
const FORMULA_NAME = '=HYPERLINK("http://x")';
let salesCustomerId: string;
let adminCustomerId: string;

async function insertNamedCustomer(client: Client, code: string, name: string, ownerUserId: string) {
  const id = await insertCustomer(t, client.tenantId, { code, ownerUserId });
  await t.db.tenant(client.tenantId, (tx) =>
    tx.updateTable('customers').set({ name }).where('id', '=', id).execute(),
  );
  return id;
}

async function draftInvoice(
  client: Client,
  customerId: string,
  number: string,
  amount: string,
  date: string,
) {
  const response = await client.request('POST', '/api/invoices', {
    number,
    customerId,
    invoiceDate: date,
    amount,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>();
}

beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  admin = await signUp(t.app);
  sales = await addUser(admin, 'salesperson', { name: '小王' });
  other = await signUp(t.app);
  salesCustomerId = await insertNamedCustomer(admin, 'C-001', FORMULA_NAME, sales.userId);
  adminCustomerId = await insertNamedCustomer(admin, 'C-002', '甲公司, "总部"', admin.userId);
  await draftInvoice(admin, salesCustomerId, 'INV-1', '0.01', '2026-11-01');
  await draftInvoice(admin, salesCustomerId, 'INV-2', '33.33', '2026-11-02');
  await draftInvoice(admin, adminCustomerId, 'INV-3', '1000000.07', '2026-11-03');
  const toIssue = await draftInvoice(admin, adminCustomerId, 'INV-5', '1234.56', '2026-11-04');
  const issue = await admin.request('POST', `/api/invoices/${toIssue.id}/issue`, {}, idempotencyKey());
  expect(issue.statusCode, issue.body).toBe(200);
  const otherCustomerId = await insertNamedCustomer(other, 'C-001', '别家客户', other.userId);
  await draftInvoice(other, otherCustomerId, 'OTHER-1', '99.99', '2026-11-05');
});
afterAll(() => t.close());

function get(client: Client, url: string, language = 'en') {
  return client.request('GET', url, undefined, { headers: { 'accept-language': language } });
}

/** Every row of a list through the JSON API, a small page at a time. */
async function listAll<T>(client: Client, path: string, query = ''): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const response = await get(client, `${path}?limit=2${query}${suffix}`);
    expect(response.statusCode, response.body).toBe(200);
    const page = response.json<{ items: T[]; nextCursor: string | null }>();
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** The CSV as objects keyed by its header row. */
function csvRows(body: string): Record<string, string>[] {
  const [header, ...records] = parseCsv(body).map((record) => record.cells);
  return records.map((cells) => Object.fromEntries((header ?? []).map((name, i) => [name, cells[i] ?? ''])));
}

async function xlsxSheet(raw: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(raw as unknown as ExcelJS.Buffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('no sheet');
  return sheet;
}

type InvoiceItem = {
  number: string;
  customerName: string;
  invoiceDate: string;
  total: string;
  status: string;
};

describe('invoice export', () => {
  it('CSV with BOM parses back to the rows the list API pages through, money exact, formula as text', async () => {
    const response = await get(admin, '/api/invoices/export?format=csv');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="invoices-2026-11-22.csv"; filename*=UTF-8''invoices-2026-11-22.csv`,
    );
    expect(response.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = csvRows(response.rawPayload.toString('utf8'));
    const listed = await listAll<InvoiceItem>(admin, '/api/invoices');
    expect(listed).toHaveLength(4);
    expect(
      rows.map((row) => [row.Number, row.Customer, row['Invoice date'], row.Total, row.Currency]),
    ).toEqual(
      listed.map((item) => [
        item.number,
        item.customerName === FORMULA_NAME ? `'${FORMULA_NAME}` : item.customerName,
        item.invoiceDate,
        item.total,
        'CNY',
      ]),
    );
    expect(rows.map((row) => row.Total)).toEqual(['1234.56', '1000000.07', '33.33', '0.01']);
    expect(rows.map((row) => row.Number)).not.toContain('OTHER-1');
  });

  it('applies the list filters and audits the export', async () => {
    const response = await get(admin, `/api/invoices/export?format=csv&customerId=${salesCustomerId}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(csvRows(response.body).map((row) => row.Number)).toEqual(['INV-2', 'INV-1']);
    const audit = await listAll<{ action: string; entityType: string; after: unknown }>(
      admin,
      '/api/audit',
      '&action=invoice.exported',
    );
    expect(audit[0]).toMatchObject({
      entityType: 'export',
      after: { list: 'invoices', format: 'csv', filters: { customerId: salesCustomerId }, rows: 2 },
    });
  });

  it('XLSX has Chinese headers for zh-CN, text cells (no formulas) and exact money text', async () => {
    const response = await get(admin, '/api/invoices/export?format=xlsx', 'zh-CN,zh;q=0.9');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="__-2026-11-22.xlsx"; filename*=UTF-8''%E5%8F%91%E7%A5%A8-2026-11-22.xlsx`,
    );
    const sheet = await xlsxSheet(response.rawPayload);
    const header = sheet.getRow(1).values as unknown[];
    expect(header.slice(1, 4)).toEqual(['发票号码', '客户编码', '客户名称']);
    const totals: unknown[] = [];
    const names: ExcelJS.Cell[] = [];
    for (let row = 2; row <= sheet.rowCount; row += 1) {
      totals.push(sheet.getRow(row).getCell(9).value);
      names.push(sheet.getRow(row).getCell(3));
    }
    expect(totals).toEqual(['1234.56', '1000000.07', '33.33', '0.01']);
    const formulaCell = names.find(
      (cell) => typeof cell.value === 'string' && cell.value.includes('HYPERLINK'),
    );
    expect(formulaCell?.type).toBe(ExcelJS.ValueType.String);
    expect(formulaCell?.formula).toBeUndefined();
    expect(formulaCell?.value).toBe(`'${FORMULA_NAME}`);
  });

  it("gives a salesperson only their customers' invoices and another tenant only its own", async () => {
    const mine = await get(sales, '/api/invoices/export?format=csv');
    expect(csvRows(mine.body).map((row) => row.Number)).toEqual(['INV-2', 'INV-1']);
    const theirs = await get(other, '/api/invoices/export?format=csv');
    expect(csvRows(theirs.body).map((row) => row.Number)).toEqual(['OTHER-1']);
  });

  it('refuses an unknown format', async () => {
    const response = await get(admin, '/api/invoices/export?format=pdf');
    expect(response.statusCode).toBe(400);
  });
});

describe('customer export', () => {
  it('matches the list API, keeps the formula-like name as text, and scopes a salesperson', async () => {
    const response = await get(admin, '/api/customers/export?format=csv&sort=name');
    expect(response.statusCode, response.body).toBe(200);
    const listed = await listAll<{ code: string; name: string }>(admin, '/api/customers', '&sort=name');
    const rows = csvRows(response.body);
    expect(rows.map((row) => [row.Code, row.Name])).toEqual(
      listed.map((item) => [item.code, item.name === FORMULA_NAME ? `'${FORMULA_NAME}` : item.name]),
    );
    expect(rows.map((row) => row.Name)).toEqual([`'${FORMULA_NAME}`, '甲公司, "总部"']);

    const mine = csvRows((await get(sales, '/api/customers/export?format=csv')).body);
    expect(mine.map((row) => row.Code)).toEqual(['C-001']);
    const theirs = csvRows((await get(other, '/api/customers/export?format=csv')).body);
    expect(theirs.map((row) => row.Name)).toEqual(['别家客户']);
  });

  it('writes the formula-like name as a text cell in XLSX, with Chinese headers', async () => {
    const response = await get(sales, '/api/customers/export?format=xlsx', 'zh-CN');
    const sheet = await xlsxSheet(response.rawPayload);
    expect((sheet.getRow(1).values as unknown[]).slice(1, 3)).toEqual(['客户编码', '客户名称']);
    expect(sheet.rowCount).toBe(2);
    const cell = sheet.getRow(2).getCell(2);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.formula).toBeUndefined();
    expect(cell.value).toBe(`'${FORMULA_NAME}`);
  });
});

describe('audit export', () => {
  it('matches the audit list, needs audit.read, and never shows another tenant', async () => {
    const response = await get(admin, '/api/audit/export?format=csv');
    expect(response.statusCode, response.body).toBe(200);
    const listed = await listAll<{ id: string; action: string; entityId: string }>(admin, '/api/audit');
    const rows = csvRows(response.body);
    // The export records itself after reading: the listing taken afterwards has that one entry more.
    expect(listed[0]?.action).toBe('audit.exported');
    expect(rows.map((row) => [row.Action, row['Entity ID']])).toEqual(
      listed.slice(1).map((item) => [item.action, item.entityId]),
    );
    const theirs = csvRows((await get(other, '/api/audit/export?format=csv')).body);
    expect(theirs.map((row) => row['Entity ID'])).not.toContain(salesCustomerId);
    expect((await get(sales, '/api/audit/export?format=csv')).statusCode).toBe(403);
  });

  it('has Chinese column titles for zh-CN', async () => {
    const response = await get(admin, '/api/audit/export?format=csv', 'zh-CN');
    const [header] = parseCsv(response.body);
    expect(header?.cells.slice(0, 3)).toEqual(['时间', '操作人', '操作']);
  });
});

describe('other lists', () => {
  it.each([
    '/api/contracts/export',
    '/api/receipts/export',
    '/api/invoice-requests/export',
    '/api/receipt-claims/export',
    '/api/approvals/export',
    '/api/users/export',
  ])('%s answers a CSV and an XLSX', async (path) => {
    const csv = await get(admin, `${path}?format=csv`);
    expect(csv.statusCode, csv.body).toBe(200);
    expect(parseCsv(csv.body).length).toBeGreaterThanOrEqual(1);
    const xlsx = await get(admin, `${path}?format=xlsx`);
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    expect((await xlsxSheet(xlsx.rawPayload)).rowCount).toBeGreaterThanOrEqual(1);
  });

  it('lists users by name in the users export', async () => {
    const rows = csvRows((await get(admin, '/api/users/export?format=csv')).body);
    expect(rows.map((row) => row.Name).sort()).toEqual(['Admin', '小王']);
  });
});

describe('collectPages', () => {
  it('walks every page and refuses past the cap with a 400', async () => {
    const data = [1, 2, 3, 4, 5];
    const fetchPage = (cursor: string | undefined, limit: number) => {
      const start = cursor ? Number(cursor) : 0;
      const next = start + limit < data.length ? String(start + limit) : null;
      return Promise.resolve({ items: data.slice(start, start + limit), nextCursor: next });
    };
    expect(await collectPages(fetchPage, { pageSize: 2 })).toEqual([1, 2, 3, 4, 5]);
    expect(await collectPages(fetchPage, { pageSize: 2, maxRows: 5 })).toEqual([1, 2, 3, 4, 5]);
    const refused = await collectPages(fetchPage, { pageSize: 2, maxRows: 4 }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'bad_request' });
  });
});
