import { defineRoutes } from '@okc/web';

/** Route-level views are lazy: each is its own chunk, loaded when first opened. */
export const routes = defineRoutes([
  { path: '/', redirect: { name: 'reports' } },
  {
    path: '/reports',
    name: 'reports',
    component: () => import('./views/ReportsView.vue'),
    meta: { titleKey: 'manager.reports.title', nav: true },
  },
]);
