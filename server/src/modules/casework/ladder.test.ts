import type { CalendarDate } from '@huikuan/core';
import type { Activity, PromiseToPay, WorklistPage } from '@huikuan/core/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  createTestApp,
  signIn,
  signUp,
  type Client,
  type TestApp,
} from '../../../test/support/test-app';
import type { AuditActor } from '../../platform/audit';
import { runDunningNow } from '../dunning';
import { seedCustomer, seedInvoice } from '../receipts/test-fixtures';
import { refreshAllOrganizations } from './case-jobs';

/**
 * The real ladder (the default policy: +7 call task, +15 visit…) with casework's pause source and executors, as
 * wired by the app: a promise pauses the promised item; when it breaks, escalation resumes and the call task
 * appears on the collector's list; an open dispute pauses only its disputed part.
 *
 *   E (the salesperson's): E1 1,000.00 due 2026-11-10 (12 days overdue on 2026-11-22)
 *   F (the salesperson's): F1 800.00 due 2026-11-10, 300.00 of it disputed
 */
let t: TestApp;
let admin: Client;
let sales: Client;
const ids = { e: '', f: '', e1: '', f1: '' };

async function ok<T>(
  response: Promise<{ statusCode: number; body: string; json(): unknown }>,
  status = 200,
): Promise<T> {
  const settled = await response;
  if (settled.statusCode !== status) throw new Error(`${settled.statusCode} ${settled.body}`);
  return settled.json() as T;
}

const system = (): AuditActor => ({
  tenantId: admin.tenantId,
  userId: null,
  tokenId: null,
  requestId: 'test',
  ip: '',
});

/** A run as of a date, with its fired actions as (invoice, step). */
async function run(asOf: string) {
  const result = await runDunningNow(t.db, system(), asOf as CalendarDate, 'cli', {
    shouldCollectActions: true,
  });
  return {
    ...result,
    actions: result.actions.map((action) => ({
      invoice: action.planned.item.invoiceNumber,
      step: action.planned.step.kind,
    })),
  };
}

beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  admin = await signUp(t.app);
  sales = await addUser(admin, 'salesperson');
  ids.e = await seedCustomer(t, admin.tenantId, { code: 'E', ownerUserId: sales.userId });
  ids.f = await seedCustomer(t, admin.tenantId, { code: 'F', ownerUserId: sales.userId });
  ids.e1 = await seedInvoice(t, admin.tenantId, {
    customerId: ids.e,
    number: 'E1',
    totalMinor: 100_000n,
    invoiceDate: '2026-10-01',
    dueDate: '2026-11-10',
  });
  ids.f1 = await seedInvoice(t, admin.tenantId, {
    customerId: ids.f,
    number: 'F1',
    totalMinor: 80_000n,
    invoiceDate: '2026-10-01',
    dueDate: '2026-11-10',
  });
}, 120_000);

afterAll(async () => {
  await t.close();
});

describe('the ladder with promises and disputes', () => {
  it('skips the promised item, and chases only the undisputed part of a disputed one', async () => {
    await ok<{ promise: PromiseToPay }>(
      sales.request('POST', `/api/customers/${ids.e}/calls`, {
        outcome: 'promised',
        promise: {
          invoiceIds: [ids.e1],
          graceDays: 2,
          instalments: [{ dueOn: '2026-11-30', amount: '1000.00' }],
        },
      }),
      201,
    );
    await ok(
      sales.request('POST', '/api/disputes', {
        customerId: ids.f,
        invoiceId: ids.f1,
        amount: '300.00',
        reasonCode: 'quantity',
      }),
      201,
    );
    const result = await run('2026-11-22');
    const fired = result.actions.map((action) => [action.invoice, action.step]);
    expect(fired.filter(([invoice]) => invoice === 'E1')).toEqual([]);
    const f1Call = result.actions.find((action) => action.invoice === 'F1' && action.step === 'call_task');
    expect(f1Call).toBeDefined();
    const tasks = await ok<{ items: Activity[] }>(
      sales.request('GET', '/api/activities?assignee=me&openOnly=true'),
    );
    const call = tasks.items.find((task) => task.taskType === 'call');
    // 800.00 − 300.00 disputed = 500.00 chased.
    expect(call).toMatchObject({ customerId: ids.f, dueOn: '2026-11-22', invoiceIds: [ids.f1] });
    expect(call?.title).toBe('电话催收：F1（逾期 12 天，待收 500.00 CNY）');
    expect(tasks.items.filter((task) => task.customerId === ids.e)).toEqual([]);
  });

  it('resumes escalation once the promise breaks (date + grace passed unpaid)', async () => {
    // Still within grace on 2026-12-02: nothing for E1.
    expect((await run('2026-12-02')).actions.filter((action) => action.invoice === 'E1')).toEqual([]);
    t.clock.set(new Date('2026-12-03T02:00:00Z'));
    sales = await signIn(t.app, sales.session?.organization.slug ?? '', sales.session?.user.email ?? '');
    const result = await run('2026-12-03');
    const e1Steps = result.actions.filter((action) => action.invoice === 'E1').map((action) => action.step);
    // 23 days overdue: the engine catches up with the rung due now (+15 visit), not the missed call.
    expect(e1Steps).toEqual(['overdue_notice', 'visit_task']);
    const tasks = await ok<{ items: Activity[] }>(
      sales.request('GET', `/api/activities?customerId=${ids.e}&openOnly=true`),
    );
    // The visit 7 days ahead, and its confirmation (date and amount) 5 days before it.
    expect(tasks.items.map((task) => [task.kind, task.taskType, task.dueOn, task.expectedAmount])).toEqual([
      ['task', 'visit_confirmation', '2026-12-05', null],
      ['visit', null, '2026-12-10', '1000.00'],
    ]);
    expect(tasks.items.every((task) => task.dunningActionId !== null)).toBe(true);
    const promises = await ok<{ items: PromiseToPay[] }>(
      sales.request('GET', `/api/promises?customerId=${ids.e}`),
    );
    expect(promises.items.map((promise) => [promise.status, promise.settledOn])).toEqual([
      ['broken', '2026-12-03'],
    ]);
    // The hourly job recomputes every organization's cases: E is flagged on the salesperson's worklist.
    expect(await refreshAllOrganizations({ db: t.db, clock: t.clock })).toBeGreaterThanOrEqual(1);
    const worklist = await ok<WorklistPage>(sales.request('GET', '/api/worklist'));
    expect(worklist.items.find((row) => row.customerCode === 'E')).toMatchObject({
      hasBrokenPromise: true,
      brokenPromiseCount: 1,
      nextStep: { source: 'activity', kind: 'visit_confirmation', dueOn: '2026-12-05' },
    });
  });
});
