import { defineRoutes } from '@okc/web';

/** Route-level views are lazy: each is its own chunk, loaded when first opened. */
export const routes = defineRoutes([
  { path: '/', redirect: { name: 'status' } },
  {
    path: '/status',
    name: 'status',
    component: () => import('./views/StatusView.vue'),
    meta: { titleKey: 'operator.status.title', nav: true },
  },
  {
    path: '/call',
    name: 'call',
    component: () => import('./views/CallView.vue'),
    meta: { titleKey: 'operator.call.title', nav: true },
  },
  {
    path: '/history',
    name: 'history',
    component: () => import('./views/HistoryView.vue'),
    meta: { titleKey: 'operator.history.title', nav: true },
  },
]);
