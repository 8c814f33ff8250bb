import path from 'node:path';

/** Settings come from the environment only; each has a safe default for `npm start`. */
export type Config = {
  port: number;
  host: string;
  /** PostgreSQL connection string; when absent, the embedded PGlite database in `dataDir` is used. */
  databaseUrl: string | null;
  dataDir: string;
  /** Folder with the built web app (index.html); served at / when present. */
  webDistDir: string;
  /** Set when a TLS-terminating proxy sits in front: cookies become Secure and X-Forwarded-* is trusted. */
  isBehindTls: boolean;
  logLevel: string;
};

const repoRoot = path.resolve(import.meta.dirname, '../../..');

function parsePort(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be an integer from 0 to 65535, got "${raw}"`);
  }
  return port;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  return {
    port: parsePort(env.PORT, 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || null,
    dataDir: path.resolve(env.HUIKUAN_DATA_DIR || 'data'),
    webDistDir: path.resolve(env.HUIKUAN_WEB_DIST || path.join(repoRoot, 'web/dist')),
    isBehindTls: env.HUIKUAN_BEHIND_TLS === 'true',
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    ...overrides,
  };
}
