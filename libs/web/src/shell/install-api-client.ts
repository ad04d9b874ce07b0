import type { Pinia } from 'pinia';
import { createApiClient, type ApiClient } from '../api/api-client';
import { provideApiClient } from '../api/use-api';
import { useNoticesStore } from '../notices/notices.store';
import { useSessionStore } from '../session/session.store';

export interface ApiClientWiring {
  readonly fetch?: typeof fetch;
  readonly retryDelaysMs?: readonly number[];
}

/** Creates the SPA's API client wired to the session (CSRF token, 401 → sign-in) and the notice stack. */
export function installApiClient(pinia: Pinia, wiring: ApiClientWiring = {}): ApiClient {
  const client = createApiClient({
    ...wiring,
    csrfToken: () => useSessionStore(pinia).csrfToken,
    onUnauthorized: () => useSessionStore(pinia).signedOut(),
    notify: (notice) => {
      useNoticesStore(pinia).push(notice);
    },
  });
  provideApiClient(client);
  return client;
}
