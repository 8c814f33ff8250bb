import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
});
afterAll(() => t.close());

async function createOk(client: Client, body: Record<string, unknown>) {
  const response = await client.request('POST', '/api/customers', body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function codesOf(client: Client, query = '') {
  const response = await client.request('GET', `/api/customers?limit=200${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items.map((item: { code: string }) => item.code);
}

/** An organization with teams East > Shanghai and North, and people in each role. */
async function organization() {
  const admin = await signUp(t.app);
  const east = (await admin.request('POST', '/api/teams', { name: '华东区' })).json();
  const shanghai = (await admin.request('POST', '/api/teams', { name: '上海组', parentId: east.id })).json();
  const north = (await admin.request('POST', '/api/teams', { name: '华北区' })).json();
  return {
    admin,
    east,
    shanghai,
    north,
    manager: await addUser(admin, 'sales_manager', { teamId: east.id, name: '王经理' }),
    seller: await addUser(admin, 'salesperson', { teamId: east.id, name: '张三' }),
    shanghaiSeller: await addUser(admin, 'salesperson', { teamId: shanghai.id, name: '李四' }),
    northSeller: await addUser(admin, 'salesperson', { teamId: north.id, name: '赵六' }),
    finance: await addUser(admin, 'finance'),
    executive: await addUser(admin, 'executive'),
    legal: await addUser(admin, 'legal'),
  };
}

describe('creating customers', () => {
  it('defaults owner, team, terms and currency, and keeps the credit file exactly', async () => {
    const org = await organization();
    const customer = await createOk(org.seller, {
      code: 'C001',
      name: '上海某某科技有限公司',
      shortName: '某某科技',
      registeredCapital: '1000000.07',
      foundedOn: '2015-03-09',
      legalRepresentative: '陈某',
      booksClosingDay: 25,
      transferCycleDays: 3,
      invoiceRequirements: '增值税专用发票，月底前寄达',
      tags: ['重点', 'VIP'],
      segment: 'enterprise',
    });
    expect(customer).toMatchObject({
      code: 'C001',
      ownerUserId: org.seller.userId,
      ownerName: '张三',
      teamId: org.east.id,
      teamName: '华东区',
      paymentTermsDays: 30,
      currency: 'CNY',
      registeredCapital: '1000000.07',
      registeredCapitalCurrency: 'CNY',
      foundedOn: '2015-03-09',
      booksClosingDay: 25,
      transferCycleDays: 3,
      tags: ['重点', 'VIP'],
      isActive: true,
    });
    const fetched = await org.seller.request('GET', `/api/customers/${customer.id}`);
    expect(fetched.json()).toEqual(customer);

    const audit = await org.admin.request('GET', `/api/audit?entityType=customer&entityId=${customer.id}`);
    const [created] = audit.json().items;
    expect(created.action).toBe('customer.created');
    expect(created.after.registered_capital_minor).toBe('100000007');
    expect(created.actorUserId).toBe(org.seller.userId);
  });

  it('leaves a customer created by finance unowned unless an owner is named, whose team it then joins', async () => {
    const org = await organization();
    const unowned = await createOk(org.finance, { code: 'F1', name: 'Finance-made', currency: 'USD' });
    expect(unowned).toMatchObject({ ownerUserId: null, teamId: null, currency: 'USD' });
    const owned = await createOk(org.finance, {
      code: 'F2',
      name: 'Assigned',
      ownerUserId: org.northSeller.userId,
    });
    expect(owned).toMatchObject({ ownerUserId: org.northSeller.userId, teamId: org.north.id });
    const usd = await createOk(org.admin, {
      code: 'F3',
      name: 'Capital in JPY',
      registeredCapital: '1234567',
      registeredCapitalCurrency: 'JPY',
    });
    expect(usd).toMatchObject({ registeredCapital: '1234567', registeredCapitalCurrency: 'JPY' });
  });

  it('answers 409 naming the code when it is taken in the organization, but not in another organization', async () => {
    const org = await organization();
    await createOk(org.seller, { code: 'DUP-1', name: 'First' });
    const again = await org.finance.request('POST', '/api/customers', { code: 'DUP-1', name: 'Second' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('conflict');
    expect(again.json().error.message).toContain('DUP-1');
    const other = await signUp(t.app);
    await createOk(other, { code: 'DUP-1', name: 'Elsewhere' });
  });

  it('keeps one customer per unified credit code, so a held customer cannot come back under another code', async () => {
    const org = await organization();
    const held = await createOk(org.seller, {
      code: 'HOLD-1',
      name: '华东机械有限公司',
      unifiedCreditCode: '91310000MA1FL0XX7Q',
    });
    await org.seller.request('PATCH', `/api/customers/${held.id}`, { isActive: false });
    // Same entity, new code, the credit code typed in lower case with spaces: refused, naming the holder's code.
    const again = await org.finance.request('POST', '/api/customers', {
      code: 'HOLD-2',
      name: '华东机械',
      unifiedCreditCode: ' 91310000ma1fl0xx7q ',
    });
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json().error.message).toContain('HOLD-1');
    const other = await createOk(org.finance, { code: 'HOLD-3', name: '另一家' });
    const patched = await org.finance.request('PATCH', `/api/customers/${other.id}`, {
      unifiedCreditCode: '91310000MA1FL0XX7Q',
    });
    expect(patched.statusCode, patched.body).toBe(409);
    expect(patched.json().error.message).toContain('HOLD-1');
    // The holder keeps its own code through an edit; another organization may hold the same entity.
    const own = await org.admin.request('PATCH', `/api/customers/${held.id}`, {
      unifiedCreditCode: '91310000MA1FL0XX7Q',
      name: '华东机械有限公司（总部）',
    });
    expect(own.statusCode, own.body).toBe(200);
    await createOk(await signUp(t.app), { code: 'E-1', name: 'X', unifiedCreditCode: '91310000MA1FL0XX7Q' });
    // The database refuses it too, whatever path a write takes (migration 0019).
    await expect(
      t.db.tenant(org.admin.tenantId, (tx) =>
        tx
          .insertInto('customers')
          .values({
            tenant_id: org.admin.tenantId,
            code: 'HOLD-4',
            name: 'Y',
            currency: 'CNY',
            unified_credit_code: '91310000ma1fl0xx7q',
          })
          .execute(),
      ),
    ).rejects.toThrow(/customers_unified_credit_key/);
  });

  it('rejects bad registered capital with the field path, and foreign owners and teams as not found', async () => {
    const org = await organization();
    const tooPrecise = await org.admin.request('POST', '/api/customers', {
      code: 'X1',
      name: 'X',
      registeredCapital: '12.345',
    });
    expect(tooPrecise.statusCode).toBe(400);
    expect(tooPrecise.json().error.issues[0].path).toBe('registeredCapital');
    const negative = await org.admin.request('POST', '/api/customers', {
      code: 'X1',
      name: 'X',
      registeredCapital: '-0.01',
    });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().error.issues[0].path).toBe('registeredCapital');
    const currencyAlone = await org.admin.request('POST', '/api/customers', {
      code: 'X1',
      name: 'X',
      registeredCapitalCurrency: 'USD',
    });
    expect(currencyAlone.statusCode).toBe(400);

    const other = await organization();
    const foreignOwner = await org.admin.request('POST', '/api/customers', {
      code: 'X1',
      name: 'X',
      ownerUserId: other.seller.userId,
    });
    expect(foreignOwner.statusCode).toBe(404);
    expect(foreignOwner.json().error.params.entity).toBe('user');
    const foreignTeam = await org.admin.request('POST', '/api/customers', {
      code: 'X1',
      name: 'X',
      teamId: other.east.id,
    });
    expect(foreignTeam.statusCode).toBe(404);
    expect(foreignTeam.json().error.params.entity).toBe('team');
    expect(await codesOf(org.admin)).toEqual([]);
  });

  it('lets a salesperson create only customers they own themselves', async () => {
    const org = await organization();
    const forOther = await org.seller.request('POST', '/api/customers', {
      code: 'S1',
      name: 'S',
      ownerUserId: org.northSeller.userId,
    });
    expect(forOther.statusCode).toBe(403);
    const otherTeam = await org.seller.request('POST', '/api/customers', {
      code: 'S1',
      name: 'S',
      teamId: org.north.id,
    });
    expect(otherTeam.statusCode).toBe(403);
    const legalAssigning = await org.legal.request('POST', '/api/customers', {
      code: 'S1',
      name: 'S',
      ownerUserId: org.seller.userId,
    });
    expect(legalAssigning.statusCode).toBe(403);
    const executive = await org.executive.request('POST', '/api/customers', { code: 'S1', name: 'S' });
    expect(executive.statusCode).toBe(403);
  });
});

describe('record scope', () => {
  it('shows a salesperson their own, a manager their teams and their own, finance and executives all', async () => {
    const org = await organization();
    await createOk(org.seller, { code: 'A-EAST', name: 'East customer' });
    await createOk(org.shanghaiSeller, { code: 'B-SHANGHAI', name: 'Shanghai customer' });
    await createOk(org.northSeller, { code: 'C-NORTH', name: 'North customer' });
    // Owned by the manager but counted for no team: the manager still sees it as its owner.
    await createOk(org.admin, {
      code: 'D-MANAGER',
      name: 'Manager own',
      ownerUserId: org.manager.userId,
      teamId: null,
    });
    await createOk(org.finance, { code: 'E-NOBODY', name: 'Unowned' });

    expect(await codesOf(org.seller)).toEqual(['A-EAST']);
    expect(await codesOf(org.northSeller)).toEqual(['C-NORTH']);
    expect(await codesOf(org.manager)).toEqual(['A-EAST', 'B-SHANGHAI', 'D-MANAGER']);
    const all = ['A-EAST', 'B-SHANGHAI', 'C-NORTH', 'D-MANAGER', 'E-NOBODY'];
    expect(await codesOf(org.finance)).toEqual(all);
    expect(await codesOf(org.executive)).toEqual(all);
    expect(await codesOf(org.legal)).toEqual(all);
  });

  it('answers 404 for a customer outside the scope and lets executives read but never write', async () => {
    const org = await organization();
    const north = await createOk(org.northSeller, { code: 'N1', name: 'North' });
    expect((await org.seller.request('GET', `/api/customers/${north.id}`)).statusCode).toBe(404);
    expect((await org.manager.request('GET', `/api/customers/${north.id}`)).statusCode).toBe(404);
    const patch = await org.seller.request('PATCH', `/api/customers/${north.id}`, { name: 'Mine now' });
    expect(patch.statusCode).toBe(404);
    expect((await org.executive.request('GET', `/api/customers/${north.id}`)).statusCode).toBe(200);
    const executiveWrite = await org.executive.request('PATCH', `/api/customers/${north.id}`, { name: 'No' });
    expect(executiveWrite.statusCode).toBe(403);
    expect((await org.finance.request('GET', `/api/customers/${north.id}`)).json().name).toBe('North');
  });
});

describe('updating customers', () => {
  it('lets a salesperson edit their own customer, audited with before and after, but not reassign it', async () => {
    const org = await organization();
    const customer = await createOk(org.seller, { code: 'U1', name: 'Old name', paymentTermsDays: 45 });
    const edited = await org.seller.request('PATCH', `/api/customers/${customer.id}`, {
      name: 'New name',
      registeredCapital: '33.33',
      notes: '',
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({
      name: 'New name',
      paymentTermsDays: 45,
      registeredCapital: '33.33',
      notes: null,
    });
    const reassign = await org.seller.request('PATCH', `/api/customers/${customer.id}`, {
      ownerUserId: org.shanghaiSeller.userId,
    });
    expect(reassign.statusCode).toBe(403);
    const sameOwner = await org.seller.request('PATCH', `/api/customers/${customer.id}`, {
      ownerUserId: org.seller.userId,
      teamId: org.east.id,
    });
    expect(sameOwner.statusCode).toBe(200);

    const audit = await org.admin.request('GET', `/api/audit?entityType=customer&entityId=${customer.id}`);
    // Newest first: the last 'customer.updated' entry is the first edit.
    const update = audit
      .json()
      .items.filter((entry: { action: string }) => entry.action === 'customer.updated')
      .at(-1);
    expect(update.before).toMatchObject({ name: 'Old name', registered_capital_minor: null });
    expect(update.after).toMatchObject({ name: 'New name', registered_capital_minor: '3333' });
  });

  it('lets a manager reassign within their teams only; the team follows the new owner', async () => {
    const org = await organization();
    const customer = await createOk(org.seller, { code: 'R1', name: 'Moving' });
    const toShanghai = await org.manager.request('PATCH', `/api/customers/${customer.id}`, {
      ownerUserId: org.shanghaiSeller.userId,
    });
    expect(toShanghai.statusCode, toShanghai.body).toBe(200);
    expect(toShanghai.json()).toMatchObject({
      ownerUserId: org.shanghaiSeller.userId,
      teamId: org.shanghai.id,
    });
    expect(await codesOf(org.seller)).toEqual([]);
    expect(await codesOf(org.shanghaiSeller)).toEqual(['R1']);

    const away = await org.manager.request('PATCH', `/api/customers/${customer.id}`, {
      ownerUserId: org.northSeller.userId,
    });
    expect(away.statusCode).toBe(403);
    const byFinance = await org.finance.request('PATCH', `/api/customers/${customer.id}`, {
      ownerUserId: org.northSeller.userId,
    });
    expect(byFinance.json()).toMatchObject({ ownerUserId: org.northSeller.userId, teamId: org.north.id });
    expect((await org.manager.request('GET', `/api/customers/${customer.id}`)).statusCode).toBe(404);
    const legal = await org.legal.request('PATCH', `/api/customers/${customer.id}`, { teamId: null });
    expect(legal.statusCode).toBe(403);
  });

  it('deactivates and reactivates instead of deleting, and refuses a code taken by another customer', async () => {
    const org = await organization();
    const first = await createOk(org.admin, { code: 'K1', name: 'Keep' });
    await createOk(org.admin, { code: 'K2', name: 'Other' });
    const off = await org.admin.request('PATCH', `/api/customers/${first.id}`, { isActive: false });
    expect(off.json().isActive).toBe(false);
    expect(await codesOf(org.admin, '&isActive=true')).toEqual(['K2']);
    expect(await codesOf(org.admin, '&isActive=false')).toEqual(['K1']);
    await org.admin.request('PATCH', `/api/customers/${first.id}`, { isActive: true });
    const audit = await org.admin.request('GET', `/api/audit?entityType=customer&entityId=${first.id}`);
    const actions = audit.json().items.map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(['customer.reactivated', 'customer.deactivated', 'customer.created']);
    const taken = await org.admin.request('PATCH', `/api/customers/${first.id}`, { code: 'K2' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.message).toContain('K2');
  });
});

describe('listing customers', () => {
  it('pages by code and by name with keyset cursors, each customer exactly once', async () => {
    const org = await organization();
    const names = ['Gamma', 'Alpha', 'Epsilon', 'Beta', 'Delta', 'Zeta', 'Eta'];
    for (const [index, name] of names.entries()) {
      await createOk(org.admin, { code: `P${String(7 - index).padStart(3, '0')}`, name });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = (await org.admin.request('GET', `/api/customers?limit=3${query}`)).json();
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((item: { code: string }) => item.code));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['P001', 'P002', 'P003', 'P004', 'P005', 'P006', 'P007']);

    const byName = (await org.admin.request('GET', '/api/customers?limit=4&sort=name')).json();
    expect(byName.items.map((item: { name: string }) => item.name)).toEqual([
      'Alpha',
      'Beta',
      'Delta',
      'Epsilon',
    ]);
    const rest = (
      await org.admin.request('GET', `/api/customers?limit=4&sort=name&cursor=${byName.nextCursor}`)
    ).json();
    expect(rest.items.map((item: { name: string }) => item.name)).toEqual(['Eta', 'Gamma', 'Zeta']);
    expect(rest.nextCursor).toBeNull();
    const mixed = await org.admin.request('GET', `/api/customers?sort=code&cursor=${byName.nextCursor}`);
    expect(mixed.statusCode).toBe(400);
    expect((await org.admin.request('GET', '/api/customers?cursor=garbage')).statusCode).toBe(400);
  });

  it('searches code, name and short name case-insensitively, with % and _ taken literally', async () => {
    const org = await organization();
    await createOk(org.admin, { code: 'ACME-1', name: 'Acme Trading' });
    await createOk(org.admin, { code: 'B2', name: '100% Cotton', shortName: 'cotton' });
    await createOk(org.admin, { code: 'B3', name: 'a_c Works' });
    await createOk(org.admin, { code: 'B4', name: 'abc Works', shortName: '华丰' });
    expect(await codesOf(org.admin, '&search=acme')).toEqual(['ACME-1']);
    expect(await codesOf(org.admin, '&search=COTTON')).toEqual(['B2']);
    expect(await codesOf(org.admin, `&search=${encodeURIComponent('100%')}`)).toEqual(['B2']);
    expect(await codesOf(org.admin, '&search=a_c')).toEqual(['B3']);
    expect(await codesOf(org.admin, `&search=${encodeURIComponent('华丰')}`)).toEqual(['B4']);
    expect(await codesOf(org.admin, '&search=b4')).toEqual(['B4']);
  });

  it('filters by owner, team, segment and tag, always inside the scope', async () => {
    const org = await organization();
    await createOk(org.seller, { code: 'T1', name: 'One', segment: 'smb', tags: ['重点'] });
    await createOk(org.shanghaiSeller, {
      code: 'T2',
      name: 'Two',
      segment: 'enterprise',
      tags: ['重点', 'gov'],
    });
    await createOk(org.northSeller, { code: 'T3', name: 'Three', segment: 'smb', tags: ['gov'] });
    expect(await codesOf(org.admin, `&ownerUserId=${org.seller.userId}`)).toEqual(['T1']);
    expect(await codesOf(org.admin, `&teamId=${org.shanghai.id}`)).toEqual(['T2']);
    expect(await codesOf(org.admin, '&segment=smb')).toEqual(['T1', 'T3']);
    expect(await codesOf(org.admin, `&tag=${encodeURIComponent('重点')}`)).toEqual(['T1', 'T2']);
    expect(await codesOf(org.admin, '&tag=gov')).toEqual(['T2', 'T3']);
    expect(await codesOf(org.manager, '&tag=gov')).toEqual(['T2']);
    expect(await codesOf(org.seller, `&ownerUserId=${org.northSeller.userId}`)).toEqual([]);
    const list = (await org.admin.request('GET', '/api/customers?segment=enterprise')).json();
    expect(list.items[0]).toMatchObject({ ownerName: '李四', teamName: '上海组' });
  });
});
