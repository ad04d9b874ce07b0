import { startOkcStack, stopTestInfra } from '@okc/testing';

/**
 * The stack the browser talks to: sso (migrated and seeded with the demo tenants), focus, and the gateway
 * serving the built SPAs, each its own process on fresh databases (libs/testing `startOkcStack`). The
 * gateway's URL reaches the tests as E2E_BASE_URL. Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const stack = await startOkcStack({ name: 'e2e', gateway: true });
  process.env.E2E_BASE_URL = stack.url;
  return async () => {
    await stack.close();
    await stopTestInfra();
  };
}
