import type { EChartsOption } from 'echarts';

/** An ECharts option (series, axes, tooltip…) for OkcChart. */
export type ChartOption = EChartsOption;
