import type { ApiClient } from './api-client';

let current: ApiClient | null = null;

/** Makes `client` the one useApi() returns. createOkcApp() calls it once; tests call it with a stubbed fetch. */
export function provideApiClient(client: ApiClient | null): void {
  current = client;
}

/** The SPA's API client (same-origin calls to the gateway with the session cookie). */
export function useApi(): ApiClient {
  if (!current) throw new Error('@okc/web: no API client yet; createOkcApp() installs it');
  return current;
}
