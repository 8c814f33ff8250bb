import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { insertAllocatedReceipt, insertCustomer } from '../invoices/test-fixtures';

// The test clock stands at 2026-11-22T02:00Z: today is 2026-11-22 in Asia/Shanghai.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
});
afterAll(() => t.close());

let codeCounter = 0;
async function customerOf(
  client: Client,
  ownerUserId: string | null,
  extra: { paymentTermsDays?: number } = {},
) {
  codeCounter += 1;
  return insertCustomer(t, client.tenantId, { code: `K${codeCounter}`, ownerUserId, ...extra });
}

const threeNodePlan = [
  { name: '预付款', percentageBp: 3000, dueTrigger: 'on_signing', offsetDays: 10, method: 'bank_transfer' },
  { name: '到货款', percentageBp: 6000, dueTrigger: 'on_delivery', offsetDays: 30, acceptorName: '李工' },
  {
    name: '质保金',
    percentageBp: 1000,
    dueTrigger: 'on_acceptance',
    offsetDays: 90,
    acceptanceCriteria: '验收单盖章',
  },
];

async function createContract(client: Client, body: Record<string, unknown>) {
  const response = await client.request('POST', '/api/contracts', body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

describe('contracts with payment plans', () => {
  it('splits 30/60/10 % of ¥100,000.01 so the nodes add up exactly, with due dates from their triggers', async () => {
    const admin = await signUp(t.app);
    const customerId = await customerOf(admin, admin.userId, { paymentTermsDays: 45 });
    const contract = await createContract(admin, {
      number: 'HT-2026-001',
      customerId,
      title: '设备采购合同',
      amount: '100000.01',
      signedOn: '2026-11-01',
      planNodes: threeNodePlan.map((node) => ({ ...node, responsibleUserId: admin.userId })),
    });
    expect(contract).toMatchObject({
      number: 'HT-2026-001',
      currency: 'CNY',
      ownerUserId: admin.userId,
      paymentTermsDays: 45,
      status: 'active',
      asOf: '2026-11-22',
      planVsActual: {
        contractAmount: '100000.01',
        plannedTotal: '100000.01',
        unplannedGap: '0.00',
        invoicedTotal: '0.00',
        receivedTotal: '0.00',
      },
    });
    // 10000001 fen × 30 % = 3000000.3, × 60 % = 6000000.6, × 10 % = 1000000.1: the spare fen goes to the largest
    // remainder, the 60 % node.
    expect(contract.planNodes.map((n: { amount: string }) => n.amount)).toEqual([
      '30000.00',
      '60000.01',
      '10000.00',
    ]);
    const [signing, delivery, acceptance] = contract.planNodes;
    expect(signing).toMatchObject({
      seq: 1,
      triggerEventOn: '2026-11-01',
      dueDate: '2026-11-11',
      status: 'overdue',
    });
    expect(delivery).toMatchObject({ seq: 2, dueDate: null, status: 'not_due', acceptorName: '李工' });
    expect(acceptance).toMatchObject({ seq: 3, dueDate: null, acceptanceCriteria: '验收单盖章' });

    const delivered = await admin.request('POST', `/api/plan-nodes/${delivery.id}/event`, {
      eventOn: '2026-11-20',
    });
    expect(delivered.statusCode, delivered.body).toBe(200);
    expect(delivered.json().planNodes[1]).toMatchObject({
      triggerEventOn: '2026-11-20',
      dueDate: '2026-12-20',
    });
    const onSigning = await admin.request('POST', `/api/plan-nodes/${signing.id}/event`, {
      eventOn: '2026-11-20',
    });
    expect(onSigning.statusCode).toBe(409);

    const audit = await admin.request('GET', `/api/audit?entityId=${delivery.id}`);
    expect(audit.json().items.map((e: { action: string }) => e.action)).toContain('plan_node.event_recorded');
  });

  it('refuses a plan that adds up to more than the contract, and percentages over 100 %', async () => {
    const admin = await signUp(t.app);
    const customerId = await customerOf(admin, admin.userId);
    const base = { customerId, amount: '100.00', signedOn: '2026-11-01' };
    const over = await admin.request('POST', '/api/contracts', {
      ...base,
      number: 'OVER-1',
      planNodes: [
        { name: 'a', amount: '60.00', dueTrigger: 'fixed_date', dueDate: '2026-12-01' },
        { name: 'b', amount: '40.01', dueTrigger: 'fixed_date', dueDate: '2027-01-01' },
      ],
    });
    expect(over.statusCode).toBe(400);
    expect(over.json().error.issues[0]).toMatchObject({
      path: 'planNodes',
      message: "The plan's nodes add up to 100.01, more than the contract amount 100.00",
    });
    const percent = await admin.request('POST', '/api/contracts', {
      ...base,
      number: 'OVER-2',
      planNodes: [
        { name: 'a', percentageBp: 9000, dueTrigger: 'on_signing' },
        { name: 'b', percentageBp: 1001, dueTrigger: 'on_delivery' },
      ],
    });
    expect(percent.statusCode).toBe(400);
    const badMoney = await admin.request('POST', '/api/contracts', {
      ...base,
      number: 'OVER-3',
      planNodes: [{ name: 'a', amount: '0.001', dueTrigger: 'on_signing' }],
    });
    expect(badMoney.json().error.issues[0].path).toBe('planNodes.0.amount');
    const noDate = await admin.request('POST', '/api/contracts', {
      ...base,
      number: 'OVER-4',
      planNodes: [{ name: 'a', amount: '1.00', dueTrigger: 'fixed_date' }],
    });
    expect(noDate.statusCode).toBe(400);
    // Nothing of the refused contracts was kept.
    expect((await admin.request('GET', '/api/contracts')).json().items).toEqual([]);

    const partial = await createContract(admin, {
      ...base,
      number: 'PART-1',
      planNodes: [{ name: 'a', percentageBp: 3333, dueTrigger: 'fixed_date', dueDate: '2026-12-31' }],
    });
    expect(partial.planNodes[0].amount).toBe('33.33');
    expect(partial.planVsActual).toMatchObject({ plannedTotal: '33.33', unplannedGap: '66.67' });
  });

  it('names a taken contract number, and checks the responsible user belongs to the organization', async () => {
    const admin = await signUp(t.app);
    const other = await signUp(t.app);
    const customerId = await customerOf(admin, admin.userId);
    await createContract(admin, { number: 'DUP-1', customerId, amount: '1.00', signedOn: '2026-11-01' });
    const duplicate = await admin.request('POST', '/api/contracts', {
      number: 'DUP-1',
      customerId,
      amount: '2.00',
      signedOn: '2026-11-02',
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.message).toContain('DUP-1');
    const foreignUser = await admin.request('POST', '/api/contracts', {
      number: 'DUP-2',
      customerId,
      amount: '2.00',
      signedOn: '2026-11-02',
      planNodes: [{ name: 'a', amount: '1.00', dueTrigger: 'on_signing', responsibleUserId: other.userId }],
    });
    expect(foreignUser.statusCode).toBe(400);
    expect(foreignUser.json().error.issues[0].path).toBe('planNodes.0.responsibleUserId');
  });

  it('shows received amounts and node status from allocations, and freezes the plan once money refers to it', async () => {
    const admin = await signUp(t.app);
    const customerId = await customerOf(admin, admin.userId);
    const contract = await createContract(admin, {
      number: 'RCV-1',
      customerId,
      amount: '100000.01',
      signedOn: '2026-11-01',
      planNodes: threeNodePlan,
    });
    const [signing, delivery] = contract.planNodes;
    await insertAllocatedReceipt(t, admin.tenantId, {
      customerId,
      planNodeId: signing.id,
      amountMinor: 1_000_000n,
      allocatedOn: '2026-11-21',
    });
    await insertAllocatedReceipt(t, admin.tenantId, {
      customerId,
      planNodeId: delivery.id,
      amountMinor: 6_000_001n,
      allocatedOn: '2026-11-22',
    });
    const detail = (await admin.request('GET', `/api/contracts/${contract.id}`)).json();
    expect(detail.planNodes[0]).toMatchObject({ received: '10000.00', open: '20000.00', status: 'overdue' });
    expect(detail.planNodes[1]).toMatchObject({ received: '60000.01', open: '0.00', status: 'completed' });
    expect(detail.planVsActual.receivedTotal).toBe('70000.01');
    const yesterday = (await admin.request('GET', `/api/contracts/${contract.id}?asOf=2026-11-21`)).json();
    expect(yesterday.planNodes[1]).toMatchObject({ received: '0.00', status: 'not_due' });
    expect(yesterday.planVsActual.receivedTotal).toBe('10000.00');

    const replaced = await admin.request('PUT', `/api/contracts/${contract.id}/plan`, {
      nodes: [{ name: '全款', percentageBp: 10000, dueTrigger: 'on_signing' }],
    });
    expect(replaced.statusCode).toBe(409);
    const cancel = await admin.request('POST', `/api/contracts/${contract.id}/cancel`);
    expect(cancel.statusCode).toBe(409);
  });

  it('replaces a plan nobody refers to yet, edits non-money fields, and closes or cancels', async () => {
    const admin = await signUp(t.app);
    const customerId = await customerOf(admin, admin.userId);
    const contract = await createContract(admin, {
      number: 'EDIT-1',
      customerId,
      amount: '0.03',
      signedOn: '2026-11-01',
      planNodes: [{ name: 'a', amount: '0.03', dueTrigger: 'on_signing' }],
    });
    const replaced = await admin.request('PUT', `/api/contracts/${contract.id}/plan`, {
      nodes: [
        { name: 'x', percentageBp: 5000, dueTrigger: 'fixed_date', dueDate: '2026-12-01' },
        { name: 'y', percentageBp: 5000, dueTrigger: 'on_acceptance', offsetDays: 7 },
      ],
    });
    expect(replaced.statusCode, replaced.body).toBe(200);
    // 3 fen split 50/50: 1.5 and 1.5, the tie goes to the earlier node.
    expect(replaced.json().planNodes.map((n: { amount: string }) => n.amount)).toEqual(['0.02', '0.01']);
    const edited = await admin.request('PATCH', `/api/contracts/${contract.id}`, {
      title: '改名',
      paymentTermsText: '月结60天',
      paymentTermsDays: 60,
    });
    expect(edited.json()).toMatchObject({ title: '改名', paymentTermsDays: 60, amount: '0.03' });
    expect((await admin.request('POST', `/api/contracts/${contract.id}/close`)).json().status).toBe('closed');
    expect((await admin.request('POST', `/api/contracts/${contract.id}/cancel`)).statusCode).toBe(409);
    const other = await createContract(admin, {
      number: 'EDIT-2',
      customerId,
      amount: '5.00',
      signedOn: '2026-11-01',
    });
    expect((await admin.request('POST', `/api/contracts/${other.id}/cancel`)).json().status).toBe(
      'cancelled',
    );
  });
});

describe('contract lists and scope', () => {
  it('pages with a cursor, searches and filters, and shows a salesperson only their customers', async () => {
    const admin = await signUp(t.app);
    const seller = await addUser(admin, 'salesperson');
    const otherSeller = await addUser(admin, 'salesperson');
    const mine = await customerOf(admin, seller.userId);
    const theirs = await customerOf(admin, otherSeller.userId);
    const a = await createContract(seller, {
      number: 'L-001',
      customerId: mine,
      amount: '1.00',
      signedOn: '2026-10-01',
    });
    const b = await createContract(seller, {
      number: 'L-002',
      customerId: mine,
      title: '软件服务',
      amount: '2.00',
      signedOn: '2026-10-02',
    });
    const c = await createContract(otherSeller, {
      number: 'L-003',
      customerId: theirs,
      amount: '3.00',
      signedOn: '2026-10-03',
    });
    expect(b.ownerUserId).toBe(seller.userId);

    const first = (await admin.request('GET', '/api/contracts?limit=2')).json();
    expect(first.items.map((x: { number: string }) => x.number)).toEqual(['L-003', 'L-002']);
    const second = (await admin.request('GET', `/api/contracts?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((x: { number: string }) => x.number)).toEqual(['L-001']);
    expect(second.nextCursor).toBeNull();
    const searched = (
      await admin.request('GET', `/api/contracts?search=${encodeURIComponent('软件')}`)
    ).json();
    expect(searched.items.map((x: { id: string }) => x.id)).toEqual([b.id]);
    const byCustomer = (await admin.request('GET', `/api/contracts?customerId=${theirs}`)).json();
    expect(byCustomer.items.map((x: { id: string }) => x.id)).toEqual([c.id]);

    const sellerList = (await seller.request('GET', '/api/contracts')).json();
    expect(sellerList.items.map((x: { id: string }) => x.id)).toEqual([b.id, a.id]);
    expect((await seller.request('GET', `/api/contracts/${c.id}`)).statusCode).toBe(404);
    expect((await seller.request('PATCH', `/api/contracts/${c.id}`, { title: 'x' })).statusCode).toBe(404);
    const outOfScope = await seller.request('POST', '/api/contracts', {
      number: 'L-004',
      customerId: theirs,
      amount: '1.00',
      signedOn: '2026-10-01',
    });
    expect(outOfScope.statusCode).toBe(404);
  });

  it("answers 404 on every contract route given another organization's IDs", async () => {
    const a = await signUp(t.app);
    const b = await signUp(t.app);
    const customerId = await customerOf(b, b.userId);
    const contract = await createContract(b, {
      number: 'B-1',
      customerId,
      amount: '10.00',
      signedOn: '2026-11-01',
      planNodes: [{ name: 'n', amount: '10.00', dueTrigger: 'on_delivery' }],
    });
    const nodeId = contract.planNodes[0].id;
    const attempts: [Parameters<Client['request']>[0], string, unknown?][] = [
      ['GET', `/api/contracts/${contract.id}`],
      ['PATCH', `/api/contracts/${contract.id}`, { title: 'x' }],
      ['POST', `/api/contracts/${contract.id}/close`],
      ['POST', `/api/contracts/${contract.id}/cancel`],
      ['PUT', `/api/contracts/${contract.id}/plan`, { nodes: [] }],
      ['POST', `/api/plan-nodes/${nodeId}/event`, { eventOn: '2026-11-02' }],
    ];
    for (const [method, url, body] of attempts) {
      const response = await a.request(method, url, body);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
    const create = await a.request('POST', '/api/contracts', {
      number: 'A-1',
      customerId,
      amount: '1.00',
      signedOn: '2026-11-01',
    });
    expect(create.statusCode).toBe(404);
    expect((await a.request('GET', `/api/contracts?customerId=${customerId}`)).json().items).toEqual([]);
  });
});
