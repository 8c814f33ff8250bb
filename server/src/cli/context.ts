import path from 'node:path';
import { errorMessage } from '@huikuan/core';
import type { z } from 'zod';
import { openDatabase, type Database } from '../platform/db';
import { AppError } from '../platform/errors';

/** Options every command accepts, resolved against the environment. */
export type DatabaseTarget = { databaseUrl: string | null; dataDir: string };

export type GlobalOptions = { dataDir?: string; databaseUrl?: string };

/** A mistake in how the command was called; shown as is, without a stack. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export function databaseTargetOf(options: GlobalOptions, env: NodeJS.ProcessEnv): DatabaseTarget {
  // Empty strings count as unset, as they do for the server's own configuration.
  const databaseUrl = options.databaseUrl || env.DATABASE_URL || null;
  return { databaseUrl, dataDir: path.resolve(options.dataDir || env.HUIKUAN_DATA_DIR || 'data') };
}

/** Opens the database for one command and always closes it, which also releases the data-directory lock. */
export async function withDatabase<T>(
  target: DatabaseTarget,
  work: (db: Database) => Promise<T>,
): Promise<T> {
  const db = await openDatabase(target);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** Validates one option with the same schema the HTTP API uses, naming the option when it is wrong. */
export function parseOption<S extends z.ZodType>(
  schema: S,
  value: unknown,
  option: string,
  isSecret = false,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const reason = result.error.issues.map((issue) => issue.message).join('; ');
  // A rejected password must not end up on screen or in a log just because it was too short.
  const shown = value === undefined ? 'missing' : isSecret ? '(hidden)' : JSON.stringify(value);
  throw new CliUsageError(`invalid ${option} ${shown}: ${reason}`);
}

/** The one line an operator sees when a command fails. */
export function renderError(error: unknown): string {
  if (error instanceof AppError) {
    const issues = error.issues?.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    return errorMessage(error.code, 'en', error.params) + (issues ? ` (${issues})` : '');
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
