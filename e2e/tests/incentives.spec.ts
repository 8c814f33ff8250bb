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
  clickInDialog,
  allowOldOverdue,
  inviteSalesperson,
  issueInvoice,
  pickOption,
  row,
  signUpOrganization,
  typeDate,
} from './support/journey';

/**
 * The incentives journey of issue 6: set September 2026's organization collection target and split it to two
 * salespeople, record and split a receipt, see the progress, open 张三's commission statement, export it, approve
 * and lock it, then reverse one allocation in October and see the clawback land in October, not in the locked month.
 *
 * Default rules (core/src/commissions.ts): base 1 %; timeliness on time ×1, 1–30 days late ×0.8, 31–90 ×0.5;
 * debts older than 365 days at collection 2 % flat; an invoice paid in full ≥ 1 day early earns 0.2 % of its total.
 *
 * 张三 (customer C-A 华东机械), one receipt of 29,333.33 received 2026-09-20, split:
 *   INV-A1 20,000.00 (invoiced 2026-08-20, due 2026-09-30), all of it: on time, 1 %        → 200.00
 *          and settled 10 days early: bonus 0.2 % × 20,000.00                           →  40.00
 *   INV-A2  5,000.00 (2026-08-01, due 2026-08-31), 3,333.33: 20 days late, 0.8 %
 *          3,333.33 × 0.008 = 26.66664                                                  →  26.67
 *   INV-A3  1,000.00 (2025-06-01, due 2025-07-01), all of it: 476 days old, 2 %           →  20.00
 *   INV-A4 10,000.00 (2026-06-01, due 2026-07-31), 5,000.00: 51 days late, 0.5 %          →  25.00
 *   collected 29,333.33, commission 311.67.
 * 李四 (customer C-B 北方工业): INV-B1 10,000.00 (2026-08-01, due 2026-08-31), 4,000.00 received 2026-09-10:
 *   10 days late, 0.8 % → 32.00.
 * Target 100,000.00 split 3 : 2 → 张三 60,000.00 (achieved 29,333.33, 48.9 %, shortfall 30,666.67),
 *   李四 40,000.00 (4,000.00, 10.0 %, shortfall 36,000.00); organization 33,333.33, 33.3 %, shortfall 66,666.67.
 * Reversing INV-A4's 5,000.00 on 2026-10-15 (after September is locked) claws back −25.00 in October.
 */
const slug = `incent-${Date.now().toString(36)}`;

/**
 * The ledger the journey starts from, through the API (not the point here): the organization, two salespeople,
 * their customers and invoices, and 李四's receipt. 张三's receipt is recorded through the page.
 */
async function seed(page: Page, accept: APIRequestContext) {
  const api = await signUpOrganization(page, { name: '激励演示机械有限公司', slug });
  await allowOldOverdue(page, api);
  const zhang = await inviteSalesperson(api, accept, {
    name: '张三',
    email: `zhang@${slug}.test`,
    teamId: null,
  });
  const li = await inviteSalesperson(api, accept, { name: '李四', email: `li@${slug}.test`, teamId: null });
  const a = await api.post('/api/customers', { code: 'C-A', name: '华东机械有限公司', ownerUserId: zhang });
  const b = await api.post('/api/customers', { code: 'C-B', name: '北方工业有限公司', ownerUserId: li });
  await issueInvoice(api, a.id, 'INV-A1', ['2026-08-20', '2026-09-30'], '20000.00');
  await issueInvoice(api, a.id, 'INV-A2', ['2026-08-01', '2026-08-31'], '5000.00');
  await issueInvoice(api, a.id, 'INV-A3', ['2025-06-01', '2025-07-01'], '1000.00');
  await issueInvoice(api, a.id, 'INV-A4', ['2026-06-01', '2026-07-31'], '10000.00');
  const b1 = await issueInvoice(api, b.id, 'INV-B1', ['2026-08-01', '2026-08-31'], '10000.00');
  const receipt = await api.post('/api/receipts', {
    customerId: b.id,
    receivedOn: '2026-09-10',
    amount: '4000.00',
    currency: 'CNY',
    method: 'bank_transfer',
  });
  await api.post(`/api/receipts/${String(receipt.id)}/confirm`, {});
  await api.post(`/api/receipts/${String(receipt.id)}/allocations`, {
    allocatedOn: '2026-09-10',
    lines: [{ invoiceId: b1, amount: '4000.00' }],
  });
}

async function setAndSplitTarget(page: Page) {
  await page.goto('/targets');
  await page.getByTestId('targets-period').fill('2026-09');
  const table = page.getByTestId('targets-table');
  await expect(table).toContainText('本期还没有目标');
  await page.getByTestId('target-amount').fill('100000.00');
  await page.getByTestId('target-save').click();
  await expect(row(table, '组织')).toContainText('¥100,000.00');

  await page.getByTestId('split-organization').click();
  const dialog = page.getByRole('dialog');
  // The picker empties itself after each pick; the picked part shows as a row with its weight.
  await pickOption(page, dialog.getByTestId('split-add'), '张三');
  await expect(dialog.getByTestId('split-weight-0')).toBeVisible();
  await expect(dialog).toContainText('销售员 · 张三');
  await pickOption(page, dialog.getByTestId('split-add'), '李四');
  await expect(dialog.getByTestId('split-weight-1')).toBeVisible();
  await expect(dialog).toContainText('销售员 · 李四');
  await dialog.getByTestId('split-weight-0').fill('3');
  await dialog.getByTestId('split-weight-1').fill('2');
  await page.locator('#split-save').click();
  await expect(dialog).toBeHidden();
  await expect(row(table, '张三')).toContainText('¥60,000.00');
  await expect(row(table, '李四')).toContainText('¥40,000.00');
}

/** 张三's receipt, recorded on the receipts page with its September date and split over four invoices. */
async function recordAndSplitReceipt(page: Page) {
  await page.goto('/receipts');
  await page.getByTestId('receipt-create').click();
  await pickOption(page, page.getByTestId('receipt-customer'), 'C-A · 华东机械有限公司');
  await expect(page.getByTestId('receipt-customer')).toContainText('C-A · 华东机械有限公司');
  await typeDate(page.locator('#receivedOn'), '2026-09-20');
  await page.getByTestId('receipt-amount').fill('29333.33');
  await page.getByTestId('receipt-bank-reference').fill('BR-0920');
  await page.getByTestId('receipt-save').click();
  await page.waitForURL(/\/receipts\/[0-9a-f-]{36}$/);
  await page.getByTestId('receipt-confirm').click();
  await clickInDialog(page, 'receipt-confirm-submit');
  await expect(page.getByTestId('receipt-status')).toContainText('已确认');
  await page.getByTestId('allocate-open').click();
  const dialog = page.getByRole('dialog');
  await typeDate(dialog.locator('.ant-picker input'), '2026-09-20');
  await page.getByTestId('allocation-amount-INV-A1').fill('20000');
  await page.getByTestId('allocation-amount-INV-A2').fill('3333.33');
  await page.getByTestId('allocation-amount-INV-A3').fill('1000');
  await page.getByTestId('allocation-amount-INV-A4').fill('5000');
  await page.getByTestId('allocate-submit').click();
  await expect(page.getByTestId('receipt-unapplied')).toContainText('¥0.00');
  await expect(page.getByTestId('allocations-table').locator('tr.ant-table-row')).toHaveCount(4);
}

async function expectTargetRow(table: Locator, name: string, cells: string[], percent: string) {
  const target = row(table, name);
  for (const cell of cells) await expect(target).toContainText(cell);
  await expect(target.locator('.ant-progress')).toContainText(percent);
}

async function openStatement(page: Page, month: string, name: string) {
  await page.goto('/targets?tab=statements');
  await page.getByTestId('statements-month').fill(month);
  const summary = page.getByTestId('statements-table');
  await expect(row(summary, name)).toBeVisible();
  await page.getByTestId(`open-statement-${name}`).click();
  const card = page.getByTestId('statement-card');
  await expect(card).toContainText(`${name} · ${month}`);
  return card;
}

async function download(page: Page, testId: string): Promise<Download> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return file;
}

test('targets split to salespeople, a receipt, progress, and a locked commission statement with a clawback', async ({
  page,
  request,
}) => {
  await seed(page, request);
  await setAndSplitTarget(page);
  const targets = page.getByTestId('targets-table');
  // Only 李四's 4,000.00 is in so far.
  await expectTargetRow(targets, '张三', ['¥60,000.00', '¥0.00'], '0.0%');

  await recordAndSplitReceipt(page);

  await page.goto('/targets');
  await page.getByTestId('targets-period').fill('2026-09');
  await expectTargetRow(targets, '张三', ['¥60,000.00', '¥29,333.33', '¥30,666.67'], '48.9%');
  await expectTargetRow(targets, '李四', ['¥40,000.00', '¥4,000.00', '¥36,000.00'], '10.0%');
  await expectTargetRow(targets, '组织', ['¥100,000.00', '¥33,333.33', '¥66,666.67'], '33.3%');

  // The evaluation ranks the two by collection achievement. Nobody set sales targets, so both achievements are
  // against the peers' median: (29,333.33 + 4,000.00) / 2 = 16,666.665, kept to the cent as 16,666.66;
  // 29,333.33 / 16,666.66 = 176.0 %, 4,000.00 / 16,666.66 = 24.0 %. Nobody sold in September: no attitude yet.
  await page.goto('/targets?tab=evaluation');
  await page.getByTestId('evaluation-period').fill('2026-09');
  const evaluation = page.getByTestId('evaluation-table');
  await expect(row(evaluation, '张三')).toContainText('¥29,333.33');
  await expect(row(evaluation, '张三')).toContainText('176.0%');
  await expect(row(evaluation, '张三')).toContainText('对同级中位数');
  await expect(row(evaluation, '李四')).toContainText('24.0%');
  await expect(evaluation.locator('tr.ant-table-row').first()).toContainText('张三');
  await expect(page.getByTestId('quadrant-empty')).toBeVisible();

  // The month's summary, then 张三's statement line by line.
  const card = await openStatement(page, '2026-09', '张三');
  const summary = page.getByTestId('statements-table');
  await expect(row(summary, '张三')).toContainText('¥311.67');
  await expect(row(summary, '李四')).toContainText('¥32.00');
  await expect(card.getByTestId('statement-status')).toHaveText('草稿');
  const lines = card.getByTestId('statement-lines');
  await expect(lines.locator('tr.ant-table-row')).toHaveCount(5);
  // #, date, customer, invoice, days late, age, reasons, base, exact rate, commission.
  const expected = [
    ['1', '2026-09-20', 'C-A 华东机械有限公司', 'INV-A1', '0', '31', '按期', '¥20,000.00', '1%', '¥200.00'],
    ['2', '2026-09-20', 'C-A 华东机械有限公司', 'INV-A2', '20', '50', '逾期', '¥3,333.33', '0.8%', '¥26.67'],
    ['3', '2026-09-20', 'C-A 华东机械有限公司', 'INV-A3', '446', '476', '陈欠', '¥1,000.00', '2%', '¥20.00'],
    ['4', '2026-09-20', 'C-A 华东机械有限公司', 'INV-A4', '51', '111', '逾期', '¥5,000.00', '0.5%', '¥25.00'],
    [
      '5',
      '2026-09-20',
      'C-A 华东机械有限公司',
      'INV-A1',
      '',
      '',
      '全款提前到位',
      '¥20,000.00',
      '0.2%',
      '¥40.00',
    ],
  ];
  for (const [index, cells] of expected.entries()) {
    await expect(lines.locator('tr.ant-table-row').nth(index).locator('td')).toHaveText(cells);
  }
  await expect(card.getByTestId('statement-total-CNY')).toContainText('¥29,333.33');
  await expect(card.getByTestId('statement-total-CNY')).toContainText('¥311.67');

  const xlsx = await download(page, 'statement-export-xlsx');
  expect(xlsx.suggestedFilename()).toBe('提成结算单-2026-09-张三.xlsx');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await xlsx.path());
  const rows: unknown[][] = [];
  workbook.worksheets[0]?.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  expect(rows[0]).toEqual([
    '序号',
    '日期',
    '客户',
    '发票',
    '到期日',
    '逾期天数',
    '账龄天数',
    '说明',
    '币种',
    '基数',
    '比例',
    '提成',
  ]);
  // Invoice, reasons, base, rate and commission of each line: by date, cash before bonuses, by invoice number.
  expect(rows.slice(1, -1).map((r) => [r[3], r[7], r[9], r[10], r[11]])).toEqual([
    ['INV-A1', '按期', '20000.00', '1%', '200.00'],
    ['INV-A2', '逾期', '3333.33', '0.8%', '26.67'],
    ['INV-A3', '陈欠', '1000.00', '2%', '20.00'],
    ['INV-A4', '逾期', '5000.00', '0.5%', '25.00'],
    ['INV-A1', '全款提前到位', '20000.00', '0.2%', '40.00'],
  ]);
  expect(rows.at(-1)?.[0]).toBe('合计');
  expect(rows.at(-1)?.[7]).toBe('回款 29333.33');
  expect(rows.at(-1)?.[11]).toBe('311.67');

  const pdf = await download(page, 'statement-export-pdf');
  expect(pdf.suggestedFilename()).toBe('提成结算单-2026-09-张三.pdf');
  const pdfPath = await pdf.path();
  expect(fs.readFileSync(pdfPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
  expect(text).toContain('提成结算单 2026-09 张三');
  expect(text).toContain('激励演示机械有限公司');
  expect(text).toContain('草稿（未锁定）');
  expect(text).toContain('合计（CNY）：回款 29,333.33，提成 311.67');

  // September has ended: finance approves and locks it.
  await card.getByTestId('statement-lock').click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: /确\s*定|OK/ })
    .click();
  await expect(card.getByTestId('statement-status')).toHaveText('已锁定');
  await expect(card.getByTestId('statement-lock')).toHaveCount(0);
  await expect(row(summary, '张三')).toContainText('已锁定');

  // A correction after the close: INV-A4's 5,000.00 is taken back on 2026-10-15.
  await page.goto('/receipts');
  await page.getByTestId('receipt-link-BR-0920').click();
  await page.getByTestId('allocation-reverse-INV-A4').click();
  const reversal = page.getByRole('dialog');
  await typeDate(reversal.locator('#reversedOn'), '2026-10-15');
  await page.getByTestId('reversal-reason').fill('客户退回部分货款');
  await page.getByTestId('allocation-reverse-submit').click();
  await expect(reversal).toBeHidden();
  await expect(page.getByTestId('receipt-unapplied')).toContainText('¥5,000.00');

  // September is locked and unchanged; October carries the clawback.
  const september = await openStatement(page, '2026-09', '张三');
  await expect(september.getByTestId('statement-status')).toHaveText('已锁定');
  await expect(september.getByTestId('statement-total-CNY')).toContainText('¥311.67');
  await expect(september.getByTestId('statement-lines').locator('tr.ant-table-row')).toHaveCount(5);
  const october = await openStatement(page, '2026-10', '张三');
  await expect(october.getByTestId('statement-status')).toHaveText('草稿');
  const clawback = october.getByTestId('statement-lines').locator('tr.ant-table-row');
  await expect(clawback).toHaveCount(1);
  await expect(clawback).toContainText('INV-A4');
  await expect(clawback).toContainText('冲回');
  await expect(clawback).toContainText('-¥5,000.00');
  await expect(clawback).toContainText('-¥25.00');
  await expect(october.getByTestId('statement-total-CNY')).toContainText('-¥25.00');

  // September's progress follows the ledger: the reversal is dated in October, so September keeps its 29,333.33.
  await page.goto('/targets');
  await page.getByTestId('targets-period').fill('2026-09');
  await expectTargetRow(targets, '张三', ['¥60,000.00', '¥29,333.33'], '48.9%');
});
