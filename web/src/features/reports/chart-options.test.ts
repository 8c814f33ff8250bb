import { describe, expect, it } from 'vitest';
import { countDataPoints, type ChartClick } from '../../ui/Chart';
import {
  bucketStackClick,
  bucketStackOption,
  groupStackClick,
  groupStackOption,
  plotted,
} from './chart-options';

const BUCKETS = ['not_due', '1-30', '31-60'];
const format = (value: number) => value.toFixed(2);
const click = (seriesIndex: number, dataIndex: number): ChartClick => ({
  seriesIndex,
  seriesName: '',
  dataIndex,
  name: '',
  value: 0,
});

describe('aging charts', () => {
  const groups = [
    { label: '张销售', columns: { not_due: '0.00', '1-30': '0.00', '31-60': '700.07' } },
    { label: '李销售', columns: { not_due: '0.01', '1-30': '500.00', '31-60': '0.00' } },
  ];

  it('stacks groups over buckets and maps a click back to the group and bucket', () => {
    const option = bucketStackOption(BUCKETS, (key) => key.toUpperCase(), groups, format);
    expect(option.xAxis).toMatchObject({ data: ['NOT_DUE', '1-30', '31-60'] });
    expect([option.series].flat().map((series) => (series as { data: number[] }).data)).toEqual([
      [0, 0, 700.07],
      [0.01, 500, 0],
    ]);
    expect(countDataPoints(option)).toBe(3);
    expect(bucketStackClick(click(0, 2), BUCKETS)).toEqual({ groupIndex: 0, bucket: '31-60' });
    expect(bucketStackClick(click(0, 7), BUCKETS)).toBeNull();
  });

  it('stacks buckets over groups and maps a click back the other way', () => {
    const option = groupStackOption(groups, BUCKETS, (key) => key, format);
    expect(option.xAxis).toMatchObject({ data: ['张销售', '李销售'] });
    expect([option.series].flat()).toHaveLength(3);
    expect(groupStackClick(click(1, 1), BUCKETS)).toEqual({ groupIndex: 1, column: '1-30' });
  });

  it('counts no data points in an empty chart', () => {
    expect(countDataPoints(bucketStackOption(BUCKETS, (key) => key, [], format))).toBe(0);
  });

  it('plots malformed text as zero rather than NaN', () => {
    expect(plotted('1000000.07')).toBe(1000000.07);
    expect(plotted('abc')).toBe(0);
  });
});
