import { randomBytes } from 'node:crypto';
import { freePort } from './free-port';
import { getTestInfra } from './infra/test-infra';
import { TOPIC_SPECS, type TopicName } from '@okc/contracts';
import { createTestDatabase, type TestDatabase } from './infra/test-database';
import { createTestTopics } from './infra/test-topics';
import { runServiceScript, type ServiceProcess, startServiceProcess } from './service-process';
import { waitFor } from './wait-for';

/** The gateway client secret the stack's sso and gateway share. */
const GATEWAY_SECRET = 'stack-gateway-client-secret-012345';

export interface OkcStackOptions {
  /** Names the databases, Redis prefixes and topics of this stack. */
  readonly name: string;
  /** Start the gateway as a process too (e2e, benchmarks); otherwise the caller starts it (in-process). */
  readonly gateway?: boolean;
  /** Extra environment of the gateway. */
  readonly gatewayEnv?: Readonly<Record<string, string>>;
}

export interface OkcStack {
  /** The gateway's public URL, `PUBLIC_URL` of everything: the issuer is `<url>/sso`. */
  readonly url: string;
  readonly gatewayPort: number;
  /** The gateway's environment (for a caller that starts it in-process). */
  readonly gatewayEnv: Readonly<Record<string, string>>;
  readonly sso: ServiceProcess;
  readonly focus: ServiceProcess;
  readonly gateway?: ServiceProcess;
  close(): Promise<void>;
}

const dbEnv = (db: TestDatabase) => ({
  DB_HOST: db.config.host,
  DB_PORT: String(db.config.port),
  DB_USER: db.config.user,
  DB_PASSWORD: db.config.password,
  DB_NAME: db.config.database,
});

/**
 * OKC as a browser meets it, for end-to-end tests and benchmarks: sso (fresh database, migrated, seeded with
 * the demo tenants and ready), focus, and optionally the gateway, each its own process on its own database,
 * Redis prefix and topics. `close()` stops them and drops the databases.
 */
export async function startOkcStack(options: OkcStackOptions): Promise<OkcStack> {
  const infra = await getTestInfra();
  const suffix = `${options.name}_${randomBytes(3).toString('hex')}`;
  const [gatewayPort, ssoPort, focusPort] = [await freePort(), await freePort(), await freePort()];
  const url = `http://127.0.0.1:${gatewayPort}`;
  const common = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    PUBLIC_URL: url,
    REDIS_URL: infra.redisUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: `${infra.topicPrefix}${suffix}.`,
    OIDC_ISSUER: `${url}/sso`,
    OIDC_DISCOVERY_URL: `http://127.0.0.1:${ssoPort}/sso`,
  };
  // Its own copy of every topic, so events flow between its services as in production.
  await createTestTopics(infra, Object.keys(TOPIC_SPECS) as TopicName[], 1, common.KAFKA_TOPIC_PREFIX);
  const ssoDb = await createTestDatabase(infra, `${suffix}_sso`);
  const focusDb = await createTestDatabase(infra, `${suffix}_focus`);
  const ssoEnv = {
    ...common,
    ...dbEnv(ssoDb),
    REDIS_KEY_PREFIX: `${infra.redisKeyPrefix}${suffix}-sso:`,
    SSO_GATEWAY_CLIENT_SECRET: GATEWAY_SECRET,
  };
  const focusEnv = {
    ...common,
    ...dbEnv(focusDb),
    REDIS_KEY_PREFIX: `${infra.redisKeyPrefix}${suffix}-focus:`,
  };
  runServiceScript('sso', 'migrate.ts', ssoEnv);
  runServiceScript('sso', 'seed/seed-cli.ts', ssoEnv);
  runServiceScript('focus', 'migrate.ts', focusEnv);
  const [sso, focus] = await Promise.all([
    startServiceProcess('sso', ssoPort, ssoEnv),
    startServiceProcess('focus', focusPort, focusEnv),
  ]);
  // Up is not ready: sso's provider needs its database and keys first.
  await waitFor('sso to be ready', async () => (await fetch(`${sso.url}/health/ready`)).ok, 60_000);
  const gatewayEnv = {
    ...common,
    PORT: String(gatewayPort),
    REDIS_KEY_PREFIX: `${infra.redisKeyPrefix}${suffix}-gw:`,
    SSO_URL: sso.url,
    FOCUS_URL: focus.url,
    GATEWAY_CLIENT_SECRET: GATEWAY_SECRET,
    ...options.gatewayEnv,
  };
  const gateway = options.gateway ? await startServiceProcess('gateway', gatewayPort, gatewayEnv) : undefined;
  // Ready, not only up: Redis connected (sessions) and its consumer group running (tenants' CORS lists).
  if (gateway) {
    await waitFor('the gateway to be ready', async () => (await fetch(`${url}/health/ready`)).ok, 60_000);
  }
  return {
    url,
    gatewayPort,
    gatewayEnv,
    sso,
    focus,
    ...(gateway ? { gateway } : {}),
    async close() {
      await gateway?.close();
      await Promise.all([sso.close(), focus.close()]);
      await Promise.all([ssoDb.drop(), focusDb.drop()]);
    },
  };
}
