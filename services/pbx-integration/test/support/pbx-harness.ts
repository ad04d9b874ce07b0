import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { startTestIssuer, type TestIssuer } from '@okc/auth/testing';
import { TOPICS } from '@okc/contracts';
import { createDataSource, runMigrations } from '@okc/persistence';
import { createServiceApp } from '@okc/runtime';
import {
  createTestDatabase,
  createTestTopics,
  freePort,
  getTestInfra,
  type TestDatabase,
  type TestInfra,
  testLogging,
  waitFor,
} from '@okc/testing';
import type { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { entities } from '../../src/entities';
import { migrations } from '../../src/migrations';

export interface PbxHarness {
  readonly url: string;
  readonly app: NestExpressApplication;
  /** Signs access tokens the service accepts: `issuer.mint({ tenant, roles })`. */
  readonly issuer: TestIssuer;
  /** A direct connection to the service's test database (root), for assertions. */
  readonly db: DataSource;
  readonly infra: TestInfra;
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * pbx-integration in-process on a fresh migrated database, its own Redis prefix and Kafka topics, trusting
 * a test issuer: everything but the process boundary as in production.
 */
export async function startPbxHarness(options: { env?: Record<string, string> } = {}): Promise<PbxHarness> {
  const infra = await getTestInfra();
  const suffix = randomBytes(3).toString('hex');
  const database: TestDatabase = await createTestDatabase(infra, `pbx_${suffix}`);
  const migrator = createDataSource(database.config, { service: 'pbx-integration', entities, migrations });
  await migrator.initialize();
  try {
    await runMigrations(migrator);
  } finally {
    await migrator.destroy();
  }
  const topicPrefix = `${infra.topicPrefix}pbx${suffix}.`;
  await createTestTopics(
    infra,
    [
      TOPICS.pbxCommands,
      TOPICS.pbxCommandResults,
      TOPICS.pbxModes,
      TOPICS.telephonyCalls,
      TOPICS.telephonyAgents,
    ],
    1,
    topicPrefix,
  );
  const issuer = await startTestIssuer();
  const port = await freePort();
  const logging = testLogging('pbx-integration');
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: logging.logLevel ?? 'warn',
    PORT: String(port),
    DB_HOST: database.config.host,
    DB_PORT: String(database.config.port),
    DB_USER: database.config.user,
    DB_PASSWORD: database.config.password,
    DB_NAME: database.config.database,
    REDIS_URL: infra.redisUrl,
    REDIS_KEY_PREFIX: `${infra.redisKeyPrefix}pbx${suffix}:`,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: topicPrefix,
    PBX_SPOOL_DIR: path.join(tmpdir(), `okc-pbx-spool-${suffix}`),
    ...issuer.env,
    ...options.env,
  };
  const app = await createServiceApp(AppModule.forRoot({ env, logDestination: logging.logDestination }));
  await app.listen(port, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  await waitFor('pbx-integration to be ready', async () => (await fetch(`${url}/health/ready`)).ok, 60_000);
  const db = createDataSource(database.config, { service: 'pbx-test', entities, migrations: [] });
  await db.initialize();
  return {
    url,
    app,
    issuer,
    db,
    infra,
    env,
    async close() {
      await app.close();
      await db.destroy();
      await issuer.close();
      await database.drop();
    },
  };
}
