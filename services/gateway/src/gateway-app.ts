import type { ServiceAppOptions } from '@okc/runtime';
import { integratorDocsFor } from './docs/integrator-docs';
import { mountGateway } from './mount';

/** How the gateway's application is put together: main.ts and the tests use the same. */
export const gatewayAppOptions = {
  swagger: {
    title: 'OKC gateway',
    description:
      'The single public entry: SPAs, browser sessions (BFF), REST and WebSocket proxy, integrator API.',
    // `/docs` is the integrator API of every service, not only the gateway's own routes.
    patchDocument: integratorDocsFor,
  },
  mount: mountGateway,
} satisfies ServiceAppOptions;
