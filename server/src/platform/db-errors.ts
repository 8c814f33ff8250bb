/** PostgreSQL error codes the use cases translate into AppErrors. */
export function isUniqueViolation(error: unknown, constraintPart?: string): boolean {
  return hasCode(error, '23505') && (!constraintPart || constraintName(error).includes(constraintPart));
}

export function isForeignKeyViolation(error: unknown): boolean {
  return hasCode(error, '23503');
}

/** The SQLSTATE of a database error (both drivers put it in `code`), or null for anything else. */
export function postgresErrorCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  return typeof error.code === 'string' ? error.code : null;
}

function hasCode(error: unknown, code: string): boolean {
  return postgresErrorCode(error) === code;
}

function constraintName(error: unknown): string {
  const value = (error as { constraint?: unknown }).constraint;
  return typeof value === 'string' ? value : '';
}
