import { expect, test, type Page } from '@playwright/test';

/**
 * The platform journey a new customer takes: sign up, sign out and back in, invite a colleague who joins through
 * the link, switch the language, and find the invitation in the audit log.
 */
const password = 'correct horse battery staple';
const slug = `e2e-${Date.now().toString(36)}`;
const adminEmail = `admin@${slug}.test`;

async function signUp(page: Page) {
  await page.goto('/signup');
  await page.locator('#organizationName').fill('上海回款演示有限公司');
  await page.locator('#slug').fill(slug);
  await page.locator('#adminName').fill('王管理');
  await page.locator('#email').fill(adminEmail);
  await page.locator('#password').fill(password);
  await page.getByTestId('signup-submit').click();
  await expect(page.getByTestId('org-name')).toHaveText('上海回款演示有限公司');
}

test('sign up, sign out, sign in', async ({ page }) => {
  await signUp(page);
  await expect(page.getByTestId('side-menu')).toContainText('客户');
  await page.getByTestId('user-menu').click();
  await page.getByTestId('logout').click();
  await expect(page).toHaveURL(/\/login/);

  await page.locator('#organizationSlug').fill(slug);
  await page.locator('#email').fill(adminEmail);
  await page.locator('#password').fill('wrong password!!');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toContainText('不正确');

  await page.locator('#password').fill(password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('org-name')).toHaveText('上海回款演示有限公司');
});

test('invite a colleague who joins through the link, then see it in the audit log', async ({
  page,
  browser,
}) => {
  await page.goto('/login');
  await page.locator('#organizationSlug').fill(slug);
  await page.locator('#email').fill(adminEmail);
  await page.locator('#password').fill(password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('org-name')).toBeVisible();

  await page.goto('/settings/users');
  await page.getByTestId('invite-open').click();
  const inviteDialog = page.locator('.ant-modal').filter({ has: page.getByTestId('invite-submit') });
  await inviteDialog.locator('#email').fill('sales.li@example.test');
  // The role defaults to salesperson (销售), the most common invitation.
  await expect(inviteDialog.locator('.ant-select').first()).toContainText('销售');
  await page.getByTestId('invite-submit').click();
  const link = await page.getByTestId('invite-link').inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]+$/);
  await page.getByTestId('invite-done').click();
  await expect(page.getByTestId('invitations-table')).toContainText('sales.li@example.test');

  const colleague = await browser.newContext({ locale: 'zh-CN' });
  const colleaguePage = await colleague.newPage();
  await colleaguePage.goto(link);
  await expect(colleaguePage.getByTestId('invite-email')).toHaveValue('sales.li@example.test');
  await colleaguePage.locator('#name').fill('李销售');
  await colleaguePage.locator('#password').fill(password);
  await colleaguePage.getByTestId('invite-accept-submit').click();
  await expect(colleaguePage.getByTestId('org-name')).toHaveText('上海回款演示有限公司');
  await expect(colleaguePage.getByTestId('side-menu')).not.toContainText('审计日志');
  await colleague.close();

  await page.goto('/settings/audit');
  const audit = page.getByTestId('audit-table');
  await expect(audit).toContainText('invitation.created');
  await expect(audit).toContainText('invitation.accepted');
  await expect(audit).toContainText('王管理');
});

test('switch the language and keep it', async ({ page }) => {
  await page.goto('/login');
  await page.locator('#organizationSlug').fill(slug);
  await page.locator('#email').fill(adminEmail);
  await page.locator('#password').fill(password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('side-menu')).toContainText('客户');

  await page.getByTestId('locale-switch').getByText('English').click();
  await expect(page.getByTestId('side-menu')).toContainText('Customers');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.reload();
  await expect(page.getByTestId('side-menu')).toContainText('Customers');

  await page.getByTestId('locale-switch').getByText('中文').click();
  await expect(page.getByTestId('side-menu')).toContainText('客户');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
});

test('serves the API documentation and health beside the app', async ({ request }) => {
  const health = await request.get('/api/health');
  expect(await health.json()).toMatchObject({ status: 'ok', database: 'pglite' });
  const docs = await request.get('/api/docs/');
  expect(docs.status()).toBe(200);
});
