import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { seedDashboardLedger } from './test-fixtures';

/**
 * Downloads of every report, XLSX read back with exceljs and PDF read back with pdftotext, on the hand ledger of
 * dashboard.test.ts (as of 2026-11-22): the right cells and amounts, column titles in the caller's language, and the
 * caller's record scope (a salesperson's file holds only their customers).
 */

let t: TestApp;
let admin: Client;
let s1: Client;
const ids: Record<string, string> = {};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'huikuan-report-'));

beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  admin = await signUp(t.app, { organizationName: '回款演示机械有限公司' });
  s1 = await addUser(admin, 'salesperson', { name: '张销售' });
  const s2 = await addUser(admin, 'salesperson', { name: '李销售' });
  ids.s1 = s1.userId;
  Object.assign(ids, await seedDashboardLedger(t, admin, { s1: s1.userId, s2: s2.userId }));
}, 60_000);

afterAll(async () => {
  await t.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function download(client: Client, url: string, locale = 'zh-CN') {
  const response = await client.request('GET', url, undefined, { headers: { 'accept-language': locale } });
  expect(response.statusCode, response.body).toBe(200);
  return { response, body: response.rawPayload };
}

async function sheetRows(body: Buffer): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('no sheet');
  const rows: unknown[][] = [];
  sheet.eachRow((row) => {
    rows.push((row.values as unknown[]).slice(1));
  });
  return rows;
}

let pdfCount = 0;
function pdfText(body: Buffer): string {
  expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  pdfCount += 1;
  const file = path.join(tmp, `report-${pdfCount}.pdf`);
  fs.writeFileSync(file, body);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

const AGING = '/api/reports/aging/export?asOf=2026-11-22&by=customer';

describe('aging export', () => {
  it('writes the aging table to XLSX: one row per customer and currency, then the totals', async () => {
    const { response, body } = await download(admin, `${AGING}&format=xlsx`);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    expect(response.headers['content-disposition']).toContain(encodeURIComponent('账龄分析-2026-11-22.xlsx'));
    const rows = await sheetRows(body);
    const zero = '0.00';
    expect(rows).toEqual([
      [
        '客户',
        '名称',
        '币种',
        '未到期',
        '1–30 天',
        '31–60 天',
        '61–90 天',
        '91–180 天',
        '181–365 天',
        '366–730 天',
        '730 天以上',
        '合计',
      ],
      ['A-1', '华东机械有限公司', 'CNY', zero, zero, '700.07', zero, zero, zero, zero, '33.33', '733.40'],
      ['B-2', '北方工业', 'CNY', '0.01', zero, zero, zero, '1000000.00', zero, zero, zero, '1000000.01'],
      ['C-3', '南方贸易', 'CNY', zero, '500.00', zero, zero, zero, zero, zero, zero, '500.00'],
      ['U-1', 'Pacific Trading', 'USD', zero, zero, '5.00', zero, zero, zero, zero, zero, '5.00'],
      ['合计', '', 'CNY', '0.01', '500.00', '700.07', zero, '1000000.00', zero, zero, '33.33', '1001233.41'],
      ['合计', '', 'USD', zero, zero, '5.00', zero, zero, zero, zero, zero, '5.00'],
    ]);
  });

  it('prints the aging table to a PDF with the title, the Chinese names and the exact amounts', async () => {
    const { response, body } = await download(admin, `${AGING}&format=pdf`);
    expect(response.headers['content-type']).toBe('application/pdf');
    const text = pdfText(body);
    expect(text).toContain('账龄分析表');
    expect(text).toContain('回款演示机械有限公司');
    expect(text).toContain('截至 2026-11-22');
    expect(text).toContain('分组：客户');
    expect(text).toContain('华东机械有限公司');
    expect(text).toContain('北方工业');
    expect(text).toContain('1,000,000.01');
    expect(text).toContain('1,001,233.41');
    expect(text).toContain('第 1 页，共 1 页');
  });

  it('follows the caller’s language', async () => {
    const text = pdfText((await download(admin, `${AGING}&format=pdf`, 'en')).body);
    expect(text).toContain('Receivables aging');
    expect(text).toContain('As of 2026-11-22');
    expect(text).toContain('Page 1 of 1');
    const rows = await sheetRows((await download(admin, `${AGING}&format=xlsx`, 'en')).body);
    expect(rows[0]?.slice(0, 4)).toEqual(['Customer', 'Name', 'Currency', 'Not due']);
  });

  it('keeps a salesperson’s file to their own customers', async () => {
    const rows = await sheetRows((await download(s1, `${AGING}&format=xlsx`)).body);
    expect(rows.slice(1).map((row) => [row[0], row[11]])).toEqual([
      ['A-1', '733.40'],
      ['U-1', '5.00'],
      ['合计', '733.40'],
      ['合计', '5.00'],
    ]);
    const text = pdfText((await download(s1, `${AGING}&format=pdf`)).body);
    expect(text).toContain('华东机械有限公司');
    expect(text).not.toContain('北方工业');
    expect(text).not.toContain('南方贸易');
  });

  it('applies and names the dashboard filters', async () => {
    const url = `/api/reports/aging/export?asOf=2026-11-22&by=salesperson&salespersonId=${ids.s1}&format=pdf`;
    const text = pdfText((await download(admin, url)).body);
    expect(text).toContain('分组：销售员');
    expect(text).toContain('销售员：张销售');
    expect(text).toContain('733.40');
    expect(text).not.toContain('1,000,000');
  });

  it('records the download in the audit log', async () => {
    const rows = await t.db.tenant(admin.tenantId, (tx) =>
      tx
        .selectFrom('audit_log')
        .select(['action', 'entity_id'])
        .where('action', '=', 'report.exported')
        .execute(),
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.entity_id !== null)).toBe(true);
  });
});

describe('other reports', () => {
  it('exports the drill-down of one bucket with its invoices and totals', async () => {
    const url = `/api/reports/aging-items/export?asOf=2026-11-22&by=customer&key=${ids.a1}`;
    const rows = await sheetRows((await download(admin, `${url}&format=xlsx`)).body);
    expect(rows).toEqual([
      ['发票号', '客户编码', '开票日期', '到期日', '逾期天数', '币种', '发票金额', '未收金额'],
      ['I2', 'A-1', '2024-03-01', '2024-03-31', 966, 'CNY', '33.33', '33.33'],
      ['I1', 'A-1', '2024-03-01', '2026-10-01', 52, 'CNY', '1000.07', '700.07'],
      ['合计', '', '', '', '', 'CNY', '1033.40', '733.40'],
    ]);
    const text = pdfText((await download(admin, `${url}&bucket=31-60&format=pdf`)).body);
    expect(text).toContain('客户：A-1 华东机械有限公司');
    expect(text).toContain('账龄段：31–60 天');
    expect(text).toContain('I1');
    expect(text).not.toContain('I2');
  });

  it('exports the provision with the per-class lines and the total', async () => {
    const url = '/api/reports/provision/export?asOf=2026-11-22';
    const rows = await sheetRows((await download(admin, `${url}&format=xlsx`)).body);
    expect(rows).toContainEqual(['B-2', '北方工业', 'CNY', '1000000.01', '200000.00']);
    expect(rows).toContainEqual(['催收款', '5.00%', 'CNY', '1200.07', '60.00']);
    expect(rows).toContainEqual(['合计', '', 'CNY', '1001233.41', '200086.66']);
    const text = pdfText((await download(admin, `${url}&format=pdf`)).body);
    expect(text).toContain('坏账准备计提表');
    expect(text).toContain('200,086.66');
  });

  it('exports the top overdue customers in rank order', async () => {
    const url = '/api/reports/top-overdue/export?asOf=2026-11-22&limit=2';
    const rows = await sheetRows((await download(admin, `${url}&format=xlsx`)).body);
    expect(rows.slice(1)).toEqual([
      [1, 'B-2', '北方工业', 'CNY', '1000000.00', '1000000.01', 144, 1],
      [2, 'A-1', '华东机械有限公司', 'CNY', '733.40', '733.40', 966, 2],
      [1, 'U-1', 'Pacific Trading', 'USD', '5.00', '5.00', 31, 1],
      ['', '合计', '', 'CNY', '1000733.40', '1000733.41', '', 3],
      ['', '合计', '', 'USD', '5.00', '5.00', '', 1],
    ]);
    expect(pdfText((await download(admin, `${url}&format=pdf`)).body)).toContain('逾期客户排行');
  });

  it('exports the KPIs of a period and the monthly trend', async () => {
    // November 2026: B = open at 2026-10-31 = 1,001,233.41 (nothing moves in November), S = 0, E = B.
    const kpis = await sheetRows(
      (await download(admin, '/api/reports/kpis/export?from=2026-11-01&to=2026-11-22&format=xlsx')).body,
    );
    expect(kpis[0]?.slice(0, 6)).toEqual(['全公司', '币种', '期初应收', '本期开票', '本期回款', '期末应收']);
    expect(kpis[1]?.slice(1, 6)).toEqual(['CNY', '1001233.41', '0.00', '0.00', '1001233.41']);
    const trend = await sheetRows(
      (await download(admin, '/api/reports/kpi-trend/export?to=2026-11-22&months=3&format=xlsx')).body,
    );
    expect(trend.slice(1).map((row) => [row[0], row[2], row[6]])).toEqual([
      ['2026-09', 'CNY', '1001233.48'],
      ['2026-09', 'USD', '5.00'],
      ['2026-10', 'CNY', '1001233.41'],
      ['2026-10', 'USD', '5.00'],
      ['2026-11', 'CNY', '1001233.41'],
      ['2026-11', 'USD', '5.00'],
    ]);
    const text = pdfText(
      (await download(admin, '/api/reports/kpi-trend/export?to=2026-11-22&months=3&format=pdf')).body,
    );
    expect(text).toContain('回款指标月度趋势');
    expect(text).toContain('期间 2026-09-01 至 2026-11-22');
  });

  it('writes CSV too, and refuses an unknown format', async () => {
    const { body } = await download(admin, `${AGING}&format=csv`);
    expect(body.toString('utf8')).toContain('B-2,北方工业,CNY,0.01');
    const refused = await admin.request('GET', `${AGING}&format=docx`);
    expect(refused.statusCode).toBe(400);
  });
});
