import { AppError } from './errors';

/** Keyset pagination cursors: the last row's sort key, opaque to clients. */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, length: number): string[] | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === length &&
      parsed.every((part) => typeof part === 'string')
    ) {
      return parsed;
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('validation_failed', {}, [{ path: 'cursor', message: 'Malformed cursor' }]);
}

/** Fetch limit + 1 rows; the extra one only says whether a next page exists. */
export function pageFrom<T>(rows: T[], limit: number, keyOf: (row: T) => string[]) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
