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

beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  a = await signUp(t.app);
  b = await signUp(t.app);
  const team = await b.request('POST', '/api/teams', { name: 'B team' });
  bIds.team = team.json().id;
  const bUser = await addUser(b, 'salesperson', { teamId: bIds.team });
  bIds.user = bUser.userId;
  const invitation = await b.request('POST', '/api/invitations', {
    email: 'pending@b.test',
    role: 'finance',
  });
  bIds.invitation = invitation.json().invitation.id;
  const token = await b.request('POST', '/api/api-tokens', { name: 'B token', scopes: ['read'] });
  bIds.apiToken = token.json().token.id;
  await a.request('POST', '/api/teams', { name: 'A team' });
  await a.request('POST', '/api/invitations', { email: 'pending@a.test', role: 'legal' });
  await a.request('POST', '/api/api-tokens', { name: 'A token', scopes: ['read', 'write'] });
});
afterAll(() => t.close());

/** Which of B's IDs to send to each route that takes one. A new :id route fails the test until it is listed. */
const ID_FOR_ROUTE: Record<string, keyof typeof bIds> = {
  '/api/users/:id': 'user',
  '/api/teams/:id': 'team',
  '/api/invitations/:id': 'invitation',
  '/api/api-tokens/:id': 'apiToken',
};

const SAMPLE_BODIES: Record<string, unknown> = {
  PATCH: { name: 'Renamed by A' },
  POST: {},
  PUT: {},
};

describe('application scoping', () => {
  it('answers 404 on every route that takes an ID when the ID belongs to another organization', async () => {
    const idRoutes = t.app.routeTable.filter((route) => route.url.includes(':id') && route.method !== 'HEAD');
    expect(idRoutes.length).toBeGreaterThan(0);
    for (const route of idRoutes) {
      const key = ID_FOR_ROUTE[route.url];
      expect(key, `no foreign ID listed for ${route.method} ${route.url}`).toBeDefined();
      const url = route.url.replace(':id', bIds[key ?? 'user'] ?? '');
      const response = await a.request(route.method as 'GET', url, SAMPLE_BODIES[route.method]);
      expect(response.statusCode, `${route.method} ${url}: ${response.body}`).toBe(404);
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
    const allUsers = await a.request('GET', '/api/users');
    expect(allUsers.json().items.map((u: { id: string }) => u.id)).toEqual([a.userId]);
    const teams = await a.request('GET', '/api/teams');
    expect(teams.json().items.map((team: { name: string }) => team.name)).toEqual(['A team']);
    const invitations = await a.request('GET', '/api/invitations');
    expect(invitations.json().items.map((i: { email: string }) => i.email)).toEqual(['pending@a.test']);
    const tokens = await a.request('GET', '/api/api-tokens');
    expect(tokens.json().items.map((token: { name: string }) => token.name)).toEqual(['A token']);
  });

  it('cannot move a user into another organization’s team', async () => {
    const response = await a.request('PATCH', `/api/users/${a.userId}`, { teamId: bIds.team });
    expect(response.statusCode).toBe(404);
  });

  it('left B’s records untouched after all of A’s attempts', async () => {
    const team = await b.request('GET', '/api/teams');
    expect(team.json().items[0]).toMatchObject({ id: bIds.team, name: 'B team', memberCount: 1 });
    const tokens = await b.request('GET', '/api/api-tokens');
    expect(tokens.json().items[0].revokedAt).toBeNull();
    const invitations = await b.request('GET', '/api/invitations');
    expect(invitations.json().items.find((i: { id: string }) => i.id === bIds.invitation).status).toBe(
      'pending',
    );
  });
});

describe('row-level security alone', () => {
  const tables = [
    'organizations',
    'teams',
    'users',
    'sessions',
    'invitations',
    'api_tokens',
    'audit_log',
  ] as const;

  it('shows a tenant only its own rows even when a query has no tenant filter', async () => {
    for (const table of tables) {
      const rows = await t.db.tenant(a.tenantId, (tx) =>
        sql<{ tenant_id: string }>`SELECT tenant_id FROM ${sql.table(table)}`.execute(tx),
      );
      expect(rows.rows.length, table).toBeGreaterThan(0);
      expect(new Set(rows.rows.map((row) => row.tenant_id)), table).toEqual(new Set([a.tenantId]));
    }
  });

  it('cannot update, delete or insert another tenant’s rows', async () => {
    const updated = await t.db.tenant(a.tenantId, (tx) =>
      tx
        .updateTable('teams')
        .set({ name: 'hijacked' })
        .where('id', '=', bIds.team ?? '')
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

  it('fails closed: with no tenant set, the application role sees no rows at all', async () => {
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
