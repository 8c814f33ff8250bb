import { describe, expect, it } from 'vitest';
import { diffSnapshots } from './audit-diff';

describe('diffSnapshots', () => {
  it('lists only the fields whose values changed', () => {
    const rows = diffSnapshots(
      { name: 'A', role: 'finance', teamId: null },
      { name: 'A', role: 'admin', teamId: null },
    );
    expect(rows).toEqual([{ field: 'role', before: 'finance', after: 'admin', change: 'changed' }]);
  });

  it('treats a created record as every field added and a deleted one as every field removed', () => {
    expect(diffSnapshots(null, { name: 'East' }).map((row) => row.change)).toEqual(['added']);
    expect(diffSnapshots({ name: 'East' }, null).map((row) => row.change)).toEqual(['removed']);
  });

  it('compares nested values structurally', () => {
    expect(diffSnapshots({ scopes: ['read'] }, { scopes: ['read'] })).toEqual([]);
    expect(diffSnapshots({ scopes: ['read'] }, { scopes: ['read', 'write'] })).toHaveLength(1);
  });

  it('compares non-object snapshots as a single value', () => {
    expect(diffSnapshots('a', 'b')).toEqual([{ field: '', before: 'a', after: 'b', change: 'changed' }]);
  });
});
