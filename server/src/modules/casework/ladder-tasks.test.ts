import { randomUUID } from 'node:crypto';
import type { CalendarDate } from '@huikuan/core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAuditJson } from '../../platform/audit';
import { countingDb } from '../../../test/support/statement-count';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import type { DunningActionContext, DunningActionOutcome } from '../dunning';
import { runAsGroups } from '../dunning/group-test-support';
import { seedCustomer, seedInvoice } from '../receipts/test-fixtures';
import { createCallTasks, createLitigationReviews, createVisitTasks, JOINED_DETAIL } from './ladder-tasks';
import { createCallTask, createLitigationReview, createVisitTask } from './step-executors';

/**
 * The ladder's task steps as group executors (a run hands over each customer's actions of a step together): the
 * same tasks, links, outcomes and audit entries as the single executors doing the actions one by one, in a fixed
 * number of statements however many actions.
 *
 * Two organizations with the same ledger (CNY; run as of 2026-11-22): customer X with invoices X1, X2, X3 (45 days
 * overdue) and customer Y with Y1; the single executors run in one, the batch executors in the other, and what they
 * wrote is compared after replacing ids with invoice numbers and customer codes. A third set of 65 customers with
 * one invoice each serves the statement counts.
 */

type Org = { client: Client; customers: Map<string, string>; invoices: Map<string, string>; sales: Client };

let t: TestApp;
let single: Org;
let batch: Org;
const fresh: { customerId: string; invoiceId: string; number: string }[] = [];

async function seedOrg(): Promise<Org> {
  const client = await signUp(t.app);
  const sales = await addUser(client, 'salesperson');
  const customers = new Map<string, string>();
  const invoices = new Map<string, string>();
  for (const [code, numbers] of [
    ['X', ['X1', 'X2', 'X3']],
    ['Y', ['Y1']],
  ] as const) {
    const customerId = await seedCustomer(t, client.tenantId, { code, ownerUserId: sales.userId });
    customers.set(code, customerId);
    for (const number of numbers) {
      const invoiceId = await seedInvoice(t, client.tenantId, {
        customerId,
        number,
        totalMinor: 1_234_567n,
        invoiceDate: '2026-01-01',
        dueDate: '2026-10-08',
      });
      invoices.set(number, invoiceId);
    }
  }
  return { client, customers, invoices, sales };
}

function contextOf(
  tx: DunningActionContext['tx'],
  org: Org,
  runId: string,
  number: string,
  kind: DunningActionContext['step']['kind'],
): DunningActionContext {
  const code = number.slice(0, 1);
  const customerId = org.customers.get(code) ?? '';
  return {
    tx,
    tenantId: org.client.tenantId,
    runId,
    actionId: randomUUID(),
    asOf: '2026-11-22' as CalendarDate,
    step: { kind, channel: null, offsetDays: 15, templateKey: null },
    invoice: {
      id: org.invoices.get(number) ?? '',
      number,
      customerId,
      dueDate: '2026-10-08' as CalendarDate,
      chasedMinor: 1_234_567n,
      currency: 'CNY',
      daysOverdue: 45,
    },
    customer: { id: customerId, name: `Customer ${code}`, ownerUserId: org.sales.userId },
  };
}

/** What the executors wrote in an organization, with ids replaced by what they stand for. */
async function written(org: Org) {
  const numberOf = new Map([...org.invoices].map(([number, id]) => [id, number]));
  const codeOf = new Map([...org.customers].map(([code, id]) => [id, code]));
  return t.db.tenant(org.client.tenantId, async (tx) => {
    const activities = await sql<{
      id: string;
      customer_id: string;
      kind: string;
      task_type: string | null;
      title: string;
      planned_on: string | null;
      due_on: string | null;
      expected_amount_minor: bigint | null;
      assignee_user_id: string | null;
      assignee_role: string | null;
      parent_activity_id: string | null;
      invoice_ids: string[] | null;
    }>`
      SELECT a.id, a.customer_id, a.kind, a.task_type, a.title, a.planned_on, a.due_on, a.expected_amount_minor,
        a.assignee_user_id, a.assignee_role, a.parent_activity_id,
        (SELECT array_agg(l.invoice_id ORDER BY l.invoice_id) FROM collection_activity_invoices l
         WHERE l.tenant_id = a.tenant_id AND l.activity_id = a.id) AS invoice_ids
      FROM collection_activities a ORDER BY a.kind, a.task_type, a.title`.execute(tx);
    const audits = await sql<{ action: string; n: number }>`
      SELECT action, count(*)::int AS n FROM audit_log WHERE entity_type = 'collection_activity'
      GROUP BY action ORDER BY action`.execute(tx);
    const kindOf = new Map(activities.rows.map((row) => [row.id, `${row.kind}/${row.task_type ?? ''}`]));
    return {
      activities: activities.rows
        .map((row) => ({
          customer: codeOf.get(row.customer_id),
          kind: row.kind,
          taskType: row.task_type,
          title: row.title,
          plannedOn: row.planned_on,
          dueOn: row.due_on,
          expectedAmountMinor: row.expected_amount_minor,
          assignee: row.assignee_user_id === org.sales.userId ? 'owner' : row.assignee_user_id,
          assigneeRole: row.assignee_role,
          parent: row.parent_activity_id === null ? null : kindOf.get(row.parent_activity_id),
          invoices: (row.invoice_ids ?? []).map((id) => numberOf.get(id)).sort(),
        }))
        .sort((a, b) =>
          `${a.kind}/${a.taskType ?? '~'}/${a.customer ?? ''}`.localeCompare(
            `${b.kind}/${b.taskType ?? '~'}/${b.customer ?? ''}`,
          ),
        ),
      audits: audits.rows,
    };
  });
}

/** Outcomes with each refId replaced by the number of the invoice whose action created what it points at. */
function shape(outcomes: readonly DunningActionOutcome[], numbers: readonly string[]) {
  const firstFor = new Map<string, string>();
  outcomes.forEach((outcome, index) => {
    if (outcome.refId && !firstFor.has(outcome.refId)) firstFor.set(outcome.refId, numbers[index] ?? '');
  });
  return outcomes.map((outcome) => ({ ...outcome, refId: firstFor.get(outcome.refId ?? '') }));
}

beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  single = await seedOrg();
  batch = await seedOrg();
  for (let index = 0; index < 65; index += 1) {
    const code = `F-${String(index).padStart(2, '0')}`;
    const customerId = await seedCustomer(t, batch.client.tenantId, {
      code,
      ownerUserId: batch.sales.userId,
    });
    const invoiceId = await seedInvoice(t, batch.client.tenantId, {
      customerId,
      number: `${code}-1`,
      totalMinor: 50_000n,
      invoiceDate: '2026-01-01',
      dueDate: '2026-10-08',
    });
    fresh.push({ customerId, invoiceId, number: `${code}-1` });
  }
}, 120_000);

afterAll(() => t.close());

const KINDS = [
  { kind: 'call_task', one: createCallTask, many: createCallTasks },
  { kind: 'visit_task', one: createVisitTask, many: createVisitTasks },
  { kind: 'litigation_review', one: createLitigationReview, many: createLitigationReviews },
] as const;

describe('ladder task steps in groups', () => {
  it('create, link and audit exactly what the single steps do, one task per customer', async () => {
    const numbers = ['X1', 'X2', 'Y1', 'X3'];
    for (const { kind, one, many } of KINDS) {
      // The single executors: each action in turn, all in one run's transaction.
      const singleRun = randomUUID();
      const oneByOne = await t.db.tenant(single.client.tenantId, async (tx) => {
        const outcomes: DunningActionOutcome[] = [];
        for (const number of numbers)
          outcomes.push(await one(contextOf(tx, single, singleRun, number, kind)));
        return outcomes;
      });
      const batchRun = randomUUID();
      const together = await t.db.tenant(batch.client.tenantId, (tx) =>
        runAsGroups(
          many,
          numbers.map((number) => contextOf(tx, batch, batchRun, number, kind)),
        ),
      );
      expect(shape(together, numbers), kind).toEqual(shape(oneByOne, numbers));
      expect(together.map((outcome) => outcome.detail ?? null)).toEqual([
        null,
        JOINED_DETAIL,
        null,
        JOINED_DETAIL,
      ]);
    }
    const [bySingle, byBatch] = await Promise.all([written(single), written(batch)]);
    expect(byBatch).toEqual(bySingle);
    // One call task, one visit with its confirmation and one litigation review per customer; X's list its three.
    expect(
      byBatch.activities.filter((row) => row.customer === 'X').map((row) => [row.taskType, row.invoices]),
    ).toEqual([
      ['call', ['X1', 'X2', 'X3']],
      ['litigation_review', ['X1', 'X2', 'X3']],
      ['visit_confirmation', []],
      [null, ['X1', 'X2', 'X3']],
    ]);
    expect(byBatch.audits).toEqual([
      { action: 'activity.task_created', n: 6 },
      { action: 'activity.visit_logged', n: 2 },
    ]);
  });

  it('audits each new task with its row as stored and the invoice it was created for, as insertActivity does', async () => {
    const numberOf = new Map([...batch.invoices].map(([number, id]) => [id, number]));
    const { entries, rows } = await t.db.tenant(batch.client.tenantId, async (tx) => ({
      entries: await tx
        .selectFrom('audit_log')
        .select(['entity_id', 'after', 'actor_user_id', 'request_id'])
        .where('entity_type', '=', 'collection_activity')
        .execute(),
      rows: await tx.selectFrom('collection_activities').selectAll().execute(),
    }));
    expect(entries).toHaveLength(8);
    const titles: string[] = [];
    for (const entry of entries) {
      const row = rows.find((candidate) => candidate.id === entry.entity_id);
      if (!row) throw new Error(`no activity ${entry.entity_id}`);
      const { invoiceIds, ...after } = entry.after as Record<string, unknown>;
      expect(after).toEqual(toAuditJson(row));
      expect(entry.actor_user_id).toBeNull();
      expect(entry.request_id).toMatch(/^dunning-run:/);
      titles.push(
        `${row.task_type ?? row.kind}: ${(invoiceIds as string[]).map((id) => numberOf.get(id)).join()}`,
      );
    }
    // The first action of each customer created its task (X1 and Y1 come first); a confirmation lists none.
    expect(titles.sort()).toEqual([
      'call: X1',
      'call: Y1',
      'litigation_review: X1',
      'litigation_review: Y1',
      'visit: X1',
      'visit: Y1',
      'visit_confirmation: ',
      'visit_confirmation: ',
    ]);
  });

  it('an open task from an earlier run takes the next run’s actions', async () => {
    const run = randomUUID();
    const outcomes = await t.db.tenant(batch.client.tenantId, (tx) =>
      runAsGroups(createVisitTasks, [
        contextOf(tx, batch, run, 'X1', 'visit_task'),
        contextOf(tx, batch, run, 'Y1', 'visit_task'),
      ]),
    );
    expect(outcomes.every((outcome) => outcome.detail === JOINED_DETAIL)).toBe(true);
    const visits = (await written(batch)).activities.filter((row) => row.kind === 'visit');
    expect(visits).toHaveLength(2);
    // X1 was linked to X's visit twice (two runs); the visit lists it once.
    expect(visits.find((row) => row.customer === 'X')?.invoices).toEqual(['X1', 'X2', 'X3']);
  });

  it('writes in as many statements for 60 actions as for 5, whatever the kind', async () => {
    for (const { kind, many } of KINDS) {
      let next = 0;
      const statementsFor = async (size: number) => {
        const counting = countingDb(t.db);
        const run = randomUUID();
        const chosen = fresh.slice(next, next + size);
        next += size;
        const outcomes = await counting.db.tenant(batch.client.tenantId, (tx) =>
          runAsGroups(
            many,
            chosen.map((entry) => ({
              ...contextOf(tx, batch, run, 'X1', kind),
              invoice: {
                id: entry.invoiceId,
                number: entry.number,
                customerId: entry.customerId,
                dueDate: '2026-10-08' as CalendarDate,
                chasedMinor: 50_000n,
                currency: 'CNY',
                daysOverdue: 45,
              },
              customer: { id: entry.customerId, name: entry.number, ownerUserId: batch.sales.userId },
            })),
          ),
        );
        expect(outcomes).toHaveLength(size);
        expect(new Set(outcomes.map((outcome) => outcome.refId)).size).toBe(size);
        expect(
          outcomes.every((outcome) => outcome.outcome === 'created' && outcome.detail === undefined),
        ).toBe(true);
        return counting.count();
      };
      expect(await statementsFor(60), kind).toBe(await statementsFor(5));
    }
  });
});
