import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addDays, type CalendarDate } from '@huikuan/core';
import type { KpiReport, KpiRow, KpiTrend } from '@huikuan/core/contracts';
import { Command } from 'commander';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { seedReportDataDir } from '../../../test/support/cli-data-dir';
import { testEngine } from '../../../test/support/test-db';
import { kpiReport, registerKpiCommands } from '../../cli/kpi-commands';
import { registerReportCommands } from '../../cli/report-commands';
import { invoiceBalancesAsOf } from '../receipts/balances';
import { kpiTotals, totalsKey, type KpiPeriod } from './kpi-inputs';
import { seedCreditNote, seedCustomer, seedInvoice, seedVoid } from '../receipts/test-fixtures';

/**
 * A small ledger with every KPI computed by hand, for January (31 days) and February 2026 (28 days).
 *
 * K1 (owner: salesperson S1, team T): I1 1000.00 dated 2025-12-10 due 2026-01-09; I2 333.33 dated 2026-01-15
 *   due 2026-02-14, raised against plan node N1 (500.00, due 2026-01-20). Plan node N2 200.00 due 2026-02-15.
 * K2 (no owner, no team): I3 500.00 dated 2025-12-20 due 2026-02-18, credited 50.00 on 2025-12-31, voided on
 *   2026-01-20; I4 0.01 dated and due 2026-01-31; I5 1,000,000.07 dated 2026-02-10 due 2026-03-12.
 * Allocations: I1 100.00 on 2025-12-20 and 300.00 on 2026-01-10; I2 100.00 on 2026-02-05, reversed on 2026-02-20;
 *   I5 0.07 on 2026-02-28; N2 directly 250.00 on 2026-02-15. Credit note: I2 33.33 on 2026-01-31.
 */

let t: TestApp;
let admin: Client;
let salesperson: Client;
let tenantId: string;
let k1: string;
let teamId: string;

async function seedReceipt(customerId: string, amountMinor: bigint, receivedOn: string): Promise<string> {
  const row = await t.db.tenant(tenantId, (tx) =>
    tx
      .insertInto('receipts')
      .values({
        tenant_id: tenantId,
        customer_id: customerId,
        received_on: receivedOn,
        amount_minor: amountMinor,
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

async function seedAllocation(input: {
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

async function seedPlanNodes(customerId: string): Promise<[string, string]> {
  return t.db.tenant(tenantId, async (tx) => {
    const contract = await tx
      .insertInto('contracts')
      .values({
        tenant_id: tenantId,
        customer_id: customerId,
        number: `C-${randomUUID().slice(0, 8)}`,
        amount_minor: 70_000n,
        currency: 'CNY',
        signed_on: '2025-12-01',
        payment_terms_days: 30,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const node = (seq: number, amountMinor: bigint, dueDate: string) =>
      tx
        .insertInto('payment_plan_nodes')
        .values({
          tenant_id: tenantId,
          contract_id: contract.id,
          seq,
          name: `N${seq}`,
          amount_minor: amountMinor,
          currency: 'CNY',
          due_trigger: 'fixed_date',
          due_date: dueDate,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    return [(await node(1, 50_000n, '2026-01-20')).id, (await node(2, 20_000n, '2026-02-15')).id];
  });
}

beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  admin = await signUp(t.app);
  tenantId = admin.tenantId;
  const team = await t.db.tenant(tenantId, (tx) =>
    tx
      .insertInto('teams')
      .values({ tenant_id: tenantId, name: 'East' })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  teamId = team.id;
  salesperson = await addUser(admin, 'salesperson', { teamId });
  k1 = await seedCustomer(t, tenantId, { code: 'K1', ownerUserId: salesperson.userId, teamId });
  const k2 = await seedCustomer(t, tenantId, { code: 'K2' });
  const [n1, n2] = await seedPlanNodes(k1);
  const i1 = await seedInvoice(t, tenantId, {
    customerId: k1,
    totalMinor: 100_000n,
    invoiceDate: '2025-12-10',
    dueDate: '2026-01-09',
  });
  const i2 = await seedInvoiceOnNode(k1, n1);
  const i3 = await seedInvoice(t, tenantId, {
    customerId: k2,
    totalMinor: 50_000n,
    invoiceDate: '2025-12-20',
    dueDate: '2026-02-18',
  });
  await seedInvoice(t, tenantId, {
    customerId: k2,
    totalMinor: 1n,
    invoiceDate: '2026-01-31',
    dueDate: '2026-01-31',
  });
  const i5 = await seedInvoice(t, tenantId, {
    customerId: k2,
    totalMinor: 100_000_007n,
    invoiceDate: '2026-02-10',
    dueDate: '2026-03-12',
  });
  await seedCreditNote(t, tenantId, { invoiceId: i3, amountMinor: 5_000n, issuedOn: '2025-12-31' });
  await seedVoid(t, tenantId, i3, '2026-01-20');
  await seedCreditNote(t, tenantId, { invoiceId: i2, amountMinor: 3_333n, issuedOn: '2026-01-31' });
  const r1 = await seedReceipt(k1, 100_000n, '2025-12-20');
  await seedAllocation({ receiptId: r1, invoiceId: i1, amountMinor: 10_000n, allocatedOn: '2025-12-20' });
  await seedAllocation({ receiptId: r1, invoiceId: i1, amountMinor: 30_000n, allocatedOn: '2026-01-10' });
  const a3 = await seedAllocation({
    receiptId: r1,
    invoiceId: i2,
    amountMinor: 10_000n,
    allocatedOn: '2026-02-05',
  });
  await seedAllocation({
    receiptId: r1,
    invoiceId: i2,
    amountMinor: -10_000n,
    allocatedOn: '2026-02-20',
    reverses: a3,
  });
  await seedAllocation({ receiptId: r1, planNodeId: n2, amountMinor: 25_000n, allocatedOn: '2026-02-15' });
  const r2 = await seedReceipt(k2, 7n, '2026-02-28');
  await seedAllocation({ receiptId: r2, invoiceId: i5, amountMinor: 7n, allocatedOn: '2026-02-28' });
});

async function seedInvoiceOnNode(customerId: string, planNodeId: string): Promise<string> {
  const row = await t.db.tenant(tenantId, (tx) =>
    tx
      .insertInto('invoices')
      .values({
        tenant_id: tenantId,
        customer_id: customerId,
        plan_node_id: planNodeId,
        number: 'I2',
        invoice_date: '2026-01-15',
        due_date: '2026-02-14',
        currency: 'CNY',
        subtotal_minor: 33_333n,
        tax_minor: 0n,
        total_minor: 33_333n,
        status: 'issued',
        issued_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

afterAll(async () => {
  await t.close();
});

async function kpis(client: Client, query: string): Promise<KpiReport> {
  const response = await client.request('GET', `/api/kpis?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<KpiReport>();
}

// January: B = I1 (1000.00 − 100.00) + I3 (500.00 − 50.00) = 1350.00; S = I2 333.33 + I4 0.01 = 333.34;
// E = I1 600.00 + I2 (333.33 − 33.33) 300.00 + I4 0.01 = 900.01 (I3 void); C (due ≥ 01-31) = I2 300.00 + I4 0.01.
// collected = 1350.00 + 333.34 − 900.01 = 783.33 = received 300.00 + credited 33.33 + voided 450.00.
// Countback: January 333.34 (31 d) leaves 566.67; December 1500.00: 31 + 31 × 56667 / 150000.
const january = {
  currency: 'CNY',
  openingAR: '1350.00',
  invoiced: '333.34',
  collected: '783.33',
  received: '300.00',
  credited: '33.33',
  writtenOff: '0.00',
  voided: '450.00',
  endingAR: '900.01',
  endingCurrentAR: '300.01',
  planDue: '500.00', // N1
  planReceived: '0.00', // nothing allocated to I2 by 01-31
  collectionRate: 78_333 / 168_334,
  cei: 78_333 / 138_333, // 168334 − 30001
  dsoSimple: (90_001 * 31) / 33_334,
  dsoCountback: (31 * 150_000 + 31 * 56_667) / 150_000,
  bestPossibleDso: (30_001 * 31) / 33_334,
  add: (60_000 * 31) / 33_334,
  overdueRate: 60_000 / 90_001,
  planCompletion: 0,
};

// February: B = 900.01; S = I5 1,000,000.07; E = I1 600.00 + I2 300.00 (100.00 allocated, then reversed) + I4 0.01
// + I5 1,000,000.00 = 1,000,900.01; C (due ≥ 02-28) = I5 1,000,000.00. collected = 0.07 = received 100 − 100 + 0.07.
// Countback: February 1,000,000.07 (28 d) leaves 899.94; January 333.34 (31 d) leaves 566.60; December 1500.00:
// 59 + 31 × 56660 / 150000. Plan: N2 200.00 due 02-15, 250.00 received directly, capped at 200.00.
const february = {
  currency: 'CNY',
  openingAR: '900.01',
  invoiced: '1000000.07',
  collected: '0.07',
  received: '0.07',
  credited: '0.00',
  writtenOff: '0.00',
  voided: '0.00',
  endingAR: '1000900.01',
  endingCurrentAR: '1000000.00',
  planDue: '200.00',
  planReceived: '200.00',
  collectionRate: 7 / 100_090_008,
  cei: 7 / 90_008,
  dsoSimple: (100_090_001 * 28) / 100_000_007,
  dsoCountback: (59 * 150_000 + 31 * 56_660) / 150_000,
  bestPossibleDso: (100_000_000 * 28) / 100_000_007,
  add: (90_001 * 28) / 100_000_007,
  overdueRate: 90_001 / 100_090_001,
  planCompletion: 1,
};

function orgRow(values: typeof january): KpiRow {
  return {
    key: admin.session?.organization.slug ?? '',
    name: admin.session?.organization.name ?? '',
    ...values,
  };
}

describe('GET /api/kpis', () => {
  it('computes every KPI of January by hand', async () => {
    const report = await kpis(admin, 'from=2026-01-01&to=2026-01-31');
    expect(report).toEqual({
      from: '2026-01-01',
      to: '2026-01-31',
      by: 'organization',
      rows: [orgRow(january)],
    });
  });

  it('computes every KPI of February by hand, reversals included', async () => {
    const report = await kpis(admin, 'from=2026-02-01&to=2026-02-28');
    expect(report.rows).toEqual([orgRow(february)]);
  });

  it('splits by salesperson, team and customer; unassigned customers form the null group', async () => {
    // K1: B = 900.00, S = 333.33, E = 900.00, C = 300.00 → collected 333.33; K2: B 450.00, S 0.01, E = C = 0.01.
    const bySalesperson = await kpis(admin, 'from=2026-01-01&to=2026-01-31&by=salesperson');
    expect(
      bySalesperson.rows.map((row) => [row.key, row.openingAR, row.invoiced, row.endingAR, row.collected]),
    ).toEqual([
      [salesperson.userId, '900.00', '333.33', '900.00', '333.33'],
      [null, '450.00', '0.01', '0.01', '450.00'],
    ]);
    const byTeam = await kpis(admin, 'from=2026-01-01&to=2026-01-31&by=team');
    expect(byTeam.rows.map((row) => [row.key, row.name, row.endingCurrentAR])).toEqual([
      [teamId, 'East', '300.00'],
      [null, null, '0.01'],
    ]);
    const byCustomer = await kpis(admin, 'from=2026-01-01&to=2026-01-31&by=customer');
    const k1Row = byCustomer.rows.find((row) => row.key === k1);
    expect(k1Row).toMatchObject({ name: 'Customer K1', planDue: '500.00', cei: 33_333 / 93_333 });
    expect(byCustomer.rows).toHaveLength(2);
  });

  // W-1: 1,000.00 invoiced 2026-01-10, credit note 100.00 on 2026-02-20, 400.00 written off (approved today,
  // 2026-11-22). November: B = 900.00, S = 0, E = 500.00, collected = 400.00, all of it written off.
  it('counts an approved write-off as collected, apart from credit notes', async () => {
    const owner = await signUp(t.app);
    const approver = await addUser(owner, 'finance');
    const customerId = await seedCustomer(t, owner.tenantId, { code: 'W-1' });
    const invoiceId = await seedInvoice(t, owner.tenantId, {
      customerId,
      totalMinor: 100_000n,
      invoiceDate: '2026-01-10',
      dueDate: '2026-02-09',
    });
    await seedCreditNote(t, owner.tenantId, { invoiceId, amountMinor: 10_000n, issuedOn: '2026-02-20' });
    const request = await owner.request('POST', `/api/invoices/${invoiceId}/write-offs`, {
      amount: '400.00',
      reason: '无法收回',
    });
    const approved = await approver.request(
      'POST',
      `/api/approvals/${request.json<{ id: string }>().id}/decision`,
      {
        decision: 'approve',
      },
    );
    expect(approved.statusCode).toBe(200);
    const report = await kpis(owner, 'from=2026-11-01&to=2026-11-30');
    expect(report.rows[0]).toMatchObject({
      openingAR: '900.00',
      invoiced: '0.00',
      collected: '400.00',
      received: '0.00',
      credited: '0.00',
      writtenOff: '400.00',
      voided: '0.00',
      endingAR: '500.00',
    });
  });

  it('shows a salesperson only their own customers', async () => {
    const report = await kpis(salesperson, 'from=2026-01-01&to=2026-01-31');
    expect(report.rows.map((row) => [row.openingAR, row.invoiced, row.endingAR, row.collected])).toEqual([
      ['900.00', '333.33', '900.00', '333.33'],
    ]);
  });

  it('answers zero-denominator ratios with null and empty periods with no rows', async () => {
    const empty = await kpis(admin, 'from=2020-01-01&to=2020-01-31');
    expect(empty.rows).toEqual([]);
    // March 1–5: nothing invoiced, so every S-based ratio is null; E stays with I5 current.
    const march = await kpis(admin, 'from=2026-03-01&to=2026-03-05');
    expect(march.rows[0]).toMatchObject({
      invoiced: '0.00',
      dsoSimple: null,
      add: null,
      bestPossibleDso: null,
    });
    expect(march.rows[0]?.planCompletion).toBeNull();
  });

  it('rejects a period that ends before it starts', async () => {
    const response = await admin.request('GET', '/api/kpis?from=2026-02-01&to=2026-01-31');
    expect(response.statusCode).toBe(400);
  });

  it('never shows another organization its data', async () => {
    const other = await signUp(t.app);
    const customer = await seedCustomer(t, other.tenantId, { code: 'X1' });
    await seedInvoice(t, other.tenantId, {
      customerId: customer,
      totalMinor: 4_200n,
      invoiceDate: '2026-01-05',
    });
    const theirs = await kpis(other, 'from=2026-01-01&to=2026-01-31');
    expect(theirs.rows.map((row) => [row.openingAR, row.invoiced, row.endingAR])).toEqual([
      ['0.00', '42.00', '42.00'],
    ]);
    const ours = await kpis(admin, 'from=2026-01-01&to=2026-01-31');
    expect(ours.rows).toEqual([orgRow(january)]);
  });
});

describe('GET /api/kpis/trend', () => {
  it('gives each month the same KPIs as its own period', async () => {
    const response = await admin.request('GET', '/api/kpis/trend?months=2&to=2026-02-28');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<KpiTrend>()).toEqual({
      to: '2026-02-28',
      by: 'organization',
      months: [
        { month: '2026-01', from: '2026-01-01', to: '2026-01-31', rows: [orgRow(january)] },
        { month: '2026-02', from: '2026-02-01', to: '2026-02-28', rows: [orgRow(february)] },
      ],
    });
  });
});

describe('report kpis (CLI contract)', () => {
  it('prints exactly the contract keys for the organization', async () => {
    const slug = admin.session?.organization.slug ?? '';
    const report = await kpiReport(t.db, slug, '2026-01-01' as CalendarDate, '2026-01-31' as CalendarDate);
    expect(JSON.parse(JSON.stringify(report))).toEqual({
      from: '2026-01-01',
      to: '2026-01-31',
      openingAR: '1350.00',
      invoiced: '333.34',
      collected: '783.33',
      endingAR: '900.01',
      endingCurrentAR: '300.01',
      collectionRate: january.collectionRate,
      cei: january.cei,
      dsoSimple: january.dsoSimple,
      dsoCountback: january.dsoCountback,
      bestPossibleDso: january.bestPossibleDso,
      add: january.add,
      overdueRate: january.overdueRate,
      planCompletion: 0,
    });
    const empty = await kpiReport(t.db, slug, '2020-01-01' as CalendarDate, '2020-01-31' as CalendarDate);
    expect(JSON.parse(JSON.stringify(empty))).toMatchObject({
      openingAR: '0.00',
      collectionRate: null,
      cei: null,
      dsoSimple: null,
      overdueRate: null,
    });
  });
});

type RandomInvoice = {
  totalMinor: bigint;
  dayOffset: number;
  dueAfterDays: number;
  credit: { quarters: bigint; afterDays: number } | null;
  allocations: { quarters: bigint; afterDays: number }[];
  reversalAfterDays: number | null;
  voidAfterDays: number | null;
};

const randomInvoice: fc.Arbitrary<RandomInvoice> = fc.record({
  totalMinor: fc.oneof(fc.constantFrom(1n, 3_333n, 100_000_007n), fc.bigInt({ min: 4n, max: 9_000_000n })),
  dayOffset: fc.nat({ max: 80 }),
  dueAfterDays: fc.nat({ max: 45 }),
  credit: fc.option(fc.record({ quarters: fc.bigInt({ min: 1n, max: 1n }), afterDays: fc.nat({ max: 40 }) })),
  allocations: fc.array(
    fc.record({ quarters: fc.bigInt({ min: 1n, max: 1n }), afterDays: fc.nat({ max: 40 }) }),
    {
      maxLength: 2,
    },
  ),
  reversalAfterDays: fc.option(fc.nat({ max: 20 })),
  voidAfterDays: fc.option(fc.nat({ max: 50 })),
});

const START = '2026-01-01' as CalendarDate;
const at = (days: number) => addDays(START, days);

/** Reductions dated in P that still counted, straight from the generated operations (no SQL). */
function modelReductions(invoices: RandomInvoice[], from: CalendarDate, to: CalendarDate): bigint {
  let reduced = 0n;
  for (const invoice of invoices) {
    const quarter = invoice.totalMinor / 4n;
    const events: { on: CalendarDate; amount: bigint }[] = [];
    if (invoice.credit)
      events.push({ on: at(invoice.dayOffset + invoice.credit.afterDays), amount: quarter });
    invoice.allocations.forEach((allocation) =>
      events.push({ on: at(invoice.dayOffset + allocation.afterDays), amount: quarter }),
    );
    const first = invoice.allocations[0];
    if (first && invoice.reversalAfterDays !== null) {
      events.push({
        on: at(invoice.dayOffset + first.afterDays + invoice.reversalAfterDays),
        amount: -quarter,
      });
    }
    const voidOn = invoice.voidAfterDays === null ? null : at(invoice.dayOffset + invoice.voidAfterDays);
    const live = events.filter((event) => event.amount !== 0n && (voidOn === null || event.on < voidOn));
    reduced += live
      .filter((event) => event.on >= from && event.on <= to)
      .reduce((sum, e) => sum + e.amount, 0n);
    if (voidOn !== null && voidOn >= from && voidOn <= to) {
      reduced += invoice.totalMinor - live.reduce((sum, e) => sum + e.amount, 0n);
    }
  }
  return reduced;
}

async function seedReductions(receipt: string, id: string, invoice: RandomInvoice): Promise<void> {
  const quarter = invoice.totalMinor / 4n;
  if (invoice.credit) {
    const issuedOn = at(invoice.dayOffset + invoice.credit.afterDays);
    await seedCreditNote(t, tenantId, { invoiceId: id, amountMinor: quarter, issuedOn });
  }
  const allocationIds: string[] = [];
  for (const allocation of invoice.allocations) {
    const allocatedOn = at(invoice.dayOffset + allocation.afterDays);
    allocationIds.push(
      await seedAllocation({ receiptId: receipt, invoiceId: id, amountMinor: quarter, allocatedOn }),
    );
  }
  const [first] = invoice.allocations;
  if (first && allocationIds[0] && invoice.reversalAfterDays !== null) {
    const allocatedOn = at(invoice.dayOffset + first.afterDays + invoice.reversalAfterDays);
    await seedAllocation({
      receiptId: receipt,
      invoiceId: id,
      amountMinor: -quarter,
      allocatedOn,
      reverses: allocationIds[0],
    });
  }
}

async function seedRandomLedger(customerId: string, invoices: RandomInvoice[]): Promise<string[]> {
  const receipt = await seedReceipt(customerId, 1_000_000_000n, '2025-12-01');
  const ids: string[] = [];
  for (const invoice of invoices) {
    const id = await seedInvoice(t, tenantId, {
      customerId,
      totalMinor: invoice.totalMinor,
      invoiceDate: at(invoice.dayOffset),
      dueDate: at(invoice.dayOffset + invoice.dueAfterDays),
    });
    ids.push(id);
    // A quarter of 0.01 is nothing to credit or allocate (amounts must be positive); the void still happens.
    if (invoice.totalMinor >= 4n) await seedReductions(receipt, id, invoice);
    if (invoice.voidAfterDays !== null) {
      await seedVoid(t, tenantId, id, at(invoice.dayOffset + invoice.voidAfterDays));
    }
  }
  return ids;
}

/** One customer's balance totals (and its plan's) per period, straight from kpiTotals. */
async function totalsOf(customerId: string, periods: KpiPeriod[]) {
  const totals = await t.db.tenant(tenantId, (tx) =>
    kpiTotals(tx, tenantId, periods, 'customer', { kind: 'all' }),
  );
  return periods.flatMap((_, idx) => {
    const key = totalsKey(idx, customerId, 'CNY');
    const balance = totals.balances.get(key);
    // A cell that saw a movement after the period has an all-zero row: the same as none (no KPI row shows it).
    const zero = balance === undefined || Object.values(balance).every((amount) => amount === 0n);
    return [{ idx, balance: zero ? undefined : balance, plan: totals.plans.get(key) }];
  });
}

async function openSum(ids: string[], asOf: CalendarDate): Promise<bigint> {
  const balances = await t.db.tenant(tenantId, (tx) => invoiceBalancesAsOf(tx, tenantId, ids, asOf));
  return [...balances.values()].reduce((sum, balance) => sum + balance.openMinor, 0n);
}

describe('collected = B + S − E (property)', () => {
  it('ties to the allocations, credit notes and voids dated in P on random ledgers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(randomInvoice, { minLength: 1, maxLength: 5 }),
        fc.nat({ max: 90 }),
        fc.nat({ max: 60 }),
        async (invoices, startDay, lengthDays) => {
          const customerId = await seedCustomer(t, tenantId, { code: `P-${randomUUID().slice(0, 8)}` });
          const ids = await seedRandomLedger(customerId, invoices);
          const from = at(startDay);
          const to = at(startDay + lengthDays);
          const row = (await kpis(admin, `from=${from}&to=${to}&by=customer`)).rows.find(
            (candidate) => candidate.key === customerId,
          );
          const minor = (text: string | undefined) => BigInt((text ?? '0').replace('.', ''));
          const invoicedMinor = invoices
            .filter((invoice) => at(invoice.dayOffset) >= from && at(invoice.dayOffset) <= to)
            .reduce((sum, invoice) => sum + invoice.totalMinor, 0n);
          // B and E agree with balances.ts; collected with the operations themselves.
          expect(minor(row?.openingAR)).toBe(await openSum(ids, addDays(from, -1)));
          expect(minor(row?.endingAR)).toBe(await openSum(ids, to));
          expect(minor(row?.invoiced)).toBe(invoicedMinor);
          expect(minor(row?.collected)).toBe(modelReductions(invoices, from, to));
          expect(minor(row?.collected)).toBe(
            minor(row?.received) + minor(row?.credited) + minor(row?.writtenOff) + minor(row?.voided),
          );
          // C: what balances.ts has open at `to` on the invoices dated by then and not yet due.
          const notYetDue = ids.filter((_, index) => {
            const invoice = invoices[index];
            return (
              invoice !== undefined &&
              at(invoice.dayOffset) <= to &&
              at(invoice.dayOffset + invoice.dueAfterDays) >= to
            );
          });
          expect(minor(row?.endingCurrentAR)).toBe(await openSum(notYetDue, to));
          // Several periods at once give each period what it gives alone (the trend's loops).
          const middle = at(startDay + Math.floor(lengthDays / 2));
          const halves: KpiPeriod[] = [
            { from, to: middle },
            { from: addDays(middle, 1), to: addDays(to, 1) },
          ];
          const together = await totalsOf(customerId, halves);
          expect(together).toEqual([
            ...(await totalsOf(customerId, [halves[0] ?? { from, to }])),
            ...(await totalsOf(customerId, [halves[1] ?? { from, to }])).map((totals) => ({
              ...totals,
              idx: 1,
            })),
          ]);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});

describe.runIf(testEngine === 'pglite')('huikuan report kpis --json on a data directory', () => {
  it('is wired under `report` and prints the contract JSON', async () => {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huikuan-kpis-'));
    try {
      await seedReportDataDir(workDir, { name: 'KPI Co', slug: 'kpi-co' });
      const printed: string[] = [];
      const program = new Command('huikuan').option('--data-dir <dir>').exitOverride();
      registerReportCommands(program, {}, (text) => printed.push(text));
      registerKpiCommands(program, {}, (text) => printed.push(text));
      const args = ['--data-dir', workDir, 'report', 'kpis', '--org', 'kpi-co', '--from', '2026-01-01'];
      await program.parseAsync([...args, '--to', '2026-01-31', '--json'], { from: 'user' });
      // B = 0, S = E = C = 1,000,000.07 (due 02-04 ≥ 01-31): collected 0, CEI 0 / 0 → null, DSO = 31 × E / S = 31;
      // countback: January's 1,000,000.07 covers E over its 31 days exactly.
      expect(printed.map((line) => JSON.parse(line) as unknown)).toEqual([
        {
          from: '2026-01-01',
          to: '2026-01-31',
          openingAR: '0.00',
          invoiced: '1000000.07',
          collected: '0.00',
          endingAR: '1000000.07',
          endingCurrentAR: '1000000.07',
          collectionRate: 0,
          cei: null,
          dsoSimple: 31,
          dsoCountback: 31,
          bestPossibleDso: 31,
          add: 0,
          overdueRate: 0,
          planCompletion: null,
        },
      ]);
      await expect(program.parseAsync([...args, '--to', '2026-02-30'], { from: 'user' })).rejects.toThrow(
        /--to/,
      );
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  }, 60_000);
});
