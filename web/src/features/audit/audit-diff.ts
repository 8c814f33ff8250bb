export type DiffRow = {
  field: string;
  before: unknown;
  after: unknown;
  change: 'added' | 'removed' | 'changed';
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSame(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The fields an audited change touched. Snapshots are usually objects (a row before and after); a created
 * record has no "before", a deleted one no "after". Anything else is compared as one value.
 */
export function diffSnapshots(before: unknown, after: unknown): DiffRow[] {
  const beforeRecord = isRecord(before) ? before : before === null || before === undefined ? {} : null;
  const afterRecord = isRecord(after) ? after : after === null || after === undefined ? {} : null;
  if (beforeRecord === null || afterRecord === null) {
    return isSame(before, after) ? [] : [{ field: '', before, after, change: 'changed' }];
  }
  const fields = [...new Set([...Object.keys(beforeRecord), ...Object.keys(afterRecord)])].sort();
  return fields.flatMap((field): DiffRow[] => {
    const hasBefore = Object.hasOwn(beforeRecord, field);
    const hasAfter = Object.hasOwn(afterRecord, field);
    const [old, next] = [beforeRecord[field], afterRecord[field]];
    if (hasBefore && hasAfter && isSame(old, next)) return [];
    const change = !hasBefore ? 'added' : !hasAfter ? 'removed' : 'changed';
    return [{ field, before: old, after: next, change }];
  });
}
