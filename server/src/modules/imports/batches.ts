/**
 * Bulk writes go in multi-row statements of this many rows: one statement per row would make a 100,000-row
 * import take minutes, and much larger statements approach PostgreSQL's 65,535-parameter limit (invoices have
 * about 14 columns).
 */
export const BATCH_ROWS = 1000;

export function chunk<T>(items: readonly T[], size = BATCH_ROWS): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
