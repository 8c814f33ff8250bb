import type { ChartClick, ChartOption } from '../../ui/Chart';

/**
 * The report charts as pure functions of the data: each builder returns an ECharts option, and each clickable
 * chart has a function that turns a click back into the rows it stands for. Amounts become numbers only here,
 * for drawing; every figure the user reads as text comes from the exact decimal strings.
 */

/** An exact decimal string as a number for plotting (never for arithmetic). */
export function plotted(decimal: string): number {
  const value = Number(decimal);
  return Number.isFinite(value) ? value : 0;
}

export type AmountFormat = (value: number) => string;

/**
 * Fixed margins (and no automatic shrinking around labels) so a bar's position on the canvas follows from the
 * chart's size alone: the browser journey clicks bars by computing where they are.
 */
export const STACK_GRID = { left: 80, right: 24, top: 48, bottom: 48 } as const;

export type StackGroup = { label: string; columns: Record<string, string> };

function stackedBars(
  categories: readonly string[],
  series: readonly { name: string; values: readonly string[] }[],
  format: AmountFormat,
  options: { rotateLabels?: boolean } = {},
): ChartOption {
  return {
    tooltip: { trigger: 'item', valueFormatter: (value) => format(Number(value)) },
    legend: { type: 'scroll', top: 0 },
    grid: { ...STACK_GRID, outerBoundsMode: 'none' },
    xAxis: {
      type: 'category',
      data: [...categories],
      axisLabel: { interval: 0, hideOverlap: true, rotate: options.rotateLabels ? 30 : 0 },
    },
    yAxis: {
      type: 'value',
      axisLabel: { formatter: (value: number) => format(value).replace(/\.\d+$/, '') },
    },
    series: series.map((entry) => ({
      type: 'bar',
      name: entry.name,
      stack: 'total',
      barMaxWidth: 56,
      emphasis: { focus: 'series' },
      data: entry.values.map(plotted),
    })),
  };
}

/** x: buckets, one stacked series per group (e.g. salesperson). */
export function bucketStackOption(
  buckets: readonly string[],
  bucketLabel: (key: string) => string,
  groups: readonly StackGroup[],
  format: AmountFormat,
): ChartOption {
  return stackedBars(
    buckets.map(bucketLabel),
    groups.map((group) => ({ name: group.label, values: buckets.map((key) => group.columns[key] ?? '0') })),
    format,
  );
}

/** Which group and bucket a click on a bucketStackOption chart stands for. */
export function bucketStackClick(
  click: ChartClick,
  buckets: readonly string[],
): { groupIndex: number; bucket: string } | null {
  const bucket = buckets[click.dataIndex];
  return bucket === undefined ? null : { groupIndex: click.seriesIndex, bucket };
}

/** x: groups (salespeople, teams, customers), one stacked series per bucket or class. */
export function groupStackOption(
  groups: readonly StackGroup[],
  columns: readonly string[],
  columnLabel: (key: string) => string,
  format: AmountFormat,
): ChartOption {
  return stackedBars(
    groups.map((group) => group.label),
    columns.map((column) => ({
      name: columnLabel(column),
      values: groups.map((group) => group.columns[column] ?? '0'),
    })),
    format,
    { rotateLabels: groups.length > 6 },
  );
}

export function groupStackClick(
  click: ChartClick,
  columns: readonly string[],
): { groupIndex: number; column: string } | null {
  const column = columns[click.seriesIndex];
  return column === undefined ? null : { groupIndex: click.dataIndex, column };
}

export type MonthPoint = {
  month: string;
  invoiced: string;
  collected: string;
  dso: number | null;
  bestDso: number | null;
  cei: number | null;
};

export function invoicedCollectedOption(
  months: readonly MonthPoint[],
  names: { invoiced: string; collected: string },
  format: AmountFormat,
): ChartOption {
  return {
    tooltip: { trigger: 'axis', valueFormatter: (value) => format(Number(value)) },
    legend: { top: 0 },
    grid: { left: 80, right: 24, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: months.map((point) => point.month) },
    yAxis: {
      type: 'value',
      axisLabel: { formatter: (value: number) => format(value).replace(/\.\d+$/, '') },
    },
    series: [
      { type: 'bar', name: names.invoiced, data: months.map((point) => plotted(point.invoiced)) },
      { type: 'bar', name: names.collected, data: months.map((point) => plotted(point.collected)) },
    ],
  };
}

const ROUND_1 = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

export function dsoCeiOption(
  months: readonly MonthPoint[],
  names: { dso: string; bestDso: string; cei: string },
): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 56, right: 56, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: months.map((point) => point.month) },
    yAxis: [
      { type: 'value', name: names.dso, min: 0 },
      { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    ],
    series: [
      { type: 'line', name: names.dso, data: months.map((point) => ROUND_1(point.dso)), connectNulls: false },
      {
        type: 'line',
        name: names.bestDso,
        data: months.map((point) => ROUND_1(point.bestDso)),
        lineStyle: { type: 'dashed' },
      },
      {
        type: 'line',
        name: names.cei,
        yAxisIndex: 1,
        data: months.map((point) => ROUND_1(point.cei === null ? null : point.cei * 100)),
        tooltip: {
          valueFormatter: (value) => (value === null || value === undefined ? '—' : `${String(value)}%`),
        },
      },
    ],
  };
}

export function classesOption(
  classes: readonly { label: string; open: string; provision: string }[],
  names: { open: string; provision: string },
  format: AmountFormat,
): ChartOption {
  return {
    tooltip: { trigger: 'axis', valueFormatter: (value) => format(Number(value)) },
    legend: { top: 0 },
    grid: { left: 80, right: 24, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: classes.map((entry) => entry.label) },
    yAxis: {
      type: 'value',
      axisLabel: { formatter: (value: number) => format(value).replace(/\.\d+$/, '') },
    },
    series: [
      { type: 'bar', name: names.open, data: classes.map((entry) => plotted(entry.open)) },
      { type: 'bar', name: names.provision, data: classes.map((entry) => plotted(entry.provision)) },
    ],
  };
}
