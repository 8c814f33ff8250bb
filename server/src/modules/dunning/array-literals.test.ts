import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/test-app';
import { raggedUuidParams, uuidArrayParam } from './array-literals';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** What the engine reads from a binary uuid[] parameter, back as text. */
async function readBack(param: Buffer): Promise<string[]> {
  const result = await t.db.system((tx) =>
    sql<{ ids: string[] }>`SELECT ${param}::uuid[]::text[] AS ids`.execute(tx),
  );
  return result.rows[0]?.ids ?? [];
}

describe('binary uuid arrays', () => {
  it('reach the engine as the same uuids, in order, upper-case hex read as lower-case', async () => {
    const ids = Array.from({ length: 300 }, () => randomUUID());
    expect(await readBack(uuidArrayParam(ids))).toEqual(ids);
    const upper = 'ABCDEF01-2345-4789-ABCD-EF0123456789';
    expect(await readBack(uuidArrayParam([upper]))).toEqual([upper.toLowerCase()]);
    expect(await readBack(uuidArrayParam([]))).toEqual([]);
  });

  it('refuse anything that is not a canonical uuid, naming it', () => {
    const good = randomUUID();
    for (const bad of [
      '',
      good.slice(1),
      `${good}0`,
      good.replace(/-/g, ''),
      `${good.slice(0, 35)}g`,
      good.replaceAll('-', '_'),
    ]) {
      expect(() => uuidArrayParam([good, bad])).toThrow(`Not a uuid: ${JSON.stringify(bad)}`);
    }
  });

  it('give each row of a ragged array its own slice', async () => {
    const rows = [[randomUUID(), randomUUID()], [randomUUID()], [randomUUID(), randomUUID(), randomUUID()]];
    const params = raggedUuidParams(rows, (id) => id);
    expect([params.lo, params.hi]).toEqual(['{1,3,4}', '{2,3,6}']);
    const result = await t.db.system((tx) =>
      sql<{ ids: string[] }>`
        SELECT (${params.ids}::uuid[])[r.lo:r.hi]::text[] AS ids
        FROM unnest(${params.lo}::int[], ${params.hi}::int[]) WITH ORDINALITY AS r (lo, hi, n)
        ORDER BY r.n`.execute(tx),
    );
    expect(result.rows.map((row) => row.ids)).toEqual(rows);
  });
});
