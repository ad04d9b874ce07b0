import { defineRoutes } from '@okc/web';

/** Route-level views are lazy: each is its own chunk, loaded when first opened. */
export const routes = defineRoutes([
  { path: '/', redirect: { name: 'wallboard' } },
  {
    path: '/wallboard',
    name: 'wallboard',
    component: () => import('./views/WallboardView.vue'),
    meta: { titleKey: 'supervisor.wallboard.title', nav: true },
  },
  {
    path: '/scripts',
    name: 'scripts',
    component: () => import('./views/ScriptsView.vue'),
    meta: { titleKey: 'supervisor.scripts.title', nav: true },
  },
]);
