import pg from 'pg';

/** The server the benchmarks create their databases on (BENCH_DATABASE_URL, or the local PostgreSQL). */
export function adminUrl(): string {
  return process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** A benchmark's own database: created afresh, or kept as it is with `reuse`. Answers its URL. */
export async function ensureDatabase(name: string, reuse: boolean): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount && !reuse) await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    if (!exists.rowCount || !reuse) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}
