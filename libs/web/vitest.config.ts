import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';
import { OKC_WEB_ALIASES } from './build/spa-vite-config.ts';

/** libs/web's unit tests (components, stores, the API client) in happy-dom. */
export default defineConfig({
  plugins: [vue()],
  resolve: { alias: OKC_WEB_ALIASES },
  test: {
    name: 'web',
    environment: 'happy-dom',
    environmentOptions: { happyDOM: { url: 'http://localhost:8080/operator/' } },
    include: ['src/**/*.spec.ts'],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
