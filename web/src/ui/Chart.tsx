/**
 * The one ECharts entry point. Only the chart types and components registered here end up in the bundle,
 * which keeps ECharts to a fraction of its full size; register more here when a report needs them.
 */
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import {
  AriaComponent,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import type {
  AriaComponentOption,
  DatasetComponentOption,
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef } from 'react';
import { useLocale } from '../app/locale';
import { FONT_FAMILY } from '../app/theme';

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  AriaComponent,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | AriaComponentOption
  | DatasetComponentOption
  | GridComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | TitleComponentOption
  | TooltipComponentOption
>;

/** What was clicked: the series (by index and name) and the data item (by index, category name and value). */
export type ChartClick = {
  seriesIndex: number;
  seriesName: string;
  dataIndex: number;
  name: string;
  value: unknown;
};

type ChartProps = {
  option: ChartOption;
  /** What the chart shows, for screen readers (the canvas itself is opaque to them). */
  ariaLabel: string;
  height?: number;
  testId?: string;
  /** Called when a bar, point or slice is clicked, e.g. to drill down to its rows. */
  onItemClick?: (click: ChartClick) => void;
};

/** How many data items of the option's series carry a value other than zero (shown as data-points). */
export function countDataPoints(option: ChartOption): number {
  const series = option.series === undefined ? [] : [option.series].flat();
  let count = 0;
  for (const entry of series) {
    const data: unknown = (entry as { data?: unknown }).data;
    if (!Array.isArray(data)) continue;
    for (const item of data) {
      const value: unknown =
        typeof item === 'object' && item !== null && 'value' in item
          ? (item as { value: unknown }).value
          : item;
      if (value !== null && value !== undefined && value !== '-' && value !== 0 && value !== '0') count += 1;
    }
  }
  return count;
}

export function Chart({ option, ariaLabel, height = 300, testId, onItemClick }: ChartProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);
  const clickRef = useRef(onItemClick);
  useEffect(() => {
    clickRef.current = onItemClick;
  }, [onItemClick]);
  const { locale } = useLocale();
  const points = useMemo(() => countDataPoints(option), [option]);

  // ECharts fixes its locale (tooltips, number words) at init, so a language switch rebuilds the chart.
  useEffect(() => {
    const container = containerRef.current;
    if (container === null) return undefined;
    const chart = echarts.init(container, undefined, { locale: locale === 'zh-CN' ? 'ZH' : 'EN' });
    chartRef.current = chart;
    chart.on('click', (params) => {
      clickRef.current?.({
        seriesIndex: params.seriesIndex ?? 0,
        seriesName: params.seriesName ?? '',
        dataIndex: params.dataIndex,
        name: params.name,
        value: params.value,
      });
    });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(container);
    return () => {
      observer.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, [locale]);

  useEffect(() => {
    chartRef.current?.setOption({ textStyle: { fontFamily: FONT_FAMILY }, ...option }, { notMerge: true });
  }, [option, locale]);

  return (
    <div
      ref={containerRef}
      role="img"
      aria-label={ariaLabel}
      data-testid={testId}
      data-points={points}
      style={{ height }}
    />
  );
}
