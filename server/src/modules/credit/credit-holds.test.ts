import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdTransition, minorToDecimalString, recordScopeOf, type RecordScope } from '@huikuan/core';
import type { CreditHoldRow, CreditHoldsPage } from '@huikuan/core/contracts';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { todayIn } from '../../platform/clock';
import { insertAllocatedReceipt } from '../invoices/test-fixtures';
import { seedCustomer, seedInvoice } from '../receipts/test-fixtures';
import { evaluateCustomers } from './credit-position';
import { loadCreditContext } from './credit-settings';
import { isOverridden } from './customer-credit';

/**
 * The holds list screens the scope and evaluates in full only some customers (hold-screen.ts). These tests build an
 * organization with every kind of customer the screen treats apart and check that the list answers exactly what
 * evaluating every customer in full answers: the same rows in the same order, the same summary counts, and the same
 * hold transitions recorded. The test clock stands at 2026-11-22 (Asia/Shanghai).
 */

let t: TestApp;
let admin: Client;
let finance: Client;
let sales: Client;
let tenant: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  admin = await signUp(t.app);
  finance = await addUser(admin, 'finance');
  sales = await addUser(admin, 'salesperson');
  tenant = admin.tenantId;
}, 60_000);

afterAll(async () => {
  await t.close();
});

async function customer(name: string, ownerUserId: string | null = sales.userId): Promise<string> {
  const id = await seedCustomer(t, tenant, { code: name, ownerUserId });
  ids[name] = id;
  return id;
}

async function invoice(customerId: string, totalMinor: bigint, dueDate: string, invoiceDate = '2026-01-05') {
  return seedInvoice(t, tenant, { customerId, totalMinor, invoiceDate, dueDate });
}

async function contract(customerId: string, amount: string, nodes: { name: string; amount: string }[]) {
  const response = await admin.request('POST', '/api/contracts', {
    number: `HT-${randomUUID().slice(0, 8)}`,
    customerId,
    amount,
    signedOn: '2026-10-01',
    planNodes: nodes.map((node) => ({ ...node, dueTrigger: 'on_delivery' })),
  });
  expect(response.statusCode, response.body).toBe(201);
}

async function setLimit(customerId: string, limit: string) {
  const response = await finance.request('PUT', `/api/customers/${customerId}/credit-limit`, {
    limit,
    reason: 'review',
  });
  expect(response.statusCode, response.body).toBe(200);
}

/**
 * A hold as the ladder's credit_hold step places it. The dunning module is moving the holds into one row per
 * customer and batch (dunning_credit_hold_sets, with dunning_credit_holds as a view of one row per invoice); the
 * credit module reads the view either way, so the fixture writes whichever table this schema has.
 */
async function dunningHold(customerId: string, invoiceId: string) {
  await t.db.tenant(tenant, async (tx) => {
    const found = await sql<{ sets: string | null }>`
      SELECT to_regclass('dunning_credit_hold_sets')::text AS sets`.execute(tx);
    const actionId = randomUUID();
    await (
      found.rows[0]?.sets
        ? sql`INSERT INTO dunning_credit_hold_sets (tenant_id, customer_id, placed_on, invoice_ids, action_ids)
          VALUES (${tenant}, ${customerId}, '2026-11-01', ARRAY[${invoiceId}::uuid], ARRAY[${actionId}::uuid])`
        : sql`INSERT INTO dunning_credit_holds (tenant_id, customer_id, invoice_id, action_id, placed_on)
          VALUES (${tenant}, ${customerId}, ${invoiceId}, ${actionId}, '2026-11-01')`
    ).execute(tx);
  });
}

/** What evaluating every customer of `scope` in full answers: the flagged rows by code, counts, transitions due. */
async function reference(scope: RecordScope) {
  return t.db.tenant(tenant, async (tx) => {
    const context = await loadCreditContext(tx, tenant);
    const today = todayIn(t.clock, context.timezone);
    const evaluations = await evaluateCustomers(tx, tenant, context, today, { kind: 'scope', scope });
    const flagged = evaluations.filter((evaluation) => evaluation.causes.length > 0 || evaluation.isWarning);
    const rows = flagged.map((evaluation) => ({
      customerId: evaluation.customerId,
      code: evaluation.code,
      limit: evaluation.limitMinor === null ? null : minorToDecimalString(evaluation.limitMinor, 'CNY'),
      exposure: minorToDecimalString(evaluation.position.exposureMinor, 'CNY'),
      isOnHold: evaluation.causes.length > 0,
      isWarning: evaluation.isWarning,
      isOverridden: isOverridden(evaluation, context),
      causes: evaluation.causes,
      oldestOverdueDays: evaluation.position.oldestOverdueDays,
      openDisputes: minorToDecimalString(evaluation.position.openDisputesMinor, 'CNY'),
    }));
    const summary = {
      onHold: rows.filter((row) => row.isOnHold).length,
      warning: rows.filter((row) => !row.isOnHold).length,
      overridden: rows.filter((row) => row.isOverridden).length,
    };
    const transitions = Object.fromEntries(
      evaluations.flatMap((evaluation) => {
        const transition = holdTransition(evaluation.recordedCauses, evaluation.causes);
        return transition === null ? [] : [[evaluation.customerId, transition]];
      }),
    );
    return { rows, summary, transitions };
  });
}

/** Every page of the list, following the cursor; `limit` small so pages end inside the screened rows read. */
async function listAll(client: Client, status: 'hold' | 'warning' | 'any', limit: number) {
  const rows: CreditHoldRow[] = [];
  let summary: CreditHoldsPage['summary'] | null = null;
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '' : `&cursor=${cursor}`;
    const response = await client.request('GET', `/api/credit/holds?status=${status}&limit=${limit}${query}`);
    expect(response.statusCode, response.body).toBe(200);
    const page = response.json<CreditHoldsPage>();
    rows.push(...page.items);
    summary ??= page.summary;
    expect(page.summary).toEqual(summary);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { rows, summary };
}

/** The newest credit_hold_events seq so far (null: none), to read only what a list records after it. */
async function lastEventSeq(): Promise<bigint | null> {
  const row = await t.db.tenant(tenant, (tx) =>
    tx
      .selectFrom('credit_hold_events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('tenant_id', '=', tenant)
      .executeTakeFirst(),
  );
  return row?.seq === null || row?.seq === undefined ? null : BigInt(row.seq);
}

/** The transitions a list recorded after `mark`, by customer. */
async function eventsSince(mark: bigint | null): Promise<Record<string, string>> {
  const rows = await t.db.tenant(tenant, (tx) =>
    tx
      .selectFrom('credit_hold_events')
      .select(['customer_id', 'event'])
      .where('tenant_id', '=', tenant)
      .where('source', '=', 'list')
      .where('seq', '>', mark ?? -1n)
      .orderBy('seq')
      .execute(),
  );
  return Object.fromEntries(rows.map((row) => [row.customer_id, row.event]));
}

function pick(row: CreditHoldRow) {
  const { name: _name, ownerUserId: _owner, currency: _currency, shareOfLimit: _share, ...rest } = row;
  return rest;
}

describe('the holds list decides every customer as the full evaluation does', () => {
  it('with limits, overdue items, disputes, dunning holds, overrides, late documents and released holds', async () => {
    // A limit: over it through unbilled plan nodes alone, at the warning line, well below it.
    await contract(await customer('A-LIMIT-OVER'), '2000.00', [{ name: 'N1', amount: '2000.00' }]);
    await setLimit(ids['A-LIMIT-OVER']!, '1000.00');
    await setLimit(await customer('A-LIMIT-WARN'), '1000.00');
    await invoice(ids['A-LIMIT-WARN']!, 85_000n, '2026-12-31', '2026-11-01');
    await setLimit(await customer('A-LIMIT-OK'), '1000.00');
    await invoice(ids['A-LIMIT-OK']!, 10_000n, '2026-12-31', '2026-11-01');
    // Overdue only: two customers with the same inputs (one group), and 90 against 91 days.
    await invoice(await customer('B-OLD-1'), 5_000n, '2026-08-01');
    await invoice(await customer('B-OLD-2'), 7_000n, '2026-08-01');
    await invoice(await customer('B-EDGE-90'), 5_000n, '2026-08-24');
    await invoice(await customer('B-EDGE-91'), 5_000n, '2026-08-23');
    // Overdue with a contract's unbilled nodes: no limit, so only the rows shown need the exposure.
    const big = await customer('B-OLD-CONTRACT');
    await contract(big, '9000.00', [
      { name: 'N1', amount: '4000.00' },
      { name: 'N2', amount: '5000.00' },
    ]);
    await invoice(big, 3_000n, '2026-07-01');
    // A dispute; a dunning hold on an open invoice; one on a paid invoice.
    const disputed = await customer('C-DISPUTE');
    const disputedInvoice = await invoice(disputed, 30_000n, '2026-12-31', '2026-11-01');
    const raised = await sales.request('POST', '/api/disputes', {
      customerId: disputed,
      invoiceId: disputedInvoice,
      amount: '10.00',
      reasonCode: 'quality',
    });
    expect(raised.statusCode, raised.body).toBe(201);
    const dunned = await customer('D-DUNNING');
    await dunningHold(dunned, await invoice(dunned, 4_000n, '2026-10-01'));
    const dunnedPaid = await customer('D-DUNNING-PAID');
    const paidInvoice = await invoice(dunnedPaid, 4_000n, '2026-10-01');
    await dunningHold(dunnedPaid, paidInvoice);
    await insertAllocatedReceipt(t, tenant, {
      customerId: dunnedPaid,
      invoiceId: paidInvoice,
      amountMinor: 4_000n,
      allocatedOn: '2026-11-10',
    });
    // Documents dated after today: paid in the kept figures, open as of today (overdue; and a dunning hold).
    const late = await customer('E-LATE');
    const lateInvoice = await invoice(late, 6_000n, '2026-06-30');
    await insertAllocatedReceipt(t, tenant, {
      customerId: late,
      invoiceId: lateInvoice,
      amountMinor: 6_000n,
      allocatedOn: '2026-12-05',
    });
    const lateDunned = await customer('E-LATE-DUNNING');
    const lateDunnedInvoice = await invoice(lateDunned, 2_000n, '2026-10-20');
    await dunningHold(lateDunned, lateDunnedInvoice);
    await insertAllocatedReceipt(t, tenant, {
      customerId: lateDunned,
      invoiceId: lateDunnedInvoice,
      amountMinor: 2_000n,
      allocatedOn: '2026-12-05',
    });
    // Overdue with an approved override; a hold that will be released; customers with nothing to flag.
    const overridden = await customer('F-OVERRIDE');
    await invoice(overridden, 1_000n, '2026-05-01');
    const asked = await sales.request('POST', `/api/customers/${overridden}/credit-overrides`, {
      amount: '0',
      validUntil: '2026-11-30',
      reason: '已承诺付款',
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const approval = asked.json<{ id: string }>().id;
    const decided = await finance.request('POST', `/api/approvals/${approval}/decision`, {
      decision: 'approve',
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const releasing = await customer('G-RELEASE');
    const releasingInvoice = await invoice(releasing, 9_000n, '2026-04-01');
    await invoice(await customer('H-CURRENT'), 9_000n, '2026-12-31', '2026-11-01');
    await customer('H-NOTHING');
    await invoice(await customer('X-OTHER-OWNER', null), 1_000n, '2026-03-01');

    // First list: every hold not yet recorded (the limit, dispute and override writes recorded theirs) is placed.
    const first = await reference({ kind: 'all' });
    expect(Object.values(first.transitions)).toEqual(Array.from({ length: 9 }, () => 'placed'));
    const before = await lastEventSeq();
    const listed = await listAll(admin, 'any', 2);
    expect(listed.rows.map(pick)).toEqual(first.rows);
    expect(listed.summary).toEqual(first.summary);
    expect(await eventsSince(before)).toEqual(first.transitions);
    const byCode = Object.fromEntries(listed.rows.map((row) => [row.code, row]));
    expect(byCode['A-LIMIT-OVER']).toMatchObject({ causes: ['over_limit'], exposure: '2000.00' });
    expect(byCode['A-LIMIT-WARN']).toMatchObject({ causes: [], isWarning: true });
    expect(byCode['A-LIMIT-OK']).toBeUndefined();
    expect(byCode['B-EDGE-90']).toBeUndefined();
    expect(byCode['B-EDGE-91']).toMatchObject({ causes: ['overdue'], oldestOverdueDays: 91 });
    expect(byCode['B-OLD-CONTRACT']).toMatchObject({ causes: ['overdue'], exposure: '9030.00' });
    expect(byCode['C-DISPUTE']).toMatchObject({ causes: ['dispute'], openDisputes: '10.00' });
    expect(byCode['D-DUNNING']).toMatchObject({ causes: ['dunning'] });
    expect(byCode['D-DUNNING-PAID']).toBeUndefined();
    expect(byCode['E-LATE']).toMatchObject({
      causes: ['overdue'],
      exposure: '60.00',
      oldestOverdueDays: 145,
    });
    expect(byCode['E-LATE-DUNNING']).toMatchObject({ causes: ['dunning'] });
    expect(byCode['F-OVERRIDE']).toMatchObject({ causes: ['overdue'], isOverridden: true });
    expect(byCode['G-RELEASE']).toMatchObject({ causes: ['overdue'] });
    expect(listed.summary).toEqual({ onHold: 12, warning: 1, overridden: 1 });

    // Nothing changed: a second list records nothing; the filtered lists are the reference's rows.
    const settled = await reference({ kind: 'all' });
    expect(settled.transitions).toEqual({});
    const mark = await lastEventSeq();
    const holds = await listAll(admin, 'hold', 3);
    expect(holds.rows.map(pick)).toEqual(settled.rows.filter((row) => row.isOnHold));
    const warnings = await listAll(admin, 'warning', 50);
    expect(warnings.rows.map(pick)).toEqual(settled.rows.filter((row) => !row.isOnHold));
    expect(await eventsSince(mark)).toEqual({});

    // The cause clears (paid): the list records the release, and no longer shows the customer.
    await insertAllocatedReceipt(t, tenant, {
      customerId: releasing,
      invoiceId: releasingInvoice,
      amountMinor: 9_000n,
      allocatedOn: '2026-11-20',
    });
    const paid = await reference({ kind: 'all' });
    expect(paid.transitions).toEqual({ [releasing]: 'released' });
    const beforeRelease = await lastEventSeq();
    const afterRelease = await listAll(admin, 'any', 4);
    expect(afterRelease.rows.map(pick)).toEqual(paid.rows);
    expect(afterRelease.summary).toEqual(paid.summary);
    expect(await eventsSince(beforeRelease)).toEqual({ [releasing]: 'released' });
  });

  it('finds the rows a page wants beyond the first rows read, when they are sparse', async () => {
    // The first rows read for a page of one are its limit + 1, twice over: four; the second warning is further on.
    await setLimit(await customer('Z-LIMIT-WARN'), '1000.00');
    await invoice(ids['Z-LIMIT-WARN']!, 90_000n, '2026-12-31', '2026-11-01');
    const expected = await reference({ kind: 'all' });
    const warnings = await listAll(admin, 'warning', 1);
    expect(warnings.rows.map((row) => row.code)).toEqual(['A-LIMIT-WARN', 'Z-LIMIT-WARN']);
    expect(warnings.rows.map(pick)).toEqual(expected.rows.filter((row) => !row.isOnHold));
    const holds = await listAll(admin, 'hold', 1);
    expect(holds.rows.map(pick)).toEqual(expected.rows.filter((row) => row.isOnHold));
  });

  it('counts and lists only the caller’s scope', async () => {
    const own = await reference(recordScopeOf({ userId: sales.userId, role: 'salesperson', teamIds: [] }));
    const listed = await listAll(sales, 'any', 5);
    expect(listed.rows.map(pick)).toEqual(own.rows);
    expect(listed.summary).toEqual(own.summary);
    expect(listed.rows.map((row) => row.code)).not.toContain('X-OTHER-OWNER');
    const everyone = await listAll(admin, 'hold', 50);
    expect(everyone.rows.map((row) => row.code)).toContain('X-OTHER-OWNER');
  });
});
