import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyTestDatabase } from '../../../test/support/test-db';
import type { Database } from '../../platform/db';
import { migrate, readMigrations } from '../../platform/migrate';

/**
 * Migration 0024 moves the done steps from one row per invoice to one row per customer. Organizations that ran the
 * ladder before it keep every step they did: each is still there, as a pair of step and invoice in the customer's
 * row, and the trigger still refuses any of them recorded again.
 */

const TENANT = '00000000-0000-4000-8000-000000000001';
const CUSTOMER_A = '00000000-0000-4000-8000-0000000000a0';
const CUSTOMER_B = '00000000-0000-4000-8000-0000000000b0';
const INVOICES = {
  a1: '00000000-0000-4000-8000-0000000000a1',
  a2: '00000000-0000-4000-8000-0000000000a2',
  b1: '00000000-0000-4000-8000-0000000000b1',
};
const STEP_1 = '00000000-0000-4000-8000-000000000051';
const STEP_2 = '00000000-0000-4000-8000-000000000052';

let db: Database;

beforeAll(async () => {
  db = await createEmptyTestDatabase();
  const migrations = readMigrations();
  const before = migrations.findIndex((migration) => migration.id === '0024_customer_done_steps');
  expect(before).toBeGreaterThan(0);
  await migrate(db, migrations.slice(0, before));
  await db.script(async (run) => {
    // Only what the done steps need: the invoices' customers (no keys or triggers checked for these bare rows).
    await run(`SET LOCAL session_replication_role = replica`);
    await run(
      `INSERT INTO invoices (tenant_id, id, customer_id, number, invoice_date, due_date, currency, subtotal_minor,
        tax_minor, total_minor)
      SELECT $1::uuid, i.id, i.customer_id, i.number, '2026-01-01', '2026-02-01', 'CNY', 100, 0, 100
      FROM unnest($2::uuid[], $3::uuid[], $4::text[]) AS i (id, customer_id, number)`,
      [
        TENANT,
        [INVOICES.a1, INVOICES.a2, INVOICES.b1],
        [CUSTOMER_A, CUSTOMER_A, CUSTOMER_B],
        ['A-1', 'A-2', 'B-1'],
      ],
    );
    await run(
      `INSERT INTO dunning_done_steps (tenant_id, invoice_id, step_ids)
      VALUES ($1, $2, ARRAY[$4, $5]::uuid[]), ($1, $3, ARRAY[$4]::uuid[]), ($1, $6, ARRAY[$5]::uuid[])`,
      [TENANT, INVOICES.a1, INVOICES.a2, STEP_1, STEP_2, INVOICES.b1],
    );
  });
  await migrate(db);
});
afterAll(() => db.close());

type Pair = { customer_id: string; step_id: string; invoice_id: string };

async function donePairs(): Promise<Pair[]> {
  return db.script(async (run) => {
    const result = await run(
      `SELECT d.customer_id, p.step_id, p.invoice_id FROM dunning_customer_done_steps d,
        huikuan_done_pairs(d.step_ids, d.invoice_counts, d.invoice_ids) p
      ORDER BY 1, 2, 3`,
    );
    return result.rows as Pair[];
  });
}

/** Records one group (one step for some of one customer's invoices), as a run's batch does. */
function recordGroup(customerId: string, stepId: string, invoiceIds: string[]) {
  return db.script((run) =>
    run(
      `INSERT INTO dunning_action_groups (tenant_id, id, run_id, customer_id, policy_id, step_id, kind,
        offset_days, as_of, currency, invoice_ids, due_dates, chased_minor, first_outcome, other_outcome)
      SELECT $1, gen_random_uuid(), gen_random_uuid(), $2, gen_random_uuid(), $3, 'call_task', 7, '2026-03-01',
        'CNY', $4::uuid[], array_fill('2026-02-01'::date, ARRAY[cardinality($4::uuid[])]),
        array_fill(100::bigint, ARRAY[cardinality($4::uuid[])]), 'recorded', 'recorded'`,
      [TENANT, customerId, stepId, invoiceIds],
    ),
  );
}

describe('migration 0024: done steps per customer', () => {
  it('keeps every step done before it, as pairs in each customer row', async () => {
    expect(await donePairs()).toEqual([
      { customer_id: CUSTOMER_A, step_id: STEP_1, invoice_id: INVOICES.a1 },
      { customer_id: CUSTOMER_A, step_id: STEP_1, invoice_id: INVOICES.a2 },
      { customer_id: CUSTOMER_A, step_id: STEP_2, invoice_id: INVOICES.a1 },
      { customer_id: CUSTOMER_B, step_id: STEP_2, invoice_id: INVOICES.b1 },
    ]);
  });

  it('refuses a step recorded again for an invoice, and appends a new one', async () => {
    const again = await recordGroup(CUSTOMER_A, STEP_2, [INVOICES.a2, INVOICES.a1]).catch(
      (error: unknown) => error,
    );
    expect(again).toMatchObject({ code: '23505' });
    await recordGroup(CUSTOMER_A, STEP_2, [INVOICES.a2]);
    await recordGroup(CUSTOMER_B, STEP_1, [INVOICES.b1]);
    expect((await donePairs()).filter((pair) => pair.step_id === STEP_2)).toEqual([
      { customer_id: CUSTOMER_A, step_id: STEP_2, invoice_id: INVOICES.a1 },
      { customer_id: CUSTOMER_A, step_id: STEP_2, invoice_id: INVOICES.a2 },
      { customer_id: CUSTOMER_B, step_id: STEP_2, invoice_id: INVOICES.b1 },
    ]);
    expect(await donePairs()).toHaveLength(6);
  });

  it('finds a recorded pair in any group of a row, and only that pair (0025)', async () => {
    const overlaps = async (steps: string[], counts: number[], invoices: string[]) => {
      const result = await db.script((run) =>
        run(
          `SELECT huikuan_done_pairs_overlap($1::uuid[], $2::int[], $3::uuid[], $4::uuid[], $5::int[], $6::uuid[])
            AS overlaps`,
          // The row: STEP_1 for a1 and a2, then STEP_2 for a2, then STEP_1 for b1.
          [
            [STEP_1, STEP_2, STEP_1],
            [2, 1, 1],
            [INVOICES.a1, INVOICES.a2, INVOICES.a2, INVOICES.b1],
            steps,
            counts,
            invoices,
          ],
        ),
      );
      return (result.rows[0] as { overlaps: boolean }).overlaps;
    };
    expect(await overlaps([STEP_2], [1], [INVOICES.a2])).toBe(true);
    expect(await overlaps([STEP_2, STEP_1], [1, 1], [INVOICES.a1, INVOICES.b1])).toBe(true);
    expect(await overlaps([STEP_2], [2], [INVOICES.a1, INVOICES.b1])).toBe(false);
    expect(await overlaps([STEP_1, STEP_2], [1, 1], [INVOICES.b1, INVOICES.a1])).toBe(true);
    expect(await overlaps([STEP_2, STEP_2], [1, 1], [INVOICES.b1, INVOICES.a1])).toBe(false);
  });

  it('refuses a row whose counts do not cover its invoices', async () => {
    const bad = await db
      .script((run) =>
        run(`UPDATE dunning_customer_done_steps SET invoice_counts = ARRAY[1, 2] WHERE customer_id = $1`, [
          CUSTOMER_B,
        ]),
      )
      .catch((error: unknown) => error);
    expect(bad).toMatchObject({
      code: '23514',
      constraint: 'dunning_customer_done_steps_counts_cover_invoices',
    });
  });
});
