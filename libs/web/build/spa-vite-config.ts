import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import type { SpaName } from '@okc/contracts';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Browser code imports the workspace libs from their sources, as tsconfig.web.json's paths say: libs/web is
 * source only, and libs/contracts' package entry is its CommonJS build for Node.
 */
export const OKC_WEB_ALIASES = [
  { find: /^@okc\/web$/, replacement: `${ROOT}libs/web/src/index.ts` },
  { find: /^@okc\/web\/testing$/, replacement: `${ROOT}libs/web/src/testing/index.ts` },
  { find: /^@okc\/contracts$/, replacement: `${ROOT}libs/contracts/src/index.ts` },
];

/** Where `vite` (the dev server) sends sign-in, API and socket.io calls: the gateway of `npm start`. */
const GATEWAY = process.env['OKC_GATEWAY_URL'] ?? 'http://localhost:8080';

/**
 * The Vite (and Vitest) config of an SPA: served by the gateway at `/<app>/` from `apps/<app>/dist`.
 * `vite apps/<app>` runs it with hot reload on :5173, proxying `/auth`, `/api`, `/ws` and `/sso` to the gateway
 * (sign in once at the gateway: the session cookie is the same for both ports of localhost).
 */
export function okcSpaConfig(app: SpaName, appDir: string): ViteUserConfig {
  return defineConfig({
    root: appDir,
    base: `/${app}/`,
    plugins: [vue()],
    resolve: { alias: OKC_WEB_ALIASES },
    // vue-i18n's esm-bundler flags: Composition API only (no legacy API code), no devtools in production.
    define: {
      __VUE_I18N_FULL_INSTALL__: true,
      __VUE_I18N_LEGACY_API__: false,
      __INTLIFY_PROD_DEVTOOLS__: false,
    },
    // Source maps for reading production stack traces, without the comment that makes browsers fetch them.
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      sourcemap: 'hidden',
      // OkcChart's lazy chunk (echarts core, zrender and the registered charts) is about 600 kB on its own.
      chunkSizeWarningLimit: 650,
    },
    server: {
      proxy: Object.fromEntries(
        ['/auth', '/api', '/sso', '/ws'].map((prefix) => [prefix, { target: GATEWAY, ws: prefix === '/ws' }]),
      ),
    },
    test: {
      name: app,
      environment: 'happy-dom',
      environmentOptions: { happyDOM: { url: `http://localhost:8080/${app}/` } },
      include: ['src/**/*.spec.ts'],
      restoreMocks: true,
      unstubGlobals: true,
    },
  });
}
