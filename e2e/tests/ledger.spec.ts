import { expect, test, type Locator, type Page } from '@playwright/test';
import { clickInDialog } from './support/journey';

/**
 * The receivables journey of issue 3: create a customer, a contract with a three-node payment plan, issue invoices,
 * record a receipt, split it over the invoices, and see the balances. Every figure is computed by hand:
 * INV-001 = 2 × 10,000.00 + 13% VAT = 22,600.00; INV-002 = 2 × 5,000.00 + 13% = 11,300.00;
 * a 30,000.00 receipt split 22,600.00 / 5,000.00 leaves 2,400.00 unapplied;
 * the customer owes 0.00 + 6,300.00 open − 2,400.00 credit = 3,900.00.
 */
const password = 'correct horse battery staple';
const slug = `ledger-${Date.now().toString(36)}`;

/**
 * Picks an option in an antd Select. The option is looked up in that select's own listbox (named by the input's
 * aria-controls), never in whichever dropdown happens to be visible, since a closing one may still be animating.
 * A typed search is answered by the server once per keystroke, and each answer replaces the options; the pick waits
 * for the answer to the whole search and for the select to stop loading, so the pointer never lands on an option
 * that is being replaced (CI once clicked C001 while the answer to "C00" re-rendered the list, and nothing was picked).
 * It also waits for the dropdown's opening motion to end: a click on an option of a list still sliding in landed as
 * a hover and picked nothing (交付后, on a loaded machine).
 */
async function pickOption(page: Page, select: Locator, search: string, optionText: string) {
  await select.click();
  const listId = await select.locator('input').first().getAttribute('aria-controls');
  expect(listId, 'select has a listbox').toBeTruthy();
  if (search) {
    const answered = page.waitForResponse(
      (response) => new URL(response.url()).searchParams.get('search') === search,
    );
    await page.keyboard.type(search);
    await answered;
    await expect(select.locator('.anticon-loading')).toHaveCount(0);
  }
  const dropdown = page.locator('.ant-select-dropdown').filter({ has: page.locator(`[id="${listId}"]`) });
  await expect(dropdown).toBeVisible();
  await expect(dropdown).not.toHaveClass(/ant-slide-up-(appear|enter)/);
  await dropdown.locator('.ant-select-item-option').filter({ hasText: optionText }).first().click();
  await expect(select).toContainText(optionText);
}

async function typeDate(field: Locator, text: string) {
  await field.click();
  await field.fill(text);
  await field.press('Enter');
}

async function signUp(page: Page) {
  await page.goto('/signup');
  await page.locator('#organizationName').fill('回款演示机械有限公司');
  await page.locator('#slug').fill(slug);
  await page.locator('#adminName').fill('王财务');
  await page.locator('#email').fill(`admin@${slug}.test`);
  await page.locator('#password').fill(password);
  await page.getByTestId('signup-submit').click();
  await expect(page.getByTestId('org-name')).toBeVisible();
}

async function createCustomer(page: Page) {
  await page.goto('/customers');
  await page.getByTestId('customer-create').click();
  await page.getByTestId('customer-code').fill('C001');
  await page.getByTestId('customer-name').fill('华东机械有限公司');
  await page.getByTestId('customer-save').click();
  await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
}

async function createContractWithPlan(page: Page) {
  await page.goto('/contracts');
  await page.getByTestId('contract-create').click();
  await page.getByTestId('contract-number').fill('HT-2026-001');
  await pickOption(page, page.getByTestId('contract-customer'), 'C001', 'C001');
  await page.getByTestId('contract-amount').fill('100000.00');
  for (let i = 0; i < 3; i += 1) await page.getByTestId('plan-node-add').click();
  await page.getByTestId('plan-node-name-0').fill('预付款');
  await page.getByTestId('plan-node-amount-0').fill('30000');
  await typeDate(page.getByTestId('plan-node-due-0'), '2026-01-15');
  await page.getByTestId('plan-node-name-1').fill('到货款');
  await page.getByTestId('plan-node-amount-1').fill('60000');
  await pickOption(page, page.getByTestId('plan-node-trigger-1'), '', '交付后');
  await page.getByTestId('plan-node-offset-1').fill('30');
  await page.getByTestId('plan-node-name-2').fill('质保金');
  await page.getByTestId('plan-node-2').getByText('比例').click();
  await page.getByTestId('plan-node-percent-2').fill('10');
  await pickOption(page, page.getByTestId('plan-node-trigger-2'), '', '验收后');
  await page.getByTestId('plan-node-offset-2').fill('365');
  await page.getByTestId('contract-save').click();
  await page.waitForURL(/\/contracts\/[0-9a-f-]{36}$/);
  const nodes = page.getByTestId('plan-nodes-table').locator('tr.ant-table-row');
  await expect(nodes).toHaveCount(3);
  // The first node was due on 2026-01-15 and nothing has come in: overdue. The others wait for their events.
  await expect(nodes.nth(0)).toContainText('已逾期');
  await expect(nodes.nth(1)).toContainText('未到期');
  await expect(nodes.nth(2)).toContainText('¥10,000.00');
}

async function issueInvoice(page: Page, number: string, unitPrice: string, expectedTotal: string) {
  await page.goto('/invoices');
  await page.getByTestId('invoice-create').click();
  await page.getByTestId('invoice-number').fill(number);
  await pickOption(page, page.getByTestId('invoice-customer'), 'C001', 'C001');
  await page.getByTestId('invoice-line-description-0').fill('数控机床');
  await page.getByTestId('invoice-line-quantity-0').fill('2');
  await page.getByTestId('invoice-line-price-0').fill(unitPrice);
  await page.getByTestId('invoice-line-tax-0').fill('13');
  await page.getByTestId('invoice-save').click();
  await page.waitForURL(/\/invoices\/[0-9a-f-]{36}$/);
  await page.getByTestId('invoice-issue').click();
  await clickInDialog(page, 'invoice-issue-confirm');
  await expect(page.getByTestId('invoice-status')).toContainText('已开具');
  await expect(page.getByTestId('invoice-total')).toContainText(expectedTotal);
  await expect(page.getByTestId('invoice-open-amount')).toContainText(expectedTotal);
}

async function recordAndSplitReceipt(page: Page) {
  await page.goto('/receipts');
  await page.getByTestId('receipt-create').click();
  await pickOption(page, page.getByTestId('receipt-customer'), 'C001', 'C001');
  await page.getByTestId('receipt-amount').fill('30000');
  await page.getByTestId('receipt-bank-reference').fill('BR-0001');
  await page.getByTestId('receipt-save').click();
  await page.waitForURL(/\/receipts\/[0-9a-f-]{36}$/);
  await page.getByTestId('receipt-confirm').click();
  await clickInDialog(page, 'receipt-confirm-submit');
  await expect(page.getByTestId('receipt-status')).toContainText('已确认');
  await page.getByTestId('allocate-open').click();
  await page.getByTestId('allocation-amount-INV-001').fill('22600');
  await page.getByTestId('allocation-amount-INV-002').fill('5000');
  await page.getByTestId('allocate-submit').click();
  await expect(page.getByTestId('receipt-unapplied')).toContainText('¥2,400.00');
  await expect(page.getByTestId('allocations-table').locator('tr.ant-table-row')).toHaveCount(2);
}

test('customer, contract with a three-node plan, invoices, a split receipt, and the balances', async ({
  page,
}) => {
  await signUp(page);
  await createCustomer(page);
  await createContractWithPlan(page);
  await issueInvoice(page, 'INV-001', '10000', '¥22,600.00');
  await issueInvoice(page, 'INV-002', '5000', '¥11,300.00');
  await recordAndSplitReceipt(page);

  await page.goto('/invoices');
  const rows = page.getByTestId('invoices-table').locator('tr.ant-table-row');
  await expect(rows.filter({ hasText: 'INV-001' })).toContainText('已结清');
  await expect(rows.filter({ hasText: 'INV-002' })).toContainText('¥6,300.00');

  await page.goto('/customers');
  await page
    .getByTestId('customers-table')
    .locator('tr.ant-table-row')
    .filter({ hasText: 'C001' })
    .getByRole('link')
    .first()
    .click();
  await expect(page.getByTestId('customer-open-invoices')).toContainText('¥6,300.00');
  await expect(page.getByTestId('customer-unapplied-credit')).toContainText('¥2,400.00');
  await expect(page.getByTestId('customer-balance-amount')).toContainText('¥3,900.00');
});
