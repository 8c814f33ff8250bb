import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/test-app';
import { flatArrayLiteral, raggedUuidParams, uuidArrayParam } from './array-literals';

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

  it('slice a flat literal of the rows’ members with the same bounds, each row its own dates and amounts', async () => {
    const rows = [
      [
        { due: '2026-01-31', minor: 9007199254740993n },
        { due: '2026-02-28', minor: 1n },
      ],
      [{ due: '2025-12-01', minor: 250n }],
      [
        { due: '2026-03-01', minor: 7n },
        { due: '2026-03-02', minor: 8n },
        { due: '2026-03-03', minor: 9n },
      ],
    ];
    const bounds = raggedUuidParams(rows, () => randomUUID());
    const dues = flatArrayLiteral(rows, (member) => member.due);
    const amounts = flatArrayLiteral(rows, (member) => member.minor);
    expect(amounts).toBe('{9007199254740993,1,250,7,8,9}');
    const result = await t.db.system((tx) =>
      sql<{ dues: string[]; amounts: string[] }>`
        SELECT (${dues}::date[])[r.lo:r.hi]::text[] AS dues, (${amounts}::bigint[])[r.lo:r.hi]::text[] AS amounts
        FROM unnest(${bounds.lo}::int[], ${bounds.hi}::int[]) WITH ORDINALITY AS r (lo, hi, n)
        ORDER BY r.n`.execute(tx),
    );
    expect(result.rows).toEqual(
      rows.map((row) => ({
        dues: row.map((member) => member.due),
        amounts: row.map((member) => member.minor.toString()),
      })),
    );
    expect(() => flatArrayLiteral([['2026-01-01', 'x,y']], (member) => member)).toThrow(
      /Not a plain array element/,
    );
  });
});
