import type { FastifyInstance, InjectOptions } from 'fastify';
import type { SessionResponse, SignupRequest } from '@huikuan/core/contracts';
import { buildApp } from '../../src/app';
import type { Clock } from '../../src/platform/clock';
import { loadConfig, type Config } from '../../src/platform/config';
import type { Database } from '../../src/platform/db';
import { createTestDatabase } from './test-db';

/** A clock tests can move forward. */
export type TestClock = Clock & { set(instant: Date): void; advanceMs(ms: number): void };

export function createTestClock(start = new Date('2026-11-22T02:00:00Z')): TestClock {
  let current = start;
  return {
    now: () => new Date(current.getTime()),
    set: (instant) => {
      current = instant;
    },
    advanceMs: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

export type TestApp = { app: FastifyInstance; db: Database; clock: TestClock; close(): Promise<void> };

export async function createTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const clock = createTestClock();
  const config = loadConfig({}, { logLevel: 'silent', webDistDir: '/nonexistent', ...overrides });
  const app = await buildApp({ db, clock, config, version: 'test' });
  await app.ready();
  return {
    app,
    db,
    clock,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A signed-in browser: carries the session cookie and sends the CSRF token on writes, as the web app does. */
export class Client {
  constructor(
    readonly app: FastifyInstance,
    readonly sessionCookie: string | null,
    readonly session: SessionResponse | null,
    readonly bearer: string | null = null,
  ) {}

  request(method: Method, url: string, body?: unknown, extra: Partial<InjectOptions> = {}) {
    const headers: Record<string, string> = { ...(extra.headers as Record<string, string> | undefined) };
    if (this.sessionCookie) headers.cookie = `hk_session=${this.sessionCookie}`;
    if (this.session && method !== 'GET') headers['x-csrf-token'] = this.session.csrfToken;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    return this.app.inject({
      method,
      url,
      headers,
      ...(body === undefined ? {} : { payload: body as object }),
    });
  }

  get tenantId(): string {
    if (!this.session) throw new Error('not signed in');
    return this.session.organization.id;
  }

  get userId(): string {
    if (!this.session) throw new Error('not signed in');
    return this.session.user.id;
  }
}

export function sessionCookieOf(setCookie: string | string[] | undefined): string {
  const cookies = [setCookie ?? []].flat();
  const match = cookies.map((c) => /^hk_session=([^;]+)/.exec(c)).find(Boolean);
  if (!match?.[1]) throw new Error(`no session cookie in ${JSON.stringify(setCookie)}`);
  return match[1];
}

let slugCounter = 0;
export function uniqueSlug(prefix = 'org'): string {
  slugCounter += 1;
  return `${prefix}-${process.pid}-${slugCounter}-${Math.random().toString(36).slice(2, 7)}`;
}

export const TEST_PASSWORD = 'correct horse battery staple';

export async function signUp(app: FastifyInstance, overrides: Partial<SignupRequest> = {}): Promise<Client> {
  const slug = overrides.slug ?? uniqueSlug();
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/signup',
    payload: {
      organizationName: `Org ${slug}`,
      slug,
      adminName: 'Admin',
      email: `admin@${slug}.test`,
      password: TEST_PASSWORD,
      ...overrides,
    },
  });
  if (response.statusCode !== 201) throw new Error(`signup failed: ${response.statusCode} ${response.body}`);
  return new Client(app, sessionCookieOf(response.headers['set-cookie']), response.json<SessionResponse>());
}

export async function signIn(app: FastifyInstance, slug: string, email: string, password = TEST_PASSWORD) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { organizationSlug: slug, email, password },
  });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  return new Client(app, sessionCookieOf(response.headers['set-cookie']), response.json<SessionResponse>());
}

/** Invites a user with a role as `admin` and accepts the invitation, returning the new user's client. */
export async function addUser(
  admin: Client,
  role: SessionResponse['user']['role'],
  options: { email?: string; teamId?: string | null; name?: string } = {},
): Promise<Client> {
  const email = options.email ?? `${role}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const invite = await admin.request('POST', '/api/invitations', {
    email,
    role,
    teamId: options.teamId ?? null,
  });
  if (invite.statusCode !== 201) throw new Error(`invite failed: ${invite.statusCode} ${invite.body}`);
  const { token } = invite.json<{ token: string }>();
  const accepted = await admin.app.inject({
    method: 'POST',
    url: `/api/invitations/by-token/${token}/accept`,
    payload: { name: options.name ?? role, password: TEST_PASSWORD },
  });
  if (accepted.statusCode !== 201) throw new Error(`accept failed: ${accepted.statusCode} ${accepted.body}`);
  return new Client(
    admin.app,
    sessionCookieOf(accepted.headers['set-cookie']),
    accepted.json<SessionResponse>(),
  );
}
