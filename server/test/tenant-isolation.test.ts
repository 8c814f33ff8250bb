import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, signUp, type Client, type TestApp } from './support/test-app';

/**
 * No user of one organization ever sees another's data, whatever ID they send: every route that takes an ID answers
 * 404 for another tenant's IDs, list filters with foreign IDs come back empty, and row-level security alone (without
 * the application's own tenant filters) hides the other tenant's rows.
 */
let t: TestApp;
let a: Client;
let b: Client;
const bIds: Record<string, string> = {};

function ok<T>(response: { statusCode: number; body: string; json(): unknown }, what: string): T {
  if (response.statusCode >= 300) throw new Error(`${what}: ${response.statusCode} ${response.body}`);
  return response.json() as T;
}

const withKey = () => ({ headers: { 'idempotency-key': randomUUID() } });

/** Organization B gets one of every kind of record, made through the real API. */
async function seedOrganizationB(): Promise<void> {
  const team = ok<{ id: string }>(await b.request('POST', '/api/teams', { name: 'B team' }), 'team');
  bIds.team = team.id;
  bIds.user = (await addUser(b, 'salesperson', { teamId: team.id })).userId;
  bIds.invitation = ok<{ invitation: { id: string } }>(
    await b.request('POST', '/api/invitations', { email: 'pending@b.test', role: 'finance' }),
    'invitation',
  ).invitation.id;
  bIds.apiToken = ok<{ token: { id: string } }>(
    await b.request('POST', '/api/api-tokens', { name: 'B token', scopes: ['read'] }),
    'token',
  ).token.id;
  await seedCustomerRecords();
  await seedContractAndInvoice();
  await seedMoney();
  await seedImports();
  await seedWriteOff();
  await seedDunning();
  bIds.target = ok<{ id: string }>(
    await b.request('POST', '/api/collection-targets', {
      period: '2026-11',
      level: 'organization',
      amount: '1.00',
    }),
    'collection target',
  ).id;
  await seedLetter();
  await seedMessaging();
  bIds.dispute = ok<{ id: string }>(
    await b.request('POST', '/api/disputes', {
      customerId: bIds.customer,
      invoiceId: bIds.invoice,
      amount: '1.00',
      reasonCode: 'quality',
    }),
    'dispute',
  ).id;
  await seedCasework();
}

/** Casework: a note on B's customer (an activity) and a promise to pay. */
async function seedCasework(): Promise<void> {
  bIds.activity = ok<{ id: string }>(
    await b.request('POST', `/api/customers/${bIds.customer}/notes`, { body: '客户备注' }),
    'note',
  ).id;
  bIds.promise = ok<{ id: string }>(
    await b.request('POST', `/api/customers/${bIds.customer}/promises`, {
      instalments: [{ dueOn: '2030-01-01', amount: '1.00' }],
    }),
    'promise',
  ).id;
}

/** An in-app test message puts a message in B's log and a notification on B's admin's bell. */
async function seedMessaging(): Promise<void> {
  bIds.message = ok<{ id: string }>(
    await b.request('POST', '/api/messaging/test', { channel: 'in_app' }),
    'test message',
  ).id;
  const bell = ok<{ items: { id: string }[] }>(await b.request('GET', '/api/notifications'), 'notifications');
  bIds.notification = bell.items[0]?.id ?? '';
}

/** A 对账单 archived for B's customer (letters answer by their customer's scope). */
async function seedLetter(): Promise<void> {
  bIds.letter = ok<{ id: string }>(
    await b.request('POST', `/api/customers/${bIds.customer}/letters`, { kind: 'statement' }),
    'letter',
  ).id;
}

/** Dunning: B's default policy, an assignment and a run (the run finishes in the background). */
async function seedDunning(): Promise<void> {
  const policies = ok<{ items: { id: string }[] }>(
    await b.request('GET', '/api/dunning/policies'),
    'policies',
  );
  bIds.dunning_policies = policies.items[0]?.id ?? '';
  bIds.dunning_assignments = ok<{ id: string }>(
    await b.request('POST', '/api/dunning/assignments', {
      policyId: bIds.dunning_policies,
      target: { kind: 'rating', rating: 'D' },
    }),
    'dunning assignment',
  ).id;
  bIds.dunning_runs = ok<{ id: string }>(
    await b.request('POST', '/api/dunning/runs', { asOf: '2026-11-22' }),
    'dunning run',
  ).id;
}

/** A posted write-off needs a second person: B's finance user approves what B's admin asked for. */
async function seedWriteOff(): Promise<void> {
  const approval = ok<{ id: string }>(
    await b.request('POST', `/api/invoices/${bIds.invoice}/write-offs`, { amount: '2.00', reason: '坏账' }),
    'write-off request',
  );
  const finance = await addUser(b, 'finance');
  ok(
    await finance.request('POST', `/api/approvals/${approval.id}/decision`, { decision: 'approve' }),
    'approve write-off',
  );
  const register = ok<{ items: { id: string }[] }>(await b.request('GET', '/api/write-offs'), 'write-offs');
  bIds.writeOff = register.items[0]?.id ?? '';
}

async function seedImports(): Promise<void> {
  bIds.importJob = ok<{ jobId: string }>(
    await b.request('POST', '/api/imports/customers/jobs', {
      fileName: 'customers.csv',
      contentBase64: Buffer.from('code,name\nB1,乙').toString('base64'),
      isDryRun: true,
    }),
    'import job',
  ).jobId;
  bIds.importPreset = ok<{ id: string }>(
    await b.request('POST', '/api/import-presets', { name: 'B preset', kind: 'receipts', mapping: {} }),
    'import preset',
  ).id;
}

async function seedCustomerRecords(): Promise<void> {
  bIds.customer = ok<{ id: string }>(
    await b.request('POST', '/api/customers', { code: 'B-001', name: 'B 客户' }),
    'customer',
  ).id;
  const base = `/api/customers/${bIds.customer}`;
  bIds.contact = ok<{ id: string }>(
    await b.request('POST', `${base}/contacts`, { name: '张三' }),
    'contact',
  ).id;
  bIds.bankAccount = ok<{ id: string }>(
    await b.request('POST', `${base}/bank-accounts`, {
      bankName: '工行',
      accountName: 'B',
      accountNumber: '6222',
    }),
    'bank account',
  ).id;
  await b.request('POST', `${base}/litigations`, { summary: '合同纠纷' });
  bIds.customerAttachment = ok<{ id: string }>(
    await b.request('POST', `${base}/attachments`, { fileName: '营业执照.txt', contentBase64: 'aGk=' }),
    'attachment',
  ).id;
}

async function seedContractAndInvoice(): Promise<void> {
  const contract = ok<{ id: string; planNodes: { id: string }[] }>(
    await b.request('POST', '/api/contracts', {
      number: 'B-HT-1',
      customerId: bIds.customer,
      amount: '1000.00',
      signedOn: '2026-11-01',
      planNodes: [{ name: '验收款', amount: '1000.00', dueTrigger: 'on_acceptance', offsetDays: 10 }],
    }),
    'contract',
  );
  bIds.contract = contract.id;
  bIds.planNode = contract.planNodes[0]?.id ?? '';
  const invoice = ok<{ id: string }>(
    await b.request('POST', '/api/invoices', {
      customerId: bIds.customer,
      contractId: bIds.contract,
      number: 'B-INV-1',
      invoiceDate: '2026-11-02',
      amount: '600.00',
    }),
    'invoice',
  );
  bIds.invoice = invoice.id;
  ok(await b.request('POST', `/api/invoices/${invoice.id}/issue`, {}, withKey()), 'issue');
  bIds.invoiceAttachment = ok<{ id: string }>(
    await b.request('POST', `/api/invoices/${invoice.id}/attachments`, {
      fileName: '签收单.txt',
      contentBase64: 'aGk=',
    }),
    'sign-off',
  ).id;
  bIds.invoiceRequest = ok<{ id: string }>(
    await b.request('POST', '/api/invoice-requests', { customerId: bIds.customer, amount: '400.00' }),
    'invoice request',
  ).id;
  bIds.approval = ok<{ id: string }>(
    await b.request('POST', `/api/invoices/${invoice.id}/waivers`, { amount: '1.00', reason: '尾差减免' }),
    'waiver',
  ).id;
}

async function seedMoney(): Promise<void> {
  const receipt = ok<{ id: string }>(
    await b.request(
      'POST',
      '/api/receipts',
      {
        customerId: bIds.customer,
        receivedOn: '2026-11-03',
        amount: '300.00',
        currency: 'CNY',
        method: 'bank_transfer',
      },
      withKey(),
    ),
    'receipt',
  );
  bIds.receipt = receipt.id;
  bIds.receiptAttachment = ok<{ id: string }>(
    await b.request('POST', `/api/receipts/${receipt.id}/attachments`, {
      fileName: '回单.txt',
      contentBase64: 'aGk=',
    }),
    'bank slip',
  ).id;
  ok(await b.request('POST', `/api/receipts/${receipt.id}/confirm`, {}, withKey()), 'confirm');
  const detail = ok<{ allocations: { id: string }[] }>(
    await b.request(
      'POST',
      `/api/receipts/${receipt.id}/allocations`,
      { lines: [{ invoiceId: bIds.invoice, amount: '100.00' }] },
      withKey(),
    ),
    'allocate',
  );
  bIds.allocation = detail.allocations[0]?.id ?? '';
  const pooled = ok<{ id: string }>(
    await b.request(
      'POST',
      '/api/receipts',
      { receivedOn: '2026-11-04', amount: '50.00', currency: 'CNY', method: 'bank_transfer' },
      withKey(),
    ),
    'pool receipt',
  );
  ok(await b.request('POST', `/api/receipts/${pooled.id}/confirm`, {}, withKey()), 'confirm pool');
  bIds.claim = ok<{ id: string }>(
    await b.request('POST', `/api/receipts/${pooled.id}/claims`, {
      customerId: bIds.customer,
      evidence: '银行回单',
      split: [],
    }),
    'claim',
  ).id;
}

beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  a = await signUp(t.app);
  b = await signUp(t.app);
  await seedOrganizationB();
  await a.request('POST', '/api/teams', { name: 'A team' });
  await a.request('POST', '/api/invitations', { email: 'pending@a.test', role: 'legal' });
  await a.request('POST', '/api/api-tokens', { name: 'A token', scopes: ['read', 'write'] });
  await a.request('POST', '/api/customers', { code: 'A-001', name: 'A 客户' });
});
afterAll(() => t.close());

/** Which of B's records an `:id` names, by the route's first path segment. */
const ENTITY_BY_SEGMENT: Record<string, string> = {
  users: 'user',
  teams: 'team',
  invitations: 'invitation',
  'api-tokens': 'apiToken',
  customers: 'customer',
  contracts: 'contract',
  'plan-nodes': 'planNode',
  invoices: 'invoice',
  'invoice-requests': 'invoiceRequest',
  receipts: 'receipt',
  allocations: 'allocation',
  'receipt-claims': 'claim',
  approvals: 'approval',
  'import-jobs': 'importJob',
  'import-presets': 'importPreset',
  'write-offs': 'writeOff',
  'collection-targets': 'target',
  'commission-statements': 'user',
  disputes: 'dispute',
  activities: 'activity',
  promises: 'promise',
  letters: 'letter',
  messages: 'message',
  notifications: 'notification',
};

/** Other ID parameters, by name (and for attachments, by whose attachment it is). */
function foreignIdFor(url: string, param: string): string | undefined {
  const segment = url.split('/')[2] ?? '';
  if (param === 'id' && segment === 'dunning') return bIds[`dunning_${url.split('/')[3] ?? ''}`];
  if (param === 'id') return bIds[ENTITY_BY_SEGMENT[segment] ?? ''];
  if (param === 'contactId') return bIds.contact;
  if (param === 'accountId') return bIds.bankAccount;
  if (param === 'attachmentId')
    return segment === 'invoices' ? bIds.invoiceAttachment : bIds.customerAttachment;
  return undefined;
}

/** Parameters that are not record IDs. */
const NON_ID_PARAMS = new Set(['kind', 'token']);

/** A valid body for each write, so the request reaches the lookup instead of failing validation first. */
const BODIES: Record<string, unknown> = {
  'PATCH /api/users/:id': { name: 'x' },
  'PATCH /api/teams/:id': { name: 'x' },
  'PATCH /api/customers/:id': { name: 'x' },
  'POST /api/customers/:id/contacts': { name: 'x' },
  'PATCH /api/customers/:id/contacts/:contactId': { name: 'x' },
  'POST /api/customers/:id/bank-accounts': { bankName: 'x', accountName: 'x', accountNumber: '1' },
  'POST /api/customers/:id/litigations': { summary: 'x' },
  'POST /api/customers/:id/attachments': { fileName: 'x.txt', contentBase64: 'aGk=' },
  'PATCH /api/contracts/:id': { title: 'x' },
  'PUT /api/contracts/:id/plan': {
    nodes: [{ name: 'x', amount: '1.00', dueTrigger: 'on_signing', offsetDays: 0 }],
  },
  'POST /api/plan-nodes/:id/event': { eventOn: '2026-11-05' },
  'PATCH /api/invoices/:id': { notes: 'x' },
  'POST /api/invoices/:id/void': { reason: 'x' },
  'POST /api/invoices/:id/credit-notes': { number: 'CN-X', amount: '1.00', reason: 'x' },
  'POST /api/invoices/:id/waivers': { amount: '1.00', reason: 'x' },
  'POST /api/invoices/:id/attachments': { fileName: 'x.txt', contentBase64: 'aGk=' },
  'POST /api/receipts/:id/attachments': { fileName: 'x.txt', contentBase64: 'aGk=' },
  'POST /api/invoices/:id/offset-requests': { amount: '1.00', reason: 'x', counterparty: 'x' },
  'POST /api/invoices/:id/goods-settlement-requests': { amount: '1.00', reason: 'x', goodsDescription: 'x' },
  'POST /api/invoice-requests/:id/decision': { decision: 'approve' },
  'PATCH /api/receipts/:id': { notes: 'x' },
  'POST /api/receipts/:id/reverse': { reason: 'x' },
  'POST /api/receipts/:id/allocations': { lines: [{ invoiceId: randomUUID(), amount: '1.00' }] },
  'POST /api/receipts/:id/claims': { customerId: randomUUID(), evidence: 'x', split: [] },
  'POST /api/allocations/:id/reverse': { reason: 'x' },
  'POST /api/receipt-claims/:id/reject': { comment: 'x' },
  'POST /api/approvals/:id/decision': { decision: 'approve' },
  'PATCH /api/import-presets/:id': { name: 'x' },
  'POST /api/invoices/:id/write-offs': { amount: '1.00', reason: 'x' },
  'POST /api/invoices/:id/product-condition': { condition: 'abnormal', reason: 'x' },
  'PUT /api/customers/:id/credit-rating': { rating: 'A', reason: 'x' },
  'PUT /api/customers/:id/credit-limit': { limit: '1000.00' },
  'POST /api/customers/:id/credit-overrides': { amount: '0', validUntil: '2026-12-31', reason: 'x' },
  'POST /api/disputes/:id/resolve': { outcome: 'withdrawn' },
  'PUT /api/customers/:id/case': { attitude: 'hostile' },
  'POST /api/customers/:id/calls': { outcome: 'no_answer' },
  'POST /api/customers/:id/visits': { plannedOn: '2030-01-01' },
  'POST /api/customers/:id/notes': { body: 'x' },
  'POST /api/customers/:id/tasks': { title: 'x', dueOn: '2030-01-01' },
  'POST /api/customers/:id/promises': { instalments: [{ dueOn: '2030-01-01', amount: '1.00' }] },
  'POST /api/activities/:id/visit-result': { result: 'collected' },
  'POST /api/promises/:id/cancel': { reason: 'x' },
  'POST /api/disputes/:id/assign': { ownerUserId: randomUUID() },
  'POST /api/disputes/:id/resolution': { outcome: 'invalid' },
  'POST /api/contracts/:id/copy': { number: 'COPY-1' },
  'POST /api/write-offs/:id/recoveries': { receiptId: randomUUID(), amount: '1.00' },
  'PUT /api/dunning/policies/:id': { name: 'x', steps: [{ kind: 'call_task', offsetDays: 1 }] },
  'PATCH /api/collection-targets/:id': { amount: '1.00' },
  'POST /api/collection-targets/:id/split': { parts: [{ userId: randomUUID(), weight: 1 }] },
  'POST /api/commission-statements/:id/lock': { period: '2026-10' },
  'POST /api/customers/:id/incentive-requests': {
    kind: 'service',
    description: 'x',
    payBy: '2026-12-31',
    reason: 'x',
  },
  'POST /api/invoices/:id/sales-cause': { isNotSalesCaused: true, reason: 'x' },
  'POST /api/customers/:id/letters': { kind: 'dunning_letter' },
  'POST /api/customers/:id/letters/preview': { kind: 'dunning_letter' },
};

describe('application scoping', () => {
  it('answers 404 on every route that takes an ID when the ID belongs to another organization', async () => {
    const idRoutes = t.app.routeTable.filter(
      (route) =>
        route.method !== 'HEAD' &&
        [...route.url.matchAll(/:(\w+)/g)].some((m) => !NON_ID_PARAMS.has(m[1] ?? '')),
    );
    expect(idRoutes.length).toBeGreaterThan(40);
    for (const route of idRoutes) {
      const url = route.url.replace(/:(\w+)/g, (_whole, param: string) => {
        const id = foreignIdFor(route.url, param);
        expect(id, `no foreign ID for :${param} in ${route.method} ${route.url}`).toBeTruthy();
        return id ?? '';
      });
      const key = `${route.method} ${route.url}`;
      const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : (BODIES[key] ?? {});
      const response = await a.request(route.method as 'GET', url, body, withKey());
      expect(response.statusCode, `${key}: ${response.body}`).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
  });

  it('returns nothing for list filters that name another organization', async () => {
    const users = await a.request('GET', `/api/users?teamId=${bIds.team}`);
    expect(users.statusCode).toBe(200);
    expect(users.json().items).toEqual([]);
    for (const query of [`entityId=${bIds.user}`, `actorUserId=${bIds.user}`, `entityId=${b.tenantId}`]) {
      const audit = await a.request('GET', `/api/audit?${query}`);
      expect(audit.statusCode).toBe(200);
      expect(audit.json().items).toEqual([]);
    }
    const filtered = [
      `/api/customers?teamId=${bIds.team}`,
      `/api/contracts?customerId=${bIds.customer}`,
      `/api/invoices?customerId=${bIds.customer}`,
      `/api/invoices?contractId=${bIds.contract}`,
      `/api/receipts?customerId=${bIds.customer}`,
      `/api/invoice-requests?customerId=${bIds.customer}`,
      `/api/receipt-claims?receiptId=${bIds.receipt}`,
      `/api/approvals?customerId=${bIds.customer}`,
      `/api/write-offs?customerId=${bIds.customer}`,
      `/api/disputes?customerId=${bIds.customer}`,
      `/api/promises?customerId=${bIds.customer}`,
      `/api/activities?customerId=${bIds.customer}`,
      `/api/messages?customerId=${bIds.customer}`,
    ];
    for (const url of filtered) {
      const response = await a.request('GET', url);
      expect(response.statusCode, url).toBe(200);
      expect(response.json().items, url).toEqual([]);
    }
    const allUsers = await a.request('GET', '/api/users');
    expect(allUsers.json().items.map((u: { id: string }) => u.id)).toEqual([a.userId]);
    const teams = await a.request('GET', '/api/teams');
    expect(teams.json().items.map((team: { name: string }) => team.name)).toEqual(['A team']);
    const customers = await a.request('GET', '/api/customers');
    expect(customers.json().items.map((c: { code: string }) => c.code)).toEqual(['A-001']);
    const balances = await a.request('GET', '/api/balances/customers');
    expect(balances.json().items.map((row: { code: string }) => row.code)).toEqual(['A-001']);
  });

  it('cannot move a user into another organization’s team', async () => {
    const response = await a.request('PATCH', `/api/users/${a.userId}`, { teamId: bIds.team });
    expect(response.statusCode).toBe(404);
  });

  it('left B’s records untouched after all of A’s attempts', async () => {
    const team = await b.request('GET', '/api/teams');
    expect(team.json().items[0]).toMatchObject({ id: bIds.team, name: 'B team', memberCount: 1 });
    const customer = await b.request('GET', `/api/customers/${bIds.customer}`);
    expect(customer.json()).toMatchObject({ code: 'B-001', name: 'B 客户' });
    const invoice = await b.request('GET', `/api/invoices/${bIds.invoice}`);
    // 600.00 − 100.00 received − 2.00 written off.
    expect(invoice.json()).toMatchObject({ number: 'B-INV-1', open: '498.00' });
    const receipt = await b.request('GET', `/api/receipts/${bIds.receipt}`);
    expect(receipt.json().allocations).toHaveLength(1);
    const approval = await b.request('GET', `/api/approvals/${bIds.approval}`);
    expect(approval.json().status).toBe('pending');
  });
});

describe('row-level security alone', () => {
  async function tenantTables(): Promise<string[]> {
    const rows = await t.db.system((tx) =>
      sql<{ table_name: string }>`
        SELECT c.relname AS table_name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r'
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')
        ORDER BY 1`.execute(tx),
    );
    return rows.rows.map((row) => row.table_name);
  }

  it('shows a tenant only its own rows in every tenant table, even when a query has no tenant filter', async () => {
    const tables = await tenantTables();
    expect(tables).toEqual(
      expect.arrayContaining(['customers', 'invoices', 'receipts', 'allocations', 'audit_log']),
    );
    for (const table of tables) {
      const [own, foreign] = await Promise.all(
        [a.tenantId, b.tenantId].map((tenantId) =>
          t.db.tenant(tenantId, (tx) =>
            sql<{ tenant_id: string }>`SELECT tenant_id FROM ${sql.table(table)}`.execute(tx),
          ),
        ),
      );
      expect(
        own?.rows.every((row) => row.tenant_id === a.tenantId),
        table,
      ).toBe(true);
      expect(
        foreign?.rows.every((row) => row.tenant_id === b.tenantId),
        table,
      ).toBe(true);
    }
  });

  it('cannot update, delete or insert another tenant’s rows', async () => {
    const updated = await t.db.tenant(a.tenantId, (tx) =>
      tx
        .updateTable('customers')
        .set({ name: 'hijacked' })
        .where('id', '=', bIds.customer ?? '')
        .executeTakeFirst(),
    );
    expect(updated.numUpdatedRows).toBe(0n);
    const deleted = await t.db.tenant(a.tenantId, (tx) =>
      tx
        .deleteFrom('invitations')
        .where('id', '=', bIds.invitation ?? '')
        .executeTakeFirst(),
    );
    expect(deleted.numDeletedRows).toBe(0n);
    await expect(
      t.db.tenant(a.tenantId, (tx) =>
        tx.insertInto('teams').values({ tenant_id: b.tenantId, name: 'planted' }).execute(),
      ),
    ).rejects.toThrow(/row-level security/);
    const bTeams = await t.db.tenant(b.tenantId, (tx) => tx.selectFrom('teams').select('name').execute());
    expect(bTeams.map((row) => row.name)).toEqual(['B team']);
  });

  it('fails closed: with no tenant set, the application role sees no rows in any tenant table', async () => {
    const tables = await tenantTables();
    const counts = await t.db.system(async (tx) => {
      await sql`SET LOCAL ROLE huikuan_app`.execute(tx);
      const result: Record<string, number> = {};
      for (const table of tables) {
        const row = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(tx);
        result[table] = Number(row.rows[0]?.n);
      }
      return result;
    });
    expect(Object.values(counts)).toEqual(tables.map(() => 0));
  });

  it('cannot write to the audit log except by appending', async () => {
    await expect(
      t.db.tenant(a.tenantId, (tx) => sql`UPDATE audit_log SET action = 'forged'`.execute(tx)),
    ).rejects.toThrow(/permission denied/);
    await expect(t.db.system((tx) => sql`DELETE FROM audit_log`.execute(tx))).rejects.toThrow(/append-only/);
  });
});
