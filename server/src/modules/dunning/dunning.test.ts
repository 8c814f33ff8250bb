import type { CalendarDate } from '@huikuan/core';
import type { DunningPolicy, DunningPreview, DunningRun } from '@huikuan/core/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { assertCreditAllows, CreditRefusal } from '../credit/credit-check';
import { seedCreditNote, seedCustomer, seedInvoice, seedVoid } from '../receipts/test-fixtures';
import { openItemsAsOf, openItemsInChunks, type OpenItem } from './open-items';
import { runDunningNow } from './start-run';
import {
  registerBatchStepExecutor,
  registerDunningPauseSource,
  registerGroupStepExecutor,
  registerStepExecutor,
  type DunningActionContext,
  type DunningPause,
} from './step-registry';

let t: TestApp;
let admin: Client;
let finance: Client;
let sales: Client;

/** What the test executors saw, by kind and invoice number. */
const calls: { kind: string; invoice: string; chased: bigint; approval: boolean }[] = [];
/** Invoices a test pause source pauses, and the invoice a failing executor throws on. */
const paused = new Map<string, DunningPause['pausedMinor']>();
let failingInvoice: string | null = null;

function recordingExecutor(context: DunningActionContext) {
  if (context.invoice.number === failingInvoice)
    throw new Error(`executor refused ${context.invoice.number}`);
  calls.push({
    kind: context.step.kind,
    invoice: context.invoice.number,
    chased: context.invoice.chasedMinor,
    approval: context.step.requiresApproval === true,
  });
  return Promise.resolve({ outcome: 'queued' as const, refId: `ref-${context.actionId}`, detail: 'test' });
}

beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  admin = await signUp(t.app);
  finance = await addUser(admin, 'finance');
  sales = await addUser(admin, 'salesperson');
  // The other modules' executors are replaced here, so this file tests the engine and nothing it calls.
  // (A group executor wins over a batch one, which wins over a single one, so all three are replaced.)
  for (const kind of [
    'customer_reminder',
    'overdue_notice',
    'call_task',
    'visit_task',
    'dunning_letter',
    'lawyer_letter',
    'litigation_review',
    'owner_reminder',
  ] as const) {
    registerStepExecutor(kind, recordingExecutor);
    registerBatchStepExecutor(kind, async (contexts) => {
      const outcomes = [];
      for (const context of contexts) outcomes.push(await recordingExecutor(context));
      return outcomes;
    });
    registerGroupStepExecutor(kind, async (groups) => {
      const outcomes = [];
      for (const { actions, ...shared } of groups) {
        const each = [];
        for (const action of actions) each.push(await recordingExecutor({ ...shared, ...action }));
        outcomes.push({ each });
      }
      return outcomes;
    });
  }
  registerDunningPauseSource((_tx, tenantId) =>
    Promise.resolve(
      tenantId === admin.tenantId
        ? [...paused].map(([invoiceId, pausedMinor]) => ({
            invoiceId,
            reason: 'promise' as const,
            pausedMinor,
          }))
        : [],
    ),
  );
});

afterAll(() => t.close());

const actor = () => ({
  tenantId: admin.tenantId,
  userId: null,
  tokenId: null,
  requestId: 'test',
  ip: 'test',
});

async function run(asOf: string) {
  return runDunningNow(t.db, actor(), asOf as CalendarDate, 'cli', { shouldCollectActions: true });
}

function fired(result: Awaited<ReturnType<typeof run>>) {
  return result.actions
    .map((action) => `${action.planned.item.invoiceNumber}:${action.planned.step.kind}`)
    .sort();
}

async function actionCount(): Promise<number> {
  const row = await t.db.tenant(admin.tenantId, (tx) =>
    tx
      .selectFrom('dunning_actions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  );
  return Number(row.n);
}

describe('policies', () => {
  it('every organization has the default ladder of issue 5', async () => {
    const response = await sales.request('GET', '/api/dunning/policies');
    expect(response.statusCode).toBe(200);
    const [policy] = response.json<{ items: DunningPolicy[] }>().items;
    expect(policy?.isDefault).toBe(true);
    expect(
      policy?.steps.map((step) => [step.kind, step.offsetDays, step.channel, step.requiresApproval]),
    ).toEqual([
      ['customer_reminder', -3, 'email', false],
      ['overdue_notice', 1, 'email', false],
      ['call_task', 7, null, false],
      ['visit_task', 15, null, false],
      ['dunning_letter', 30, 'email', false],
      ['lawyer_letter', 60, 'email', true],
      ['litigation_review', 90, null, false],
      ['credit_hold', 90, null, false],
    ]);
  });

  it('refuses a salesperson and names the field of a bad step', async () => {
    const body = { name: '重点客户', steps: [{ kind: 'call_task', offsetDays: 3 }] };
    expect((await sales.request('POST', '/api/dunning/policies', body)).statusCode).toBe(403);
    const bad = await finance.request('POST', '/api/dunning/policies', {
      name: '坏的',
      steps: [{ kind: 'overdue_notice', offsetDays: 1 }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues).toEqual([
      { path: 'steps.0.channel', message: 'A message or letter step needs a channel' },
    ]);
  });

  it('edits a ladder keeping the ids of kept steps, retiring removed ones, audited', async () => {
    const created = await finance.request('POST', '/api/dunning/policies', {
      name: '重点客户',
      steps: [
        { kind: 'customer_reminder', offsetDays: -7, channel: 'sms' },
        { kind: 'call_task', offsetDays: 3 },
      ],
    });
    expect(created.statusCode).toBe(201);
    const policy = created.json<DunningPolicy>();
    const [reminder, call] = policy.steps;
    const updated = await finance.request('PUT', `/api/dunning/policies/${policy.id}`, {
      name: '重点客户',
      steps: [
        { id: call?.id, kind: 'call_task', offsetDays: 5 },
        { kind: 'visit_task', offsetDays: 10 },
      ],
    });
    expect(updated.statusCode).toBe(200);
    const after = updated.json<DunningPolicy>();
    expect(after.steps.map((step) => [step.kind, step.offsetDays])).toEqual([
      ['call_task', 5],
      ['visit_task', 10],
    ]);
    expect(after.steps[0]?.id).toBe(call?.id);
    expect(after.steps.some((step) => step.id === reminder?.id)).toBe(false);
    const wrongKind = await finance.request('PUT', `/api/dunning/policies/${policy.id}`, {
      name: '重点客户',
      steps: [{ id: call?.id, kind: 'visit_task', offsetDays: 5 }],
    });
    expect(wrongKind.json().error.issues[0].path).toBe('steps.0.id');
    const audit = await admin.request('GET', `/api/audit?entityId=${policy.id}`);
    expect(
      audit
        .json<{ items: { action: string }[] }>()
        .items.map((item) => item.action)
        .sort(),
    ).toEqual(['dunning_policy.create', 'dunning_policy.update']);
  });
});

describe('assignments: customer > rating > segment > default', () => {
  it('resolves each customer to the most specific policy', async () => {
    const policies = (await admin.request('GET', '/api/dunning/policies')).json<{ items: DunningPolicy[] }>()
      .items;
    const vip = policies.find((policy) => policy.name === '重点客户');
    const make = async (name: string) =>
      (
        await admin.request('POST', '/api/dunning/policies', {
          name,
          steps: [{ kind: 'call_task', offsetDays: 1 }],
        })
      ).json<DunningPolicy>();
    const bySegment = await make('经销商');
    const byRating = await make('D 级客户');
    const segmentOnly = await seedCustomer(t, admin.tenantId, { code: 'AS-1' });
    const ratedAndSegment = await seedCustomer(t, admin.tenantId, { code: 'AS-2' });
    const all = await seedCustomer(t, admin.tenantId, { code: 'AS-3' });
    const plain = await seedCustomer(t, admin.tenantId, { code: 'AS-4' });
    await t.db.tenant(admin.tenantId, (tx) =>
      tx
        .updateTable('customers')
        .set({ segment: 'dealer' })
        .where('id', 'in', [segmentOnly, ratedAndSegment, all])
        .execute(),
    );
    for (const id of [ratedAndSegment, all]) {
      const rated = await admin.request('PUT', `/api/customers/${id}/credit-rating`, {
        rating: 'D',
        reason: '多次拖欠',
      });
      expect(rated.statusCode).toBe(200);
    }
    const assign = (policyId: string | undefined, target: object) =>
      admin.request('POST', '/api/dunning/assignments', { policyId, target });
    expect((await assign(bySegment.id, { kind: 'segment', segment: 'dealer' })).statusCode).toBe(201);
    expect((await assign(byRating.id, { kind: 'rating', rating: 'D' })).statusCode).toBe(201);
    expect((await assign(vip?.id, { kind: 'customer', customerId: all })).statusCode).toBe(201);
    for (const [index, customerId] of [segmentOnly, ratedAndSegment, all, plain].entries()) {
      await seedInvoice(t, admin.tenantId, {
        customerId,
        number: `AS-INV-${index + 1}`,
        totalMinor: 100_00n,
        invoiceDate: '2025-01-01',
        dueDate: '2025-01-31',
      });
    }
    const preview = await finance.request('POST', '/api/dunning/preview', { asOf: '2025-02-10' });
    expect(preview.statusCode).toBe(200);
    const policyOf = new Map(
      preview.json<DunningPreview>().actions.map((action) => [action.customer, action.policyName]),
    );
    expect([...policyOf].filter(([code]) => code.startsWith('AS-'))).toEqual([
      ['AS-1', '经销商'],
      ['AS-2', 'D 级客户'],
      ['AS-3', '重点客户'],
      ['AS-4', '标准催收程序'],
    ]);
    // These four are settled so the run tests below see only their own items.
    for (const number of ['AS-INV-1', 'AS-INV-2', 'AS-INV-3', 'AS-INV-4']) {
      const invoice = await t.db.tenant(admin.tenantId, (tx) =>
        tx.selectFrom('invoices').select('id').where('number', '=', number).executeTakeFirstOrThrow(),
      );
      await seedCreditNote(t, admin.tenantId, {
        invoiceId: invoice.id,
        amountMinor: 100_00n,
        issuedOn: '2025-02-11',
      });
    }
  });
});

describe('runs', () => {
  let customerId: string;
  let invoiceA: string;

  beforeAll(async () => {
    customerId = await seedCustomer(t, admin.tenantId, { code: 'RUN-1' });
    invoiceA = await seedInvoice(t, admin.tenantId, {
      customerId,
      number: 'R-A',
      totalMinor: 1_000_00n,
      invoiceDate: '2026-02-01',
      dueDate: '2026-03-10',
    });
    await seedInvoice(t, admin.tenantId, {
      customerId,
      number: 'R-B',
      totalMinor: 500_00n,
      invoiceDate: '2026-02-15',
      dueDate: '2026-03-20',
    });
  });

  it('a preview lists what a run would do and records nothing', async () => {
    const before = await actionCount();
    const response = await finance.request('POST', '/api/dunning/preview', { asOf: '2026-03-07' });
    const preview = response.json<DunningPreview>();
    expect(
      preview.actions.map((action) => [action.invoice, action.step, action.daysOverdue, action.chased]),
    ).toEqual([['R-A', 'customer_reminder', -3, '1000.00']]);
    expect(await actionCount()).toBe(before);
  });

  it('fires each due step once: a rerun of the same date fires nothing, a later date only what became due', async () => {
    calls.length = 0;
    expect(fired(await run('2026-03-07'))).toEqual(['R-A:customer_reminder']);
    expect(fired(await run('2026-03-07'))).toEqual([]);
    expect(fired(await run('2026-03-11'))).toEqual(['R-A:overdue_notice']);
    expect(fired(await run('2026-03-17'))).toEqual(['R-A:call_task', 'R-B:customer_reminder']);
    // Within a batch the executors run kind by kind, always in the ladder's order of kinds (reminders before tasks).
    expect(calls.map((call) => `${call.invoice}:${call.kind}`)).toEqual([
      'R-A:customer_reminder',
      'R-A:overdue_notice',
      'R-B:customer_reminder',
      'R-A:call_task',
    ]);
    const outcome = await t.db.tenant(admin.tenantId, (tx) =>
      tx
        .selectFrom('dunning_actions')
        .select(['outcome', 'ref_id'])
        .where('invoice_id', '=', invoiceA)
        .where('kind', '=', 'call_task')
        .executeTakeFirstOrThrow(),
    );
    expect(outcome.outcome).toBe('queued');
    expect(outcome.ref_id).toMatch(/^ref-/);
  });

  it('records each action under the id its executor saw, and refuses a step recorded twice for an invoice', async () => {
    const recorded = await t.db.tenant(admin.tenantId, (tx) =>
      tx
        .selectFrom('dunning_actions')
        .select(['id', 'ref_id', 'invoice_id', 'step_id', 'customer_id'])
        .execute(),
    );
    expect(recorded.length).toBeGreaterThanOrEqual(4);
    // The recording executor answers ref-<action id>: the view's ids are the ones the executors were given.
    for (const action of recorded) expect(action.ref_id).toBe(`ref-${action.id}`);
    expect(new Set(recorded.map((action) => action.id)).size).toBe(recorded.length);
    // A run that got to the same step of the same invoice second (a concurrent run) fails, and nothing is written.
    const [first] = recorded;
    if (!first) throw new Error('nothing recorded');
    const again = await t.db
      .tenant(admin.tenantId, (tx) =>
        sql`
          INSERT INTO dunning_action_groups (tenant_id, id, run_id, customer_id, policy_id, step_id, kind,
            offset_days, as_of, currency, invoice_ids, due_dates, chased_minor, first_outcome, other_outcome)
          SELECT tenant_id, gen_random_uuid(), run_id, customer_id, policy_id, step_id, kind, offset_days, as_of,
            currency, ARRAY[invoice_id], ARRAY[due_date], ARRAY[chased_minor], 'recorded', 'recorded'
          FROM dunning_actions WHERE id = ${first.id}`.execute(tx),
      )
      .catch((error: unknown) => error);
    expect(again).toMatchObject({ code: '23505' });
    expect(await actionCount()).toBe(recorded.length);
  });

  it('skips a paused item and resumes it at the latest due step when the pause ends', async () => {
    paused.set(invoiceA, 'all');
    const during = await run('2026-03-26');
    expect(fired(during)).toEqual(['R-B:overdue_notice']);
    expect(during.paused).toBe(1);
    paused.delete(invoiceA);
    // Day 30 of R-A: the letter (day 30) and the visit (day 15) fire; the call (day 7) is superseded. Day 20 of R-B: its
    // visit supersedes its call the same way.
    expect(fired(await run('2026-04-09'))).toEqual([
      'R-A:dunning_letter',
      'R-A:visit_task',
      'R-B:visit_task',
    ]);
  });

  it('chases only the undisputed part of a partly paused item', async () => {
    paused.set(invoiceA, 400_00n);
    calls.length = 0;
    await run('2026-05-09');
    expect(calls.find((call) => call.invoice === 'R-A')).toEqual({
      kind: 'lawyer_letter',
      invoice: 'R-A',
      chased: 600_00n,
      approval: true,
    });
    paused.delete(invoiceA);
  });

  it('leaves a failing item for the next run and does the others', async () => {
    failingInvoice = 'R-B';
    const first = await run('2026-06-07');
    expect(first.status).toBe('succeeded');
    expect(first.errorCount).toBe(1);
    expect(fired(first)).toEqual([]);
    const runView = await finance.request('GET', `/api/dunning/runs/${first.runId}`);
    expect(runView.json<DunningRun>().errors).toEqual([
      { invoice: 'R-B', step: '', message: 'executor refused R-B' },
    ]);
    failingInvoice = null;
    expect(fired(await run('2026-06-07'))).toEqual(['R-B:lawyer_letter']);
  });

  it('places a credit hold at +90 that the credit check refuses writes with, released once the invoice is paid', async () => {
    const result = await run('2026-06-08');
    expect(fired(result)).toEqual(['R-A:credit_hold', 'R-A:litigation_review']);
    // The hold names its group; the view gives each invoice the id of the action that held it (migration 0026).
    const hold = result.actions.find((action) => action.planned.step.kind === 'credit_hold');
    const held = await t.db.tenant(admin.tenantId, (tx) =>
      sql<{ invoice_id: string; action_id: string; by_group: boolean }>`
        SELECT h.invoice_id, h.action_id, s.group_id IS NOT NULL AND s.action_ids IS NULL AS by_group
        FROM dunning_credit_holds h JOIN dunning_credit_hold_sets s ON s.tenant_id = h.tenant_id AND s.id = h.id
        WHERE h.id = ${hold?.outcome?.refId ?? null}::uuid`.execute(tx),
    );
    expect(held.rows).toEqual([{ invoice_id: invoiceA, action_id: hold?.actionId, by_group: true }]);
    const credit = (today: string) =>
      t.db.tenant(admin.tenantId, (tx) =>
        assertCreditAllows(
          { clock: { now: () => new Date(`${today}T04:00:00Z`) } },
          tx,
          { ...actor(), userId: admin.userId },
          { customerId, addedExposureMinor: 0n, currency: 'CNY', action: 'invoice.create' },
        ),
      );
    const refusal = await credit('2026-06-09').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(CreditRefusal);
    expect((refusal as CreditRefusal).causes).toContain('dunning');
    await seedCreditNote(t, admin.tenantId, {
      invoiceId: invoiceA,
      amountMinor: 1_000_00n,
      issuedOn: '2026-06-10',
    });
    const later = await credit('2026-06-11').catch((error: unknown) => error);
    expect(later instanceof CreditRefusal ? later.causes : []).not.toContain('dunning');
  });

  it('keeps the done steps of a settled invoice: open again (as of a date before its credit note), it fires nothing done', async () => {
    // R-A is settled now (credited on 2026-06-10); as of 2026-06-09 it is open, at day 91, with every family done.
    const preview = await finance.request('POST', '/api/dunning/preview', { asOf: '2026-06-09' });
    const planned = preview
      .json<DunningPreview>()
      .actions.filter((action) => action.invoice === 'R-A')
      .map((action) => `${action.step}${action.offsetDays}`);
    // Its pairs are still in its customer's row, one per action recorded for it: reminder, notice, call, letter,
    // visit, 律师函, hold and review.
    const counts = await t.db.tenant(admin.tenantId, async (tx) => {
      const done = await sql<{ pairs: string }>`
        SELECT count(*)::text AS pairs FROM dunning_customer_done_steps d,
          huikuan_done_pairs(d.step_ids, d.invoice_counts, d.invoice_ids) p
        WHERE d.customer_id = ${customerId} AND p.invoice_id = ${invoiceA}`.execute(tx);
      const actions = await tx
        .selectFrom('dunning_actions')
        .select(sql<string>`count(*)::text`.as('count'))
        .where('invoice_id', '=', invoiceA)
        .executeTakeFirstOrThrow();
      const recorded = await tx
        .selectFrom('dunning_actions')
        .select(['kind', 'offset_days'])
        .where('invoice_id', '=', invoiceA)
        .execute();
      return {
        pairs: done.rows[0]?.pairs,
        actions: actions.count,
        recorded: recorded.map((action) => `${action.kind}${action.offset_days}`),
      };
    });
    expect(counts.recorded).toContain('credit_hold90');
    expect(planned.filter((step) => counts.recorded.includes(step))).toEqual([]);
    expect(counts.pairs).toBe(counts.actions);
  });
});

describe('open items as of an earlier date', () => {
  it('chases what was open then: documents dated after the date are not counted yet, earlier ones are', async () => {
    const customerId = await seedCustomer(t, admin.tenantId, { code: 'PAST-1' });
    const invoice = (number: string, totalMinor: bigint) =>
      seedInvoice(t, admin.tenantId, {
        customerId,
        number,
        totalMinor,
        invoiceDate: '2025-12-01',
        dueDate: '2026-01-10',
      });
    const partly = await invoice('P-1', 300_00n);
    await seedCreditNote(t, admin.tenantId, {
      invoiceId: partly,
      amountMinor: 100_00n,
      issuedOn: '2026-01-05',
    });
    await seedCreditNote(t, admin.tenantId, {
      invoiceId: partly,
      amountMinor: 200_00n,
      issuedOn: '2026-02-20',
    });
    await seedVoid(t, admin.tenantId, await invoice('P-2', 50_00n), '2026-02-15');
    await seedVoid(t, admin.tenantId, await invoice('P-3', 70_00n), '2026-02-01');
    const credited = await invoice('P-4', 80_00n);
    await seedCreditNote(t, admin.tenantId, {
      invoiceId: credited,
      amountMinor: 80_00n,
      issuedOn: '2026-01-20',
    });
    // 2026-02-10 is day 31: P-1 is open 300 − 100 (the 200 comes later), P-2 is voided only later; P-3 was voided and
    // P-4 credited before. Every one of them is settled today, so nothing else in this file sees them.
    const preview = await finance.request('POST', '/api/dunning/preview', { asOf: '2026-02-10' });
    expect(
      preview
        .json<DunningPreview>()
        .actions.filter((action) => action.customer === 'PAST-1')
        .map((action) => [action.invoice, action.step, action.daysOverdue, action.chased]),
    ).toEqual([
      ['P-1', 'visit_task', 31, '200.00'],
      ['P-1', 'dunning_letter', 31, '200.00'],
      ['P-2', 'visit_task', 31, '50.00'],
      ['P-2', 'dunning_letter', 31, '50.00'],
    ]);
    const today = await finance.request('POST', '/api/dunning/preview', { asOf: '2026-02-20' });
    expect(today.json<DunningPreview>().actions.filter((action) => action.customer === 'PAST-1')).toEqual([]);
  });
});

describe('the snapshot', () => {
  it('reads any invoice number, exact amounts and ISO due dates, whatever the session’s DateStyle', async () => {
    // An organization of its own: nothing else in this file sees these invoices.
    const org = await signUp(t.app);
    const customerId = await seedCustomer(t, org.tenantId, { code: 'SNAP-1' });
    const seeded = [
      { number: 'N,1;2', totalMinor: 9_007_199_254_740_993n, currency: 'CNY', dueDate: '2026-01-31' },
      { number: 'N"3\\4', totalMinor: 1n, currency: 'USD', dueDate: '2025-12-01' },
      { number: 'N\n5 ', totalMinor: 12_345_67n, currency: 'CNY', dueDate: '2026-02-28' },
    ];
    const ids = new Map<string, string>();
    for (const invoice of seeded) {
      ids.set(
        invoice.number,
        await seedInvoice(t, org.tenantId, { customerId, invoiceDate: '2025-11-01', ...invoice }),
      );
    }
    // A customer's items come by due date (then number): what groups their actions into runs (memberLayout).
    const expected = [...seeded]
      .sort((a, b) => (a.dueDate < b.dueDate ? -1 : 1))
      .map((invoice) => ({
        invoiceId: ids.get(invoice.number),
        invoiceNumber: invoice.number,
        customerCode: 'SNAP-1',
        dueDate: invoice.dueDate,
        currency: invoice.currency,
        openMinor: invoice.totalMinor,
      }));
    const ofCustomer = (items: readonly OpenItem[]) =>
      items
        .filter((item) => item.customerId === customerId)
        .map(({ invoiceId, invoiceNumber, customerCode, dueDate, currency, openMinor }) => ({
          invoiceId,
          invoiceNumber,
          customerCode,
          dueDate,
          currency,
          openMinor,
        }));
    const asOf = '2026-03-01' as CalendarDate;
    const { whole, chunked } = await t.db.tenant(org.tenantId, async (tx) => {
      await sql`SET LOCAL DateStyle = 'SQL, DMY'`.execute(tx);
      const whole = await openItemsAsOf(tx, org.tenantId, asOf, asOf);
      const chunked: OpenItem[] = [];
      await openItemsInChunks(tx, org.tenantId, asOf, asOf, 2, (items) => {
        chunked.push(...items);
      });
      return { whole, chunked };
    });
    expect(ofCustomer(whole)).toEqual(expected);
    expect(ofCustomer(chunked)).toEqual(expected);
  });

  it('reads every open item exactly once, in chunks of any size', async () => {
    const org = await signUp(t.app);
    // Seven customers, one without invoices, one whose only invoice is due after the cut-off: ranges of 1, 2, 3, 10.
    const codes = ['R-A', 'R-B', 'R-C', 'R-D', 'R-E', 'R-F', 'R-G'];
    for (const [index, code] of codes.entries()) {
      const customerId = await seedCustomer(t, org.tenantId, { code });
      if (code === 'R-D') continue;
      for (let n = 0; n <= index % 3; n += 1) {
        await seedInvoice(t, org.tenantId, {
          customerId,
          number: `${code}-${n}`,
          totalMinor: 100_00n,
          invoiceDate: '2026-01-05',
          dueDate: code === 'R-G' && n === 0 ? '2026-06-30' : '2026-02-01',
        });
      }
    }
    const asOf = '2026-03-01' as CalendarDate;
    const numbers = (items: readonly OpenItem[]) => items.map((item) => item.invoiceNumber).sort();
    const { whole, chunkings } = await t.db.tenant(org.tenantId, async (tx) => {
      const whole = await openItemsAsOf(tx, org.tenantId, asOf, asOf);
      const chunkings: { size: number; items: OpenItem[]; chunks: number }[] = [];
      for (const size of [1, 2, 3, 10]) {
        const chunking = { size, items: [] as OpenItem[], chunks: 0 };
        await openItemsInChunks(tx, org.tenantId, asOf, asOf, size, (items) => {
          chunking.chunks += 1;
          chunking.items.push(...items);
        });
        chunkings.push(chunking);
      }
      return { whole, chunkings };
    });
    // R-D has no invoice, and R-G's one is due after the cut-off.
    expect(numbers(whole)).toEqual([
      'R-A-0',
      'R-B-0',
      'R-B-1',
      'R-C-0',
      'R-C-1',
      'R-C-2',
      'R-E-0',
      'R-E-1',
      'R-F-0',
      'R-F-1',
      'R-F-2',
    ]);
    for (const chunking of chunkings) {
      expect({ size: chunking.size, numbers: numbers(chunking.items) }).toEqual({
        size: chunking.size,
        numbers: numbers(whole),
      });
    }
    // Five customers with items: one chunk each at size 1, one for all at size 10.
    expect(chunkings.map((chunking) => chunking.chunks)).toEqual([
      5,
      expect.any(Number),
      expect.any(Number),
      1,
    ]);
  });
});

describe('runs through the API', () => {
  it('starts in the background, shows its progress and results, and lists the actions', async () => {
    const rb = await t.db.tenant(admin.tenantId, (tx) =>
      tx.selectFrom('invoices').select('id').where('number', '=', 'R-B').executeTakeFirstOrThrow(),
    );
    await seedCreditNote(t, admin.tenantId, {
      invoiceId: rb.id,
      amountMinor: 500_00n,
      issuedOn: '2026-11-01',
    });
    const customerId = await seedCustomer(t, admin.tenantId, { code: 'API-1' });
    await seedInvoice(t, admin.tenantId, {
      customerId,
      number: 'API-INV',
      totalMinor: 10_00n,
      invoiceDate: '2026-10-01',
      dueDate: '2026-11-21',
    });
    expect((await sales.request('POST', '/api/dunning/runs', {})).statusCode).toBe(403);
    const started = await finance.request('POST', '/api/dunning/runs', {});
    expect(started.statusCode).toBe(202);
    let view = started.json<DunningRun>();
    expect(view.asOf).toBe('2026-11-22');
    for (let attempt = 0; attempt < 100 && view.status === 'running'; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      view = (await finance.request('GET', `/api/dunning/runs/${view.id}`)).json<DunningRun>();
    }
    expect(view).toMatchObject({
      status: 'succeeded',
      source: 'manual',
      fired: 1,
      countsByKind: { overdue_notice: 1 },
    });
    expect(view.done).toBe(view.total);
    const actions = await finance.request('GET', `/api/dunning/runs/${view.id}/actions`);
    expect(
      actions.json<{ items: { invoice: string; step: string }[] }>().items.map((a) => [a.invoice, a.step]),
    ).toEqual([['API-INV', 'overdue_notice']]);
    const timeline = await finance.request('GET', `/api/customers/${customerId}/dunning-actions`);
    expect(timeline.json<{ items: { step: string; outcome: string }[] }>().items).toMatchObject([
      { step: 'overdue_notice', outcome: 'queued' },
    ]);
    const runs = await finance.request('GET', '/api/dunning/runs?limit=1');
    expect(runs.json<{ items: DunningRun[] }>().items[0]?.id).toBe(view.id);
  });
});

describe('progress', () => {
  it('keeps the progress a failed batch carried for the next write, so the run row never loses it', async () => {
    const owner = await signUp(t.app);
    const invoiceOf = async (code: string, dueDate: string) => {
      const customerId = await seedCustomer(t, owner.tenantId, { code });
      await seedInvoice(t, owner.tenantId, {
        customerId,
        number: `${code}-1`,
        totalMinor: 100_00n,
        invoiceDate: '2026-02-01',
        dueDate,
      });
    };
    // On 03-09, PB-1 has nothing new (its reminder went on 03-07), PB-2's reminder fails again, PB-3 is one day
    // overdue: three batches of one customer each, the first with nothing to do.
    await invoiceOf('PB-1', '2026-03-10');
    await invoiceOf('PB-2', '2026-03-10');
    await invoiceOf('PB-3', '2026-03-08');
    const ownerActor = {
      tenantId: owner.tenantId,
      userId: null,
      tokenId: null,
      requestId: 'test',
      ip: 'test',
    };
    failingInvoice = 'PB-2-1';
    try {
      await runDunningNow(t.db, ownerActor, '2026-03-07' as CalendarDate, 'cli');
      const doneAfter: number[] = [];
      const result = await runDunningNow(t.db, ownerActor, '2026-03-09' as CalendarDate, 'cli', {
        lanes: 1,
        batchSize: 1,
        afterBatch: async (batches) => {
          const row = await t.db.tenant(owner.tenantId, (tx) =>
            tx
              .selectFrom('dunning_runs')
              .select('done_count')
              .where('status', '=', 'running')
              .executeTakeFirstOrThrow(),
          );
          doneAfter[batches - 1] = row.done_count;
        },
      });
      expect(result.errorCount).toBe(1);
      expect(result.countsByKind).toEqual({ overdue_notice: 1 });
      // After PB-3's batch the row counts all three items: PB-1's progress, carried into PB-2's batch that rolled
      // back, went with PB-3's.
      expect(doneAfter[2]).toBe(3);
    } finally {
      failingInvoice = null;
    }
  });
});

describe('runs read their snapshot a chunk of customers at a time', () => {
  it('fires what a preview plans, whatever the chunks, and never counts more done than read', async () => {
    for (const code of ['CH-1', 'CH-2', 'CH-3']) {
      const customerId = await seedCustomer(t, admin.tenantId, { code });
      for (const number of ['1', '2']) {
        await seedInvoice(t, admin.tenantId, {
          customerId,
          number: `${code}-${number}`,
          totalMinor: 100_00n,
          invoiceDate: '2026-08-01',
          dueDate: '2026-09-01',
        });
      }
    }
    const preview = await finance.request('POST', '/api/dunning/preview', { asOf: '2026-09-02' });
    const planned = preview
      .json<DunningPreview>()
      .actions.filter((action) => action.customer.startsWith('CH-'))
      .map((action) => `${action.invoice}:${action.step}`)
      .sort();
    expect(planned).toHaveLength(6);
    const progress: { total: number; done: number }[] = [];
    const result = await runDunningNow(t.db, actor(), '2026-09-02' as CalendarDate, 'cli', {
      shouldCollectActions: true,
      customersPerChunk: 1,
      batchSize: 1,
      onProgress: ({ total, done }) => progress.push({ total, done }),
    });
    expect(result.status).toBe('succeeded');
    expect(fired(result).filter((action) => action.startsWith('CH-'))).toEqual(planned);
    // One chunk per customer with open items: the total grows chunk by chunk, and done never passes it.
    expect(new Set(progress.map((entry) => entry.total)).size).toBeGreaterThan(3);
    for (const entry of progress) expect(entry.done).toBeLessThanOrEqual(entry.total);
    const row = await t.db.tenant(admin.tenantId, (tx) =>
      tx
        .selectFrom('dunning_runs')
        .select(['total_count', 'done_count'])
        .where('id', '=', result.runId)
        .executeTakeFirstOrThrow(),
    );
    expect(row).toEqual({ total_count: result.total, done_count: result.total });
  });
});
