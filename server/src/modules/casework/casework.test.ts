import { randomUUID } from 'node:crypto';
import type { CalendarDate } from '@huikuan/core';
import type {
  Activity,
  CaseDetail,
  DisputeDetail,
  PaymentBehaviourView,
  PromiseToPay,
  Timeline,
  WorklistPage,
} from '@huikuan/core/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  createTestApp,
  signIn,
  signUp,
  type Client,
  type TestApp,
} from '../../../test/support/test-app';
import type { DunningActionContext } from '../dunning';
import { postReceipt, seedCustomer, seedInvoice, withKey } from '../receipts/test-fixtures';
import { caseworkPauses, createCallTask, createLitigationReview, createVisitTask } from './step-executors';

/**
 * The hand ledger (CNY; today is 2026-11-22 on the test clock, Asia/Shanghai):
 *   A (the salesperson's): A1 12,345.67 due 2026-10-08 (45 days overdue)
 *     → 16 (≥ 10,000) + 12 (31–60 days) + 5 (never contacted) = 33
 *   B (the salesperson's): B1 1,000,000.00 due 2026-05-01 (205 days; no payment history, > 90 days: rated D)
 *     → 30 + 30 + 10 (D) + 5 = 75, 武收 (rated D and old)
 *   C (the other salesperson's): C1 500.00 due 2026-11-12 (10 days) → 3 + 6 + 5 = 14
 *   D (the salesperson's): D1 800.00 due 2026-12-31 (not due) → 0
 */
let t: TestApp;
let admin: Client;
let finance: Client;
let sales: Client;
let otherSales: Client;
let legal: Client;
const ids = { a: '', b: '', c: '', d: '', a1: '', b1: '', c1: '', d1: '' };

async function ok<T>(
  response: Promise<{ statusCode: number; body: string; json(): unknown }>,
  status = 200,
): Promise<T> {
  const settled = await response;
  if (settled.statusCode !== status) throw new Error(`${settled.statusCode} ${settled.body}`);
  return settled.json() as T;
}

/** Moves the clock; sessions do not outlive the jump, so everyone signs in again. */
async function setToday(date: string): Promise<void> {
  t.clock.set(new Date(`${date}T02:00:00Z`));
  const again = (client: Client) =>
    signIn(t.app, client.session?.organization.slug ?? '', client.session?.user.email ?? '');
  admin = await again(admin);
  finance = await again(finance);
  sales = await again(sales);
  otherSales = await again(otherSales);
  legal = await again(legal);
}

async function worklist(client: Client, query = ''): Promise<WorklistPage> {
  return ok<WorklistPage>(client.request('GET', `/api/worklist${query}`));
}

async function refresh(client: Client = finance) {
  return ok<{ cases: number }>(client.request('POST', '/api/worklist/refresh'));
}

async function pausesOn(asOf: string) {
  return t.db.tenant(admin.tenantId, (tx) => caseworkPauses(tx, admin.tenantId, asOf as CalendarDate));
}

function context(
  tx: DunningActionContext['tx'],
  input: {
    invoiceId: string;
    number: string;
    customerId: string;
    kind: DunningActionContext['step']['kind'];
  },
): DunningActionContext {
  return {
    tx,
    tenantId: admin.tenantId,
    runId: randomUUID(),
    actionId: randomUUID(),
    asOf: '2026-11-22' as CalendarDate,
    step: { kind: input.kind, channel: null, offsetDays: 7, templateKey: null },
    invoice: {
      id: input.invoiceId,
      number: input.number,
      customerId: input.customerId,
      dueDate: '2026-10-08' as CalendarDate,
      chasedMinor: 1_234_567n,
      currency: 'CNY',
      daysOverdue: 45,
    },
    customer: { id: input.customerId, name: `Customer ${input.number}`, ownerUserId: sales.userId },
  };
}

beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  admin = await signUp(t.app);
  finance = await addUser(admin, 'finance');
  sales = await addUser(admin, 'salesperson');
  otherSales = await addUser(admin, 'salesperson');
  legal = await addUser(admin, 'legal');
  const tenantId = admin.tenantId;
  ids.a = await seedCustomer(t, tenantId, { code: 'A', ownerUserId: sales.userId });
  ids.b = await seedCustomer(t, tenantId, { code: 'B', ownerUserId: sales.userId });
  ids.c = await seedCustomer(t, tenantId, { code: 'C', ownerUserId: otherSales.userId });
  ids.d = await seedCustomer(t, tenantId, { code: 'D', ownerUserId: sales.userId });
  const invoice = (customerId: string, number: string, totalMinor: bigint, dueDate: string) =>
    seedInvoice(t, tenantId, { customerId, number, totalMinor, invoiceDate: '2026-01-01', dueDate });
  ids.a1 = await invoice(ids.a, 'A1', 1_234_567n, '2026-10-08');
  ids.b1 = await invoice(ids.b, 'B1', 100_000_000n, '2026-05-01');
  ids.c1 = await invoice(ids.c, 'C1', 50_000n, '2026-11-12');
  ids.d1 = await invoice(ids.d, 'D1', 80_000n, '2026-12-31');
}, 120_000);

afterAll(async () => {
  await t.close();
});

describe('worklist (催收计划)', () => {
  it('computes the cases on the first read of an organization that never had them computed', async () => {
    const first = await worklist(sales);
    expect(first.refreshedAt).not.toBeNull();
    expect(first.items.map((row) => [row.customerCode, row.score])).toEqual([
      ['B', 75],
      ['A', 33],
      ['D', 0],
    ]);
  });

  it('ranks each collector’s cases by score, with the reasons and the approach', async () => {
    expect(await refresh()).toEqual(expect.objectContaining({ cases: 4 }));
    const mine = await worklist(sales);
    expect(mine.items.map((row) => [row.customerCode, row.score])).toEqual([
      ['B', 75],
      ['A', 33],
      ['D', 0],
    ]);
    const [b, a] = mine.items;
    expect(b).toMatchObject({
      approach: 'hard',
      approachReasons: ['rated_d_and_old'],
      rating: 'D',
      maxDaysOverdue: 205,
    });
    expect(a?.reasons).toEqual([
      { code: 'amount', points: 16, params: { amount: '12345.67', currency: 'CNY' } },
      { code: 'days_overdue', points: 12, params: { days: '45' } },
      { code: 'no_recent_contact', points: 5, params: { days: '' } },
    ]);
    expect(a).toMatchObject({
      approach: 'soft',
      overdue: '12345.67',
      collectorUserId: sales.userId,
      nextStep: { source: 'suggestion', kind: 'dunning_letter' },
    });
    expect(a?.invoices).toEqual([
      {
        invoiceId: ids.a1,
        number: 'A1',
        dueDate: '2026-10-08',
        daysOverdue: 45,
        currency: 'CNY',
        open: '12345.67',
        disputed: '0.00',
        isPromised: false,
      },
    ]);
    expect((await worklist(otherSales)).items.map((row) => row.customerCode)).toEqual(['C']);
    // Finance sees every case; a salesperson asking for everyone still sees only their own customers.
    const all = await worklist(finance, '?collector=all');
    expect(all.items.map((row) => [row.customerCode, row.score])).toEqual([
      ['B', 75],
      ['A', 33],
      ['C', 14],
      ['D', 0],
    ]);
    expect((await worklist(sales, '?collector=all')).items.map((row) => row.customerCode)).toEqual([
      'B',
      'A',
      'D',
    ]);
    const paged = await worklist(finance, '?collector=all&limit=2');
    const next = await worklist(finance, `?collector=all&limit=2&cursor=${paged.nextCursor ?? ''}`);
    expect(next.items.map((row) => row.customerCode)).toEqual(['C', 'D']);
    expect(
      (await worklist(finance, '?collector=all&approach=hard')).items.map((row) => row.customerCode),
    ).toEqual(['B']);
  });

  it('sets the delinquency type and attitude, rescoring the case and its approach', async () => {
    const updated = await ok<CaseDetail>(
      sales.request('PUT', `/api/customers/${ids.a}/case`, {
        delinquencyType: 'intentional',
        attitude: 'evasive',
      }),
    );
    // 33 + 10 (intentional) + 6 (evasive) = 49; intentional → 武收.
    expect(updated.case).toMatchObject({ score: 49, approach: 'hard', approachReasons: ['intentional'] });
    const reset = await ok<CaseDetail>(
      sales.request('PUT', `/api/customers/${ids.a}/case`, { delinquencyType: 'cash_flow', attitude: null }),
    );
    expect(reset.case).toMatchObject({
      score: 37,
      approach: 'soft',
      delinquencyType: 'cash_flow',
      attitude: null,
    });
    expect(
      (await otherSales.request('PUT', `/api/customers/${ids.a}/case`, { attitude: 'hostile' })).statusCode,
    ).toBe(404);
    const bad = await sales.request('PUT', `/api/customers/${ids.a}/case`, { delinquencyType: 'lazy' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('delinquencyType');
  });

  it('bulk: assigns a collector, snoozes and creates call tasks, in scope only', async () => {
    const assigned = await ok<{ updated: number }>(
      finance.request('POST', '/api/worklist/bulk', {
        action: 'assign_collector',
        customerIds: [ids.d],
        collectorUserId: otherSales.userId,
      }),
    );
    expect(assigned.updated).toBe(1);
    // D is now collected by the other salesperson, but still owned (and only visible) by the first one.
    expect((await worklist(sales)).items.map((row) => row.customerCode)).toEqual(['B', 'A']);
    expect(
      (await worklist(sales, `?collector=${otherSales.userId}`)).items.map((row) => row.customerCode),
    ).toEqual(['D']);
    await ok(
      sales.request('POST', '/api/worklist/bulk', {
        action: 'snooze',
        customerIds: [ids.b],
        snoozedUntil: '2026-11-30',
      }),
    );
    expect((await worklist(sales)).items.map((row) => row.customerCode)).toEqual(['A']);
    expect((await worklist(sales, '?includeSnoozed=true')).items.map((row) => row.customerCode)).toEqual([
      'B',
      'A',
    ]);
    await ok(
      sales.request('POST', '/api/worklist/bulk', {
        action: 'snooze',
        customerIds: [ids.b],
        snoozedUntil: null,
      }),
    );
    const outOfScope = await sales.request('POST', '/api/worklist/bulk', {
      action: 'create_call_tasks',
      customerIds: [ids.a, ids.c],
      dueOn: '2026-11-23',
    });
    expect(outOfScope.statusCode).toBe(404);
    const tasks = await ok<{ createdTaskIds: string[] }>(
      sales.request('POST', '/api/worklist/bulk', {
        action: 'create_call_tasks',
        customerIds: [ids.a],
        dueOn: '2026-11-23',
      }),
    );
    expect(tasks.createdTaskIds).toHaveLength(1);
    const a = (await worklist(sales)).items.find((row) => row.customerCode === 'A');
    expect(a?.nextStep).toMatchObject({ source: 'activity', kind: 'call', dueOn: '2026-11-23' });
  });
});

describe('calls and promises to pay (承诺付款)', () => {
  let promise: PromiseToPay;

  it('logs a call with a promise of two instalments in one go, completing the call task', async () => {
    const task =
      (await worklist(sales)).items.find((row) => row.customerCode === 'A')?.nextStep.activityId ?? '';
    const logged = await ok<{ activity: Activity; promise: PromiseToPay }>(
      sales.request('POST', `/api/customers/${ids.a}/calls`, {
        outcome: 'promised',
        contactName: '王总',
        note: '答应分两期付款',
        taskId: task,
        invoiceIds: [ids.a1],
        followUp: { nextStep: '确认第一期到账', nextStepOn: '2026-11-26' },
        promise: {
          invoiceIds: [ids.a1],
          graceDays: 3,
          instalments: [
            { dueOn: '2026-11-25', amount: '6000.00' },
            { dueOn: '2026-12-05', amount: '6345.67' },
          ],
        },
      }),
      201,
    );
    promise = logged.promise;
    expect(logged.activity).toMatchObject({
      kind: 'call',
      callOutcome: 'promised',
      occurredOn: '2026-11-22',
      promiseId: promise.id,
    });
    expect(promise).toMatchObject({
      status: 'open',
      total: '12345.67',
      paid: '0.00',
      nextDeadline: '2026-11-28',
      invoiceNumbers: ['A1'],
      activityId: logged.activity.id,
    });
    expect(promise.instalments.map((i) => [i.dueOn, i.deadline, i.amount, i.state])).toEqual([
      ['2026-11-25', '2026-11-28', '6000.00', 'pending'],
      ['2026-12-05', '2026-12-08', '6345.67', 'pending'],
    ]);
    const detail = await ok<CaseDetail>(sales.request('GET', `/api/customers/${ids.a}/case`));
    // 16 + 12 + 4 (cash flow) − 20 (open promise); contacted today. The call task is done, the follow-up is next.
    expect(detail.case).toMatchObject({
      score: 12,
      openPromiseUntil: '2026-11-28',
      lastContactOn: '2026-11-22',
    });
    expect(detail.openTasks.map((open) => [open.taskType, open.title, open.dueOn])).toEqual([
      ['follow_up', '确认第一期到账', '2026-11-26'],
    ]);
    expect(detail.invoices[0]).toMatchObject({ isPromised: true });
  });

  it('pauses the whole promised item while the promise is open', async () => {
    expect(await pausesOn('2026-11-22')).toEqual([
      { invoiceId: ids.a1, reason: 'promise', pausedMinor: 'all' },
    ]);
    expect(await pausesOn('2026-11-21')).toEqual([]); // before it was made
  });

  it('refuses a bad plan, naming the field', async () => {
    const response = await sales.request('POST', `/api/customers/${ids.a}/promises`, {
      instalments: [
        { dueOn: '2026-12-05', amount: '1.00' },
        { dueOn: '2026-12-01', amount: '1.00' },
      ],
    });
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.json())).toContain('instalments');
    const zero = await sales.request('POST', `/api/customers/${ids.a}/promises`, {
      instalments: [{ dueOn: '2026-12-05', amount: '0' }],
    });
    expect(JSON.stringify(zero.json())).toContain('instalments.0.amount');
  });

  it('keeps the first instalment paid in the grace period, then breaks when the second passes unpaid', async () => {
    await setToday('2026-11-24');
    const receipt = await postReceipt(admin, {
      customerId: ids.a,
      receivedOn: '2026-11-24',
      amount: '6000.00',
    });
    await ok(
      admin.request(
        'POST',
        `/api/receipts/${receipt}/allocations`,
        { lines: [{ invoiceId: ids.a1, amount: '6000.00' }] },
        withKey(),
      ),
    );
    await setToday('2026-12-08');
    const open = await ok<PromiseToPay>(sales.request('GET', `/api/promises/${promise.id}`));
    expect(open).toMatchObject({
      status: 'open',
      paid: '6000.00',
      outstanding: '6345.67',
      nextDeadline: '2026-12-08',
    });
    expect(open.instalments.map((i) => [i.state, i.paid, i.keptOn])).toEqual([
      ['kept', '6000.00', '2026-11-24'],
      ['pending', '0.00', null],
    ]);
    await setToday('2026-12-09');
    await refresh();
    const broken = await ok<PromiseToPay>(sales.request('GET', `/api/promises/${promise.id}`));
    expect(broken).toMatchObject({ status: 'broken', settledOn: '2026-12-09' });
    expect(broken.events.map((event) => [event.previousStatus, event.status, event.effectiveOn])).toEqual([
      [null, 'open', '2026-11-22'],
      ['open', 'broken', '2026-12-09'],
    ]);
    expect(await pausesOn('2026-12-09')).toEqual([]);
    // As of a day it was still open, it still paused (a preview of an earlier date sees what was true then).
    expect(await pausesOn('2026-12-08')).toEqual([
      { invoiceId: ids.a1, reason: 'promise', pausedMinor: 'all' },
    ]);
    const a = (await worklist(sales)).items.find((row) => row.customerCode === 'A');
    // 6,345.67 → 8; 62 days → 18; 1 broken → 10; cash flow → 4; last contact 17 days ago → 5. 45.
    expect(a).toMatchObject({
      hasBrokenPromise: true,
      brokenPromiseCount: 1,
      score: 45,
      openPromiseUntil: null,
    });
    expect(a?.reasons.map((reason) => reason.code)).toContain('broken_promises');
    const behaviour = await ok<PaymentBehaviourView>(
      sales.request('GET', `/api/customers/${ids.a}/payment-behaviour`),
    );
    expect(behaviour.brokenPromises).toBe(1);
    const cancel = await sales.request('POST', `/api/promises/${promise.id}/cancel`, { reason: '重新协商' });
    expect(cancel.statusCode).toBe(409);
    expect((await worklist(sales, '?brokenPromiseOnly=true')).items.map((row) => row.customerCode)).toEqual([
      'A',
    ]);
  });

  it('marks a promise kept when paid in full by its deadline, and lets an open one be cancelled', async () => {
    const kept = await ok<PromiseToPay>(
      sales.request('POST', `/api/customers/${ids.a}/promises`, {
        graceDays: 0,
        instalments: [{ dueOn: '2026-12-10', amount: '100.00' }],
        note: '客户级承诺',
      }),
      201,
    );
    expect(kept.invoiceIds).toEqual([]);
    const receipt = await postReceipt(admin, {
      customerId: ids.a,
      receivedOn: '2026-12-09',
      amount: '100.00',
    });
    await ok(
      admin.request(
        'POST',
        `/api/receipts/${receipt}/allocations`,
        { lines: [{ invoiceId: ids.a1, amount: '100.00' }] },
        withKey(),
      ),
    );
    await refresh();
    expect(await ok<PromiseToPay>(sales.request('GET', `/api/promises/${kept.id}`))).toMatchObject({
      status: 'kept',
      settledOn: '2026-12-09',
      paid: '100.00',
    });
    // Payments count for every promise that covers them: the next one is on D1, which nothing has paid.
    const other = await ok<PromiseToPay>(
      sales.request('POST', `/api/customers/${ids.d}/promises`, {
        invoiceIds: [ids.d1],
        instalments: [{ dueOn: '2026-12-20', amount: '50.00' }],
      }),
      201,
    );
    expect(
      (await otherSales.request('POST', `/api/promises/${other.id}/cancel`, { reason: 'x' })).statusCode,
    ).toBe(404);
    const cancelled = await ok<PromiseToPay>(
      sales.request('POST', `/api/promises/${other.id}/cancel`, { reason: '重新协商' }),
    );
    expect(cancelled).toMatchObject({ status: 'cancelled', settledOn: '2026-12-09' });
    const listed = await ok<{ items: PromiseToPay[] }>(
      sales.request('GET', `/api/promises?customerId=${ids.a}`),
    );
    expect(listed.items.map((item) => item.status)).toEqual(['kept', 'broken']);
    const cancelledList = await ok<{ items: PromiseToPay[] }>(
      sales.request('GET', '/api/promises?status=cancelled'),
    );
    expect(cancelledList.items.map((item) => item.id)).toEqual([other.id]);
    expect(
      (await ok<{ items: unknown[] }>(otherSales.request('GET', `/api/promises?customerId=${ids.a}`))).items,
    ).toEqual([]);
  });
});

describe('disputes (争议)', () => {
  let dispute: DisputeDetail;

  it('pauses the disputed part, has an owner and a history', async () => {
    const raised = await ok<{ id: string }>(
      sales.request('POST', '/api/disputes', {
        customerId: ids.b,
        invoiceId: ids.b1,
        amount: '200000.00',
        reasonCode: 'quality',
        description: '部分批次质量问题',
      }),
      201,
    );
    expect(await pausesOn('2026-12-09')).toEqual([
      { invoiceId: ids.b1, reason: 'dispute', pausedMinor: 20_000_000n },
    ]);
    dispute = await ok<DisputeDetail>(
      sales.request('POST', `/api/disputes/${raised.id}/assign`, {
        ownerUserId: legal.userId,
        note: '请法务核实',
      }),
    );
    expect(dispute).toMatchObject({
      ownerUserId: legal.userId,
      ownerName: 'legal',
      pausesChasing: true,
      status: 'open',
    });
    expect(dispute.events.map((event) => event.event)).toEqual(['opened', 'assigned']);
    const b = await ok<CaseDetail>(sales.request('GET', `/api/customers/${ids.b}/case`));
    expect(b.case).toMatchObject({ disputed: '200000.00' });
    expect(b.openDisputes.map((open) => open.id)).toEqual([raised.id]);
  });

  it('valid: raises a credit note of the agreed amount for approval; chasing stays paused until it is posted', async () => {
    const resolved = await ok<DisputeDetail>(
      sales.request('POST', `/api/disputes/${dispute.id}/resolution`, {
        outcome: 'valid',
        creditAmount: '150000.00',
        note: '经核实 150,000.00 成立',
      }),
    );
    expect(resolved).toMatchObject({
      status: 'resolved_valid',
      creditNoteStatus: 'pending_approval',
      creditNoteNumber: `DSP-B1-${dispute.id.slice(0, 8)}`,
      pausesChasing: true,
    });
    expect(await pausesOn('2026-12-09')).toEqual([
      { invoiceId: ids.b1, reason: 'dispute', pausedMinor: 20_000_000n },
    ]);
    const approval = await ok<{ kind: string; amount: string; requestedByUserId: string }>(
      finance.request('GET', `/api/approvals/${resolved.approvalRequestId ?? ''}`),
    );
    expect(approval).toMatchObject({
      kind: 'credit_note',
      amount: '150000.00',
      requestedByUserId: sales.userId,
    });
    await ok(
      finance.request('POST', `/api/approvals/${resolved.approvalRequestId ?? ''}/decision`, {
        decision: 'approve',
      }),
    );
    const posted = await ok<DisputeDetail>(sales.request('GET', `/api/disputes/${dispute.id}`));
    expect(posted).toMatchObject({ creditNoteStatus: 'posted', pausesChasing: false });
    expect(await pausesOn('2026-12-09')).toEqual([]);
    const invoice = await ok<{ open: string }>(sales.request('GET', `/api/invoices/${ids.b1}`));
    expect(invoice.open).toBe('850000.00');
    const again = await sales.request('POST', `/api/disputes/${dispute.id}/resolution`, {
      outcome: 'invalid',
    });
    expect(again.statusCode).toBe(409);
  });

  it('invalid: chasing resumes; withdrawn likewise; out of scope is 404', async () => {
    const raised = await ok<{ id: string }>(
      otherSales.request('POST', '/api/disputes', {
        customerId: ids.c,
        invoiceId: ids.c1,
        amount: '100.00',
        reasonCode: 'price',
      }),
      201,
    );
    expect((await sales.request('GET', `/api/disputes/${raised.id}`)).statusCode).toBe(404);
    expect(
      (await sales.request('POST', `/api/disputes/${raised.id}/resolution`, { outcome: 'invalid' }))
        .statusCode,
    ).toBe(404);
    expect(await pausesOn('2026-12-09')).toEqual([
      { invoiceId: ids.c1, reason: 'dispute', pausedMinor: 10_000n },
    ]);
    const refused = await otherSales.request('POST', `/api/disputes/${raised.id}/resolution`, {
      outcome: 'invalid',
      creditAmount: '1.00',
    });
    expect(refused.statusCode).toBe(400);
    const invalid = await ok<DisputeDetail>(
      otherSales.request('POST', `/api/disputes/${raised.id}/resolution`, {
        outcome: 'invalid',
        note: '价格按合同执行',
      }),
    );
    expect(invalid).toMatchObject({ status: 'resolved_invalid', creditNoteId: null, pausesChasing: false });
    expect(await pausesOn('2026-12-09')).toEqual([]);
    // The day before, this dispute did not exist yet; only A's promise (still open then) paused anything.
    expect(await pausesOn('2026-12-08')).toEqual([
      { invoiceId: ids.a1, reason: 'promise', pausedMinor: 'all' },
    ]);
    const audit = await t.db.tenant(admin.tenantId, (tx) =>
      tx.selectFrom('audit_log').select('action').where('entity_id', '=', raised.id).orderBy('id').execute(),
    );
    expect(audit.map((row) => row.action)).toEqual(['dispute.raised', 'dispute.resolved']);
    const second = await ok<{ id: string }>(
      otherSales.request('POST', '/api/disputes', {
        customerId: ids.c,
        amount: '10.00',
        reasonCode: 'other',
      }),
      201,
    );
    const withdrawn = await ok<DisputeDetail>(
      otherSales.request('POST', `/api/disputes/${second.id}/withdraw`, {}),
    );
    expect(withdrawn.events.map((event) => event.event)).toEqual(['opened', 'withdrawn']);
  });
});

describe('visits and tasks', () => {
  it('plans a visit with its confirmation task 5 days before, and records the result', async () => {
    const visit = await ok<Activity>(
      otherSales.request('POST', `/api/customers/${ids.c}/visits`, {
        plannedOn: '2026-12-20',
        purpose: '对账并收款',
        expectedAmount: '500.00',
      }),
      201,
    );
    expect(visit).toMatchObject({
      kind: 'visit',
      plannedOn: '2026-12-20',
      dueOn: '2026-12-20',
      expectedAmount: '500.00',
    });
    const tasks = await ok<{ items: Activity[] }>(
      otherSales.request('GET', '/api/activities?assignee=me&openOnly=true'),
    );
    expect(tasks.items.map((task) => [task.kind, task.taskType, task.dueOn, task.title])).toEqual([
      ['task', 'visit_confirmation', '2026-12-15', '确认拜访时间（2026-12-20）和收款金额 500.00 CNY'],
      ['visit', null, '2026-12-20', '上门拜访：Customer C'],
    ]);
    const soon = await ok<Activity>(
      otherSales.request('POST', `/api/customers/${ids.c}/visits`, {
        plannedOn: '2026-12-11',
        taskId: visit.id,
      }),
      201,
    );
    expect(soon).toMatchObject({ id: visit.id, plannedOn: '2026-12-11' });
    const moved = await ok<{ items: Activity[] }>(
      otherSales.request('GET', '/api/activities?assignee=me&openOnly=true'),
    );
    // Two days ahead: the confirmation is due today, not in the past.
    expect(moved.items[0]).toMatchObject({ taskType: 'visit_confirmation', dueOn: '2026-12-09' });
    const result = await ok<{ activity: Activity }>(
      otherSales.request('POST', `/api/activities/${visit.id}/visit-result`, {
        result: 'collected',
        note: '已收到支票',
      }),
    );
    expect(result.activity).toMatchObject({ visitResult: 'collected', occurredOn: '2026-12-09' });
    expect(result.activity.doneAt).not.toBeNull();
    expect(
      (
        await ok<{ items: Activity[] }>(
          otherSales.request('GET', '/api/activities?assignee=me&openOnly=true'),
        )
      ).items,
    ).toEqual([]);
    const done = await otherSales.request('POST', `/api/activities/${visit.id}/done`, {});
    expect(done.statusCode).toBe(400);
  });

  it('adds notes and ticks tasks off', async () => {
    const note = await ok<Activity>(
      otherSales.request('POST', `/api/customers/${ids.c}/notes`, { body: '客户财务换人\n新联系人：李会计' }),
      201,
    );
    expect(note).toMatchObject({ kind: 'note', title: '客户财务换人' });
    const task = await ok<Activity>(
      otherSales.request('POST', `/api/customers/${ids.c}/tasks`, {
        title: '寄送对账函',
        dueOn: '2026-12-10',
      }),
      201,
    );
    expect(task).toMatchObject({ kind: 'task', taskType: 'follow_up', assigneeUserId: otherSales.userId });
    expect((await sales.request('POST', `/api/activities/${task.id}/done`, {})).statusCode).toBe(404);
    const done = await ok<Activity>(
      otherSales.request('POST', `/api/activities/${task.id}/done`, { note: '已寄出' }),
    );
    expect(done).toMatchObject({ doneNote: '已寄出' });
    expect((await otherSales.request('POST', `/api/activities/${task.id}/done`, {})).statusCode).toBe(409);
  });
});

describe('ladder steps (dunning executors)', () => {
  it('creates one call task per customer, a visit with its confirmation, and a litigation review for legal', async () => {
    const outcomes = await t.db.tenant(admin.tenantId, async (tx) => {
      const first = await createCallTask(
        context(tx, { invoiceId: ids.d1, number: 'D1', customerId: ids.d, kind: 'call_task' }),
      );
      const second = await createCallTask(
        context(tx, { invoiceId: ids.d1, number: 'D1', customerId: ids.d, kind: 'call_task' }),
      );
      const visit = await createVisitTask(
        context(tx, { invoiceId: ids.d1, number: 'D1', customerId: ids.d, kind: 'visit_task' }),
      );
      const review = await createLitigationReview(
        context(tx, { invoiceId: ids.d1, number: 'D1', customerId: ids.d, kind: 'litigation_review' }),
      );
      return { first, second, visit, review };
    });
    expect(outcomes.first.outcome).toBe('created');
    expect(outcomes.second).toMatchObject({ outcome: 'created', refId: outcomes.first.refId });
    const open = await ok<{ items: Activity[] }>(
      finance.request('GET', `/api/activities?customerId=${ids.d}&openOnly=true`),
    );
    expect(
      open.items
        .map((item) => [item.kind, item.taskType, item.dueOn, item.assigneeUserId, item.assigneeRole])
        .sort((x, y) => `${x[2]}${x[1]}`.localeCompare(`${y[2]}${y[1]}`)),
    ).toEqual([
      // D's collector was assigned to the other salesperson by the bulk action above.
      ['task', 'call', '2026-11-22', otherSales.userId, null],
      ['task', 'litigation_review', '2026-11-22', null, 'legal'],
      ['task', 'visit_confirmation', '2026-11-24', otherSales.userId, null],
      ['visit', null, '2026-11-29', otherSales.userId, null],
    ]);
    expect(open.items.find((item) => item.taskType === 'call')?.title).toBe(
      '电话催收：D1（逾期 45 天，待收 12345.67 CNY）',
    );
    expect(open.items.every((item) => item.dunningActionId !== null)).toBe(true);
    const legalTasks = await ok<{ items: Activity[] }>(
      legal.request('GET', '/api/activities?assignee=me&openOnly=true'),
    );
    expect(legalTasks.items.map((item) => item.taskType)).toEqual(['litigation_review']);
  });
});

describe('timeline and playbook', () => {
  it('merges activities, promises, disputes, messages, ladder actions and letters, newest first', async () => {
    const timeline = await ok<Timeline>(sales.request('GET', `/api/customers/${ids.a}/timeline`));
    const sources = new Set(timeline.items.map((item) => item.source));
    expect(sources).toEqual(new Set(['activity', 'promise']));
    const kinds = timeline.items.filter((item) => item.source === 'promise').map((item) => item.kind);
    expect([...kinds].sort()).toEqual(['broken', 'kept', 'open', 'open']);
    const ats = timeline.items.map((item) => item.at);
    expect([...ats].sort().reverse()).toEqual(ats);
    expect((await otherSales.request('GET', `/api/customers/${ids.a}/timeline`)).statusCode).toBe(404);
    const b = await ok<Timeline>(sales.request('GET', `/api/customers/${ids.b}/timeline`));
    expect(
      b.items
        .filter((item) => item.source === 'dispute')
        .map((item) => item.kind)
        .reverse(),
    ).toEqual(['opened', 'assigned', 'resolved_valid']);
  });

  it('serves the default playbook, lets an admin edit and reset it, nobody else', async () => {
    const initial = await ok<{ isCustomized: boolean; playbook: { checklists: { items: unknown[] }[] } }>(
      sales.request('GET', '/api/playbook'),
    );
    expect(initial.isCustomized).toBe(false);
    expect(initial.playbook.checklists.map((list) => list.items.length)).toEqual([6, 9, 5, 10, 3]);
    const edited = structuredClone(initial.playbook) as unknown as {
      checklists: { items: { zh: string; en: string }[] }[];
    };
    edited.checklists[0]?.items.push({
      zh: '客户的开票信息是否齐全',
      en: 'Are the invoicing details complete?',
    });
    expect((await sales.request('PUT', '/api/playbook', edited)).statusCode).toBe(403);
    const saved = await ok<{ isCustomized: boolean; playbook: { checklists: { items: unknown[] }[] } }>(
      admin.request('PUT', '/api/playbook', edited),
    );
    expect(saved.isCustomized).toBe(true);
    expect(saved.playbook.checklists[0]?.items).toHaveLength(7);
    expect((await admin.request('PUT', '/api/playbook', { ...edited, checklists: 'x' })).statusCode).toBe(
      400,
    );
    const reset = await ok<{ isCustomized: boolean }>(admin.request('DELETE', '/api/playbook'));
    expect(reset.isCustomized).toBe(false);
  });
});
