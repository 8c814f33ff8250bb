/**
 * Benchmark: a deterministic 100,000-row invoice CSV (every third row settled, some partly) imported in one
 * all-or-nothing transaction, on PGlite in a temporary data dir and, when DATABASE_URL or TEST_DATABASE_URL is set,
 * on PostgreSQL in a scratch database that is dropped afterwards. Not part of `npm test`:
 *
 *   node_modules/.bin/tsx bench/import-invoices.ts [rows]
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { CLI_AUDIT } from '../server/src/cli/organization-commands';
import { progressReporter } from '../server/src/cli/import-commands';
import { createOrganizationIn } from '../server/src/modules/organization/create-organization';
import { runImport } from '../server/src/modules/imports/run-import';
import { openDatabase, type Database } from '../server/src/platform/db';
import { migrate } from '../server/src/platform/migrate';

const ROWS = Number(process.argv[2] ?? 100_000);
const CUSTOMERS = 2_000;

/** Same file every run: amounts and dates follow from the row number alone. */
export function generateInvoiceCsv(rows: number): string {
  const lines = [
    'customerCode,customerName,number,invoiceDate,dueDate,amount,currency,settledDate,settledAmount,disputed',
  ];
  for (let i = 1; i <= rows; i += 1) {
    const customer = i % CUSTOMERS;
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String((i % 12) + 1).padStart(2, '0');
    const yuan = 1 + ((i * 7919) % 1_000_000);
    const amount = `${yuan.toLocaleString('en-US')}.${String(i % 100).padStart(2, '0')}`;
    const isSettled = i % 3 === 0;
    const partly = i % 6 === 0 ? `${Math.max(1, Math.floor(yuan / 2))}.00` : '';
    lines.push(
      [
        `C${String(customer).padStart(5, '0')}`,
        `"客户 ${customer}, 有限公司"`,
        `INV-${String(i).padStart(7, '0')}`,
        `2025-${month}-${day}`,
        `2026-${month}-${day}`,
        `"${amount}"`,
        'CNY',
        isSettled ? `2026-${month}-${day}` : '',
        isSettled ? partly : '',
        i % 97 === 0 ? '是' : '',
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

async function benchmark(label: string, db: Database, content: Buffer): Promise<string> {
  await migrate(db);
  const organization = await db.system((tx) =>
    createOrganizationIn(
      tx,
      {
        name: 'Bench',
        slug: `bench-${randomBytes(3).toString('hex')}`,
        baseCurrency: 'CNY',
        timezone: 'Asia/Shanghai',
        locale: 'en',
      },
      CLI_AUDIT,
    ),
  );
  const actor = { ...CLI_AUDIT, tenantId: organization.tenant_id, tokenId: null };
  const progress = progressReporter(process.stderr);
  const started = performance.now();
  const result = await runImport(
    db,
    actor,
    { kind: 'invoices', fileName: 'bench.csv', content, isDryRun: false },
    new Date(),
    progress.onProgress,
  ).finally(() => progress.stop());
  const seconds = (performance.now() - started) / 1000;
  if (result.errors.length > 0 || !result.summary.isCommitted)
    throw new Error(`${label}: ${JSON.stringify(result.errors.slice(0, 3))}`);
  const { invoices, receipts, newCustomers } = result.summary;
  return `${label}: ${ROWS} rows (${invoices} invoices, ${receipts} settled receipts, ${newCustomers} new customers) in ${seconds.toFixed(1)} s = ${Math.round(ROWS / seconds)} rows/s`;
}

async function onPglite(content: Buffer): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huikuan-bench-'));
  const db = await openDatabase({ databaseUrl: null, dataDir });
  try {
    return await benchmark('PGlite (file-backed)', db, content);
  } finally {
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function onPostgres(url: string, content: Buffer): Promise<string> {
  const name = `huikuan_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: scratch.toString(), dataDir: '' });
  try {
    return await benchmark('PostgreSQL', db, content);
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const generatedAt = performance.now();
const content = Buffer.from(generateInvoiceCsv(ROWS), 'utf8');
console.log(
  `generated ${ROWS} rows (${(content.length / 1e6).toFixed(1)} MB) in ${((performance.now() - generatedAt) / 1000).toFixed(1)} s`,
);
console.log(await onPglite(content));
const postgresUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
if (postgresUrl) console.log(await onPostgres(postgresUrl, content));
