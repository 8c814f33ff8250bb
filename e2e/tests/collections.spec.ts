import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { allowOldOverdue, issueInvoice, row, signUpOrganization, typeDate } from './support/journey';

/**
 * The collection journey of issue 5: the worklist, a call with a promise to pay that pauses the ladder until its
 * date plus grace has passed, a dispute that pauses the disputed part, and a 催款函 PDF with the amount in capitals.
 *
 * The server runs on the real clock, so the ledger is laid out around the organization's today (Asia/Shanghai), T:
 *   华东机械有限公司 (C-A)  INV-A1 12,345.67 due T−1  → 1 day overdue today
 *   北方工业有限公司 (C-B)  INV-B1  8,000.00 due T−10 → 10 days overdue today
 * Default ladder: −3 reminder, +1 overdue notice, +7 call task, +15 visit task, +30 催款函, … Within a family only the
 * latest due step fires. C-A promises 12,345.67 by T+5 with 3 grace days: the promise holds through T+8 and is
 * broken as of T+9, when INV-A1 is 10 days overdue (overdue notice and call task due). C-B disputes 3,000.00 of
 * INV-B1 (quality): as of T+9 (19 days overdue: overdue notice and visit task) only 5,000.00 is chased.
 * The 催款函 as of T lists INV-A1 (the only overdue item of C-A): 12,345.67 = 人民币壹万贰仟叁佰肆拾伍元陆角柒分.
 */
const slug = `collect-${Date.now().toString(36)}`;
const ZONE = 'Asia/Shanghai';

function todayInZone(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date());
}

function addDays(date: string, days: number): string {
  const value = new Date(`${date}T00:00:00Z`);
  value.setUTCDate(value.getUTCDate() + days);
  return value.toISOString().slice(0, 10);
}

/** A business date as the pages show it (DateText, zh-CN medium: 2026年11月13日). */
function shown(date: string): string {
  return new Intl.DateTimeFormat('zh-CN', { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

const T = todayInZone();
const POLICY = '标准催收程序';

type Seeded = { a: string; b: string };

/** The organization, two customers and their overdue invoices, through the API (not the point here). */
async function seed(page: Page): Promise<Seeded> {
  const api = await signUpOrganization(page, { name: '催收演示机械有限公司', slug, timezone: ZONE });
  // The invoices are entered after they fell due; keep the customers off credit hold meanwhile.
  await allowOldOverdue(page, api);
  const a = await api.post('/api/customers', { code: 'C-A', name: '华东机械有限公司' });
  const b = await api.post('/api/customers', { code: 'C-B', name: '北方工业有限公司' });
  const issue = (customerId: unknown, number: string, dueInDays: number, amount: string) =>
    issueInvoice(api, customerId, number, [addDays(T, dueInDays - 30), addDays(T, dueInDays)], amount);
  await issue(a.id, 'INV-A1', -1, '12345.67');
  await issue(b.id, 'INV-B1', -10, '8000.00');
  return { a: String(a.id), b: String(b.id) };
}

/** A preview row's cells: customer, invoice, due date, days overdue, amount chased, step, policy. */
async function expectPlanned(actions: Locator, invoice: string, step: string, cells: string[]) {
  const planned = row(actions, invoice).filter({ hasText: step });
  await expect(planned).toHaveCount(1);
  await expect(planned.locator('td')).toHaveText(cells);
}

/** The worklist as a collector opens it: no 重新计算 needed, cases follow what happens to them. */
async function openWorklist(page: Page) {
  await page.goto('/collections');
  await expect(page.getByTestId('worklist-refreshed-at')).toContainText('计算于');
  const table = page.getByTestId('worklist-table');
  await expect(row(table, 'C-A · 华东机械有限公司')).toBeVisible();
  return table;
}

/** Previews a run as of `asOf` on the 催收运行 page; returns the preview table. */
async function preview(page: Page, asOf: string) {
  await typeDate(page.getByTestId('dunning-as-of'), asOf);
  await page.getByTestId('dunning-preview').click();
  return page.getByTestId('dunning-preview-table');
}

test('worklist, a promise that breaks, a dispute that pauses chasing, and a 催款函 PDF', async ({ page }) => {
  const ids = await seed(page);

  // The worklist: both customers with what they owe overdue and for how long.
  let worklist = await openWorklist(page);
  await expect(row(worklist, 'C-A · 华东机械有限公司')).toContainText('¥12,345.67');
  await expect(row(worklist, 'C-A · 华东机械有限公司')).toContainText('1 天');
  await expect(row(worklist, 'C-B · 北方工业有限公司')).toContainText('¥8,000.00');
  await expect(row(worklist, 'C-B · 北方工业有限公司')).toContainText('10 天');

  // A call with C-A: they promise to pay everything by T+5 (3 grace days).
  await row(worklist, 'C-A · 华东机械有限公司').getByTestId('case-link').click();
  await expect(page.getByRole('heading', { name: '催收案件：C-A · 华东机械有限公司' })).toBeVisible();
  await page.getByTestId('case-log-call').click();
  const call = page.getByRole('dialog');
  await call.getByTestId('call-contact').fill('李会计');
  await call.getByTestId('call-note').fill('月初资金到位后付清');
  await call.getByTestId('call-with-promise').check();
  await typeDate(call.getByTestId('promise-due-0'), addDays(T, 5));
  await call.getByTestId('promise-amount-0').fill('12345.67');
  await call.getByTestId('call-submit').click();
  await expect(call).toBeHidden();
  const promises = page.getByTestId('case-promises');
  await expect(promises).toContainText('履约中');
  await expect(promises).toContainText('¥12,345.67');
  await expect(promises).toContainText(`下一截止日 ${addDays(T, 8)}`);
  await expect(page.getByTestId('case-invoices')).toContainText('已承诺');

  worklist = await openWorklist(page);
  await expect(row(worklist, 'C-A · 华东机械有限公司')).toContainText('已承诺');

  // The ladder as of T+8: the promise still holds, INV-A1 is paused; INV-B1 is chased in full.
  await page.goto('/dunning-runs');
  let actions = await preview(page, addDays(T, 8));
  await expect(page.getByTestId('dunning-preview-summary')).toHaveText(
    '2 笔未结清发票，2 个动作待执行，1 笔暂停（争议或承诺付款）',
  );
  await expect(row(actions, 'INV-A1')).toHaveCount(0);
  await expect(row(actions, 'INV-B1')).toHaveCount(2);
  const b1 = ['C-B 北方工业有限公司', 'INV-B1', shown(addDays(T, -10))];
  await expectPlanned(actions, 'INV-B1', '逾期通知', [...b1, '18', '¥8,000.00', '逾期通知 · 邮件', POLICY]);
  await expectPlanned(actions, 'INV-B1', '上门拜访任务', [...b1, '18', '¥8,000.00', '上门拜访任务', POLICY]);

  // As of T+9 the promise is broken (nothing paid by T+5 + 3): escalation resumes with the overdue notice and
  // the call task that came due while it held.
  actions = await preview(page, addDays(T, 9));
  await expect(page.getByTestId('dunning-preview-summary')).toHaveText(
    '2 笔未结清发票，4 个动作待执行，0 笔暂停（争议或承诺付款）',
  );
  await expect(row(actions, 'INV-A1')).toHaveCount(2);
  const a1 = ['C-A 华东机械有限公司', 'INV-A1', shown(addDays(T, -1)), '10', '¥12,345.67'];
  await expectPlanned(actions, 'INV-A1', '逾期通知', [...a1, '逾期通知 · 邮件', POLICY]);
  await expectPlanned(actions, 'INV-A1', '电话催收任务', [...a1, '电话催收任务', POLICY]);

  // C-B disputes 3,000.00 of INV-B1 (quality).
  await page.goto(`/collections/${ids.b}`);
  await page.getByTestId('case-raise-dispute').click();
  const dispute = page.getByRole('dialog');
  await expect(dispute.getByTestId('dispute-invoice')).toContainText('INV-B1');
  await dispute.getByTestId('dispute-amount').fill('3000');
  await dispute.getByTestId('dispute-submit').click();
  await expect(dispute).toBeHidden();
  await expect(page.getByTestId('case-disputes')).toContainText('质量问题');
  await expect(page.getByTestId('case-disputes')).toContainText('¥3,000.00');
  await expect(page.getByTestId('case-summary')).toContainText('¥3,000.00');
  await expect(row(page.getByTestId('case-invoices'), 'INV-B1')).toContainText('¥3,000.00');

  // The worklist marks the disputed part beneath C-B.
  worklist = await openWorklist(page);
  const cb = row(worklist, 'C-B · 北方工业有限公司');
  await cb.locator('.ant-table-row-expand-icon').click();
  const beneath = worklist.locator('tr.ant-table-expanded-row');
  await expect(row(beneath, 'INV-B1')).toContainText('¥8,000.00');
  await expect(row(beneath, 'INV-B1')).toContainText('¥3,000.00');

  // The ladder as of T+9 now chases only the undisputed 5,000.00 of INV-B1; run it.
  await page.goto('/dunning-runs');
  actions = await preview(page, addDays(T, 9));
  // (Partly disputed, INV-B1 is still chased: it is not counted as a paused item.)
  await expect(page.getByTestId('dunning-preview-summary')).toHaveText(
    '2 笔未结清发票，4 个动作待执行，0 笔暂停（争议或承诺付款）',
  );
  await expectPlanned(actions, 'INV-B1', '逾期通知', [...b1, '19', '¥5,000.00', '逾期通知 · 邮件', POLICY]);
  await expectPlanned(actions, 'INV-B1', '上门拜访任务', [...b1, '19', '¥5,000.00', '上门拜访任务', POLICY]);
  await page.getByTestId('dunning-run').click();
  await page
    .locator('.ant-popconfirm')
    .getByRole('button', { name: /确\s*定|OK/ })
    .click();
  const drawer = page.locator('.ant-drawer');
  await expect(drawer.getByTestId('dunning-run-status')).toHaveText('已完成');
  const done = drawer.getByTestId('dunning-run-actions');
  await expect(done.locator('tr.ant-table-row')).toHaveCount(4);
  await expect(row(done, 'INV-A1').filter({ hasText: '电话催收任务' })).toBeVisible();
  await drawer.getByRole('button', { name: '关闭' }).click();
  await expect(drawer).toBeHidden();
  // The run list, read when the run started, shows how it ended: done, 4 steps fired, nothing paused.
  const history = row(page.getByTestId('dunning-runs-table'), shown(addDays(T, 9)));
  await expect(history.locator('td').nth(3)).toHaveText('已完成');
  await expect(history.locator('td').nth(5)).toHaveText('4');
  await expect(history.locator('td').nth(6)).toHaveText('0');

  // The call task the ladder created waits on C-A's case.
  await page.goto(`/collections/${ids.a}`);
  await expect(page.getByTestId('case-tasks')).toContainText('电话催收：INV-A1（逾期 10 天');

  // A 催款函 from the customer page's 函件 tab, downloaded and read back.
  await page.goto(`/customers/${ids.a}?tab=letters`);
  await page.getByTestId('letter-generate').click();
  const letter = page.getByRole('dialog');
  await expect(letter.getByTestId('letter-kind')).toContainText('催款函');
  await letter.getByTestId('letter-generate-submit').click();
  await expect(letter).toBeHidden();
  const archived = page.getByTestId('letters-table').locator('tr.ant-table-row');
  await expect(archived).toHaveCount(1);
  await expect(archived).toContainText('催款函');
  await expect(archived).toContainText(T);
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    archived.getByRole('button', { name: '下载 PDF' }).click(),
  ]);
  const pdfPath = await file.path();
  expect(fs.readFileSync(pdfPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
  expect(text).toContain('华东机械有限公司');
  expect(text).toContain('INV-A1');
  expect(text).toContain('最长已逾期 1 天');
  expect(text).toContain(`请贵公司务必于 ${addDays(T, 10)} 前`);
  expect(text).toContain('合计欠款：人民币 12,345.67 元（大写：人民币壹万贰仟叁佰肆拾伍元陆角柒分）');

  // The customer's 催收记录 tab tells the story: the call, the promise, the ladder's steps and the letter.
  await page.goto(`/customers/${ids.a}?tab=collections`);
  const timeline = page.getByTestId('collection-timeline');
  await expect(timeline.getByTestId('timeline-letter')).toContainText('催款函');
  const logged = timeline.getByTestId('timeline-activity').filter({ hasText: '李会计' });
  await expect(logged).toContainText('电话');
  await expect(logged).toContainText('答应付款');
  await expect(logged).toContainText('月初资金到位后付清');
  await expect(timeline.getByTestId('timeline-promise')).toContainText('履约中');
  await expect(timeline.getByTestId('timeline-promise')).toContainText('¥12,345.67');
  const steps = timeline.getByTestId('timeline-dunning_action');
  await expect(steps).toHaveCount(2);
  await expect(steps.filter({ hasText: '逾期通知' })).toContainText('INV-A1 · ¥12,345.67');
  await expect(steps.filter({ hasText: '逾期通知' })).toContainText('待发送');
  await expect(steps.filter({ hasText: '电话催收任务' })).toContainText('已创建');
  // The notice could not go out: C-A has no contact with an e-mail address. The log says so, in words.
  const notice = timeline.getByTestId('timeline-message');
  await expect(notice).toContainText('邮件');
  await expect(notice).toContainText('逾期付款通知：发票 INV-A1 已逾期 10 天');
  await expect(notice).toContainText('缺少收件人');
});
