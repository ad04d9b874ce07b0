// For tools that read browser code without Vue's language service — ESLint's type-aware rules go through the
// plain TypeScript server — an imported .vue file is a component. vue-tsc and Vite resolve the real files and
// never need this fallback.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
