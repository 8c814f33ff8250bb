import { addDays, minorToDecimalString, type CalendarDate } from '@huikuan/core';
import type { AgingReport, ReceiptDetail, WriteOff } from '@huikuan/core/contracts';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { settlementDifferences } from '../../cli/ledger-verify';
import { customerBalancesAsOf, invoiceBalancesAsOf } from './balances';
import { postReceipt, seedCreditNote, seedCustomer, seedInvoice, withKey } from './test-fixtures';

/**
 * Random sequences of ledger operations with awkward amounts. After every step the ledger's invariants hold, the
 * database agrees with a plain model of the same operations, the aging report adds up to the same open balance, and
 * balances as of earlier days never move. Write-offs go through the approval flow; recoveries use up receipts
 * without reopening invoices.
 */

let t: TestApp;
let admin: Client;
let finance: Client;

beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  admin = await signUp(t.app);
  finance = await addUser(admin, 'finance');
});

afterAll(async () => {
  await t.close();
});

type Op =
  | { kind: 'invoice'; amountMinor: bigint }
  | { kind: 'receipt'; amountMinor: bigint }
  | { kind: 'allocate'; receipt: number; invoice: number; quarters: bigint }
  | { kind: 'reverseAllocation'; allocation: number }
  | { kind: 'reverseReceipt'; receipt: number }
  | { kind: 'creditNote'; invoice: number; quarters: bigint }
  | { kind: 'writeOff'; invoice: number; quarters: bigint }
  | { kind: 'recover'; writeOff: number; receipt: number; quarters: bigint }
  | { kind: 'nextDay' };

const awkwardAmount = fc.oneof(
  fc.constantFrom(1n, 3_333n, 6_170n, 9_400n, 33_333n, 100_000_007n, 123_456n),
  fc.bigInt({ min: 1n, max: 50_000_000n }),
);
const index = fc.nat({ max: 7 });
const quarters = fc.bigInt({ min: 1n, max: 5n });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('invoice' as const), amountMinor: awkwardAmount }),
  fc.record({ kind: fc.constant('receipt' as const), amountMinor: awkwardAmount }),
  fc.record({ kind: fc.constant('allocate' as const), receipt: index, invoice: index, quarters }),
  fc.record({ kind: fc.constant('allocate' as const), receipt: index, invoice: index, quarters }),
  fc.record({ kind: fc.constant('reverseAllocation' as const), allocation: index }),
  fc.record({ kind: fc.constant('reverseReceipt' as const), receipt: index }),
  fc.record({ kind: fc.constant('creditNote' as const), invoice: index, quarters }),
  fc.record({ kind: fc.constant('writeOff' as const), invoice: index, quarters }),
  fc.record({ kind: fc.constant('recover' as const), writeOff: index, receipt: index, quarters }),
  fc.record({ kind: fc.constant('nextDay' as const) }),
);

type ModelInvoice = { id: string; totalMinor: bigint; reducedMinor: bigint };
type ModelReceipt = { id: string; amountMinor: bigint; appliedMinor: bigint; isReversed: boolean };
type ModelWriteOff = { id: string; amountMinor: bigint; recoveredMinor: bigint };
/** An allocation pays an invoice, or (a recovery) a write-off; the other index is -1. */
type ModelAllocation = {
  id: string;
  receipt: number;
  invoice: number;
  writeOff: number;
  amountMinor: bigint;
  isReversed: boolean;
};
type Model = {
  customerId: string;
  today: CalendarDate;
  invoices: ModelInvoice[];
  receipts: ModelReceipt[];
  writeOffs: ModelWriteOff[];
  allocations: ModelAllocation[];
  /** Balance (minor) and each invoice's open amount as of each finished day. */
  snapshots: Map<string, { balanceMinor: bigint; openByInvoice: Map<string, bigint> }>;
};

let runCounter = 0;

function setClock(day: CalendarDate): void {
  // Noon in Shanghai, so "today" in the organization's zone is exactly `day`.
  t.clock.set(new Date(`${day}T04:00:00Z`));
}

async function ledgerState(model: Model, asOf: string) {
  return t.db.tenant(admin.tenantId, async (tx) => {
    const [balance] = await customerBalancesAsOf(tx, admin.tenantId, asOf, [model.customerId]);
    const invoices = await invoiceBalancesAsOf(
      tx,
      admin.tenantId,
      model.invoices.map((i) => i.id),
      asOf,
    );
    const applied = await sql<{ receipt_id: string; applied: bigint; amount: bigint }>`
      SELECT r.id AS receipt_id, r.amount_minor AS amount,
        coalesce((SELECT sum(a.amount_minor) FROM allocations a
                  WHERE a.tenant_id = r.tenant_id AND a.receipt_id = r.id AND a.allocated_on <= ${asOf}::date), 0)::bigint
          AS applied
      FROM receipts r WHERE r.tenant_id = ${admin.tenantId} AND r.customer_id = ${model.customerId}`.execute(
      tx,
    );
    return { balance, invoices, receipts: applied.rows };
  });
}

/** The aging report's total for this run's customer on a day (default today), in minor units (CNY: two decimals). */
async function agingTotalMinor(model: Model, asOf: CalendarDate = model.today): Promise<bigint> {
  const response = await finance.request('GET', `/api/aging?asOf=${asOf}&by=customer`);
  expect(response.statusCode).toBe(200);
  const section = response.json<AgingReport>().currencies.find((c) => c.currency === 'CNY');
  const row = section?.rows.find((r) => r.id === model.customerId);
  return row === undefined ? 0n : BigInt(row.total.replace('.', ''));
}

async function checkInvariants(model: Model): Promise<void> {
  const state = await ledgerState(model, model.today);
  for (const receipt of state.receipts) {
    expect(receipt.applied).toBeGreaterThanOrEqual(0n);
    expect(receipt.applied).toBeLessThanOrEqual(receipt.amount);
  }
  let openSum = 0n;
  for (const invoice of model.invoices) {
    const open = state.invoices.get(invoice.id)?.openMinor;
    expect(open).toBe(invoice.totalMinor - invoice.reducedMinor);
    openSum += open ?? 0n;
  }
  const unapplied = model.receipts
    .filter((r) => !r.isReversed)
    .reduce((sum, r) => sum + r.amountMinor - r.appliedMinor, 0n);
  expect(state.balance?.openInvoicesMinor ?? 0n).toBe(openSum);
  expect(state.balance?.unappliedCreditMinor ?? 0n).toBe(unapplied);
  expect(state.balance?.balanceMinor ?? 0n).toBe(openSum - unapplied);
  expect(await agingTotalMinor(model)).toBe(openSum);
  // The settled amounts the ledger's triggers keep (migration 0010) are exactly what the documents say.
  expect(await t.db.tenant(admin.tenantId, (tx) => settlementDifferences(tx, admin.tenantId))).toEqual([]);
  for (const [day, snapshot] of model.snapshots) {
    // Aging as of an earlier day (kept amounts less what happened since) answers what that day's ledger said.
    const openThen = [...snapshot.openByInvoice.values()].reduce((sum, open) => sum + open, 0n);
    expect({ day, aging: await agingTotalMinor(model, day as CalendarDate) }).toEqual({
      day,
      aging: openThen,
    });
    const past = await ledgerState(model, day);
    expect({ day, balance: past.balance?.balanceMinor ?? 0n }).toEqual({
      day,
      balance: snapshot.balanceMinor,
    });
    for (const [invoiceId, open] of snapshot.openByInvoice) {
      expect(past.invoices.get(invoiceId)?.openMinor).toBe(open);
    }
  }
}

async function applyOp(model: Model, op: Op): Promise<void> {
  const tenantId = admin.tenantId;
  switch (op.kind) {
    case 'invoice': {
      const id = await seedInvoice(t, tenantId, {
        customerId: model.customerId,
        totalMinor: op.amountMinor,
        invoiceDate: model.today,
      });
      model.invoices.push({ id, totalMinor: op.amountMinor, reducedMinor: 0n });
      return;
    }
    case 'receipt': {
      const amount = minorToDecimalString(op.amountMinor, 'CNY');
      const id = await postReceipt(finance, {
        customerId: model.customerId,
        receivedOn: model.today,
        amount,
      });
      model.receipts.push({ id, amountMinor: op.amountMinor, appliedMinor: 0n, isReversed: false });
      return;
    }
    case 'allocate':
      return allocateOp(model, op);
    case 'reverseAllocation':
      return reverseAllocationOp(model, op.allocation);
    case 'reverseReceipt':
      return reverseReceiptOp(model, op.receipt);
    case 'creditNote': {
      const invoice = model.invoices[op.invoice % Math.max(1, model.invoices.length)];
      if (!invoice) return;
      const open = invoice.totalMinor - invoice.reducedMinor;
      const amountMinor = (open * op.quarters) / 5n;
      if (amountMinor <= 0n) return;
      await seedCreditNote(t, tenantId, { invoiceId: invoice.id, amountMinor, issuedOn: model.today });
      invoice.reducedMinor += amountMinor;
      return;
    }
    case 'writeOff':
      return writeOffOp(model, op);
    case 'recover':
      return recoverOp(model, op);
    case 'nextDay': {
      const state = await ledgerState(model, model.today);
      model.snapshots.set(model.today, {
        balanceMinor: state.balance?.balanceMinor ?? 0n,
        openByInvoice: new Map([...state.invoices].map(([id, b]) => [id, b.openMinor])),
      });
      model.today = addDays(model.today, 1);
      setClock(model.today);
      return;
    }
  }
}

/** Asks for a share of the smaller room, sometimes more than fits (5/4): the API must agree with the model. */
async function allocateOp(model: Model, op: Extract<Op, { kind: 'allocate' }>): Promise<void> {
  const receipt = model.receipts[op.receipt % Math.max(1, model.receipts.length)];
  const invoice = model.invoices[op.invoice % Math.max(1, model.invoices.length)];
  if (!receipt || !invoice) return;
  const receiptRoom = receipt.isReversed ? 0n : receipt.amountMinor - receipt.appliedMinor;
  const invoiceRoom = invoice.totalMinor - invoice.reducedMinor;
  const room = receiptRoom < invoiceRoom ? receiptRoom : invoiceRoom;
  const amountMinor = room <= 0n ? 1n : (room * op.quarters) / 4n || 1n;
  const response = await finance.request(
    'POST',
    `/api/receipts/${receipt.id}/allocations`,
    { lines: [{ invoiceId: invoice.id, amount: minorToDecimalString(amountMinor, 'CNY') }] },
    withKey(),
  );
  const shouldFit = !receipt.isReversed && amountMinor <= room;
  expect({ status: response.statusCode, shouldFit }).toEqual({ status: shouldFit ? 200 : 409, shouldFit });
  if (!shouldFit) return;
  invoice.reducedMinor += amountMinor;
  recordNewAllocation(model, response.json<ReceiptDetail>(), receipt, amountMinor, {
    invoice: model.invoices.indexOf(invoice),
    writeOff: -1,
  });
}

/** The receipt's one allocation the model does not know yet: what the last request added. */
function recordNewAllocation(
  model: Model,
  detail: ReceiptDetail,
  receipt: ModelReceipt,
  amountMinor: bigint,
  target: Pick<ModelAllocation, 'invoice' | 'writeOff'>,
): void {
  const id = detail.allocations.find(
    (a) => a.reversesAllocationId === null && !model.allocations.some((m) => m.id === a.id),
  )?.id;
  expect(id).toBeDefined();
  receipt.appliedMinor += amountMinor;
  model.allocations.push({
    id: id ?? '',
    receipt: model.receipts.indexOf(receipt),
    ...target,
    amountMinor,
    isReversed: false,
  });
}

async function reverseAllocationOp(model: Model, index: number): Promise<void> {
  const allocation = model.allocations[index % Math.max(1, model.allocations.length)];
  if (!allocation) return;
  const response = await finance.request(
    'POST',
    `/api/allocations/${allocation.id}/reverse`,
    { reason: 'property test' },
    withKey(),
  );
  expect(response.statusCode).toBe(allocation.isReversed ? 409 : 200);
  if (allocation.isReversed) return;
  allocation.isReversed = true;
  const receipt = model.receipts[allocation.receipt];
  if (receipt) receipt.appliedMinor -= allocation.amountMinor;
  undoTarget(model, allocation);
}

/** An undone allocation gives back to what it paid: the invoice is open again, or the write-off unrecovered. */
function undoTarget(model: Model, allocation: ModelAllocation): void {
  const invoice = model.invoices[allocation.invoice];
  if (invoice) invoice.reducedMinor -= allocation.amountMinor;
  const writeOff = model.writeOffs[allocation.writeOff];
  if (writeOff) writeOff.recoveredMinor -= allocation.amountMinor;
}

/** Someone asks, finance approves: a share of what is open is written off today. */
async function writeOffOp(model: Model, op: Extract<Op, { kind: 'writeOff' }>): Promise<void> {
  const invoice = model.invoices[op.invoice % Math.max(1, model.invoices.length)];
  if (!invoice) return;
  const amountMinor = ((invoice.totalMinor - invoice.reducedMinor) * op.quarters) / 5n;
  if (amountMinor <= 0n) return;
  const request = await admin.request('POST', `/api/invoices/${invoice.id}/write-offs`, {
    amount: minorToDecimalString(amountMinor, 'CNY'),
    reason: 'property test',
  });
  expect(request.statusCode).toBe(201);
  const decision = await finance.request(
    'POST',
    `/api/approvals/${request.json<{ id: string }>().id}/decision`,
    {
      decision: 'approve',
    },
  );
  expect(decision.statusCode).toBe(200);
  const listed = await finance.request('GET', `/api/write-offs?customerId=${model.customerId}&limit=200`);
  const id = listed
    .json<{ items: WriteOff[] }>()
    .items.find((w) => !model.writeOffs.some((m) => m.id === w.id))?.id;
  expect(id).toBeDefined();
  invoice.reducedMinor += amountMinor;
  model.writeOffs.push({ id: id ?? '', amountMinor, recoveredMinor: 0n });
}

/** Like allocateOp, against a write-off: sometimes more than the receipt or the write-off has room for. */
async function recoverOp(model: Model, op: Extract<Op, { kind: 'recover' }>): Promise<void> {
  const writeOff = model.writeOffs[op.writeOff % Math.max(1, model.writeOffs.length)];
  const receipt = model.receipts[op.receipt % Math.max(1, model.receipts.length)];
  if (!writeOff || !receipt) return;
  const receiptRoom = receipt.isReversed ? 0n : receipt.amountMinor - receipt.appliedMinor;
  const writeOffRoom = writeOff.amountMinor - writeOff.recoveredMinor;
  const room = receiptRoom < writeOffRoom ? receiptRoom : writeOffRoom;
  const amountMinor = room <= 0n ? 1n : (room * op.quarters) / 4n || 1n;
  const response = await finance.request(
    'POST',
    `/api/write-offs/${writeOff.id}/recoveries`,
    { receiptId: receipt.id, amount: minorToDecimalString(amountMinor, 'CNY') },
    withKey(),
  );
  const shouldFit = !receipt.isReversed && amountMinor <= room;
  expect({ status: response.statusCode, shouldFit }).toEqual({ status: shouldFit ? 200 : 409, shouldFit });
  if (!shouldFit) return;
  const detail = await finance.request('GET', `/api/receipts/${receipt.id}`);
  writeOff.recoveredMinor += amountMinor;
  recordNewAllocation(model, detail.json<ReceiptDetail>(), receipt, amountMinor, {
    invoice: -1,
    writeOff: model.writeOffs.indexOf(writeOff),
  });
}

async function reverseReceiptOp(model: Model, index: number): Promise<void> {
  const receipt = model.receipts[index % Math.max(1, model.receipts.length)];
  if (!receipt) return;
  const response = await finance.request(
    'POST',
    `/api/receipts/${receipt.id}/reverse`,
    { reason: 'property test' },
    withKey(),
  );
  expect(response.statusCode).toBe(receipt.isReversed ? 409 : 200);
  if (receipt.isReversed) return;
  receipt.isReversed = true;
  const receiptIndex = model.receipts.indexOf(receipt);
  for (const allocation of model.allocations) {
    if (allocation.receipt !== receiptIndex || allocation.isReversed) continue;
    allocation.isReversed = true;
    undoTarget(model, allocation);
  }
  receipt.appliedMinor = 0n;
}

it('keeps every ledger invariant after random sequences of operations', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 24 }), async (ops) => {
      runCounter += 1;
      const start = '2026-01-01' as CalendarDate;
      setClock(start);
      const model: Model = {
        customerId: await seedCustomer(t, admin.tenantId, { code: `PROP-${runCounter}` }),
        today: start,
        invoices: [],
        receipts: [],
        writeOffs: [],
        allocations: [],
        snapshots: new Map(),
      };
      for (const op of ops) {
        await applyOp(model, op);
        await checkInvariants(model);
      }
    }),
    { numRuns: 30 },
  );
}, 240_000);
