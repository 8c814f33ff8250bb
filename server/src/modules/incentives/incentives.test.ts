import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommissionStatement, Evaluation, TargetList } from '@huikuan/core/contracts';
import { registerIncentiveCommands } from '../../cli/report-incentives';
import { registerReportCommands } from '../../cli/report-commands';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { postReceipt, seedCustomer, seedInvoice, withKey } from '../receipts/test-fixtures';
import { commissionsReport, targetsReport } from '.';

/**
 * The hand ledger (CNY; today is 2026-11-22 on the test clock; default rules: 1 % base, ×1.0 on time, ×0.8 up to
 * 30 days late, ×0.5 up to 90, ×0.3 beyond; 2 % on debts over 365 days old; 0.2 % bonus on invoices paid in full at
 * least a day early; ×0.5 on debts not caused by sales).
 *
 * Sales One (team East) owns C1, Sales Two owns C2.
 *   I1 C1 10,000.00 dated 2026-08-01 due 09-30 — R1 10,000.00 on 09-15: on time 100.00, paid in full 15 days early:
 *      bonus 20.00. R1 is reversed (bounced) on 10-05: clawbacks −100.00 and −20.00 in October.
 *   I2 C1  5,000.00 dated 07-01 due 08-31 — R2 3,000.00 on 09-20, 20 days late: 0.8 % = 24.00;
 *      R5 2,000.00 on 10-10, 40 days late: 0.5 % = 10.00 (settled late: no bonus).
 *   I3 C1  2,000.00 dated 2025-06-01 due 2025-07-01 — R3 1,234.56 on 2026-09-10, 466 days old: 2 % = 24.6912 → 24.69.
 *   I5 C1  1,000.00 dated 09-01 due 10-31 — R6 500.00 received 09-28, applied only on 10-02 after September was
 *      locked: 1 % = 5.00, lands in October.
 *   I4 C2  8,000.00 dated 09-01 due 10-01 — R4 8,000.00 on 09-25: 80.00 + bonus 16.00 (6 days early).
 *   I6 C2  1,000.00 dated 10-01 due 11-30 — marked not caused by sales on 11-22, R7 1,000.00 on 11-22; rules from
 *      2026-11: base 2 % and a 0.5 % penalty on debts over 90 days overdue: 1,000.00 × 2 % × 0.5 = 10.00, no bonus.
 *
 * September, Sales One: 24.69 + 100.00 + 20.00 + 24.00 = 168.69 on 14,234.56 collected.
 * October, Sales One: −100.00 − 20.00 + 5.00 + 10.00 = −105.00 on −10,000.00 + 500.00 + 2,000.00 = −7,500.00.
 * November, Sales One: I3's 765.44 is 517 days overdue at 11-30: penalty 0.5 % = 3.8272 → −3.83.
 */
let t: TestApp;
let admin: Client;
let finance: Client;
let manager: Client;
let one: Client;
let two: Client;
const ids: Record<string, string> = {};
const id = (name: string): string => ids[name] ?? '';

async function ok<T>(response: Promise<{ statusCode: number; body: string; json(): unknown }>): Promise<T> {
  const settled = await response;
  if (settled.statusCode >= 300) throw new Error(`${settled.statusCode} ${settled.body}`);
  return settled.json() as T;
}

async function allocate(receiptId: string, invoiceId: string, amount: string, allocatedOn: string) {
  await ok(
    finance.request(
      'POST',
      `/api/receipts/${receiptId}/allocations`,
      { allocatedOn, lines: [{ invoiceId, amount }] },
      withKey(),
    ),
  );
}

async function pay(customerId: string, invoiceId: string, amount: string, on: string, allocatedOn = on) {
  const receiptId = await postReceipt(finance, { customerId, receivedOn: on, amount });
  await allocate(receiptId, invoiceId, amount, allocatedOn);
  return receiptId;
}

function statement(client: Client, userId: string, period: string) {
  return client.request('GET', `/api/commission-statements/${userId}?period=${period}`);
}

function summary(s: CommissionStatement) {
  return s.lines.map((line) => [
    line.on,
    line.kind,
    line.invoiceNumber,
    line.reasons.join('+'),
    line.base,
    line.rate,
    line.commission,
  ]);
}

beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  admin = await signUp(t.app);
  finance = await addUser(admin, 'finance');
  const team = await ok<{ id: string }>(admin.request('POST', '/api/teams', { name: 'East' }));
  ids.team = team.id;
  manager = await addUser(admin, 'sales_manager', { teamId: team.id, name: 'Manager' });
  one = await addUser(admin, 'salesperson', { teamId: team.id, name: 'Sales One' });
  two = await addUser(admin, 'salesperson', { name: 'Sales Two' });
  const tenantId = admin.tenantId;
  ids.c1 = await seedCustomer(t, tenantId, { code: 'C1', ownerUserId: one.userId, teamId: team.id });
  ids.c2 = await seedCustomer(t, tenantId, { code: 'C2', ownerUserId: two.userId });
  const invoice = (
    number: string,
    customerId: string,
    totalMinor: bigint,
    invoiceDate: string,
    dueDate: string,
  ) => seedInvoice(t, tenantId, { customerId, totalMinor, invoiceDate, dueDate, number });
  ids.i1 = await invoice('I1', ids.c1, 1_000_000n, '2026-08-01', '2026-09-30');
  ids.i2 = await invoice('I2', ids.c1, 500_000n, '2026-07-01', '2026-08-31');
  ids.i3 = await invoice('I3', ids.c1, 200_000n, '2025-06-01', '2025-07-01');
  ids.i5 = await invoice('I5', ids.c1, 100_000n, '2026-09-01', '2026-10-31');
  ids.i4 = await invoice('I4', ids.c2, 800_000n, '2026-09-01', '2026-10-01');
  ids.i6 = await invoice('I6', ids.c2, 100_000n, '2026-10-01', '2026-11-30');
  ids.r1 = await pay(ids.c1, ids.i1, '10000.00', '2026-09-15');
  await pay(ids.c1, ids.i2, '3000.00', '2026-09-20');
  await pay(ids.c1, ids.i3, '1234.56', '2026-09-10');
  await pay(ids.c2, ids.i4, '8000.00', '2026-09-25');
  // Received in September, applied in October once September's statement is locked.
  ids.r6 = await postReceipt(finance, { customerId: ids.c1, receivedOn: '2026-09-28', amount: '500.00' });
}, 120_000);

afterAll(async () => {
  await t.close();
});

describe('commission statements over real receipts', () => {
  let lockedJson = '';
  let lockedPdf: Buffer = Buffer.alloc(0);

  it('computes September for Sales One line by line', async () => {
    const s = await ok<CommissionStatement>(statement(finance, one.userId, '2026-09'));
    expect(s.status).toBe('draft');
    expect(summary(s)).toEqual([
      ['2026-09-10', 'cash', 'I3', 'old_debt', '1234.56', '0.02', '24.69'],
      ['2026-09-15', 'cash', 'I1', 'on_time', '10000.00', '0.01', '100.00'],
      ['2026-09-15', 'bonus', 'I1', 'full_early_payment', '10000.00', '0.002', '20.00'],
      ['2026-09-20', 'cash', 'I2', 'late', '3000.00', '0.008', '24.00'],
    ]);
    expect(s.lines[0]).toMatchObject({ ageDays: 466, daysLate: 436, customerCode: 'C1' });
    expect(s.totals).toEqual([{ currency: 'CNY', collected: '14234.56', commission: '168.69' }]);
  });

  it('shows a salesperson their own statement and a manager their team’s, nobody else’s', async () => {
    expect((await statement(one, one.userId, '2026-09')).statusCode).toBe(200);
    expect((await statement(manager, one.userId, '2026-09')).statusCode).toBe(200);
    expect((await statement(two, one.userId, '2026-09')).statusCode).toBe(404);
    expect((await statement(manager, two.userId, '2026-09')).statusCode).toBe(404);
    const list = await ok<{ items: { salespersonName: string }[] }>(
      manager.request('GET', '/api/commission-statements?period=2026-09'),
    );
    expect(list.items.map((item) => item.salespersonName)).toEqual(['Sales One']);
    const all = await ok<{ items: { salespersonName: string; totals: { commission: string }[] }[] }>(
      finance.request('GET', '/api/commission-statements?period=2026-09'),
    );
    expect(all.items.map((item) => [item.salespersonName, item.totals[0]?.commission])).toEqual([
      ['Sales One', '168.69'],
      ['Sales Two', '96.00'],
    ]);
  });

  it('is locked by finance only, once, and only after the month ended', async () => {
    const lock = (client: Client, period: string) =>
      client.request('POST', `/api/commission-statements/${one.userId}/lock`, { period });
    expect((await lock(one, '2026-09')).statusCode).toBe(403);
    expect((await lock(manager, '2026-09')).statusCode).toBe(403);
    expect((await lock(finance, '2026-11')).statusCode).toBe(409);
    const locked = await lock(finance, '2026-09');
    expect(locked.statusCode).toBe(200);
    expect(locked.json()).toMatchObject({ status: 'locked', lockedByUserId: finance.userId });
    expect(locked.json<CommissionStatement>().totals[0]?.commission).toBe('168.69');
    expect((await lock(finance, '2026-09')).statusCode).toBe(409);
    const audit = await ok<{ items: { action: string }[] }>(
      admin.request('GET', '/api/audit?action=commission_statement.locked'),
    );
    expect(audit.items.map((item) => item.action)).toContain('commission_statement.locked');
    lockedJson = (await statement(finance, one.userId, '2026-09')).body;
    lockedPdf = (
      await finance.request(
        'GET',
        `/api/commission-statements/${one.userId}/export?period=2026-09&format=pdf`,
      )
    ).rawPayload;
    expect(lockedPdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('lands a reversal after the lock as clawbacks in October, and late money in the next open month', async () => {
    await ok(
      finance.request(
        'POST',
        `/api/receipts/${ids.r1}/reverse`,
        { reversedOn: '2026-10-05', reason: '退票' },
        withKey(),
      ),
    );
    await allocate(ids.r6 ?? '', ids.i5 ?? '', '500.00', '2026-10-02');
    await pay(id('c1'), id('i2'), '2000.00', '2026-10-10');
    const october = await ok<CommissionStatement>(statement(finance, one.userId, '2026-10'));
    expect(summary(october)).toEqual([
      ['2026-09-28', 'cash', 'I5', 'on_time', '500.00', '0.01', '5.00'],
      ['2026-10-05', 'cash', 'I1', 'on_time+clawback', '-10000.00', '0.01', '-100.00'],
      ['2026-10-05', 'bonus', 'I1', 'full_early_payment+clawback', '-10000.00', '0.002', '-20.00'],
      ['2026-10-10', 'cash', 'I2', 'late', '2000.00', '0.005', '10.00'],
    ]);
    expect(october.totals).toEqual([{ currency: 'CNY', collected: '-7500.00', commission: '-105.00' }]);
  });

  it('reproduces the locked September byte for byte after those corrections', async () => {
    expect((await statement(finance, one.userId, '2026-09')).body).toBe(lockedJson);
    const pdf = (
      await finance.request(
        'GET',
        `/api/commission-statements/${one.userId}/export?period=2026-09&format=pdf`,
      )
    ).rawPayload;
    expect(pdf.equals(lockedPdf)).toBe(true);
    const xlsx = await finance.request(
      'GET',
      `/api/commission-statements/${one.userId}/export?period=2026-09&format=xlsx`,
    );
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });

  it('refuses to rewrite a locked statement even to the database owner', async () => {
    await expect(
      t.db.system((tx) =>
        tx
          .updateTable('commission_statement_lines')
          .set({ commission_minor: 1n })
          .where('source_id', 'like', '%')
          .execute(),
      ),
    ).rejects.toThrow(/append-only/);
  });

  it('uses the rules in force for the month: versions, not-sales-caused debts and the penalty', async () => {
    const rules = await ok<{ current: { rules: Record<string, unknown> } }>(
      finance.request('GET', '/api/commission-rules?period=2026-10'),
    );
    const version = {
      effectiveFrom: '2026-11',
      rules: {
        ...rules.current.rules,
        baseRateBp: 200,
        overduePenalty: { afterDaysOverdue: 90, rateBp: 50 },
      },
      note: '十一月起提高基础比例',
    };
    expect((await one.request('POST', '/api/commission-rules', version)).statusCode).toBe(403);
    expect((await finance.request('POST', '/api/commission-rules', version)).statusCode).toBe(201);
    const bad = await finance.request('POST', '/api/commission-rules', {
      ...version,
      rules: {
        ...version.rules,
        timeliness: [
          { maxDaysLate: null, multiplierBp: 10000 },
          { maxDaysLate: 30, multiplierBp: 1 },
        ],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('timeliness');
    const cause = await manager.request('POST', `/api/invoices/${ids.i6}/sales-cause`, {
      isNotSalesCaused: true,
      reason: '产品质量问题',
    });
    expect(cause.statusCode).toBe(404); // I6 is Sales Two's customer, outside the manager's team
    expect(
      (
        await finance.request('POST', `/api/invoices/${ids.i6}/sales-cause`, {
          isNotSalesCaused: true,
          reason: '产品质量问题',
        })
      ).statusCode,
    ).toBe(201);
    await pay(id('c2'), id('i6'), '1000.00', '2026-11-22');
    const november = await ok<CommissionStatement>(statement(finance, two.userId, '2026-11'));
    expect(summary(november)).toEqual([
      ['2026-11-22', 'cash', 'I6', 'on_time+not_sales_caused_reduced', '1000.00', '0.01', '10.00'],
    ]);
    const penalty = await ok<CommissionStatement>(statement(finance, one.userId, '2026-11'));
    expect(summary(penalty)).toEqual([
      ['2026-11-30', 'penalty', null, 'overdue_penalty', '-765.44', '0.005', '-3.83'],
    ]);
    // October keeps the defaults.
    expect(
      (await ok<CommissionStatement>(statement(finance, one.userId, '2026-10'))).totals[0]?.commission,
    ).toBe('-105.00');
  });

  it('prints the CLI contract, rows per salesperson in the base currency', async () => {
    const report = await commissionsReport(t.db, t.clock, admin.tenantId, '2026-09');
    expect(Object.keys(report)).toEqual(['period', 'rows', 'total']);
    expect(report.period).toBe('2026-09');
    expect(
      report.rows.map((row) => [row.salesperson, row.collected, row.commission, row.details.length]),
    ).toEqual([
      ['Sales One', '14234.56', '168.69', 4],
      ['Sales Two', '8000.00', '96.00', 2],
    ]);
    expect(Object.keys(report.rows[0] ?? {})).toEqual(['salesperson', 'collected', 'commission', 'details']);
    expect(report.rows[0]?.details[0]).toMatchObject({
      invoice: 'I3',
      commission: '24.69',
      status: 'locked',
    });
    expect(report.total).toBe('264.69');
    const program = new Command('huikuan').exitOverride();
    registerReportCommands(program, {}, () => undefined);
    registerIncentiveCommands(program, {}, () => undefined);
    await expect(
      program.parseAsync(['report', 'commissions', '--org', 'acme', '--period', '2026-13', '--json'], {
        from: 'user',
      }),
    ).rejects.toThrow(/--period/);
  });
});

describe('targets', () => {
  let orgTargetId = '';

  it('sets an organization target with vintage lines and splits it to people exactly', async () => {
    const created = await finance.request('POST', '/api/collection-targets', {
      period: '2026-09',
      level: 'organization',
      amount: '30000.00',
      lines: [
        { dimension: 'vintage', key: '2026', weight: 1, amount: '20000.00' },
        { dimension: 'vintage', key: '2025', weight: 3, amount: '5000.00' },
      ],
    });
    expect(created.statusCode).toBe(201);
    orgTargetId = created.json<{ id: string }>().id;
    expect(
      (
        await manager.request('POST', '/api/collection-targets', {
          period: '2026-09',
          level: 'organization',
          amount: '1.00',
        })
      ).statusCode,
    ).toBe(403);
    const split = await ok<TargetList>(
      finance.request('POST', `/api/collection-targets/${orgTargetId}/split`, {
        parts: [
          { userId: one.userId, weight: 2 },
          { userId: two.userId, weight: 1 },
        ],
      }),
    );
    const [org, first, second] = split.items;
    expect([first?.name, first?.amount, second?.name, second?.amount]).toEqual([
      'Sales One',
      '20000.00',
      'Sales Two',
      '10000.00',
    ]);
    expect(first?.lines.map((line) => [line.key, line.target])).toEqual([
      ['2025', '3333.33'],
      ['2026', '13333.33'],
    ]);
    expect(second?.lines.map((line) => [line.key, line.target])).toEqual([
      ['2025', '1666.67'],
      ['2026', '6666.67'],
    ]);
    // Collected in September by receipt date, now: Sales One 10,000.00 + 3,000.00 + 1,234.56 + 500.00; Sales Two 8,000.00.
    expect([first?.actual, first?.shortfall, second?.actual, second?.completion]).toEqual([
      '14734.56',
      '5265.44',
      '8000.00',
      0.8,
    ]);
    expect(org?.actual).toBe('22734.56');
    // Vintage 2026: 21,500.00 of 20,000.00 → capped at 100 %; 2025: 1,234.56 of 5,000.00 = 0.246912; (1×1 + 3×0.246912)/4.
    expect(org?.weightedCompletion).toBe(0.435184);
  });

  it('carries last period’s shortfall where agreed, and answers the CLI', async () => {
    const october = await ok<{ carriedIn: string; effectiveTarget: string; actual: string }>(
      manager.request('POST', '/api/collection-targets', {
        period: '2026-10',
        level: 'salesperson',
        userId: one.userId,
        amount: '10000.00',
        carryShortfall: true,
      }),
    );
    // October by receipt date: 2,000.00 received, 10,000.00 reversed.
    expect(october).toMatchObject({ carriedIn: '5265.44', effectiveTarget: '15265.44', actual: '-8000.00' });
    expect(
      (
        await manager.request('POST', '/api/collection-targets', {
          period: '2026-10',
          level: 'salesperson',
          userId: two.userId,
          amount: '1.00',
        })
      ).statusCode,
    ).toBe(403);
    const report = await targetsReport(t.db, admin.tenantId, '2026-09');
    expect(report.targets.map((row) => [row.level, row.name, row.target, row.actual])).toEqual([
      ['organization', expect.any(String), '30000.00', '22734.56'],
      ['salesperson', 'Sales One', '20000.00', '14734.56'],
      ['salesperson', 'Sales Two', '10000.00', '8000.00'],
    ]);
    const visible = await ok<TargetList>(one.request('GET', '/api/collection-targets?period=2026-09'));
    expect(visible.items.map((item) => item.level)).toEqual(['organization', 'salesperson']);
  });
});

describe('evaluation', () => {
  it('places people in the four attitudes against the median, ranks them, and shows 买卖制', async () => {
    await ok(
      finance.request('PUT', '/api/incentive-settings', { accountabilityMode: true, keyCustomerTag: '重点' }),
    );
    const evaluation = await ok<Evaluation>(finance.request('GET', '/api/performance?period=2026-09'));
    expect(evaluation.brokenPromisesTracked).toBe(true);
    // Invoiced in September: One 1,000.00 (I5), Two 8,000.00 (I4): median 4,500.00. Collected: 14,734.56 and
    // 8,000.00: median 11,367.28.
    const rows = evaluation.salespeople.map((row) => [
      row.rank,
      row.name,
      row.invoiced,
      row.collected,
      row.attitude,
    ]);
    expect(rows).toEqual([
      [1, 'Sales One', '1000.00', '14734.56', 'collection_driven'],
      [2, 'Sales Two', '8000.00', '8000.00', 'sales_driven'],
    ]);
    const [first, second] = evaluation.salespeople;
    expect(first?.salesAchievement).toBeCloseTo(1000 / 4500, 9);
    expect(first?.collectionAchievement).toBeCloseTo(14734.56 / 11367.28, 9);
    // 买卖制: I5's 1,000.00 less the 500.00 collected; Two's I4 is paid.
    expect([first?.accountabilityShortfall, second?.accountabilityShortfall]).toEqual(['500.00', '0.00']);
    expect(first?.brokenPromises).toBe(0);
    const own = await ok<Evaluation>(one.request('GET', '/api/performance?period=2026-09'));
    expect(own.salespeople.map((row) => row.name)).toEqual(['Sales One']);
  });

  it('keeps review notes on a person or a case in scope', async () => {
    const note = await manager.request('POST', '/api/review-notes', {
      userId: one.userId,
      period: '2026-09',
      body: '回款好，销售偏弱',
    });
    expect(note.statusCode).toBe(201);
    expect(
      (await manager.request('POST', '/api/review-notes', { userId: two.userId, body: 'x' })).statusCode,
    ).toBe(404);
    expect(
      (await one.request('POST', '/api/review-notes', { userId: one.userId, body: 'x' })).statusCode,
    ).toBe(403);
    expect(
      (await manager.request('POST', '/api/review-notes', { customerId: ids.c1, body: '陈欠 I3 需上门' }))
        .statusCode,
    ).toBe(201);
    const notes = await ok<{ items: { body: string; authorName: string }[] }>(
      one.request('GET', `/api/review-notes?userId=${one.userId}`),
    );
    expect(notes.items.map((item) => [item.body, item.authorName])).toEqual([
      ['回款好，销售偏弱', 'Manager'],
    ]);
    expect((await ok<{ items: unknown[] }>(two.request('GET', '/api/review-notes'))).items).toEqual([]);
  });
});

describe('customer incentives', () => {
  it('offers a discount for early payment only through an approval by someone else', async () => {
    const request = await one.request('POST', `/api/customers/${ids.c1}/incentive-requests`, {
      kind: 'discount',
      amount: '50.00',
      invoiceId: ids.i5,
      payBy: '2026-11-30',
      reason: '提前付清 I5 余款给予折让',
    });
    expect(request.statusCode).toBe(201);
    expect(request.json()).toMatchObject({ kind: 'customer_incentive', status: 'pending', amount: '50.00' });
    const approvalId = request.json<{ id: string }>().id;
    expect(
      (await ok<{ items: unknown[] }>(finance.request('GET', '/api/customer-incentives'))).items,
    ).toEqual([]);
    expect(
      (await one.request('POST', `/api/approvals/${approvalId}/decision`, { decision: 'approve' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await manager.request('POST', `/api/approvals/${approvalId}/decision`, { decision: 'approve' }))
        .statusCode,
    ).toBe(200);
    const granted = await ok<{ items: { kind: string; amount: string; payBy: string }[] }>(
      one.request('GET', `/api/customer-incentives?customerId=${ids.c1}`),
    );
    expect(granted.items).toEqual([
      expect.objectContaining({ kind: 'discount', amount: '50.00', payBy: '2026-11-30' }),
    ]);
    const bad = await one.request('POST', `/api/customers/${ids.c1}/incentive-requests`, {
      kind: 'discount',
      payBy: '2026-11-30',
      reason: 'x',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('amount');
  });
});
