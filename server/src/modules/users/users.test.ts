import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  createTestApp,
  signIn,
  signUp,
  TEST_PASSWORD,
  type TestApp,
} from '../../../test/support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
});
afterAll(() => t.close());

describe('invitations', () => {
  it('lets an admin invite a colleague who accepts, is signed in with the invited role, and can sign in later', async () => {
    const admin = await signUp(t.app);
    const invite = await admin.request('POST', '/api/invitations', {
      email: 'Finance@Example.test',
      role: 'finance',
    });
    expect(invite.statusCode).toBe(201);
    const { token, acceptPath, invitation } = invite.json();
    expect(acceptPath).toBe(`/invite/${token}`);
    expect(invitation).toMatchObject({ email: 'finance@example.test', role: 'finance', status: 'pending' });

    const preview = await t.app.inject({ method: 'GET', url: `/api/invitations/by-token/${token}` });
    expect(preview.json()).toEqual({
      organizationName: admin.session?.organization.name,
      email: 'finance@example.test',
      role: 'finance',
    });
    const accepted = await t.app.inject({
      method: 'POST',
      url: `/api/invitations/by-token/${token}/accept`,
      payload: { name: '钱财务', password: TEST_PASSWORD },
    });
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json().user).toMatchObject({ name: '钱财务', role: 'finance' });

    const reused = await t.app.inject({
      method: 'POST',
      url: `/api/invitations/by-token/${token}/accept`,
      payload: { name: 'Again', password: TEST_PASSWORD },
    });
    expect(reused.statusCode).toBe(410);
    const list = await admin.request('GET', '/api/invitations');
    expect(list.json().items[0].status).toBe('accepted');
    const finance = await signIn(t.app, admin.session?.organization.slug ?? '', 'finance@example.test');
    expect(finance.session?.user.role).toBe('finance');
  });

  it('refuses expired and revoked invitations and emails already in the organization', async () => {
    const admin = await signUp(t.app);
    const first = (
      await admin.request('POST', '/api/invitations', { email: 'late@x.test', role: 'legal' })
    ).json();
    const second = (
      await admin.request('POST', '/api/invitations', { email: 'gone@x.test', role: 'legal' })
    ).json();
    expect((await admin.request('DELETE', `/api/invitations/${second.invitation.id}`)).statusCode).toBe(200);
    const revoked = await t.app.inject({ method: 'GET', url: `/api/invitations/by-token/${second.token}` });
    expect(revoked.statusCode).toBe(410);
    t.clock.advanceMs(8 * 24 * 3600_000);
    const expired = await t.app.inject({ method: 'GET', url: `/api/invitations/by-token/${first.token}` });
    expect(expired.statusCode).toBe(410);
    expect(expired.json().error.code).toBe('invitation_invalid');
    const duplicate = await admin.request('POST', '/api/invitations', {
      email: admin.session?.user.email,
      role: 'finance',
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.code).toBe('email_taken');
  });
});

describe('roles and permissions', () => {
  it('lets only admins manage users, and keeps executives read-only', async () => {
    const admin = await signUp(t.app);
    const sales = await addUser(admin, 'salesperson');
    const executive = await addUser(admin, 'executive');
    const finance = await addUser(admin, 'finance');

    expect(
      (await sales.request('POST', '/api/invitations', { email: 'x@y.test', role: 'admin' })).statusCode,
    ).toBe(403);
    expect((await sales.request('PATCH', `/api/users/${sales.userId}`, { role: 'admin' })).statusCode).toBe(
      403,
    );
    expect((await sales.request('GET', '/api/audit')).statusCode).toBe(403);
    expect((await executive.request('GET', '/api/audit')).statusCode).toBe(200);
    expect((await executive.request('GET', '/api/users')).statusCode).toBe(200);
    expect((await executive.request('PATCH', '/api/organization', { name: 'Mine now' })).statusCode).toBe(
      403,
    );
    expect((await executive.request('POST', '/api/teams', { name: 'Exec team' })).statusCode).toBe(403);
    expect(
      (await finance.request('POST', '/api/api-tokens', { name: 't', scopes: ['read'] })).statusCode,
    ).toBe(403);
    expect(executive.session?.permissions).not.toContain('records.write');
    expect(sales.session?.recordScope).toEqual({ kind: 'own', userId: sales.userId });
    expect(finance.session?.recordScope).toEqual({ kind: 'all' });
  });

  it('changes a role, and never lets the organization lose its last active admin', async () => {
    const admin = await signUp(t.app);
    const demote = await admin.request('PATCH', `/api/users/${admin.userId}`, { role: 'finance' });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.code).toBe('last_admin');
    expect((await admin.request('PATCH', `/api/users/${admin.userId}`, { isActive: false })).statusCode).toBe(
      409,
    );
    const other = await addUser(admin, 'salesperson');
    const promoted = await admin.request('PATCH', `/api/users/${other.userId}`, { role: 'admin' });
    expect(promoted.json().role).toBe('admin');
    expect((await admin.request('PATCH', `/api/users/${admin.userId}`, { role: 'finance' })).statusCode).toBe(
      200,
    );
  });

  it('ends a deactivated user’s sessions at once', async () => {
    const admin = await signUp(t.app);
    const sales = await addUser(admin, 'salesperson');
    expect((await sales.request('GET', '/api/auth/session')).statusCode).toBe(200);
    expect((await admin.request('PATCH', `/api/users/${sales.userId}`, { isActive: false })).statusCode).toBe(
      200,
    );
    expect((await sales.request('GET', '/api/auth/session')).statusCode).toBe(401);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: {
        organizationSlug: admin.session?.organization.slug,
        email: sales.session?.user.email,
        password: TEST_PASSWORD,
      },
    });
    expect(login.statusCode).toBe(403);
    expect(login.json().error.code).toBe('account_disabled');
  });
});

describe('user list', () => {
  it('pages through users by name with a cursor, and filters by role and search', async () => {
    const admin = await signUp(t.app, { adminName: 'Zed Admin' });
    // Addresses of their own: the default ones end in six random characters, and one with "be" in it matched the
    // search below.
    for (const name of ['Dan', 'Bea', 'Cai', 'Ann']) {
      await addUser(admin, 'salesperson', { name, email: `${name.toLowerCase()}@list.test` });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page = await admin.request('GET', `/api/users${query}`);
      expect(page.statusCode).toBe(200);
      const body = page.json<{ items: { name: string }[]; nextCursor: string | null }>();
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((u) => u.name));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Ann', 'Bea', 'Cai', 'Dan', 'Zed Admin']);
    const admins = await admin.request('GET', '/api/users?role=admin');
    expect(admins.json().items.map((u: { name: string }) => u.name)).toEqual(['Zed Admin']);
    const search = await admin.request('GET', '/api/users?search=be');
    const found = search.json<{ items: { name: string; email: string }[] }>().items;
    // Bea by her name; the admin only when the random part of its address happens to hold "be".
    const adminMatches = /be/i.test(admin.session?.user.email ?? '');
    expect(found.map((u) => u.name)).toEqual(adminMatches ? ['Bea', 'Zed Admin'] : ['Bea']);
    const bad = await admin.request('GET', '/api/users?cursor=garbage');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0].path).toBe('cursor');
  });
});
