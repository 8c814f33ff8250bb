import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createTestApp, signUp, type TestApp } from '../../../test/support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
});
afterAll(() => t.close());

describe('API tokens', () => {
  it('authenticates integrations by bearer token within their scopes, until revoked', async () => {
    const admin = await signUp(t.app);
    const readOnly = (
      await admin.request('POST', '/api/api-tokens', { name: 'BI export', scopes: ['read'] })
    ).json();
    const readWrite = (
      await admin.request('POST', '/api/api-tokens', { name: 'ERP sync', scopes: ['read', 'write'] })
    ).json();
    expect(readOnly.secret).toMatch(/^hk_/);
    expect(readOnly.token.prefix).toMatch(/^hk_[0-9a-f]{8}$/);
    expect(readOnly.secret.startsWith(`${readOnly.token.prefix}_`)).toBe(true);

    const reader = new Client(t.app, null, null, readOnly.secret);
    const writer = new Client(t.app, null, null, readWrite.secret);
    expect((await reader.request('GET', '/api/users')).statusCode).toBe(200);
    expect((await reader.request('POST', '/api/teams', { name: 'Nope' })).statusCode).toBe(403);
    const created = await writer.request('POST', '/api/teams', { name: 'Via token' });
    expect(created.statusCode).toBe(201);

    const audit = await admin.request('GET', `/api/audit?entityType=team&entityId=${created.json().id}`);
    expect(audit.json().items[0]).toMatchObject({ action: 'team.created', actorTokenId: readWrite.token.id });

    expect((await admin.request('DELETE', `/api/api-tokens/${readWrite.token.id}`)).statusCode).toBe(200);
    const revoked = await writer.request('GET', '/api/users');
    expect(revoked.statusCode).toBe(401);
    const listed = (await admin.request('GET', '/api/api-tokens')).json().items;
    expect(listed.find((tok: { id: string }) => tok.id === readWrite.token.id).revokedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(readOnly.secret);
  });

  it('rejects unknown and expired tokens', async () => {
    const admin = await signUp(t.app);
    const expiresAt = new Date(t.clock.now().getTime() + 60_000).toISOString();
    const shortLived = (
      await admin.request('POST', '/api/api-tokens', { name: 'temp', scopes: ['read'], expiresAt })
    ).json();
    const unknown = new Client(t.app, null, null, 'hk_nothing_here');
    expect((await unknown.request('GET', '/api/users')).statusCode).toBe(401);
    const client = new Client(t.app, null, null, shortLived.secret);
    expect((await client.request('GET', '/api/users')).statusCode).toBe(200);
    t.clock.advanceMs(120_000);
    expect((await client.request('GET', '/api/users')).statusCode).toBe(401);
  });
});
