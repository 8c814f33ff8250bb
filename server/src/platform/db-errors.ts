/** PostgreSQL error codes the use cases translate into AppErrors. */
export function isUniqueViolation(error: unknown, constraintPart?: string): boolean {
  return hasCode(error, '23505') && (!constraintPart || constraintName(error).includes(constraintPart));
}

export function isForeignKeyViolation(error: unknown): boolean {
  return hasCode(error, '23503');
}

function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}

function constraintName(error: unknown): string {
  const value = (error as { constraint?: unknown }).constraint;
  return typeof value === 'string' ? value : '';
}
