/**
 * Where deploy/local keeps its files and which addresses it talks to. Everything it downloads or writes lives
 * in the git-ignored `.okc/` folder at the repository root; `rm -rf .okc/kafka` resets the broker.
 *
 * Environment overrides (defaults in brackets):
 *   KAFKA_BROKERS [127.0.0.1:9092]      first entry is the broker infra:up starts when it is a loopback address
 *   KAFKA_CONTROLLER_PORT [broker+1]    KRaft controller listener of the local broker
 *   KAFKA_START_TIMEOUT_MS [90000]      how long infra:up waits for a starting broker
 *   OKC_KAFKA_DIR [.okc/kafka]          the broker's config, data, logs and pid file (jars stay in .okc/kafka/lib)
 *   DB_HOST [127.0.0.1] DB_PORT [3306] DB_ROOT_USER [root] DB_ROOT_PASSWORD []
 *   REDIS_URL [redis://127.0.0.1:6379]
 */
import path from 'node:path';
import { parseHostPort, type HostPort } from './util.mts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const OKC_DIR = path.join(REPO_ROOT, '.okc');

/**
 * The broker's folder. OKC_KAFKA_DIR (relative to the repository root) runs a second, separate broker, as the
 * integration test does on other ports; the jars in `.okc/kafka/lib` are shared by all of them.
 */
const kafkaHome = path.resolve(REPO_ROOT, process.env.OKC_KAFKA_DIR ?? path.join('.okc', 'kafka'));

export const KAFKA = {
  pom: path.join(REPO_ROOT, 'deploy', 'local', 'kafka', 'pom.xml'),
  home: kafkaHome,
  lib: path.join(OKC_DIR, 'kafka', 'lib'),
  data: path.join(kafkaHome, 'data'),
  logs: path.join(kafkaHome, 'logs'),
  serverProperties: path.join(kafkaHome, 'server.properties'),
  log4j2Properties: path.join(kafkaHome, 'log4j2.properties'),
  pidFile: path.join(kafkaHome, 'kafka.pid'),
  lockFile: path.join(kafkaHome, 'infra.lock'),
  /** stdout/stderr of the JVM (crashes before logging starts land here). */
  consoleLog: path.join(kafkaHome, 'logs', 'kafka.out'),
  /** The broker's own log (log4j2, rolled at 20 MB, 3 files kept). */
  serverLog: path.join(kafkaHome, 'logs', 'server.log'),
};

export interface Settings {
  readonly kafkaBrokers: string[];
  readonly kafka: HostPort;
  readonly kafkaControllerPort: number;
  readonly kafkaStartTimeoutMs: number;
  readonly db: HostPort & { readonly user: string; readonly password: string };
  readonly redisUrl: string;
  readonly redis: HostPort;
}

export function settings(env: NodeJS.ProcessEnv = process.env): Settings {
  const kafkaBrokers = (env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const kafka = parseHostPort(kafkaBrokers[0] ?? '127.0.0.1:9092', 9092);
  const redisUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redisParsed = new URL(redisUrl);
  return {
    kafkaBrokers,
    kafka,
    kafkaControllerPort: Number(env.KAFKA_CONTROLLER_PORT ?? kafka.port + 1),
    kafkaStartTimeoutMs: Number(env.KAFKA_START_TIMEOUT_MS ?? 90_000),
    db: {
      host: env.DB_HOST ?? '127.0.0.1',
      port: Number(env.DB_PORT ?? 3306),
      user: env.DB_ROOT_USER ?? 'root',
      password: env.DB_ROOT_PASSWORD ?? '',
    },
    redisUrl,
    redis: {
      host: redisParsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
      port: Number(redisParsed.port || 6379),
    },
  };
}
