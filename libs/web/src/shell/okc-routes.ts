import type { Role } from '@okc/contracts';
import type { RouteRecordRaw } from 'vue-router';

declare module 'vue-router' {
  interface RouteMeta {
    /** The i18n key of the route's title, shown in the navigation and the tab title. */
    titleKey?: string;
    /** Shown in the navigation (needs `titleKey` and a path without parameters). */
    nav?: boolean;
    /** Only these roles open the route; by default everyone who may open the SPA. */
    roles?: readonly Role[];
  }
}

/** An SPA's routes; route-level views should be lazy: `component: () => import('./views/x-view.vue')`. */
export function defineRoutes(routes: RouteRecordRaw[]): RouteRecordRaw[] {
  return routes;
}

export interface NavItem {
  readonly name: string;
  readonly path: string;
  readonly titleKey: string;
  readonly roles?: readonly Role[];
}

/** The navigation entries of an SPA's routes (top level and children), in their order. */
export function navItems(routes: readonly RouteRecordRaw[], parentPath = ''): NavItem[] {
  return routes.flatMap((route): NavItem[] => {
    const path = route.path.startsWith('/') ? route.path : `${parentPath.replace(/\/$/, '')}/${route.path}`;
    const own: NavItem[] =
      route.meta?.nav && route.meta.titleKey && typeof route.name === 'string' && !path.includes(':')
        ? [{ name: route.name, path, titleKey: route.meta.titleKey, roles: route.meta.roles }]
        : [];
    return [...own, ...navItems(route.children ?? [], path)];
  });
}
