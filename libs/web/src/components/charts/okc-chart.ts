import { defineAsyncComponent } from 'vue';

/**
 * A chart (vue-echarts over echarts 6): `<OkcChart :option="option" height="16rem" />`. The chart code is a
 * separate chunk that loads the first time a page renders a chart, so SPAs and pages without charts never
 * download it.
 */
export const OkcChart = /* @__PURE__ */ defineAsyncComponent(() => import('./EChart.vue'));
