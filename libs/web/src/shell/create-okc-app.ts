import Aura from '@primeuix/themes/aura';
import { SPA_ROLES, type Role, type SpaName, type UiLocale } from '@okc/contracts';
import { createPinia, type Pinia } from 'pinia';
import PrimeVue from 'primevue/config';
import { createApp, type App } from 'vue';
import {
  createRouter,
  createWebHistory,
  type Router,
  type RouterHistory,
  type RouteRecordRaw,
} from 'vue-router';
import { createOkcI18n, type AppMessages, type OkcI18n } from '../i18n/i18n';
import '../styles/base.css';
import { installApiClient } from './install-api-client';
import { navItems } from './okc-routes';
import OkcRoot from './OkcRoot.vue';
import { SHELL_CONFIG, type ShellConfig } from './shell-config';

export interface OkcAppOptions {
  /** Which SPA this is: picks the title and, unless `allowedRoles` is given, who may open it. */
  readonly appName: SpaName;
  /** The SPA's routes (lazy route-level views); the shell adds a "not found" page for anything else. */
  readonly routes: RouteRecordRaw[];
  /** The SPA's own strings, merged over the shell's (`okc.*`). */
  readonly messages?: AppMessages;
  /** Roles that may open the SPA; SPA_ROLES[appName] from @okc/contracts by default. */
  readonly allowedRoles?: readonly Role[];
  /** Browser history under Vite's `base` (`/operator/`) by default; tests pass createMemoryHistory(). */
  readonly history?: RouterHistory;
  /** The UI language to start with; the one remembered in this browser, else Russian, by default. */
  readonly locale?: UiLocale;
  /** Tests: a stubbed fetch and short retry delays for the API client. */
  readonly fetch?: typeof fetch;
  readonly retryDelaysMs?: readonly number[];
}

/** Everything the shell installs into a Vue app, as one plugin. */
export interface OkcShell {
  readonly pinia: Pinia;
  readonly router: Router;
  readonly i18n: OkcI18n;
  readonly config: ShellConfig;
  install(app: App): void;
}

const NOT_FOUND_ROUTE: RouteRecordRaw = {
  path: '/:pathMatch(.*)*',
  name: 'okc-not-found',
  component: () => import('../views/NotFoundView.vue'),
  meta: { titleKey: 'okc.notFound.title' },
};

/** Pinia, the router, vue-i18n, PrimeVue (Aura), the API client and the shell's config, not yet mounted. */
export function createOkcShell(options: OkcAppOptions): OkcShell {
  const pinia = createPinia();
  const i18n = createOkcI18n(options.messages, options.locale);
  const router = createRouter({
    history: options.history ?? createWebHistory(import.meta.env.BASE_URL),
    routes: [...options.routes, NOT_FOUND_ROUTE],
  });
  const config: ShellConfig = {
    appName: options.appName,
    allowedRoles: options.allowedRoles ?? SPA_ROLES[options.appName],
    nav: navItems(options.routes),
  };
  installApiClient(pinia, { fetch: options.fetch, retryDelaysMs: options.retryDelaysMs });
  return {
    pinia,
    router,
    i18n,
    config,
    install(app: App) {
      app.use(pinia);
      app.use(i18n);
      app.use(router);
      // The one UI kit of the three SPAs. Light only for now: dark mode is opt-in by a class on <html>.
      app.use(PrimeVue, { theme: { preset: Aura, options: { darkModeSelector: '.okc-dark' } } });
      app.provide(SHELL_CONFIG, config);
    },
  };
}

/**
 * Creates and mounts an SPA on the shell: it checks the session (`/auth/me`), sends a signed-out user to
 * sign-in, shows "no access" to a user whose roles do not open this SPA, and otherwise the layout (header,
 * navigation for the user's roles, the routes).
 */
export function createOkcApp(options: OkcAppOptions & { readonly mountTo?: string | Element }): OkcShell & {
  readonly app: App;
} {
  const shell = createOkcShell(options);
  const app = createApp(OkcRoot);
  app.use(shell);
  app.mount(options.mountTo ?? '#app');
  return Object.assign(shell, { app });
}
