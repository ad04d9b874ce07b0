import { randomBytes } from 'node:crypto';
import {
  createTestDatabase,
  freePort,
  getTestInfra,
  runServiceScript,
  startServiceProcess,
  stopTestInfra,
  type TestDatabase,
  waitFor,
} from '@okc/testing';

const SECRET = 'e2e-gateway-client-secret-0123456';

const dbEnv = (db: TestDatabase) => ({
  DB_HOST: db.config.host,
  DB_PORT: String(db.config.port),
  DB_USER: db.config.user,
  DB_PASSWORD: db.config.password,
  DB_NAME: db.config.database,
});

/**
 * The stack the browser talks to: sso (migrated and seeded with the demo tenants), focus, and the gateway
 * serving the built SPAs, each its own process on fresh databases. The gateway's URL reaches the tests as
 * E2E_BASE_URL. Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const infra = await getTestInfra();
  const suffix = randomBytes(3).toString('hex');
  const [gatewayPort, ssoPort, focusPort] = [await freePort(), await freePort(), await freePort()];
  const url = `http://127.0.0.1:${gatewayPort}`;
  const common = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    PUBLIC_URL: url,
    REDIS_URL: infra.redisUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: `${infra.topicPrefix}e2e${suffix}.`,
    OIDC_ISSUER: `${url}/sso`,
    OIDC_DISCOVERY_URL: `http://127.0.0.1:${ssoPort}/sso`,
  };
  const ssoDb = await createTestDatabase(infra, `e2e_sso_${suffix}`);
  const focusDb = await createTestDatabase(infra, `e2e_focus_${suffix}`);
  const ssoEnv = {
    ...common,
    ...dbEnv(ssoDb),
    REDIS_KEY_PREFIX: `${infra.redisKeyPrefix}e2e-sso:`,
    SSO_GATEWAY_CLIENT_SECRET: SECRET,
  };
  const focusEnv = { ...common, ...dbEnv(focusDb), REDIS_KEY_PREFIX: `${infra.redisKeyPrefix}e2e-focus:` };
  runServiceScript('sso', 'migrate.ts', ssoEnv);
  runServiceScript('sso', 'seed/seed-cli.ts', ssoEnv);
  runServiceScript('focus', 'migrate.ts', focusEnv);
  const [sso, focus] = await Promise.all([
    startServiceProcess('sso', ssoPort, ssoEnv),
    startServiceProcess('focus', focusPort, focusEnv),
  ]);
  const gateway = await startServiceProcess('gateway', gatewayPort, {
    ...common,
    REDIS_KEY_PREFIX: `${infra.redisKeyPrefix}e2e-gw:`,
    SSO_URL: sso.url,
    FOCUS_URL: focus.url,
    GATEWAY_CLIENT_SECRET: SECRET,
  });
  await waitFor('sso to be ready', async () => (await fetch(`${sso.url}/health/ready`)).ok, 60_000);
  process.env.E2E_BASE_URL = url;
  return async () => {
    await gateway.close();
    await Promise.all([sso.close(), focus.close()]);
    await Promise.all([ssoDb.drop(), focusDb.drop()]);
    await stopTestInfra();
  };
}
