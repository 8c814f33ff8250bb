import { randomUUID } from 'node:crypto';
import { trailingMonths, type CalendarDate, type RecordScope } from '@huikuan/core';
import type { KpiGrouping } from '@huikuan/core/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db';
import { countingDb } from '../../../test/support/statement-count';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { seedCreditNote, seedCustomer, seedInvoice, seedVoid } from '../receipts/test-fixtures';
import { kpiTotals, planTotalsSql, totalsKey, type KpiPeriod } from './kpi-inputs';
import { kpiRowsForPeriods } from './kpi-report';

/**
 * The plan copy (plan-cache.ts) against the plan nodes' SQL (planTotalsSql), after writes of every kind that can
 * change what a node is or what it received: the copy must answer exactly what the documents say, for every
 * grouping, for one period and for several, and never beyond the caller's record scope.
 */

let t: TestApp;
let admin: Client;
let salesperson: Client;
let tenantId: string;
let teamId: string;
/** Customer A belongs to the salesperson and the team; B to nobody. */
let customerA: string;
let customerB: string;

const ALL: RecordScope = { kind: 'all' };
const PERIOD_SETS: KpiPeriod[][] = [
  [{ from: '2026-03-01' as CalendarDate, to: '2026-03-31' as CalendarDate }],
  trailingMonths('2026-07-15' as CalendarDate, 6),
  [{ from: '2026-01-01' as CalendarDate, to: '2026-12-31' as CalendarDate }],
];
const GROUPINGS: KpiGrouping[] = ['organization', 'team', 'salesperson', 'customer'];

type NodeSpec = { amountMinor: bigint; dueDate: string | null };

async function seedContract(customerId: string, nodes: NodeSpec[]): Promise<{ id: string; nodes: string[] }> {
  return t.db.tenant(tenantId, async (tx) => {
    const contract = await tx
      .insertInto('contracts')
      .values({
        tenant_id: tenantId,
        customer_id: customerId,
        number: `C-${randomUUID().slice(0, 8)}`,
        amount_minor: 10_000_000n,
        currency: 'CNY',
        signed_on: '2026-01-01',
        payment_terms_days: 30,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ids: string[] = [];
    for (const [index, node] of nodes.entries()) {
      const row = await tx
        .insertInto('payment_plan_nodes')
        .values({
          tenant_id: tenantId,
          contract_id: contract.id,
          seq: index + 1,
          name: `N${index + 1}`,
          amount_minor: node.amountMinor,
          currency: 'CNY',
          due_trigger: node.dueDate === null ? 'on_delivery' : 'fixed_date',
          due_date: node.dueDate,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(row.id);
    }
    return { id: contract.id, nodes: ids };
  });
}

async function seedReceipt(customerId: string): Promise<string> {
  const row = await t.db.tenant(tenantId, (tx) =>
    tx
      .insertInto('receipts')
      .values({
        tenant_id: tenantId,
        customer_id: customerId,
        received_on: '2026-01-01',
        amount_minor: 100_000_000n,
        currency: 'CNY',
        method: 'bank_transfer',
        status: 'confirmed',
        confirmed_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

async function allocate(input: {
  receiptId: string;
  invoiceId?: string;
  planNodeId?: string;
  amountMinor: bigint;
  allocatedOn: string;
  reverses?: string;
}): Promise<string> {
  const row = await t.db.tenant(tenantId, (tx) =>
    tx
      .insertInto('allocations')
      .values({
        tenant_id: tenantId,
        receipt_id: input.receiptId,
        invoice_id: input.invoiceId ?? null,
        plan_node_id: input.planNodeId ?? null,
        amount_minor: input.amountMinor,
        currency: 'CNY',
        allocated_on: input.allocatedOn,
        reverses_allocation_id: input.reverses ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

async function seedInvoiceOnNode(customerId: string, planNodeId: string, totalMinor: bigint, date: string) {
  const row = await t.db.tenant(tenantId, (tx) =>
    tx
      .insertInto('invoices')
      .values({
        tenant_id: tenantId,
        customer_id: customerId,
        plan_node_id: planNodeId,
        number: `IN-${randomUUID().slice(0, 8)}`,
        invoice_date: date,
        due_date: date,
        currency: 'CNY',
        subtotal_minor: totalMinor,
        tax_minor: 0n,
        total_minor: totalMinor,
        status: 'issued',
        issued_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

type PlanEntries = [string, { planDueMinor: bigint; planReceivedMinor: bigint }][];

/** What each statement of the KPI totals was: the plan copy's refresh, its full read, the plan SQL, or other. */
let statements: string[] = [];

function kindOf(text: string): string {
  if (text.includes('node_scan')) return 'plan changes';
  if (text.includes('node_rows')) return 'plan in full';
  if (text.includes('node_allocations')) return 'plan SQL';
  return 'ledger';
}

const recording: () => Database = () => ({
  ...t.db,
  tenant: (id, work) =>
    t.db.tenant(id, (tx) => {
      const executor = tx.getExecutor();
      const original = executor.executeQuery.bind(executor);
      executor.executeQuery = (query, queryId) => {
        statements.push(kindOf(query.sql));
        return original(query, queryId);
      };
      return work(tx);
    }),
});

/** The plan totals the KPIs use (in a transaction that wrote nothing: from the copy), in key order. */
async function fromCopy(periods: KpiPeriod[], by: KpiGrouping, scope: RecordScope): Promise<PlanEntries> {
  statements = [];
  const totals = await recording().tenant(tenantId, (tx) => kpiTotals(tx, tenantId, periods, by, scope));
  expect(statements).not.toContain('plan SQL');
  return [...totals.plans.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
}

async function fromSql(periods: KpiPeriod[], by: KpiGrouping, scope: RecordScope): Promise<PlanEntries> {
  const rows = await t.db.tenant(tenantId, (tx) =>
    planTotalsSql({ tx, tenantId, periods, by, scope, filter: undefined }),
  );
  return rows
    .map((row): PlanEntries[number] => [
      totalsKey(row.idx, row.group_key, row.currency),
      { planDueMinor: row.due, planReceivedMinor: row.received },
    ])
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

async function expectCopyAgrees(scope: RecordScope = ALL): Promise<void> {
  for (const periods of PERIOD_SETS) {
    for (const by of GROUPINGS) {
      expect(await fromCopy(periods, by, scope), `${by} over ${periods.length} period(s)`).toEqual(
        await fromSql(periods, by, scope),
      );
    }
  }
}

/** planDue and planReceived of the organization over 2026 (one period). */
async function yearPlan(): Promise<[bigint, bigint]> {
  const [[, totals] = ['', { planDueMinor: 0n, planReceivedMinor: 0n }]] = await fromCopy(
    PERIOD_SETS[2] ?? [],
    'organization',
    ALL,
  );
  return [totals.planDueMinor, totals.planReceivedMinor];
}

beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  admin = await signUp(t.app);
  tenantId = admin.tenantId;
  const team = await t.db.tenant(tenantId, (tx) =>
    tx
      .insertInto('teams')
      .values({ tenant_id: tenantId, name: 'North' })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  teamId = team.id;
  salesperson = await addUser(admin, 'salesperson', { teamId });
  customerA = await seedCustomer(t, tenantId, { code: 'PA', ownerUserId: salesperson.userId, teamId });
  customerB = await seedCustomer(t, tenantId, { code: 'PB' });
});

afterAll(async () => {
  await t.close();
});

describe('plan copy', () => {
  let nodesA: string[] = [];
  let contractB = '';
  let nodesB: string[] = [];
  let receiptA = '';
  let invoiceOnN1 = '';
  let firstAllocation = '';

  it('agrees with the documents on its first load', async () => {
    nodesA = (
      await seedContract(customerA, [
        { amountMinor: 10_000n, dueDate: '2026-03-15' },
        { amountMinor: 20_000n, dueDate: '2026-05-10' },
        { amountMinor: 30_000n, dueDate: null },
      ])
    ).nodes;
    const b = await seedContract(customerB, [{ amountMinor: 5_000n, dueDate: '2026-06-30' }]);
    contractB = b.id;
    nodesB = b.nodes;
    receiptA = await seedReceipt(customerA);
    await expectCopyAgrees();
    expect(await yearPlan()).toEqual([35_000n, 0n]);
    // Read in full once; from then on each report reads what changed.
    expect(statements).toEqual(['plan changes', 'ledger']);
  });

  it('follows an invoice issued against a node and an allocation to it', async () => {
    invoiceOnN1 = await seedInvoiceOnNode(customerA, nodesA[0] ?? '', 8_000n, '2026-03-01');
    await expectCopyAgrees();
    firstAllocation = await allocate({
      receiptId: receiptA,
      invoiceId: invoiceOnN1,
      amountMinor: 6_000n,
      allocatedOn: '2026-03-10',
    });
    await expectCopyAgrees();
    expect(await yearPlan()).toEqual([35_000n, 6_000n]);
  });

  it('follows allocations naming a node, with or without an invoice (capped at the node)', async () => {
    await allocate({
      receiptId: receiptA,
      planNodeId: nodesA[1],
      amountMinor: 25_000n,
      allocatedOn: '2026-05-01',
    });
    const plain = await seedInvoice(t, tenantId, {
      customerId: customerA,
      totalMinor: 4_000n,
      invoiceDate: '2026-04-01',
    });
    await allocate({
      receiptId: receiptA,
      invoiceId: plain,
      planNodeId: nodesA[0],
      amountMinor: 1_000n,
      allocatedOn: '2026-04-05',
    });
    await expectCopyAgrees();
    // N1 6,000 + 1,000 (by 12-31); N2 25,000 capped at 20,000.
    expect(await yearPlan()).toEqual([35_000n, 27_000n]);
  });

  it('follows a reversal, a credit note and a void of the invoice', async () => {
    await allocate({
      receiptId: receiptA,
      invoiceId: invoiceOnN1,
      amountMinor: -6_000n,
      allocatedOn: '2026-03-20',
      reverses: firstAllocation,
    });
    await expectCopyAgrees();
    await seedCreditNote(t, tenantId, { invoiceId: invoiceOnN1, amountMinor: 500n, issuedOn: '2026-03-25' });
    await expectCopyAgrees();
    await allocate({
      receiptId: receiptA,
      invoiceId: invoiceOnN1,
      amountMinor: 2_000n,
      allocatedOn: '2026-03-26',
    });
    await seedVoid(t, tenantId, invoiceOnN1, '2026-03-28');
    await expectCopyAgrees();
    // What a voided invoice received still counts for its node, as in planNodeReceivedAsOf.
    expect(await yearPlan()).toEqual([35_000n, 23_000n]);
  });

  it('follows a node whose event sets its due date, and a changed amount', async () => {
    await t.db.tenant(tenantId, (tx) =>
      tx
        .updateTable('payment_plan_nodes')
        .set({ trigger_event_on: '2026-04-20', due_date: '2026-04-20' })
        .where('id', '=', nodesA[2] ?? '')
        .execute(),
    );
    await expectCopyAgrees();
    await t.db.tenant(tenantId, (tx) =>
      tx
        .updateTable('payment_plan_nodes')
        .set({ amount_minor: 7_000n })
        .where('id', '=', nodesB[0] ?? '')
        .execute(),
    );
    await expectCopyAgrees();
    expect(await yearPlan()).toEqual([67_000n, 23_000n]);
  });

  it('drops the nodes of a replaced plan, and a node deleted on its own', async () => {
    await t.db.tenant(tenantId, async (tx) => {
      await tx.deleteFrom('payment_plan_nodes').where('contract_id', '=', contractB).execute();
      await tx
        .insertInto('payment_plan_nodes')
        .values(
          [1, 2].map((seq) => ({
            tenant_id: tenantId,
            contract_id: contractB,
            seq,
            name: `R${seq}`,
            amount_minor: 1_000n * BigInt(seq),
            currency: 'CNY',
            due_trigger: 'fixed_date',
            due_date: `2026-0${seq + 1}-15`,
          })),
        )
        .execute();
    });
    await expectCopyAgrees();
    expect(await yearPlan()).toEqual([63_000n, 23_000n]);
    // No node is written with it: only the count of nodes shows the deletion (and the copy is read again).
    await t.db.tenant(tenantId, (tx) =>
      tx.deleteFrom('payment_plan_nodes').where('contract_id', '=', contractB).where('seq', '=', 2).execute(),
    );
    await fromCopy(PERIOD_SETS[0] ?? [], 'organization', ALL);
    expect(statements).toEqual(['plan changes', 'plan in full', 'ledger']);
    await expectCopyAgrees();
    expect(await yearPlan()).toEqual([61_000n, 23_000n]);
  });

  it('follows a new customer and a contract moved to another customer', async () => {
    const customerC = await seedCustomer(t, tenantId, { code: 'PC', ownerUserId: salesperson.userId });
    await seedContract(customerC, [{ amountMinor: 900n, dueDate: '2026-03-31' }]);
    await expectCopyAgrees();
    await t.db.tenant(tenantId, (tx) =>
      tx.updateTable('contracts').set({ customer_id: customerA }).where('id', '=', contractB).execute(),
    );
    await expectCopyAgrees();
    await seedContract(customerB, [{ amountMinor: 400n, dueDate: '2026-03-10' }]);
    await expectCopyAgrees();
  });

  it('answers the caller’s record scope and filter from SQL, never from the copy', async () => {
    const own: RecordScope = { kind: 'own', userId: salesperson.userId };
    await expectCopyAgrees(own);
    const byCustomer = await fromCopy(PERIOD_SETS[2] ?? [], 'customer', own);
    expect(byCustomer.map(([key]) => key.split('|')[1])).not.toContain(customerB);
    const everyone = await fromCopy(PERIOD_SETS[2] ?? [], 'customer', ALL);
    expect(everyone.map(([key]) => key.split('|')[1])).toContain(customerB);
    const filtered = await t.db.tenant(tenantId, (tx) =>
      kpiTotals(tx, tenantId, PERIOD_SETS[2] ?? [], 'customer', ALL, { salespersonId: salesperson.userId }),
    );
    expect([...filtered.plans.keys()].map((key) => key.split('|')[1])).not.toContain(customerB);
  });

  it('lets a transaction that wrote read its own nodes from SQL, and the copy never learns them', async () => {
    const before = await yearPlan();
    await expect(
      t.db.tenant(tenantId, async (tx) => {
        await tx
          .insertInto('payment_plan_nodes')
          .values({
            tenant_id: tenantId,
            contract_id: contractB,
            seq: 9,
            name: 'uncommitted',
            amount_minor: 100_000n,
            currency: 'CNY',
            due_trigger: 'fixed_date',
            due_date: '2026-03-03',
          })
          .execute();
        const totals = await kpiTotals(tx, tenantId, PERIOD_SETS[2] ?? [], 'organization', ALL);
        const [plan] = [...totals.plans.values()];
        expect(plan?.planDueMinor).toBe(before[0] + 100_000n);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await yearPlan()).toEqual(before);
    await expectCopyAgrees();
  });
});

describe('KPI statements', () => {
  it('are as many for 10 nodes as for 200, by salesperson over 12 months', async () => {
    const counts: number[] = [];
    for (const size of [10, 200]) {
      const owner = await signUp(t.app);
      const customer = await seedCustomer(t, owner.tenantId, { code: 'Q-1', ownerUserId: owner.userId });
      await t.db.tenant(owner.tenantId, async (tx) => {
        const contract = await tx
          .insertInto('contracts')
          .values({
            tenant_id: owner.tenantId,
            customer_id: customer,
            number: 'Q',
            amount_minor: 1_000_000n,
            currency: 'CNY',
            signed_on: '2026-01-01',
            payment_terms_days: 30,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await tx
          .insertInto('payment_plan_nodes')
          .values(
            Array.from({ length: size }, (_, index) => ({
              tenant_id: owner.tenantId,
              contract_id: contract.id,
              seq: index + 1,
              name: `Q${index}`,
              amount_minor: BigInt(index + 1),
              currency: 'CNY',
              due_trigger: 'fixed_date',
              due_date: `2026-${String((index % 12) + 1).padStart(2, '0')}-01`,
            })),
          )
          .execute();
      });
      const counting = countingDb(t.db);
      const months = trailingMonths('2026-12-31' as CalendarDate, 12);
      const rows = await counting.db.tenant(owner.tenantId, (tx) =>
        kpiRowsForPeriods(tx, owner.tenantId, months, 'salesperson', ALL),
      );
      expect(rows.flat().length).toBe(Math.min(size, 12));
      counts.push(counting.count());
    }
    // Organization, report session settings, the plan copy's refresh, the ledger copy's, the salespeople's names.
    expect(counts).toEqual([5, 5]);
  });
});
