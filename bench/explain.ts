/**
 * Prints EXPLAIN ANALYZE for every statement one API call sends, on a ledger that `npm run bench -- --reuse` left
 * behind (PostgreSQL database huikuan_bench_<invoices>, or the PGlite data dir of that size):
 *
 *   node_modules/.bin/tsx bench/explain.ts --invoices 1000000 '/api/aging'
 *   node_modules/.bin/tsx bench/explain.ts --engine pglite --invoices 100000 '/api/kpis?from=2026-11-01&to=2026-11-22'
 *
 * The statements run as the API runs them: as huikuan_app, with the tenant set, in one transaction each.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CompiledQuery } from 'kysely';
import { buildApp } from '../server/src/app';
import { tuneForReport } from '../server/src/modules/aging/report-session';
import { createApiToken } from '../server/src/modules/api-tokens/api-tokens';
import { loadConfig } from '../server/src/platform/config';
import { openDatabase, type Database } from '../server/src/platform/db';
import type { Actor } from '../server/src/platform/request-context';

const { values: options, positionals } = parseArgs({
  options: {
    invoices: { type: 'string', default: '1000000' },
    engine: { type: 'string', default: 'pg' },
    buffers: { type: 'boolean', default: false },
    /** Print each statement with its parameters inlined (for psql) instead of explaining it. */
    print: { type: 'boolean', default: false },
  },
  allowPositionals: true,
});
const url = positionals[0];
if (!url) throw new Error('Which API call? e.g. /api/aging');

const clock = { now: () => new Date('2026-11-22T04:00:00Z') };
const base = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const scratch = new URL(base);
scratch.pathname = `/huikuan_bench_${options.invoices}`;
const db =
  options.engine === 'pglite'
    ? await openDatabase({
        databaseUrl: null,
        dataDir: path.join(os.tmpdir(), `huikuan-bench-${options.invoices}`),
      })
    : await openDatabase({ databaseUrl: scratch.toString(), dataDir: '' });

const captured: { tenantId: string; query: CompiledQuery }[] = [];
const capturing: Database = {
  ...db,
  tenant: (tenantId, work) =>
    db.tenant(tenantId, (tx) => {
      const executor = tx.getExecutor();
      const original = executor.executeQuery.bind(executor);
      executor.executeQuery = (query, queryId) => {
        captured.push({ tenantId, query });
        return original(query, queryId);
      };
      return work(tx);
    }),
};

try {
  const organization = await db.system((tx) =>
    tx
      .selectFrom('organizations')
      .select('tenant_id')
      .where('slug', '=', 'bench-analytics')
      .executeTakeFirstOrThrow(),
  );
  const tenantId = organization.tenant_id;
  const admin = await db.system((tx) =>
    tx
      .selectFrom('users')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('email', '=', 'admin@bench.test')
      .executeTakeFirstOrThrow(),
  );
  const actor: Actor = {
    tenantId,
    userId: admin.id,
    role: 'admin',
    teamIds: [],
    tokenId: null,
    tokenScopes: null,
    sessionId: null,
    csrfToken: null,
    requestId: 'explain',
    ip: '127.0.0.1',
  };
  const config = loadConfig({}, { logLevel: 'silent', webDistDir: '/nonexistent' });
  const deps = { db, clock, config, version: 'explain' };
  const { secret } = await createApiToken(deps, actor, { name: `explain-${Date.now()}`, scopes: ['read'] });
  const app = await buildApp({ ...deps, db: capturing });
  await app.ready();
  const started = performance.now();
  const response = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${secret}` } });
  console.log(
    `${url}: ${response.statusCode} in ${(performance.now() - started).toFixed(1)} ms, ${captured.length} statements`,
  );
  await app.close();
  for (const { tenantId: tenant, query } of captured) {
    if (!/^\s*(with|select)/i.test(query.sql)) continue;
    if (options.print) {
      const inlined = query.sql.replace(/\$(\d+)/g, (_, index: string) => {
        const value = query.parameters[Number(index) - 1];
        return typeof value === 'number' || typeof value === 'bigint' ? String(value) : `'${String(value)}'`;
      });
      console.log(`\n-- tenant ${tenant}\n${inlined};`);
      continue;
    }
    const explain = `EXPLAIN (ANALYZE${options.buffers ? ', BUFFERS' : ''}) ${query.sql}`;
    const explained = await db.tenant(tenant, async (tx) => {
      await tuneForReport(tx); // as the report's own transaction does
      return tx.getExecutor().executeQuery<{ 'QUERY PLAN': string }>({ ...query, sql: explain });
    });
    console.log(`\n--- ${query.sql.replace(/\s+/g, ' ').slice(0, 160)}…`);
    console.log(explained.rows.map((row) => row['QUERY PLAN']).join('\n'));
  }
} finally {
  await db.close();
}
