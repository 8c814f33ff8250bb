import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit, toAuditJson, type AuditActor, type AuditEntryInput } from '../../platform/audit';
import { createTestApp, signUp, type TestApp } from '../../../test/support/test-app';
import { AuditJsonText, auditJson, recordAudits } from './batch-audit';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const ENTRIES: AuditEntryInput[] = [
  {
    action: 'activity.task_created',
    entityType: 'collection_activity',
    entityId: 'a-1',
    after: {
      title: '电话催收："引号" \\ 反斜杠\n换行',
      amount_minor: 9_007_199_254_740_993n,
      due_on: new Date('2026-12-06T01:02:03.004Z'),
      invoiceIds: ['x', 'y'],
      nested: { token_hash: 'hidden', kept: null, missing: undefined },
      password: 'hidden',
    },
  },
  {
    action: 'approval.requested',
    entityType: 'approval',
    entityId: 'r-1',
    before: { status: 'a' },
    after: null,
  },
  { action: 'letter.archived', entityType: 'letter', entityId: 'l-1' },
];

/** The stored rows of one tenant, in insertion order, without their ids and times. */
async function stored(tenantId: string) {
  const rows = await t.db.tenant(tenantId, (tx) =>
    sql<Record<string, unknown>>`
      SELECT actor_user_id, actor_token_id, action, entity_type, entity_id, before, after, request_id, ip
      FROM audit_log WHERE entity_id IN ('a-1', 'r-1', 'l-1') ORDER BY id`.execute(tx),
  );
  return rows.rows;
}

describe('recordAudits', () => {
  it('stores what recordAudit stores entry by entry, secrets left out and money exact', async () => {
    const [one, many] = [await signUp(t.app), await signUp(t.app)];
    const actorOf = (tenantId: string, userId: string): AuditActor => ({
      tenantId,
      userId,
      tokenId: null,
      requestId: 'run-1',
      ip: '127.0.0.1',
    });
    await t.db.tenant(one.tenantId, async (tx) => {
      for (const entry of ENTRIES) await recordAudit(tx, actorOf(one.tenantId, one.userId), entry);
    });
    await t.db.tenant(many.tenantId, (tx) => recordAudits(tx, actorOf(many.tenantId, many.userId), ENTRIES));
    const [single, batch] = [await stored(one.tenantId), await stored(many.tenantId)];
    const withoutUser = (rows: Record<string, unknown>[]) =>
      rows.map((row) => ({ ...row, actor_user_id: row.actor_user_id !== null }));
    expect(withoutUser(batch)).toEqual(withoutUser(single));
    expect(batch.map((row) => row.actor_user_id)).toEqual([many.userId, many.userId, many.userId]);
    expect(batch[0]?.after).toEqual({
      title: '电话催收："引号" \\ 反斜杠\n换行',
      amount_minor: '9007199254740993',
      due_on: '2026-12-06T01:02:03.004Z',
      invoiceIds: ['x', 'y'],
      nested: { kept: null, missing: null },
    });
    expect(batch.slice(1).map((row) => [row.before, row.after])).toEqual([
      [{ status: 'a' }, null],
      [null, null],
    ]);
  });

  it('writes each value exactly as JSON.stringify(toAuditJson(value)) does', () => {
    const values: unknown[] = [
      ...ENTRIES.flatMap((entry) => [entry.before, entry.after]),
      'plain',
      0,
      -1.5,
      Number.NaN,
      true,
      12n,
      new Date('2026-01-02T03:04:05.006Z'),
      [],
      {},
      ['a', '"b"', '\u2028'],
      [1, 'x', null, undefined, 2n, new Date(0), { csrf: 'x', y: [undefined] }],
      { list: [{ tokenHash: 'x', secretKey: 'y', kept: 'z' }], fn: () => 1, when: new Date(1) },
      { deep: { deeper: { password: 'x', money: [1n, 2n] } }, 键: '值' },
    ];
    for (const value of values) {
      const expected = value === undefined || value === null ? null : JSON.stringify(toAuditJson(value));
      expect(value === undefined || value === null ? null : auditJson(value), JSON.stringify(expected)).toBe(
        expected,
      );
    }
  });

  it('puts JSON held as text into the entry as it is', () => {
    const payload = { invoiceIds: ['a', 'b'], note: '引号"' };
    expect(JSON.parse(auditJson({ id: 'r-1', payload: new AuditJsonText(JSON.stringify(payload)) }))).toEqual(
      { id: 'r-1', payload },
    );
  });
});
