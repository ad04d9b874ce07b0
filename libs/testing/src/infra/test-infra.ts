import { randomBytes } from 'node:crypto';

export interface TestInfra {
  /** Root-level DB access: tests create and drop their own databases. */
  db: { host: string; port: number; user: string; password: string };
  redisUrl: string;
  kafkaBrokers: string[];
  /** Unique per test process: prefixes databases, topics, consumer groups and Redis keys. */
  runId: string;
  topicPrefix: string;
  redisKeyPrefix: string;
  /** `local` (the machine's MariaDB, Redis and Kafka) or `containers` (testcontainers). */
  mode: 'local' | 'containers';
}

let infraPromise: Promise<TestInfra> | null = null;
const stoppers: (() => Promise<void>)[] = [];

function newRunId(): string {
  return `${Date.now().toString(36).slice(-5)}${randomBytes(3).toString('hex')}`;
}

function fromEnv(runId: string): TestInfra {
  const env = process.env;
  return {
    db: {
      host: env.DB_HOST ?? '127.0.0.1',
      port: Number(env.DB_PORT ?? 3306),
      user: env.DB_ROOT_USER ?? env.DB_USER ?? 'root',
      password: env.DB_ROOT_PASSWORD ?? env.DB_PASSWORD ?? '',
    },
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    kafkaBrokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()),
    runId,
    topicPrefix: `t${runId}.`,
    redisKeyPrefix: `test:${runId}:`,
    mode: 'local',
  };
}

/**
 * Starts MySQL 8.4, Redis 7 and Kafka 4 with testcontainers. Imported lazily: without a container runtime
 * (as on the development machines) testcontainers fails within a second, and `auto` falls back to local.
 */
async function fromContainers(runId: string): Promise<TestInfra> {
  const [{ MySqlContainer }, { RedisContainer }, { KafkaContainer }] = await Promise.all([
    import('@testcontainers/mysql'),
    import('@testcontainers/redis'),
    import('@testcontainers/kafka'),
  ]);
  const mysql = await new MySqlContainer('mysql:8.4')
    .withCommand(['--character-set-server=utf8mb4', '--collation-server=utf8mb4_unicode_ci'])
    .withRootPassword('test')
    .start();
  stoppers.push(async () => void (await mysql.stop()));
  const redis = await new RedisContainer('redis:7-alpine').start();
  stoppers.push(async () => void (await redis.stop()));
  const kafka = await new KafkaContainer('confluentinc/cp-kafka:8.1.0').withKraft().start();
  stoppers.push(async () => void (await kafka.stop()));
  return {
    db: { host: mysql.getHost(), port: mysql.getPort(), user: 'root', password: 'test' },
    redisUrl: redis.getConnectionUrl(),
    kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
    runId,
    topicPrefix: `t${runId}.`,
    redisKeyPrefix: `test:${runId}:`,
    mode: 'containers',
  };
}

/**
 * The integration-test infrastructure of this test process. `TEST_INFRA` = `local` (default: the services
 * configured by DB_HOST/DB_PORT/DB_ROOT_USER/DB_ROOT_PASSWORD, REDIS_URL, KAFKA_BROKERS), `containers`
 * (testcontainers, fail without a runtime) or `auto` (containers when a runtime exists, else local).
 */
export function getTestInfra(): Promise<TestInfra> {
  infraPromise ??= (async () => {
    const runId = newRunId();
    const mode = (process.env.TEST_INFRA ?? 'local').toLowerCase();
    if (mode === 'containers') return fromContainers(runId);
    if (mode === 'auto') {
      try {
        return await fromContainers(runId);
      } catch {
        return fromEnv(runId);
      }
    }
    return fromEnv(runId);
  })();
  return infraPromise;
}

/** Stops containers started for this process (nothing to do in local mode). */
export async function stopTestInfra(): Promise<void> {
  while (stoppers.length) await stoppers.pop()!();
  infraPromise = null;
}
