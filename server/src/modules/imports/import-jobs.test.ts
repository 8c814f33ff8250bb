import { setTimeout as sleep } from 'node:timers/promises';
import iconv from 'iconv-lite';
import type { ImportJob, ImportPreset, ImportPreview } from '@huikuan/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, signUp, type Client, type TestApp } from '../../../test/support/test-app';
import { observeImportJobs } from './import-jobs';

let t: TestApp;
let admin: Client;
let other: Client;

beforeAll(async () => {
  t = await createTestApp({ authAttemptsPerMinute: 10_000 });
  admin = await signUp(t.app);
  other = await signUp(t.app);
});
afterAll(async () => {
  await t.close();
});

function body(fileName: string, bytes: Buffer, extra: Record<string, unknown> = {}) {
  return { fileName, contentBase64: bytes.toString('base64'), ...extra };
}

async function startJob(
  client: Client,
  kind: string,
  file: { name: string; text: string },
  isDryRun: boolean,
) {
  const response = await client.request(
    'POST',
    `/api/imports/${kind}/jobs`,
    body(file.name, Buffer.from(file.text), { isDryRun }),
  );
  expect(response.statusCode, response.body).toBe(202);
  return response.json<{ jobId: string }>().jobId;
}

/** Polls as the web app does until the job has finished. */
async function finishedJob(client: Client, jobId: string): Promise<ImportJob> {
  for (let attempt = 0; attempt < 2000; attempt += 1) {
    const response = await client.request('GET', `/api/import-jobs/${jobId}`);
    expect(response.statusCode, response.body).toBe(200);
    const job = response.json<ImportJob>();
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    await sleep(20);
  }
  throw new Error(`job ${jobId} did not finish`);
}

const INVOICE_HEADER = 'customerCode,customerName,number,invoiceDate,dueDate,amount,settledDate';

function invoiceFile(rows: number, prefix: string): string {
  const lines = [INVOICE_HEADER];
  for (let i = 1; i <= rows; i += 1) {
    const settled = i % 2 === 0 ? '2026-03-01' : '';
    lines.push(`${prefix}C${i % 7},客户${i % 7},${prefix}-${i},2026-01-05,2026-02-04,33.33,${settled}`);
  }
  return lines.join('\n');
}

describe('import presets', () => {
  it('creates, lists by kind, renames, refuses duplicates and unknown fields, deletes; audited', async () => {
    const created = await admin.request('POST', '/api/import-presets', {
      name: '金蝶发票',
      kind: 'invoices',
      mapping: { number: '发票号码', amount: '价税合计' },
      encoding: 'gbk',
      dateFormat: 'YYYY/MM/DD',
    });
    expect(created.statusCode, created.body).toBe(201);
    const preset = created.json<ImportPreset>();
    expect(preset).toMatchObject({
      name: '金蝶发票',
      kind: 'invoices',
      mapping: { number: '发票号码', amount: '价税合计' },
      encoding: 'gbk',
      dateFormat: 'YYYY/MM/DD',
      decimalSeparator: '.',
      createdByUserId: admin.userId,
    });
    await admin.request('POST', '/api/import-presets', { name: '客户', kind: 'customers', mapping: {} });
    const listed = await admin.request('GET', '/api/import-presets?kind=invoices');
    expect(listed.json<{ items: ImportPreset[] }>().items.map((p) => p.name)).toEqual(['金蝶发票']);

    const duplicate = await admin.request('POST', '/api/import-presets', {
      name: '金蝶发票',
      kind: 'invoices',
      mapping: {},
    });
    expect(duplicate.statusCode).toBe(409);
    const unknownField = await admin.request('POST', '/api/import-presets', {
      name: 'bad',
      kind: 'receipts',
      mapping: { number: 'X' },
    });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json<{ error: { issues: { path: string }[] } }>().error.issues[0]?.path).toBe(
      'mapping.number',
    );

    const renamed = await admin.request('PATCH', `/api/import-presets/${preset.id}`, {
      name: '金蝶 K3',
      decimalSeparator: ',',
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json<ImportPreset>()).toMatchObject({ name: '金蝶 K3', decimalSeparator: ',' });

    const sales = await addUser(admin, 'salesperson');
    expect(
      (await sales.request('GET', '/api/import-presets')).json<{ items: unknown[] }>().items,
    ).toHaveLength(2);
    expect((await sales.request('PATCH', `/api/import-presets/${preset.id}`, { name: 'x' })).statusCode).toBe(
      403,
    );

    const deleted = await admin.request('DELETE', `/api/import-presets/${preset.id}`);
    expect(deleted.statusCode).toBe(200);
    const actions = await t.db.tenant(admin.tenantId, (tx) =>
      tx
        .selectFrom('audit_log')
        .select('action')
        .where('tenant_id', '=', admin.tenantId)
        .where('entity_id', '=', preset.id)
        .orderBy('id')
        .execute(),
    );
    expect(actions.map((a) => a.action)).toEqual([
      'import_preset.created',
      'import_preset.updated',
      'import_preset.deleted',
    ]);
  });

  it("answers 404 for another organization's preset and never lists it", async () => {
    const preset = (
      await other.request('POST', '/api/import-presets', { name: 'B', kind: 'receipts', mapping: {} })
    ).json<ImportPreset>();
    expect((await admin.request('PATCH', `/api/import-presets/${preset.id}`, { name: 'x' })).statusCode).toBe(
      404,
    );
    expect((await admin.request('DELETE', `/api/import-presets/${preset.id}`)).statusCode).toBe(404);
    const listed = (await admin.request('GET', '/api/import-presets')).json<{ items: ImportPreset[] }>();
    expect(listed.items.some((p) => p.id === preset.id)).toBe(false);
  });
});

describe('import preview', () => {
  it('detects a GBK file, reads its Chinese headers into a mapping and shows the first 20 rows', async () => {
    const lines = ['客户编码,客户名称,发票号码,开票日期,到期日,价税合计'];
    for (let i = 1; i <= 25; i += 1) lines.push(`K${i},北京甲公司,FP-${i},2026/1/5,2026/2/4,"1,000.07"`);
    const bytes = iconv.encode(lines.join('\r\n'), 'gbk');
    const response = await admin.request('POST', '/api/imports/invoices/preview', body('金蝶.csv', bytes));
    expect(response.statusCode, response.body).toBe(200);
    const preview = response.json<ImportPreview>();
    expect(preview).toMatchObject({
      format: 'csv',
      encoding: 'gb18030',
      headers: ['客户编码', '客户名称', '发票号码', '开票日期', '到期日', '价税合计'],
      headerLine: 1,
      rowCount: 25,
      mapping: {
        customerCode: '客户编码',
        customerName: '客户名称',
        number: '发票号码',
        invoiceDate: '开票日期',
        dueDate: '到期日',
        amount: '价税合计',
      },
      errors: [],
    });
    expect(preview.rows).toHaveLength(20);
    expect(preview.rows[0]).toEqual({
      line: 2,
      cells: ['K1', '北京甲公司', 'FP-1', '2026/1/5', '2026/2/4', '1,000.07'],
    });
    expect(preview.fields.find((f) => f.name === 'number')).toEqual({ name: 'number', isRequired: true });
  });
});

describe('import jobs', () => {
  it('runs a commit job to succeeded, its progress rising to the total, with the final summary kept', async () => {
    const seen: { phase: string | null; done: number; total: number }[] = [];
    let jobId = '';
    const stop = observeImportJobs((job) => {
      if (job.id === jobId) seen.push({ phase: job.phase, done: job.done, total: job.total });
    });
    jobId = await startJob(admin, 'invoices', { name: 'big.csv', text: invoiceFile(3000, 'J') }, false);
    const job = await finishedJob(admin, jobId);
    stop();
    expect(job).toMatchObject({
      status: 'succeeded',
      kind: 'invoices',
      fileName: 'big.csv',
      isDryRun: false,
      errors: [],
      errorCount: 0,
      failure: null,
      createdByUserId: admin.userId,
    });
    expect(job.summary).toMatchObject({
      rows: 3000,
      newCustomers: 7,
      invoices: 3000,
      receipts: 1500,
      allocations: 1500,
      totals: [{ currency: 'CNY', amount: '99990.00', settledAmount: '49995.00' }],
      isCommitted: true,
    });
    // Invoices, then 1,500 receipts, then 1,500 allocations: each write counts once.
    const writes = seen.filter((s) => s.phase === 'write').map((s) => s.done);
    expect(writes.length).toBeGreaterThanOrEqual(3);
    expect(writes.every((done, i) => i === 0 || done >= (writes[i - 1] ?? 0))).toBe(true);
    expect(new Set(writes)).toEqual(new Set([1000, 2000, 3000, 4000, 4500, 5500, 6000]));
    expect(writes.at(-1)).toBe(6000);
    expect(seen.filter((s) => s.phase === 'validate').map((s) => s.done)).toEqual([1000, 2000, 3000]);

    const stored = await t.db.tenant(admin.tenantId, (tx) =>
      tx.selectFrom('import_jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow(),
    );
    expect(stored).toMatchObject({
      status: 'succeeded',
      phase: 'write',
      done_count: 6000,
      total_count: 6000,
    });
    const list = (await admin.request('GET', '/api/import-jobs')).json<{ items: ImportJob[] }>();
    expect(list.items[0]).toMatchObject({ id: jobId, status: 'succeeded' });
    expect(list.items[0]).not.toHaveProperty('errors');
  });

  it('a failing dry-run job lists every error with row, line and column; 1,000 stored, all counted', async () => {
    const lines = [INVOICE_HEADER];
    for (let i = 1; i <= 1200; i += 1) lines.push(`E1,甲,E-${i},2026-01-05,2026-02-04,abc,`);
    lines.push('E1,甲,E-ok,2026-02-30,2026-02-04,0.01,');
    const jobId = await startJob(admin, 'invoices', { name: 'bad.csv', text: lines.join('\n') }, true);
    const job = await finishedJob(admin, jobId);
    expect(job.status).toBe('succeeded');
    expect(job.summary).toMatchObject({ rows: 1201, isCommitted: false });
    expect(job.errorCount).toBe(1201);
    expect(job.errors).toHaveLength(1000);
    expect(job.errors[0]).toEqual({
      row: 1,
      line: 2,
      column: 'amount',
      message: 'amount "abc" is not a number',
    });
    const last = await t.db.tenant(admin.tenantId, (tx) =>
      tx.selectFrom('invoices').select('id').where('number', 'like', 'E-%').execute(),
    );
    expect(last).toEqual([]);
  });

  it('commit jobs are for finance and admins; jobs are visible to their creator, finance and admins only', async () => {
    const sales = await addUser(admin, 'salesperson');
    const refused = await sales.request(
      'POST',
      '/api/imports/invoices/jobs',
      body('x.csv', Buffer.from(invoiceFile(1, 'S')), { isDryRun: false }),
    );
    expect(refused.statusCode).toBe(403);
    const mine = await startJob(sales, 'invoices', { name: 's.csv', text: invoiceFile(2, 'S') }, true);
    expect((await finishedJob(sales, mine)).status).toBe('succeeded');
    expect((await finishedJob(admin, mine)).status).toBe('succeeded');
    const adminsJob = (await admin.request('GET', '/api/import-jobs'))
      .json<{ items: ImportJob[] }>()
      .items.find((j) => j.createdByUserId === admin.userId);
    const another = await addUser(admin, 'salesperson');
    expect((await another.request('GET', `/api/import-jobs/${mine}`)).statusCode).toBe(404);
    expect((await sales.request('GET', `/api/import-jobs/${adminsJob?.id ?? ''}`)).statusCode).toBe(404);
    const salesList = (await sales.request('GET', '/api/import-jobs')).json<{ items: ImportJob[] }>();
    expect(salesList.items.map((j) => j.id)).toEqual([mine]);
  });

  it("answers 404 for another organization's job", async () => {
    const jobId = await startJob(other, 'customers', { name: 'c.csv', text: 'code,name\nB1,乙' }, true);
    expect((await finishedJob(other, jobId)).status).toBe('succeeded');
    expect((await admin.request('GET', `/api/import-jobs/${jobId}`)).statusCode).toBe(404);
    const list = (await admin.request('GET', '/api/import-jobs')).json<{ items: ImportJob[] }>();
    expect(list.items.some((j) => j.id === jobId)).toBe(false);
  });
});

const CONTRACT_HEADER =
  '合同编号,客户编码,客户名称,合同金额,签订日期,合同名称,节点名称,节点金额,节点比例,节点到期日,触发条件,触发后天数';

describe('contract import', () => {
  it('imports contracts with three plan nodes each, by amount and by percentage, due dates from triggers', async () => {
    const csv = [
      CONTRACT_HEADER,
      'HT-001,HC1,华东客户,"100,000.01",2026-01-10,设备采购,预付款,,30%,,签约,5',
      'HT-001,,,,,,到货款,,60,2026-03-01,,',
      'HT-001,,,,,,质保金,,10%,,验收,30',
      'HT-002,HC1,,"1,000,000.06",2026-02-01,,首付,33.33,,2026-02-15,,',
      'HT-002,HC1,,,,,到货,,50%,,交付,10',
      'HT-002,,,,,,验收款,"499,966.70",,,on_acceptance,30',
    ].join('\n');
    const jobId = await startJob(admin, 'contracts', { name: 'contracts.csv', text: csv }, false);
    const job = await finishedJob(admin, jobId);
    expect(job.errors).toEqual([]);
    expect(job.summary).toMatchObject({
      rows: 6,
      newCustomers: 1,
      contracts: 2,
      planNodes: 6,
      totals: [{ currency: 'CNY', amount: '1100000.07', settledAmount: '0.00' }],
      isCommitted: true,
    });
    const nodes = await t.db.tenant(admin.tenantId, (tx) =>
      tx
        .selectFrom('payment_plan_nodes as n')
        .innerJoin('contracts as c', 'c.id', 'n.contract_id')
        .select([
          'c.number',
          'n.seq',
          'n.name',
          'n.amount_minor',
          'n.percentage_bp',
          'n.due_trigger',
          'n.due_date',
        ])
        .where('c.number', 'in', ['HT-001', 'HT-002'])
        .orderBy('c.number')
        .orderBy('n.seq')
        .execute(),
    );
    expect(
      nodes.map((n) => [n.number, n.seq, n.name, n.amount_minor, n.percentage_bp, n.due_trigger, n.due_date]),
    ).toEqual([
      // 30/60/10 % of 100,000.01: the cent left over goes to the largest remainder (60 %).
      ['HT-001', 1, '预付款', 3000000n, 3000, 'on_signing', '2026-01-15'],
      ['HT-001', 2, '到货款', 6000001n, 6000, 'fixed_date', '2026-03-01'],
      ['HT-001', 3, '质保金', 1000000n, 1000, 'on_acceptance', null],
      ['HT-002', 1, '首付', 3333n, null, 'fixed_date', '2026-02-15'],
      ['HT-002', 2, '到货', 50000003n, 5000, 'on_delivery', null],
      ['HT-002', 3, '验收款', 49996670n, null, 'on_acceptance', null],
    ]);
  });

  it('reports every contract row error by row and column, and writes nothing', async () => {
    const csv = [
      CONTRACT_HEADER,
      'HT-101,NOPE,,1000.00,2026-01-10,,一期,,60%,2026-02-01,,',
      'HT-101,,,,,,二期,,50%,2026-03-01,,',
      'HT-102,HC1,,500.00,2026-01-10,,一期,100.00,20%,2026-02-01,,',
      'HT-102,HC1,,600.00,,,二期,100.00,,,,',
      'HT-103,HC1,,100.00,2026-01-10,,一期,150.00,,2026-02-01,,',
      'HT-001,HC1,,100.00,2026-01-10,,一期,100.00,,2026-02-01,,',
      'HT-104,NOPE,,100.00,2026-01-10,,,,,,,',
    ].join('\n');
    const jobId = await startJob(admin, 'contracts', { name: 'bad-contracts.csv', text: csv }, true);
    const job = await finishedJob(admin, jobId);
    expect(job.summary?.isCommitted).toBe(false);
    expect(job.errors).toEqual([
      {
        row: 1,
        line: 2,
        column: '节点比例',
        message: "the nodes' percentages add up to 110 %, more than 100 %",
      },
      {
        row: 3,
        line: 4,
        column: '节点金额',
        message: 'a plan node needs either an amount or a percentage, not both',
      },
      {
        row: 4,
        line: 5,
        column: '合同金额',
        message: 'amount "600.00" differs from "500.00" on row 3 of the same contract',
      },
      { row: 4, line: 5, column: '节点到期日', message: 'a plan node needs a due date or a trigger' },
      {
        row: 5,
        line: 6,
        column: '合同金额',
        message: "the plan's nodes add up to 150.00, more than the contract amount 100.00",
      },
      { row: 6, line: 7, column: '合同编号', message: 'contract number HT-001 already exists' },
      {
        row: 7,
        line: 8,
        column: '客户名称',
        message: 'customer NOPE does not exist; give its name to create it',
      },
    ]);
    const count = await t.db.tenant(admin.tenantId, (tx) =>
      tx
        .selectFrom('contracts')
        .select('number')
        .where('number', 'in', ['HT-101', 'HT-102', 'HT-103', 'HT-104'])
        .execute(),
    );
    expect(count).toEqual([]);
  });
});
