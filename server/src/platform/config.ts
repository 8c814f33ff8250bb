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
  /** Sign-in, sign-up and invitation acceptance attempts allowed per client IP per minute. */
  authAttemptsPerMinute: number;
};

const repoRoot = path.resolve(import.meta.dirname, '../../..');

function parseInteger(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new Error(`${name} must be an integer from 0 to ${max}, got "${raw}"`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  return {
    port: parseInteger('PORT', env.PORT, 3000, 65535),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || null,
    dataDir: path.resolve(env.HUIKUAN_DATA_DIR || 'data'),
    webDistDir: path.resolve(env.HUIKUAN_WEB_DIST || path.join(repoRoot, 'web/dist')),
    isBehindTls: env.HUIKUAN_BEHIND_TLS === 'true',
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    authAttemptsPerMinute: parseInteger(
      'HUIKUAN_AUTH_ATTEMPTS_PER_MINUTE',
      env.HUIKUAN_AUTH_ATTEMPTS_PER_MINUTE,
      10,
      1_000_000,
    ),
    ...overrides,
  };
}
