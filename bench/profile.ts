/**
 * Where one API call's time goes, on a ledger that `npm run bench -- --reuse` left behind: the call is made
 * `--runs` times after a warm-up through the real app over HTTP on loopback (bearer token, schemas, serialisation), and each run prints its
 * total, the time of every statement it sent (in order) and the rest (JavaScript: loops, building and serialising
 * the answer). With `node --cpu-prof` around it, the JavaScript part shows in a profile.
 *
 *   node_modules/.bin/tsx bench/profile.ts --invoices 1000000 '/api/aging'
 *   node --cpu-prof --import tsx bench/profile.ts --runs 3 '/api/kpis/trend?months=12'
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../server/src/app';
import { getOverHttp } from './http-get';
import { createApiToken } from '../server/src/modules/api-tokens/api-tokens';
import { loadConfig } from '../server/src/platform/config';
import { openDatabase, type Database } from '../server/src/platform/db';
import type { Actor } from '../server/src/platform/request-context';

const { values: options, positionals } = parseArgs({
  options: {
    invoices: { type: 'string', default: '1000000' },
    engine: { type: 'string', default: 'pg' },
    runs: { type: 'string', default: '5' },
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

let statements: { sql: string; ms: number }[] = [];
const timing: Database = {
  ...db,
  tenant: (tenantId, work) =>
    db.tenant(tenantId, (tx) => {
      const executor = tx.getExecutor();
      const original = executor.executeQuery.bind(executor);
      executor.executeQuery = async (query, queryId) => {
        const started = performance.now();
        try {
          return await original(query, queryId);
        } finally {
          statements.push({
            sql: query.sql.replace(/\s+/g, ' ').slice(0, 90),
            ms: performance.now() - started,
          });
        }
      };
      return work(tx);
    }),
};

try {
  const tenantId = (
    await db.system((tx) =>
      tx
        .selectFrom('organizations')
        .select('tenant_id')
        .where('slug', '=', 'bench-analytics')
        .executeTakeFirstOrThrow(),
    )
  ).tenant_id;
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
    requestId: 'profile',
    ip: '127.0.0.1',
  };
  const config = loadConfig({}, { logLevel: 'silent', webDistDir: '/nonexistent' });
  const deps = { db, clock, config, version: 'profile' };
  const { secret } = await createApiToken(deps, actor, { name: `profile-${Date.now()}`, scopes: ['read'] });
  const app = await buildApp({ ...deps, db: timing });
  await app.ready();
  const origin = await app.listen({ host: '127.0.0.1', port: 0 });
  const runs = Number(options.runs);
  for (let run = -1; run < runs; run += 1) {
    statements = [];
    const started = performance.now();
    const response = await getOverHttp(origin, url, secret);
    const total = performance.now() - started;
    const inSql = statements.reduce((sum, statement) => sum + statement.ms, 0);
    console.log(
      `${run < 0 ? 'warm-up' : `run ${run + 1}`}: ${response.statusCode}, ${total.toFixed(1)} ms, ` +
        `${(response.body.length / 1e6).toFixed(2)} MB; SQL ${inSql.toFixed(1)} ms, rest ${(total - inSql).toFixed(1)} ms`,
    );
    if (response.statusCode !== 200) console.log(response.body.toString('utf8', 0, 500));
    for (const statement of statements)
      console.log(`    ${statement.ms.toFixed(1).padStart(8)} ms  ${statement.sql}`);
  }
  await app.close();
} finally {
  await db.close();
}
