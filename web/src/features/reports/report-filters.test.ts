import { describe, expect, it } from 'vitest';
import {
  agingStateFrom,
  defaultPeriod,
  monthEnd,
  monthsInPeriod,
  periodFrom,
  toSearch,
} from './report-filters';

const TEAM = '0b6f5a52-3c1e-4d2a-9a6e-1f2b3c4d5e6f';

describe('report filters in the URL', () => {
  it('reads the aging page state, falling back on anything malformed', () => {
    const state = agingStateFrom(
      new URLSearchParams(
        `asOf=2026-06-30&by=team&basis=invoice_date&view=classes&disputes=exclude&teamId=${TEAM}&salespersonId=x`,
      ),
      '2026-11-22',
    );
    expect(state).toEqual({
      asOf: '2026-06-30',
      by: 'team',
      basis: 'invoice_date',
      view: 'classes',
      disputes: 'exclude',
      teamId: TEAM,
      salespersonId: null,
    });
    expect(
      agingStateFrom(new URLSearchParams('asOf=yesterday&by=planet&disputes=maybe'), '2026-11-22'),
    ).toMatchObject({
      asOf: '2026-11-22',
      by: 'customer',
      basis: 'due_date',
      view: 'buckets',
      disputes: 'include',
    });
  });

  it('leaves empty values out of the URL', () => {
    expect(toSearch({ asOf: '2026-11-22', teamId: null, salespersonId: undefined, by: '' })).toEqual({
      asOf: '2026-11-22',
    });
  });

  it('defaults to twelve months ending today, across a year boundary', () => {
    expect(defaultPeriod('2026-11-22')).toEqual({ from: '2025-12-01', to: '2026-11-22' });
    expect(defaultPeriod('2026-01-05')).toEqual({ from: '2025-02-01', to: '2026-01-05' });
    expect(periodFrom(new URLSearchParams('from=2026-09-01&to=2026-08-01'), '2026-11-22')).toEqual({
      from: '2025-12-01',
      to: '2026-11-22',
    });
  });

  it('counts the months a period touches, at most 36', () => {
    expect(monthsInPeriod('2025-12-01', '2026-11-22')).toBe(12);
    expect(monthsInPeriod('2026-11-01', '2026-11-22')).toBe(1);
    expect(monthsInPeriod('2020-01-01', '2026-11-22')).toBe(36);
  });

  it('knows the last day of a month, leap years included', () => {
    expect(monthEnd('2024-02')).toBe('2024-02-29');
    expect(monthEnd('2026-02')).toBe('2026-02-28');
    expect(monthEnd('2026-12')).toBe('2026-12-31');
  });
});
