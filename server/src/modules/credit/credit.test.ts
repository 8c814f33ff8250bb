import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerCredit } from '@huikuan/core/contracts';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { buildProgram } from '../../cli';
import { creditSweepFromCli } from '../../cli/credit-commands';
import { insertAllocatedReceipt } from '../invoices/test-fixtures';
import { customerBalancesAsOf } from '../receipts/balances';
import { seedCustomer, seedCreditNote, seedVoid, withKey } from '../receipts/test-fixtures';

/**
 * Credit control end to end. The test clock stands at 2026-11-22 10:00 in Asia/Shanghai, so "today" is 2026-11-22
 * unless a test moves it (and then moves it back).
 */

const START = new Date('2026-11-22T02:00:00Z');
let t: TestApp;
let admin: Client;
let finance: Client;
let sales: Client;
let otherSales: Client;
let foreignAdmin: Client;

beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  admin = await signUp(t.app);
  finance = await addUser(admin, 'finance');
  sales = await addUser(admin, 'salesperson');
  otherSales = await addUser(admin, 'salesperson');
  foreignAdmin = await signUp(t.app);
}, 60_000);

afterAll(async () => {
  await t.close();
});

const tenant = () => admin.tenantId;

async function customer(code: string, ownerUserId: string | null = sales.userId): Promise<string> {
  return seedCustomer(t, tenant(), { code: `${code}-${randomUUID().slice(0, 6)}`, ownerUserId });
}

/** An invoice straight into the ledger (issued unless told otherwise), optionally against a contract and node. */
async function invoice(input: {
  customerId: string;
  totalMinor: bigint;
  invoiceDate?: string;
  dueDate: string;
  contractId?: string | null;
  planNodeId?: string | null;
  currency?: string;
  status?: 'draft' | 'issued';
}): Promise<string> {
  const status = input.status ?? 'issued';
  const row = await t.db.tenant(tenant(), (tx) =>
    tx
      .insertInto('invoices')
      .values({
        tenant_id: tenant(),
        customer_id: input.customerId,
        contract_id: input.contractId ?? null,
        plan_node_id: input.planNodeId ?? null,
        number: `INV-${randomUUID().slice(0, 8)}`,
        invoice_date: input.invoiceDate ?? '2026-11-01',
        due_date: input.dueDate,
        currency: input.currency ?? 'CNY',
        subtotal_minor: input.totalMinor,
        tax_minor: 0n,
        total_minor: input.totalMinor,
        status,
        issued_at: status === 'issued' ? new Date() : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

async function pay(customerId: string, invoiceId: string, amountMinor: bigint, on = '2026-11-15') {
  await insertAllocatedReceipt(t, tenant(), { customerId, invoiceId, amountMinor, allocatedOn: on });
}

async function credit(client: Client, customerId: string): Promise<CustomerCredit> {
  const response = await client.request('GET', `/api/customers/${customerId}/credit`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<CustomerCredit>();
}

async function setLimit(customerId: string, limit: string | null) {
  const response = await finance.request('PUT', `/api/customers/${customerId}/credit-limit`, {
    limit,
    reason: 'annual review',
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<CustomerCredit>();
}

type PlanNodeBody = { name: string; amount: string; dueTrigger: string; dueDate?: string };

function contractBody(customerId: string, amount: string, planNodes: PlanNodeBody[] = []) {
  return {
    number: `HT-${randomUUID().slice(0, 8)}`,
    customerId,
    amount,
    signedOn: '2026-10-01',
    planNodes,
  };
}

async function createContract(
  client: Client,
  customerId: string,
  amount: string,
  nodes: PlanNodeBody[] = [],
) {
  return client.request('POST', '/api/contracts', contractBody(customerId, amount, nodes));
}

async function auditActions(customerId: string): Promise<string[]> {
  const rows = await t.db.tenant(tenant(), (tx) =>
    tx
      .selectFrom('audit_log')
      .select('action')
      .where('tenant_id', '=', tenant())
      .where('entity_id', '=', customerId)
      .where('action', 'like', 'credit.%')
      .orderBy('id')
      .execute(),
  );
  return rows.map((row) => row.action);
}

function expectRefused(response: { statusCode: number; body: string }, causes: string) {
  expect(response.statusCode, response.body).toBe(409);
  const error = (JSON.parse(response.body) as { error: { code: string; params: Record<string, string> } })
    .error;
  expect(error.code).toBe('customer_on_credit_hold');
  expect(error.params.causes).toBe(causes);
}

describe('exposure', () => {
  it('adds open receivables, unbilled plan nodes and the uninvoiced rest of active contracts, never twice', async () => {
    const e = await customer('E');
    // C1 ¥10,000.00: N1 ¥3,000.00 and N2 ¥5,000.00 planned, ¥2,000.00 unplanned.
    const c1Response = await createContract(admin, e, '10000.00', [
      { name: 'N1', amount: '3000.00', dueTrigger: 'fixed_date', dueDate: '2026-12-01' },
      { name: 'N2', amount: '5000.00', dueTrigger: 'on_delivery' },
    ]);
    expect(c1Response.statusCode, c1Response.body).toBe(201);
    const c1 = c1Response.json<{ id: string; planNodes: { id: string }[] }>();
    const [n1, n2] = c1.planNodes;
    // C2 closed: it promises nothing more. C3 ¥1,234.56 without a plan.
    const c2 = (await createContract(admin, e, '2000.00')).json<{ id: string }>();
    expect((await admin.request('POST', `/api/contracts/${c2.id}/close`)).statusCode).toBe(200);
    expect((await createContract(admin, e, '1234.56')).statusCode).toBe(201);

    // On C1/N1: ¥3,000.00 invoiced, ¥1,000.00 received → ¥2,000.00 open. On C1 without a node: ¥500.00 open.
    const onNode = await invoice({
      customerId: e,
      totalMinor: 300_000n,
      dueDate: '2026-12-10',
      contractId: c1.id,
      planNodeId: n1?.id ?? null,
    });
    await pay(e, onNode, 100_000n);
    await invoice({ customerId: e, totalMinor: 50_000n, dueDate: '2026-12-10', contractId: c1.id });
    // A draft on N2 is not exposure yet: N2 stays unbilled in full.
    await invoice({
      customerId: e,
      totalMinor: 100_000n,
      dueDate: '2026-12-10',
      contractId: c1.id,
      planNodeId: n2?.id ?? null,
      status: 'draft',
    });
    // X1 ¥1,000.00 less a ¥100.00 credit note and ¥200.00 received → ¥700.00; X2 voided → 0; a USD invoice.
    const x1 = await invoice({ customerId: e, totalMinor: 100_000n, dueDate: '2026-12-01' });
    await seedCreditNote(t, tenant(), { invoiceId: x1, amountMinor: 10_000n, issuedOn: '2026-11-05' });
    await pay(e, x1, 20_000n);
    const x2 = await invoice({ customerId: e, totalMinor: 70_000n, dueDate: '2026-12-01' });
    await seedVoid(t, tenant(), x2, '2026-11-05');
    await invoice({ customerId: e, totalMinor: 500n, dueDate: '2026-12-01', currency: 'USD' });

    const view = await credit(sales, e);
    // Receivables 700 + 2,000 + 500; C1 uninvoiced 10,000 − 3,500 = 6,500 of which N2's 5,000 is a node and 1,500
    // the rest; C3's 1,234.56 is all rest.
    expect(view.exposure).toEqual({
      openReceivables: '3200.00',
      unbilledPlanNodes: '5000.00',
      uninvoicedContracts: '2734.56',
      total: '10934.56',
    });
    expect(view.otherCurrencies).toEqual(['USD']);
    expect(view).toMatchObject({ currency: 'CNY', limit: null, isOnHold: false, isWarning: false });
    const ledger = await t.db.tenant(tenant(), (tx) => customerBalancesAsOf(tx, tenant(), '2026-11-22', [e]));
    expect(ledger.find((row) => row.currency === 'CNY')?.openInvoicesMinor).toBe(320_000n);

    // Only admins and finance set limits; 10,934.56 of 12,000.00 is past the 80% line of 9,600.00.
    const refused = await sales.request('PUT', `/api/customers/${e}/credit-limit`, { limit: '1.00' });
    expect(refused.statusCode).toBe(403);
    const limited = await setLimit(e, '12000.00');
    expect(limited).toMatchObject({
      limit: '12000.00',
      shareOfLimit: 0.911213,
      warningThreshold: '9600.00',
      isWarning: true,
      isOnHold: false,
    });
    expect(await auditActions(e)).toEqual(['credit.limit_set']);
  });

  it('answers 404 for a customer outside the caller’s scope or organization', async () => {
    const mine = await customer('S');
    expect((await otherSales.request('GET', `/api/customers/${mine}/credit`)).statusCode).toBe(404);
    expect((await foreignAdmin.request('GET', `/api/customers/${mine}/credit`)).statusCode).toBe(404);
    const override = await otherSales.request('POST', `/api/customers/${mine}/credit-overrides`, {
      amount: '1.00',
      validUntil: '2026-11-30',
      reason: 'not mine',
    });
    expect(override.statusCode).toBe(404);
    const dispute = await otherSales.request('POST', '/api/disputes', {
      customerId: mine,
      amount: '1.00',
      reasonCode: 'other',
    });
    expect(dispute.statusCode).toBe(404);
  });
});

describe('holds', () => {
  it('over the limit: a write may reach the limit, not pass it; a hold is placed, audited and released', async () => {
    const l = await customer('L');
    await setLimit(l, '1000.00');
    expect((await createContract(sales, l, '900.00')).statusCode).toBe(201);
    expect((await credit(sales, l)).isWarning).toBe(true);
    expectRefused(await createContract(sales, l, '100.01'), 'would_exceed_limit');
    expect((await createContract(sales, l, '100.00')).statusCode).toBe(201);
    // A cent of receivables beyond the contracts takes the customer over: every new contract is refused.
    await invoice({ customerId: l, totalMinor: 1n, dueDate: '2026-12-31' });
    expectRefused(await createContract(sales, l, '0.00'), 'over_limit');
    const held = await credit(sales, l);
    expect(held).toMatchObject({
      isOnHold: true,
      causes: ['over_limit'],
      isWarning: false,
      shareOfLimit: 1.00001,
    });
    expect(held.events[0]).toMatchObject({
      event: 'placed',
      causes: ['over_limit'],
      source: 'refused_write',
    });
    expect(held.holdSince).not.toBeNull();

    const released = await setLimit(l, '2000.00');
    expect(released).toMatchObject({ isOnHold: false, causes: [], holdSince: null });
    expect(released.events[0]).toMatchObject({
      event: 'released',
      previousCauses: ['over_limit'],
      source: 'write',
    });
    expect(await auditActions(l)).toEqual([
      'credit.limit_set',
      'credit.write_refused',
      'credit.hold_placed',
      'credit.write_refused',
      'credit.limit_set',
      'credit.hold_released',
    ]);
  });

  it('overdue: more than 90 days past due holds, exactly 90 does not; paying releases at the next sweep', async () => {
    const o = await customer('O');
    await invoice({ customerId: o, totalMinor: 50_000n, invoiceDate: '2026-07-01', dueDate: '2026-08-24' });
    expect(await credit(sales, o)).toMatchObject({ oldestOverdueDays: 90, isOnHold: false });
    const late = await invoice({
      customerId: o,
      totalMinor: 1_000n,
      invoiceDate: '2026-07-01',
      dueDate: '2026-08-23',
    });
    const held = await credit(sales, o);
    expect(held).toMatchObject({ oldestOverdueDays: 91, isOnHold: true, causes: ['overdue'] });
    expect(held.events[0]).toMatchObject({ event: 'placed', source: 'view', oldestOverdueDays: 91 });

    await pay(o, late, 1_000n);
    const slug = admin.session?.organization.slug ?? '';
    const sweep = await creditSweepFromCli(t.db, slug, t.clock);
    expect(sweep).toMatchObject({ asOf: '2026-11-22', released: 1 });
    expect((await creditSweepFromCli(t.db, slug, t.clock)).released).toBe(0);
    const after = await credit(sales, o);
    expect(after).toMatchObject({ isOnHold: false, oldestOverdueDays: 90 });
    expect(after.events[0]).toMatchObject({ event: 'released', source: 'sweep', actorUserId: null });
    expect(await auditActions(o)).toEqual(['credit.hold_placed', 'credit.hold_released']);
  });

  it('disputes: any open dispute holds by default, a threshold lets small ones pass, resolving releases', async () => {
    const d = await customer('D');
    const disputed = await invoice({ customerId: d, totalMinor: 30_000n, dueDate: '2026-12-31' });
    const tooMuch = await sales.request('POST', '/api/disputes', {
      customerId: d,
      invoiceId: disputed,
      amount: '300.01',
      reasonCode: 'quality',
    });
    expect(tooMuch.statusCode).toBe(400);
    const raised = await sales.request('POST', '/api/disputes', {
      customerId: d,
      invoiceId: disputed,
      amount: '50.00',
      reasonCode: 'quality',
      description: '两箱破损',
    });
    expect(raised.statusCode, raised.body).toBe(201);
    const dispute = raised.json<{ id: string; status: string; ownerUserId: string; openedOn: string }>();
    expect(dispute).toMatchObject({ status: 'open', ownerUserId: sales.userId, openedOn: '2026-11-22' });
    const held = await credit(sales, d);
    expect(held).toMatchObject({ isOnHold: true, causes: ['dispute'], openDisputes: '50.00' });
    expect(held.events[0]).toMatchObject({ event: 'placed', source: 'write' });

    const settings = { warningBp: 8000, overdueHoldDays: 90, disputeHoldThreshold: '100.00' };
    expect((await sales.request('PUT', '/api/credit/settings', settings)).statusCode).toBe(403);
    const saved = await finance.request('PUT', '/api/credit/settings', settings);
    expect(saved.json()).toEqual({ ...settings, disputeHoldCurrency: 'CNY' });
    expect((await credit(sales, d)).isOnHold).toBe(false);
    await finance.request('PUT', '/api/credit/settings', { ...settings, disputeHoldThreshold: '0' });
    expect((await credit(sales, d)).isOnHold).toBe(true);

    expect(
      (await otherSales.request('POST', `/api/disputes/${dispute.id}/resolve`, { outcome: 'withdrawn' }))
        .statusCode,
    ).toBe(404);
    const resolved = await sales.request('POST', `/api/disputes/${dispute.id}/resolve`, {
      outcome: 'withdrawn',
    });
    expect(resolved.json()).toMatchObject({ status: 'withdrawn', resolvedOn: '2026-11-22' });
    const again = await sales.request('POST', `/api/disputes/${dispute.id}/resolve`, {
      outcome: 'resolved_valid',
    });
    expect(again.statusCode).toBe(409);
    const released = await credit(sales, d);
    expect(released.isOnHold).toBe(false);
    expect(released.events[0]).toMatchObject({ event: 'released', source: 'write' });
    expect(released.events.map((event) => event.event)).toEqual(['released', 'placed', 'released', 'placed']);

    const listed = await sales.request('GET', `/api/disputes?customerId=${d}&status=withdrawn`);
    expect(listed.json<{ items: { id: string }[] }>().items.map((item) => item.id)).toEqual([dispute.id]);
    const hidden = await otherSales.request('GET', `/api/disputes?customerId=${d}`);
    expect(hidden.json<{ items: unknown[] }>().items).toEqual([]);
    const actions = await t.db.tenant(tenant(), (tx) =>
      tx.selectFrom('audit_log').select('action').where('entity_id', '=', dispute.id).orderBy('id').execute(),
    );
    expect(actions.map((row) => row.action)).toEqual(['dispute.raised', 'dispute.withdrawn']);
  });

  it('lists customers on hold or warned in the caller’s scope, with counts for the dashboard', async () => {
    const mine = await customer('HL');
    await invoice({ customerId: mine, totalMinor: 1_000n, invoiceDate: '2026-01-01', dueDate: '2026-01-31' });
    const theirs = await customer('HX', otherSales.userId);
    await invoice({
      customerId: theirs,
      totalMinor: 1_000n,
      invoiceDate: '2026-01-01',
      dueDate: '2026-01-31',
    });
    const page = await sales.request('GET', '/api/credit/holds?status=hold&limit=200');
    expect(page.statusCode, page.body).toBe(200);
    const body = page.json<{
      items: { customerId: string; causes: string[] }[];
      summary: { onHold: number };
    }>();
    const ids = body.items.map((item) => item.customerId);
    expect(ids).toContain(mine);
    expect(ids).not.toContain(theirs);
    expect(body.items.find((item) => item.customerId === mine)?.causes).toEqual(['overdue']);
    expect(body.summary.onHold).toBe(body.items.length);
    const all = await finance.request('GET', '/api/credit/holds?status=hold&limit=1');
    const first = all.json<{ items: { code: string }[]; nextCursor: string | null }>();
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = await finance.request(
      'GET',
      `/api/credit/holds?status=hold&limit=1&cursor=${first.nextCursor}`,
    );
    const [next] = second.json<{ items: { code: string }[] }>().items;
    expect((next?.code ?? '') > (first.items[0]?.code ?? '')).toBe(true);
  });
});

function csv(lines: string[]) {
  return { fileName: 'file.csv', contentBase64: Buffer.from(lines.join('\n')).toString('base64') };
}

type ImportResponse = {
  summary: { isCommitted: boolean };
  errors: { row: number; column: string; message: string }[];
};

describe('enforcement', () => {
  it('refuses every route that creates exposure while on hold, until an approved override, and after it expires', async () => {
    const code = `P-${randomUUID().slice(0, 6)}`;
    const p = await seedCustomer(t, tenant(), { code, ownerUserId: sales.userId });
    const planned = [{ name: 'N1', amount: '400.00', dueTrigger: 'fixed_date', dueDate: '2026-12-15' }];
    const k = (await createContract(sales, p, '1000.00', planned)).json<{ id: string }>();
    const draftResponse = await sales.request('POST', '/api/invoices', {
      customerId: p,
      number: `P-DR-${randomUUID().slice(0, 6)}`,
      invoiceDate: '2026-11-20',
      amount: '100.00',
    });
    expect(draftResponse.statusCode, draftResponse.body).toBe(201);
    const draft = draftResponse.json<{ id: string }>();
    const posted = await invoice({ customerId: p, totalMinor: 20_000n, dueDate: '2026-12-31' });
    // 144 days overdue: on hold.
    await invoice({ customerId: p, totalMinor: 5_000n, invoiceDate: '2026-06-01', dueDate: '2026-07-01' });

    const attempts = {
      contract: () => createContract(sales, p, '1.00'),
      copy: () =>
        sales.request('POST', `/api/contracts/${k.id}/copy`, { number: `K-${randomUUID().slice(0, 8)}` }),
      plan: () =>
        sales.request('PUT', `/api/contracts/${k.id}/plan`, {
          nodes: [...planned, { name: 'N2', amount: '300.00', dueTrigger: 'on_acceptance' }],
        }),
      invoice: () =>
        sales.request('POST', '/api/invoices', {
          customerId: p,
          number: `P-${randomUUID().slice(0, 8)}`,
          invoiceDate: '2026-11-22',
          amount: '1.00',
        }),
      issue: () => finance.request('POST', `/api/invoices/${draft.id}/issue`, {}, withKey()),
      request: () => sales.request('POST', '/api/invoice-requests', { customerId: p, amount: '10.00' }),
    };
    const importContracts = () =>
      finance.request(
        'POST',
        '/api/imports/contracts/commit',
        csv([
          'contractNumber,customerCode,customerName,amount,signedDate',
          `IMP-${randomUUID().slice(0, 8)},NEW-${randomUUID().slice(0, 6)},新客户,5.00,2026-11-01`,
          `IMP-${randomUUID().slice(0, 8)},${code},,5.00,2026-11-01`,
        ]),
      );
    const importInvoices = () =>
      finance.request(
        'POST',
        '/api/imports/invoices/commit',
        csv([
          'customerCode,customerName,number,invoiceDate,dueDate,amount,currency',
          `NEW-${randomUUID().slice(0, 6)},新客户,IMP-${randomUUID().slice(0, 8)},2026-11-01,2026-12-01,5.00,CNY`,
          `${code},,IMP-${randomUUID().slice(0, 8)},2026-11-01,2026-12-01,5.00,CNY`,
        ]),
      );
    const expectImportRefused = (response: Awaited<ReturnType<typeof importContracts>>) => {
      expect(response.statusCode, response.body).toBe(200);
      const result = response.json<ImportResponse>();
      expect(result.summary.isCommitted).toBe(false);
      expect(result.errors).toEqual([
        { row: 2, line: 3, column: 'customerCode', message: expect.stringContaining(`customer ${code}`) },
      ]);
      expect(result.errors[0]?.message).toContain('overdue');
    };

    for (const attempt of Object.values(attempts)) expectRefused(await attempt(), 'overdue');
    const customerCount = async () =>
      (await t.db.tenant(tenant(), (tx) => tx.selectFrom('customers').select('id').execute())).length;
    const before = await customerCount();
    expectImportRefused(await importContracts());
    expectImportRefused(await importInvoices());
    // Refused whole: not even the other row's new customer was written.
    expect(await customerCount()).toBe(before);
    // Rescheduling without planning more is not new supply; credit notes are never blocked.
    const rescheduled = await sales.request('PUT', `/api/contracts/${k.id}/plan`, {
      nodes: [{ ...planned[0], dueDate: '2027-01-15' }],
    });
    expect(rescheduled.statusCode, rescheduled.body).toBe(200);
    const creditNote = await finance.request(
      'POST',
      `/api/invoices/${posted}/credit-notes`,
      { number: `CN-${randomUUID().slice(0, 8)}`, amount: '10.00', reason: '价格调整' },
      withKey(),
    );
    expect(creditNote.statusCode, creditNote.body).toBe(201);
    expect((await auditActions(p)).filter((action) => action === 'credit.write_refused')).toHaveLength(8);

    // The requester never decides their own override; the salesperson's waits for finance.
    const own = await finance.request('POST', `/api/customers/${p}/credit-overrides`, {
      amount: '0',
      validUntil: '2026-11-30',
      reason: '自己申请',
    });
    expect(own.statusCode, own.body).toBe(201);
    const ownId = own.json<{ id: string }>().id;
    const selfDecision = await finance.request('POST', `/api/approvals/${ownId}/decision`, {
      decision: 'approve',
    });
    expect(selfDecision.statusCode).toBe(403);
    const asked = await sales.request('POST', `/api/customers/${p}/credit-overrides`, {
      amount: '0',
      validUntil: '2026-11-30',
      reason: '客户已承诺月底前付清逾期款，先保供货',
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const approval = asked.json<{ id: string; kind: string; status: string }>();
    expect(approval).toMatchObject({ kind: 'credit_override', status: 'pending' });
    expectRefused(await attempts.contract(), 'overdue');
    const decided = await finance.request('POST', `/api/approvals/${approval.id}/decision`, {
      decision: 'approve',
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const overridden = await credit(sales, p);
    expect(overridden).toMatchObject({ isOnHold: true, isOverridden: true });
    expect(overridden.overrides[0]).toMatchObject({
      validUntil: '2026-11-30',
      isActive: true,
      amount: '0.00',
    });

    const passed: Record<string, number> = {};
    for (const [name, attempt] of Object.entries(attempts)) passed[name] = (await attempt()).statusCode;
    expect(passed).toEqual({ contract: 201, copy: 201, plan: 200, invoice: 201, issue: 200, request: 201 });
    expect((await importContracts()).json<ImportResponse>().summary.isCommitted).toBe(true);
    expect((await importInvoices()).json<ImportResponse>().summary.isCommitted).toBe(true);

    // The override lasts to the end of 2026-11-30; on 2026-12-01 the hold bites again.
    t.clock.set(new Date('2026-12-01T02:00:00Z'));
    try {
      expectRefused(await attempts.contract(), 'overdue');
      expectImportRefused(await importInvoices());
      expect((await credit(sales, p)).overrides[0]?.isActive).toBe(false);
    } finally {
      t.clock.set(START);
    }
    const actions = await auditActions(p);
    expect(actions).toContain('credit.override_requested');
    expect(actions).toContain('credit.override_granted');
  });

  it('raises the limit by an override’s amount, and no further', async () => {
    const c = await customer('R');
    await setLimit(c, '100.00');
    expect((await createContract(sales, c, '100.00')).statusCode).toBe(201);
    expectRefused(await createContract(sales, c, '0.01'), 'would_exceed_limit');
    const asked = await sales.request('POST', `/api/customers/${c}/credit-overrides`, {
      amount: '50.00',
      validUntil: '2026-12-31',
      reason: '旺季备货',
    });
    expect(asked.json()).toMatchObject({ amount: '50.00', currency: 'CNY' });
    const id = asked.json<{ id: string }>().id;
    expect(
      (await finance.request('POST', `/api/approvals/${id}/decision`, { decision: 'approve' })).statusCode,
    ).toBe(200);
    expect((await credit(sales, c)).effectiveLimit).toBe('150.00');
    expectRefused(await createContract(sales, c, '50.01'), 'would_exceed_limit');
    expect((await createContract(sales, c, '50.00')).statusCode).toBe(201);
    expectRefused(await createContract(sales, c, '0.01'), 'would_exceed_limit');
  });

  it('copies a contract with its plan under a new number, and only within scope', async () => {
    const c = await customer('CP');
    const source = (
      await createContract(sales, c, '900.00', [
        { name: '预付款', amount: '300.00', dueTrigger: 'on_signing' },
        { name: '尾款', amount: '600.00', dueTrigger: 'fixed_date', dueDate: '2026-12-01' },
      ])
    ).json<{ id: string }>();
    const number = `CP-${randomUUID().slice(0, 8)}`;
    const copied = await sales.request('POST', `/api/contracts/${source.id}/copy`, {
      number,
      signedOn: '2026-11-01',
    });
    expect(copied.statusCode, copied.body).toBe(201);
    const copy = copied.json<{
      id: string;
      number: string;
      amount: string;
      status: string;
      signedOn: string;
      planNodes: { name: string; amount: string; dueDate: string | null }[];
    }>();
    expect(copy).toMatchObject({ number, amount: '900.00', status: 'active', signedOn: '2026-11-01' });
    // On-signing falls due from the new signing date; the fixed date moves by the 31 days between the signings.
    expect(copy.planNodes.map(({ name, amount, dueDate }) => ({ name, amount, dueDate }))).toEqual([
      { name: '预付款', amount: '300.00', dueDate: '2026-11-01' },
      { name: '尾款', amount: '600.00', dueDate: '2027-01-01' },
    ]);
    const taken = await sales.request('POST', `/api/contracts/${source.id}/copy`, { number });
    expect(taken.statusCode).toBe(409);
    expect(
      (await otherSales.request('POST', `/api/contracts/${source.id}/copy`, { number: 'X-1' })).statusCode,
    ).toBe(404);
    expect(
      (await foreignAdmin.request('POST', `/api/contracts/${source.id}/copy`, { number: 'X-2' })).statusCode,
    ).toBe(404);
  });
});

describe('CLI', () => {
  it('offers `huikuan credit sweep --org SLUG [--json]`', () => {
    const credit = buildProgram({}).commands.find((command) => command.name() === 'credit');
    const sweep = credit?.commands.find((command) => command.name() === 'sweep');
    expect(sweep?.options.map((option) => option.long)).toEqual(['--org', '--json']);
  });
});
