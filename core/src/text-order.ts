/**
 * Orders two strings by their UTF-16 code units: what PostgreSQL's "C" collation and a UTF-8 byte order give for
 * every code and number in practice (they differ only between astral characters and U+E000–U+FFFF), with no locale.
 * Codes, numbers and keys are sorted this way wherever the server sorts, so lists agree with each other.
 */
export function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
