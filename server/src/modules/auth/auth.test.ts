import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  signIn,
  signUp,
  TEST_PASSWORD,
  uniqueSlug,
  type TestApp,
} from '../../../test/support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
});
afterAll(() => t.close());

describe('sign-up', () => {
  it('creates the organization and its first admin, and signs the admin in with a safe cookie', async () => {
    const slug = uniqueSlug('acme');
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: {
        organizationName: '艾克美 Acme',
        slug,
        adminName: 'Ann',
        email: 'Ann@Acme.test',
        password: TEST_PASSWORD,
      },
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.organization).toMatchObject({
      slug,
      baseCurrency: 'CNY',
      timezone: 'Asia/Shanghai',
      locale: 'zh-CN',
    });
    expect(body.user).toMatchObject({ email: 'ann@acme.test', role: 'admin', isActive: true });
    expect(body.permissions).toContain('users.manage');
    expect(body.recordScope).toEqual({ kind: 'all' });
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it('rejects a taken slug with 409 in the language asked for', async () => {
    const first = await signUp(t.app);
    const slug = first.session?.organization.slug ?? '';
    const again = (lang: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/signup',
        headers: { 'accept-language': lang },
        payload: { organizationName: 'X', slug, adminName: 'B', email: 'b@x.test', password: TEST_PASSWORD },
      });
    const en = await again('en-US,en;q=0.9');
    expect(en.statusCode).toBe(409);
    expect(en.json().error).toMatchObject({
      code: 'slug_taken',
      message: `The organization slug ${slug} is taken`,
    });
    const zh = await again('zh-CN');
    expect(zh.json().error.message).toBe(`组织标识 ${slug} 已被使用`);
  });

  it('reports every invalid field with its path', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: {
        organizationName: 'X',
        slug: 'Bad Slug',
        adminName: 'B',
        email: 'nope',
        password: 'short',
        baseCurrency: 'XXX',
      },
    });
    expect(response.statusCode).toBe(400);
    const paths = response.json().error.issues.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['slug', 'email', 'password', 'baseCurrency']));
  });
});

describe('sign-in, lockout, logout', () => {
  it('signs in, reports who is asking, and logs out so the cookie stops working', async () => {
    const admin = await signUp(t.app);
    const slug = admin.session?.organization.slug ?? '';
    const client = await signIn(t.app, slug, admin.session?.user.email ?? '');
    const who = await client.request('GET', '/api/auth/session');
    expect(who.statusCode).toBe(200);
    expect(who.json().user.id).toBe(admin.userId);
    expect((await client.request('POST', '/api/auth/logout')).statusCode).toBe(200);
    const after = await client.request('GET', '/api/auth/session');
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthenticated');
    expect((await admin.request('GET', '/api/auth/session')).statusCode).toBe(200);
  });

  it('gives the same answer for an unknown organization, unknown email and wrong password', async () => {
    const admin = await signUp(t.app);
    const slug = admin.session?.organization.slug ?? '';
    const attempts = [
      { organizationSlug: 'no-such-org', email: 'admin@x.test', password: TEST_PASSWORD },
      { organizationSlug: slug, email: 'nobody@x.test', password: TEST_PASSWORD },
      { organizationSlug: slug, email: admin.session?.user.email, password: 'wrong password!' },
    ];
    for (const payload of attempts) {
      const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload });
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('invalid_credentials');
    }
  });

  it('locks the account after five failures in a row, even for the right password, until the lock ends', async () => {
    const admin = await signUp(t.app);
    const slug = admin.session?.organization.slug ?? '';
    const email = admin.session?.user.email ?? '';
    const login = (password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { organizationSlug: slug, email, password },
      });
    for (let i = 0; i < 4; i += 1) expect((await login('wrong password!')).statusCode).toBe(401);
    const fifth = await login('wrong password!');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('account_locked');
    expect((await login(TEST_PASSWORD)).statusCode).toBe(423);
    t.clock.advanceMs(16 * 60_000);
    expect((await login(TEST_PASSWORD)).statusCode).toBe(200);
    const audit = await admin.request('GET', `/api/audit?entityType=user&entityId=${admin.userId}`);
    const actions = audit.json().items.map((item: { action: string }) => item.action);
    expect(actions.filter((a: string) => a === 'auth.login_failed')).toHaveLength(5);
    expect(actions).toContain('auth.locked');
  });
});

describe('CSRF', () => {
  it('refuses a cookie-authenticated write without the session CSRF token', async () => {
    const admin = await signUp(t.app);
    const cookie = `hk_session=${admin.sessionCookie}`;
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/teams',
      headers: { cookie },
      payload: { name: 'A' },
    });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().error.code).toBe('csrf_failed');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/teams',
      headers: { cookie, 'x-csrf-token': 'not-the-token' },
      payload: { name: 'A' },
    });
    expect(wrong.statusCode).toBe(403);
    expect((await admin.request('POST', '/api/teams', { name: 'A' })).statusCode).toBe(201);
  });
});

describe('password change', () => {
  it('needs the current password, then ends the other sessions and accepts the new password', async () => {
    const admin = await signUp(t.app);
    const slug = admin.session?.organization.slug ?? '';
    const email = admin.session?.user.email ?? '';
    const other = await signIn(t.app, slug, email);
    const wrong = await admin.request('POST', '/api/auth/password', {
      currentPassword: 'nope',
      newPassword: 'a new long password',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.issues[0].path).toBe('currentPassword');
    const ok = await admin.request('POST', '/api/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'a new long password',
    });
    expect(ok.statusCode).toBe(200);
    expect((await admin.request('GET', '/api/auth/session')).statusCode).toBe(200);
    expect((await other.request('GET', '/api/auth/session')).statusCode).toBe(401);
    await expect(signIn(t.app, slug, email)).rejects.toThrow(/401/);
    expect((await signIn(t.app, slug, email, 'a new long password')).userId).toBe(admin.userId);
  });
});

describe('secure cookies behind TLS', () => {
  it('marks the session cookie Secure when a TLS proxy forwards the request', async () => {
    const behindTls = await createTestApp({ isBehindTls: true, authAttemptsPerMinute: 100 });
    try {
      const response = await behindTls.app.inject({
        method: 'POST',
        url: '/api/auth/signup',
        headers: { 'x-forwarded-proto': 'https' },
        payload: {
          organizationName: 'T',
          slug: uniqueSlug('tls'),
          adminName: 'A',
          email: 'a@t.test',
          password: TEST_PASSWORD,
        },
      });
      expect(response.statusCode).toBe(201);
      expect(String(response.headers['set-cookie'])).toMatch(/Secure/);
    } finally {
      await behindTls.close();
    }
  });
});

describe('rate limiting', () => {
  it('answers 429 once a client exceeds its sign-in attempts per minute', async () => {
    const limited = await createTestApp({ authAttemptsPerMinute: 3 });
    try {
      const attempt = () =>
        limited.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { organizationSlug: 'nobody', email: 'a@b.test', password: 'x' },
        });
      for (let i = 0; i < 3; i += 1) expect((await attempt()).statusCode).toBe(401);
      const blocked = await attempt();
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json().error.code).toBe('rate_limited');
    } finally {
      await limited.close();
    }
  });
});
