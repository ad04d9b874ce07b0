import { randomBytes } from 'node:crypto';
import {
  createTestDatabase,
  freePort,
  runServiceScript,
  type ServiceProcess,
  startServiceProcess,
} from '@okc/testing';
import type { SsoHarness } from './sso-harness';

/**
 * The real focus service as its own process, configured to trust this harness's sso the way production
 * configures it: the public issuer URL, plus the address where focus actually reaches sso.
 */
export async function startFocus(h: SsoHarness): Promise<ServiceProcess> {
  const database = await createTestDatabase(h.infra, `focus_${randomBytes(3).toString('hex')}`);
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DB_HOST: database.config.host,
    DB_PORT: String(database.config.port),
    DB_USER: database.config.user,
    DB_PASSWORD: database.config.password,
    DB_NAME: database.config.database,
    REDIS_URL: h.env.REDIS_URL,
    REDIS_KEY_PREFIX: `${h.env.REDIS_KEY_PREFIX}focus:`,
    KAFKA_BROKERS: h.env.KAFKA_BROKERS,
    KAFKA_TOPIC_PREFIX: h.env.KAFKA_TOPIC_PREFIX,
    OIDC_ISSUER: h.issuer,
    OIDC_DISCOVERY_URL: h.issuer,
    OIDC_JWKS_COOLDOWN_MS: '0',
  };
  runServiceScript('focus', 'migrate.ts', env);
  const focus = await startServiceProcess('focus', await freePort(), env);
  return {
    ...focus,
    async close() {
      await focus.close();
      await database.drop();
    },
  };
}
