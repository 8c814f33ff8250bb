import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUp, type TestApp } from '../../../test/support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
});
afterAll(() => t.close());

describe('audit log', () => {
  it('records who changed what, with the record before and after, and never a secret', async () => {
    const admin = await signUp(t.app);
    const before = (await admin.request('GET', '/api/organization')).json();
    const updated = await admin.request('PATCH', '/api/organization', {
      name: '新名字 Ltd',
      timezone: 'Asia/Hong_Kong',
    });
    expect(updated.statusCode).toBe(200);
    const log = await admin.request('GET', `/api/audit?entityType=organization&entityId=${admin.tenantId}`);
    const entry = log.json().items[0];
    expect(entry).toMatchObject({
      action: 'organization.updated',
      actorUserId: admin.userId,
      actorName: 'Admin',
    });
    expect(entry.before).toMatchObject({ name: before.name, timezone: 'Asia/Shanghai' });
    expect(entry.after).toMatchObject({ name: '新名字 Ltd', timezone: 'Asia/Hong_Kong' });
    expect(entry.requestId).toBe(updated.json().requestId ?? entry.requestId);

    const users = await admin.request('GET', `/api/audit?entityType=user&entityId=${admin.userId}`);
    const created = users.json().items.find((item: { action: string }) => item.action === 'user.created');
    expect(created.after.email).toBe(admin.session?.user.email);
    expect(JSON.stringify(users.json())).not.toMatch(/argon2|password_hash/);
  });

  it('filters by action, actor and time, and pages newest first', async () => {
    const admin = await signUp(t.app);
    for (const name of ['T1', 'T2', 'T3']) await admin.request('POST', '/api/teams', { name });
    const page1 = (await admin.request('GET', '/api/audit?action=team.created&limit=2')).json();
    expect(page1.items.map((i: { after: { name: string } }) => i.after.name)).toEqual(['T3', 'T2']);
    const page2 = (
      await admin.request('GET', `/api/audit?action=team.created&limit=2&cursor=${page1.nextCursor}`)
    ).json();
    expect(page2.items.map((i: { after: { name: string } }) => i.after.name)).toEqual(['T1']);
    expect(page2.nextCursor).toBeNull();
    const byActor = (await admin.request('GET', `/api/audit?actorUserId=${admin.userId}&limit=200`)).json();
    expect(byActor.items.every((i: { actorUserId: string }) => i.actorUserId === admin.userId)).toBe(true);
    const future = new Date(Date.now() + 3600_000).toISOString();
    const none = (await admin.request('GET', `/api/audit?from=${encodeURIComponent(future)}`)).json();
    expect(none.items).toEqual([]);
  });
});
