import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import {
  expect,
  test,
  type APIRequestContext,
  type Download,
  type Locator,
  type Page,
} from '@playwright/test';
import ExcelJS from 'exceljs';
import {
  PASSWORD,
  allowOldOverdue,
  inviteSalesperson,
  issueInvoice,
  pickOption,
  signUpOrganization,
} from './support/journey';

/**
 * The management dashboard of issue 4: seed a ledger through the API, open the dashboard as of 2026-06-30, filter
 * by a salesperson, drill into an aging bucket, and download the report as XLSX and PDF.
 *
 * Team 华东 with salesperson 张三; salesperson 李四 without a team. As of 2026-06-30 (CNY, no tax):
 *   华东机械有限公司 (张三)  INV-A1 10,000.00 due 2026-05-01 → 60 days (31–60)
 *                            INV-A2  5,000.00 due 2026-07-31 → not due
 *   北方工业有限公司 (李四)  INV-B1 20,000.00 due 2026-02-09 → 141 days (91–180)
 *                            INV-B2  8,000.00 due 2026-06-14, 3,000.00 received 2026-06-20 → 5,000.00 at 16 days
 * Everyone: open 40,000.00, overdue 35,000.00; invoiced 43,000.00 and collected 3,000.00 in 2026-01-01…06-30.
 * 张三 only: open 15,000.00, overdue 10,000.00, invoiced 15,000.00, collected 0.00.
 */
const slug = `dash-${Date.now().toString(36)}`;
const PERIOD = 'from=2026-01-01&to=2026-06-30';

/** Seeds the ledger above; the page's own context holds the admin's session afterwards. */
async function seed(page: Page, accept: APIRequestContext) {
  const api = await signUpOrganization(page, { name: '回款看板演示有限公司', slug });
  await allowOldOverdue(page, api);
  const team = await api.post('/api/teams', { name: '华东', parentId: null, managerUserId: null });
  const zhang = await inviteSalesperson(api, accept, {
    name: '张三',
    email: `zhang@${slug}.test`,
    teamId: String(team.id),
  });
  const li = await inviteSalesperson(api, accept, { name: '李四', email: `li@${slug}.test`, teamId: null });
  const a = await api.post('/api/customers', { code: 'C-A', name: '华东机械有限公司', ownerUserId: zhang });
  const b = await api.post('/api/customers', { code: 'C-B', name: '北方工业有限公司', ownerUserId: li });
  await issueInvoice(api, String(a.id), 'INV-A1', ['2026-04-01', '2026-05-01'], '10000.00');
  await issueInvoice(api, String(a.id), 'INV-A2', ['2026-06-01', '2026-07-31'], '5000.00');
  await issueInvoice(api, String(b.id), 'INV-B1', ['2026-01-10', '2026-02-09'], '20000.00');
  const b2 = await issueInvoice(api, String(b.id), 'INV-B2', ['2026-05-15', '2026-06-14'], '8000.00');
  const receipt = await api.post('/api/receipts', {
    customerId: b.id,
    receivedOn: '2026-06-20',
    amount: '3000.00',
    currency: 'CNY',
    method: 'bank_transfer',
  });
  await api.post(`/api/receipts/${String(receipt.id)}/confirm`, {});
  await api.post(`/api/receipts/${String(receipt.id)}/allocations`, {
    allocatedOn: '2026-06-20',
    lines: [{ invoiceId: b2, amount: '3000.00' }],
  });
  // 北方工业 owes 25,000.00 against a 10,000.00 limit: on credit hold, which the dashboard's holds panel names.
  await api.put(`/api/customers/${String(b.id)}/credit-limit`, { limit: '10000.00', reason: '授信额度' });
}

async function expectStats(page: Page, values: Record<string, string>) {
  for (const [key, value] of Object.entries(values)) {
    await expect(page.getByTestId(`stat-${key}`)).toHaveText(value);
  }
}

/** Clicks the stacked bar of bucket `index` (of `count`) just above the axis, from the chart's fixed margins. */
async function clickBar(chart: Locator, index: number, count: number) {
  const box = await chart.boundingBox();
  if (box === null) throw new Error('chart not laid out');
  const grid = { left: 80, right: 24, bottom: 48 };
  const x = grid.left + ((box.width - grid.left - grid.right) * (index + 0.5)) / count;
  await chart.click({ position: { x, y: box.height - grid.bottom - 6 } });
}

async function downloadFrom(page: Page, button: string, format: 'xlsx' | 'pdf'): Promise<Download> {
  await page.getByTestId(button).click();
  const item = page.getByRole('menuitem', { name: format === 'xlsx' ? 'Excel（.xlsx）' : 'PDF（.pdf）' });
  const [download] = await Promise.all([page.waitForEvent('download'), item.click()]);
  return download;
}

test('dashboard: charts, a salesperson filter, a bucket drill-down and exports', async ({
  page,
  request,
}) => {
  await seed(page, request);
  await page.goto(`/reports?${PERIOD}`);

  await expectStats(page, {
    open: '¥40,000.00',
    overdue: '¥35,000.00',
    invoiced: '¥43,000.00',
    collected: '¥3,000.00',
  });
  const chart = page.getByTestId('chart-aging');
  await expect(chart.locator('canvas')).toBeVisible();
  // Two salespeople's stacks over three non-empty buckets (李四: 1–30 and 91–180; 张三: not due and 31–60).
  await expect(chart).toHaveAttribute('data-points', '4');
  await expect(page.getByTestId('card-top-overdue')).toContainText('北方工业有限公司');
  await expect(page.getByTestId('credit-holds-panel')).toContainText('C-B · 北方工业有限公司');

  await pickOption(page, page.getByTestId('filter-salesperson'), '张三');
  await expect(page.getByTestId('filter-salesperson')).toContainText('张三');
  await expect(page).toHaveURL(/salespersonId=/);
  await expectStats(page, {
    open: '¥15,000.00',
    overdue: '¥10,000.00',
    invoiced: '¥15,000.00',
    collected: '¥0.00',
  });
  await expect(chart).toHaveAttribute('data-points', '2');
  await expect(page.getByTestId('card-top-overdue')).not.toContainText('北方工业有限公司');

  // Buckets: not due, 1–30, 31–60, … (eight); 31–60 is the third.
  await clickBar(chart, 2, 8);
  const drawer = page.getByTestId('aging-items-drawer');
  await expect(drawer.getByTestId('aging-items-subtitle')).toContainText('张三 · 31–60 天 · 截至 2026-06-30');
  const items = drawer.getByTestId('aging-items-table');
  await expect(items.locator('tr.ant-table-row')).toHaveCount(1);
  await expect(items).toContainText('INV-A1');
  await expect(items).toContainText('¥10,000.00');
  await expect(items).not.toContainText('INV-A2');
  await expect(drawer.getByTestId('aging-item-INV-A1')).toHaveAttribute('href', /\/invoices\/[0-9a-f-]{36}$/);
  await drawer.locator('.ant-drawer-close').click();

  const xlsx = await downloadFrom(page, 'dashboard-aging-export', 'xlsx');
  expect(xlsx.suggestedFilename()).toBe('账龄分析-2026-06-30.xlsx');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await xlsx.path());
  const rows: unknown[][] = [];
  workbook.worksheets[0]?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  expect(rows[0]?.slice(0, 6)).toEqual(['销售员', '名称', '币种', '未到期', '1–30 天', '31–60 天']);
  expect(rows.slice(1).map((row) => [row[1], row[3], row[5], row[11]])).toEqual([
    ['张三', '5000.00', '10000.00', '15000.00'],
    ['', '5000.00', '10000.00', '15000.00'],
  ]);

  const pdf = await downloadFrom(page, 'dashboard-aging-export', 'pdf');
  expect(pdf.suggestedFilename()).toBe('账龄分析-2026-06-30.pdf');
  const pdfPath = await pdf.path();
  expect(fs.readFileSync(pdfPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
  expect(text).toContain('账龄分析表');
  expect(text).toContain('回款看板演示有限公司');
  expect(text).toContain('销售员：张三');
  expect(text).toContain('15,000.00');
  expect(text).not.toContain('李四');
});

test('aging page: a table cell opens its invoices', async ({ page }) => {
  // A new browser context: sign in again as the first test's admin.
  await page.goto('/login');
  await page.locator('#organizationSlug').fill(slug);
  await page.locator('#email').fill(`admin@${slug}.test`);
  await page.locator('#password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('org-name')).toBeVisible();
  await page.goto('/aging?asOf=2026-06-30&by=customer');
  await expect(page.getByTestId('aging-total-CNY')).toHaveText('¥40,000.00');
  await page.getByTestId('aging-cell-C-B-91-180').click();
  const items = page.getByTestId('aging-items-drawer').getByTestId('aging-items-table');
  await expect(items.locator('tr.ant-table-row')).toHaveCount(1);
  await expect(items).toContainText('INV-B1');
  await expect(items).toContainText('¥20,000.00');
});
