import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';

/**
 * What several journeys do before the point of the journey: sign up an organization and seed its ledger through
 * the API with the page's own session, and a few ways of working antd controls that every journey needs.
 */

export const PASSWORD = 'correct horse battery staple';

export type Api = {
  post: (url: string, data: unknown) => Promise<Record<string, unknown>>;
  put: (url: string, data: unknown) => Promise<Record<string, unknown>>;
};

/** API calls as the signed-in page makes them: CSRF token, an idempotency key each, and a failure names the URL. */
export function apiOf(request: APIRequestContext, csrfToken: string, keyPrefix: string): Api {
  let counter = 0;
  const send = async (method: 'POST' | 'PUT', url: string, data: unknown) => {
    counter += 1;
    const response = await request.fetch(url, {
      method,
      data,
      headers: { 'x-csrf-token': csrfToken, 'idempotency-key': `${keyPrefix}-${counter}` },
    });
    expect(response.ok(), `${url}: ${await response.text()}`).toBe(true);
    return (await response.json()) as Record<string, unknown>;
  };
  return { post: (url, data) => send('POST', url, data), put: (url, data) => send('PUT', url, data) };
}

/** Signs up an organization whose admin is 王财务; the page's context holds the admin's session afterwards. */
export async function signUpOrganization(
  page: Page,
  organization: { name: string; slug: string; timezone?: string },
): Promise<Api> {
  const signup = await page.request.post('/api/auth/signup', {
    data: {
      organizationName: organization.name,
      slug: organization.slug,
      adminName: '王财务',
      email: `admin@${organization.slug}.test`,
      password: PASSWORD,
      ...(organization.timezone ? { timezone: organization.timezone } : {}),
    },
  });
  expect(signup.ok(), await signup.text()).toBe(true);
  const { csrfToken } = (await signup.json()) as { csrfToken: string };
  return apiOf(page.request, csrfToken, organization.slug);
}

/**
 * Journeys enter invoices long after they fell due, which would put each customer on credit hold (停止供货) after
 * its first; allow ten years past due before holding.
 */
export async function allowOldOverdue(page: Page, api: Api): Promise<void> {
  const settings = (await (await page.request.get('/api/credit/settings')).json()) as Record<string, unknown>;
  await api.put('/api/credit/settings', {
    warningBp: settings.warningBp,
    overdueHoldDays: 3650,
    disputeHoldThreshold: settings.disputeHoldThreshold,
  });
}

/** Invites a salesperson and accepts the invitation in a separate context; answers the new user's id. */
export async function inviteSalesperson(
  api: Api,
  accept: APIRequestContext,
  person: { name: string; email: string; teamId: string | null },
): Promise<string> {
  const { token } = await api.post('/api/invitations', {
    email: person.email,
    role: 'salesperson',
    teamId: person.teamId,
  });
  const accepted = await accept.post(`/api/invitations/by-token/${String(token)}/accept`, {
    data: { name: person.name, password: PASSWORD },
  });
  expect(accepted.ok(), await accepted.text()).toBe(true);
  return ((await accepted.json()) as { user: { id: string } }).user.id;
}

/** Creates and issues an invoice of one amount; answers its id. */
export async function issueInvoice(
  api: Api,
  customerId: unknown,
  number: string,
  dates: [invoiceDate: string, dueDate: string],
  amount: string,
): Promise<string> {
  const invoice = await api.post('/api/invoices', {
    customerId,
    number,
    invoiceDate: dates[0],
    dueDate: dates[1],
    amount,
    description: '数控机床',
  });
  await api.post(`/api/invoices/${String(invoice.id)}/issue`, {});
  return String(invoice.id);
}

export async function typeDate(field: Locator, text: string): Promise<void> {
  await field.click();
  await field.fill(text);
  await field.press('Enter');
  await expect(field).toHaveValue(text);
}

export function row(table: Locator, text: string): Locator {
  return table.locator('tr.ant-table-row').filter({ hasText: text });
}

/**
 * Picks an option in an antd Select from that select's own listbox (see ledger.spec.ts). No search is typed: the
 * lists here are short, and a search would replace the options under the pointer while its answer arrives.
 */
export async function pickOption(page: Page, select: Locator, optionText: string): Promise<void> {
  await select.click();
  const listId = await select.locator('input').first().getAttribute('aria-controls');
  expect(listId, 'select has a listbox').toBeTruthy();
  const dropdown = page.locator('.ant-select-dropdown').filter({ has: page.locator(`[id="${listId}"]`) });
  // Not while the list still slides in: a click there can land as a hover and pick nothing.
  await expect(dropdown).toBeVisible();
  await expect(dropdown).not.toHaveClass(/ant-slide-up-(appear|enter)/);
  await dropdown.locator('.ant-select-item-option').filter({ hasText: optionText }).first().click();
}

/**
 * Clicks a button of an antd dialog once the dialog has finished zooming in: a click while it still grows can land
 * on nothing (CI once left 开具发票 open after its 开具 button was clicked, on a loaded machine).
 */
export async function clickInDialog(page: Page, testId: string): Promise<void> {
  const button = page.getByTestId(testId);
  const dialog = page.getByRole('dialog').filter({ has: button });
  await expect(dialog).toBeVisible();
  await expect(dialog).not.toHaveClass(/ant-zoom-(appear|enter)/);
  await button.click();
}
