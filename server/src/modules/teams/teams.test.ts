import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, signUp, type TestApp } from '../../../test/support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
});
afterAll(() => t.close());

describe('teams and record scopes', () => {
  it('gives a sales manager the scope of their team and every team below it, and nothing beside it', async () => {
    const admin = await signUp(t.app);
    const east = (await admin.request('POST', '/api/teams', { name: '华东区' })).json();
    const shanghai = (
      await admin.request('POST', '/api/teams', { name: '上海组', parentId: east.id })
    ).json();
    const pudong = (
      await admin.request('POST', '/api/teams', { name: '浦东小组', parentId: shanghai.id })
    ).json();
    const north = (await admin.request('POST', '/api/teams', { name: '华北区' })).json();
    const manager = await addUser(admin, 'sales_manager', { teamId: east.id });
    expect(manager.session?.recordScope.kind).toBe('team');
    const scope = manager.session?.recordScope as { teamIds: readonly string[] };
    expect([...scope.teamIds].sort()).toEqual([east.id, shanghai.id, pudong.id].sort());
    expect(scope.teamIds).not.toContain(north.id);

    const northManager = await addUser(admin, 'sales_manager');
    await admin.request('PATCH', `/api/teams/${north.id}`, { managerUserId: northManager.userId });
    const refreshed = await northManager.request('GET', '/api/auth/session');
    expect(refreshed.json().recordScope).toEqual({
      kind: 'team',
      teamIds: [north.id],
      userId: northManager.userId,
    });
  });

  it('refuses to put a team under itself or its own sub-team', async () => {
    const admin = await signUp(t.app);
    const parent = (await admin.request('POST', '/api/teams', { name: 'Parent' })).json();
    const child = (await admin.request('POST', '/api/teams', { name: 'Child', parentId: parent.id })).json();
    const cycle = await admin.request('PATCH', `/api/teams/${parent.id}`, { parentId: child.id });
    expect(cycle.statusCode).toBe(409);
    const self = await admin.request('PATCH', `/api/teams/${parent.id}`, { parentId: parent.id });
    expect(self.statusCode).toBe(409);
  });

  it('deletes only empty teams and rejects a duplicate name', async () => {
    const admin = await signUp(t.app);
    const team = (await admin.request('POST', '/api/teams', { name: 'Solo' })).json();
    expect((await admin.request('POST', '/api/teams', { name: 'Solo' })).statusCode).toBe(409);
    const member = await addUser(admin, 'salesperson', { teamId: team.id });
    expect((await admin.request('DELETE', `/api/teams/${team.id}`)).statusCode).toBe(409);
    await admin.request('PATCH', `/api/users/${member.userId}`, { teamId: null });
    expect((await admin.request('DELETE', `/api/teams/${team.id}`)).statusCode).toBe(200);
    expect((await admin.request('GET', '/api/teams')).json().items).toEqual([]);
  });
});
