import { expect, test, type Page } from '@playwright/test';
import iconv from 'iconv-lite';

/**
 * Bringing history over from a Kingdee-style GBK export in the browser: a file with a bad row is refused with
 * its row and column and writes nothing; the corrected file dry-runs clean and imports, and the invoices and
 * their settled history show up with hand-computed balances (¥1,234.56 settled in full, ¥94.00 less ¥50.00).
 */
const password = 'correct horse battery staple';
const slug = `import-${Date.now().toString(36)}`;

const header = '客户编码,客户名称,发票号,开票日期,到期日,金额,币种,回款日期,回款金额';
const goodRows = [
  'C001,华东商贸,INV-1,2026-01-05,2026-02-04,"1,234.56",CNY,2026-02-10,1234.56',
  'C002,北方工业,INV-3,2026-04-01,2026-05-01,94,CNY,2026-05-03,50',
];
const gbk = (lines: string[]) => iconv.encode(`${lines.join('\r\n')}\r\n`, 'gbk');

async function upload(page: Page, name: string, content: Buffer) {
  await page.getByTestId('import-upload').locator('input[type=file]').setInputFiles({
    name,
    mimeType: 'text/csv',
    buffer: content,
  });
  await expect(page.getByTestId('import-detected')).toContainText(/GB/i);
}

test('import invoices with payment history from a GBK file, refusing a bad row first', async ({ page }) => {
  await page.goto('/signup');
  await page.locator('#organizationName').fill('导入演示有限公司');
  await page.locator('#slug').fill(slug);
  await page.locator('#adminName').fill('钱会计');
  await page.locator('#email').fill(`admin@${slug}.test`);
  await page.locator('#password').fill(password);
  await page.getByTestId('signup-submit').click();
  await expect(page.getByTestId('org-name')).toBeVisible();

  await page.getByTestId('side-menu').getByText('数据导入').click();
  await page.getByTestId('import-kind').getByText('发票（含回款历史）').click();

  await upload(
    page,
    'bad.csv',
    gbk([header, goodRows[0] ?? '', 'C002,北方工业,INV-3,2026-04-01,2026-05-01,12元3,CNY,,']),
  );
  await page.getByTestId('import-dry-run').click();
  const errors = page.getByTestId('import-errors-table');
  await expect(errors).toContainText('3');
  await expect(errors).toContainText('金额');
  await expect(page.getByTestId('import-commit')).toBeDisabled();

  await upload(page, 'good.csv', gbk([header, ...goodRows]));
  await page.getByTestId('import-dry-run').click();
  await expect(page.getByTestId('import-outcome')).toContainText('校验通过');
  await page.getByTestId('import-commit').click();
  await expect(page.getByTestId('import-outcome')).toContainText('导入成功');

  await page.goto('/invoices');
  const rows = page.getByTestId('invoices-table').locator('tr.ant-table-row');
  await expect(rows.filter({ hasText: 'INV-1' })).toContainText('已结清');
  await expect(rows.filter({ hasText: 'INV-3' })).toContainText('¥44.00');
});
