// Test helpers for libs/web and the SPAs (Vitest + @vue/test-utils in happy-dom): a fake gateway and the shell
// mounted on a memory history. Imported as `@okc/web/testing`, never by application code.
import type { MeResponse, Role, SpaName, UiLocale } from '@okc/contracts';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { vi, type Mock, type MockInstance } from 'vitest';
import { createMemoryHistory, type RouteRecordRaw } from 'vue-router';
import type { AppMessages } from '../i18n/i18n';
import { browser } from '../platform/browser';
import { createOkcShell, type OkcShell } from '../shell/create-okc-app';
import OkcRoot from '../shell/OkcRoot.vue';

export function jsonResponse(status: number, body?: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export interface TestUser {
  readonly roles?: Role[];
  readonly name?: string;
  readonly tenant?: string;
  readonly locale?: UiLocale | null;
}

/** A `GET /auth/me` answer; an operator of tenant `demo` unless told otherwise. */
export function meResponse(user: TestUser = {}): MeResponse {
  return {
    user: {
      id: 'u-1',
      login: 'op1',
      name: user.name ?? 'Ольга Петрова',
      tenant: user.tenant ?? 'demo',
      roles: user.roles ?? ['operator'],
      locale: user.locale ?? null,
    },
    csrfToken: 'csrf-token-1',
  };
}

export type GatewayHandler = (url: string, init: RequestInit) => Response | Promise<Response>;
export type FetchMock = Mock<typeof fetch>;

/**
 * A fetch stub answering like the gateway: `GET /auth/me` with `me` (null: 401, no session),
 * `POST /auth/logout` with a redirect, `handlers` by "METHOD /path", anything else 404.
 */
export function fakeGateway(me: MeResponse | null, handlers: Record<string, GatewayHandler> = {}): FetchMock {
  return vi.fn<typeof fetch>((input, init = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init.method ?? 'GET';
    const handler = handlers[`${method} ${url.split('?')[0] ?? url}`];
    if (handler) return Promise.resolve(handler(url, init));
    if (method === 'GET' && url === '/auth/me') {
      return Promise.resolve(
        me ? jsonResponse(200, me) : jsonResponse(401, { error: 'UNAUTHORIZED', message: 'Sign in first' }),
      );
    }
    if (method === 'POST' && url === '/auth/logout') {
      return Promise.resolve(jsonResponse(200, { redirectTo: '/sso/session/end?client_id=gateway' }));
    }
    return Promise.resolve(jsonResponse(404, { error: 'NOT_FOUND', message: `No ${method} ${url}` }));
  });
}

/** The header value a request was sent with. */
export function headerOf(init: RequestInit | undefined, name: string): string | null {
  return new Headers(init?.headers).get(name);
}

export interface MountShellOptions {
  readonly appName: SpaName;
  readonly routes?: RouteRecordRaw[];
  readonly messages?: AppMessages;
  /** Who `/auth/me` says is signed in (null: nobody); an operator by default. */
  readonly me?: MeResponse | null;
  /** Replaces the fake gateway altogether. */
  readonly fetch?: typeof fetch;
  readonly locale?: UiLocale;
  /** The route to start on, relative to the SPA's base. */
  readonly path?: string;
}

export interface MountedShell {
  readonly wrapper: VueWrapper;
  readonly shell: OkcShell;
  readonly fetch: typeof fetch;
  /** `browser.assign`, stubbed: the full-page navigations the shell asked for (sign-in, logout). */
  readonly assign: MockInstance<(url: string) => void>;
}

/** Lets pending fetches, retries (0 ms apart in tests), lazy route components and re-renders finish. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 8; i++) {
    await flushPromises();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/** Mounts the whole shell (session check, layout or "no access", the routes) as an SPA would start. */
export async function mountShell(options: MountShellOptions): Promise<MountedShell> {
  const assign = vi.spyOn(browser, 'assign').mockImplementation(() => undefined);
  const fetch = options.fetch ?? fakeGateway(options.me === undefined ? meResponse() : options.me);
  const shell = createOkcShell({
    appName: options.appName,
    routes: options.routes ?? [],
    messages: options.messages,
    history: createMemoryHistory(`/${options.appName}/`),
    locale: options.locale,
    fetch,
    retryDelaysMs: [0, 0],
  });
  await shell.router.push(options.path ?? '/');
  const wrapper = mount(OkcRoot, { global: { plugins: [shell] }, attachTo: document.body });
  await settle();
  return { wrapper, shell, fetch, assign };
}
export { testMessages, testRoutes } from './routes';
export { describeSpaScaffold, type SpaScaffoldCase } from './spa-scaffold';
