import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUp, type TestApp } from '../../test/support/test-app';
import { auditImage, auditInsertedRows, toAuditJson, type AuditActor } from './audit';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/**
 * Rows with what the images must get right: money beyond 2^53, timestamps with microseconds (the driver truncates
 * them to milliseconds; .289 is one whose float arithmetic could round down), a null timestamp, text that JSON
 * escapes.
 */
const ROWS = sql`
  SELECT * FROM (VALUES
    ('e-1', '电话催收："引号" \\ 反斜杠' || chr(10) || '换行', 9007199254740993::bigint,
      '2026-12-06 01:02:03.004999+00'::timestamptz, NULL::timestamptz),
    ('e-2', 'plain', NULL::bigint, '2026-01-01 23:59:59.289+08'::timestamptz,
      '1999-12-31 23:59:59.999999+00'::timestamptz)
  ) AS r (id, title, amount_minor, created_at, done_at)`;

describe('audit entries made by PostgreSQL', () => {
  it('are what recordAudit writes for the rows as the driver reads them, under the actor or each row’s user', async () => {
    const client = await signUp(t.app);
    const actor: AuditActor = {
      tenantId: client.tenantId,
      userId: null,
      tokenId: null,
      requestId: 'dunning-run:1',
      ip: 'system',
    };
    const image = auditImage('r', {
      all: ['id', 'title', 'amount_minor', 'created_at', 'done_at'],
      money: ['amount_minor'],
      timestamps: ['created_at', 'done_at'],
    });
    const { rows, entries } = await t.db.tenant(client.tenantId, async (tx) => {
      await sql`
        WITH source AS (${ROWS}), audited AS (${auditInsertedRows(actor, {
          from: sql`source r`,
          actorUserId: sql`CASE WHEN r.id = 'e-2' THEN ${client.userId}::uuid END`,
          action: sql`'test.' || r.id`,
          entityType: 'test_entity',
          entityId: sql`r.id`,
          after: image,
        })})
        SELECT count(*) FROM source`.execute(tx);
      return {
        rows: (await sql<Record<string, unknown>>`${ROWS} ORDER BY id`.execute(tx)).rows,
        entries: (
          await sql<Record<string, unknown>>`
            SELECT tenant_id, actor_user_id, actor_token_id, action, entity_type, entity_id, before, after,
              request_id, ip
            FROM audit_log WHERE entity_type = 'test_entity' ORDER BY entity_id`.execute(tx)
        ).rows,
      };
    });
    expect(entries).toEqual(
      rows.map((row) => ({
        tenant_id: client.tenantId,
        actor_user_id: row.id === 'e-2' ? client.userId : null,
        actor_token_id: null,
        action: `test.${String(row.id)}`,
        entity_type: 'test_entity',
        entity_id: row.id,
        before: null,
        after: toAuditJson(row),
        request_id: 'dunning-run:1',
        ip: 'system',
      })),
    );
    expect(entries[0]?.after).toMatchObject({
      amount_minor: '9007199254740993',
      created_at: '2026-12-06T01:02:03.004Z',
      done_at: null,
    });
    expect(entries[1]?.after).toMatchObject({ created_at: '2026-01-01T15:59:59.289Z' });
  });

  it('refuses names that are not plain column names', () => {
    expect(() =>
      auditImage('r', {
        all: ['amount_minor); DROP TABLE x; --'],
        money: ['amount_minor); DROP TABLE x; --'],
      }),
    ).toThrow(/not a column name/);
    expect(() => auditImage('R', { all: ['id'] })).toThrow(/not a column name/);
    expect(() => auditImage('r', { all: ['id'], money: ['amount_minor'] })).toThrow(/not among the columns/);
  });
});
