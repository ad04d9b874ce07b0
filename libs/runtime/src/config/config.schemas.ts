import { z } from 'zod';

/**
 * Environment schemas. A service composes its own from `baseConfigSchema` and the fragments it needs:
 *
 *   export const configSchema = baseConfigSchema.extend({
 *     ...dbConfigSchema.shape, ...redisConfigSchema.shape, PORT: servicePort(3003),
 *   });
 */

/** A TCP port from the environment; 0 means "any free port" (tests). */
export const portSchema = z.coerce.number().int().min(0).max(65535);

/** `PORT` with the service's default port. */
export function servicePort(defaultPort: number) {
  return portSchema.default(defaultPort);
}

const BODY_LIMIT = /^\d+(b|kb|mb)$/i;

export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: portSchema,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Reported by `/about`, logs and metrics; the build sets it (git tag or sha). */
  SERVICE_VERSION: z.string().min(1).optional(),
  /** Largest JSON or form body accepted; a bigger one is answered 413 PAYLOAD_TOO_LARGE. */
  HTTP_BODY_LIMIT: z.string().regex(BODY_LIMIT, 'expected a size like 512kb or 1mb').default('1mb'),
  /** How long a graceful shutdown may take before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
});
export type BaseConfig = z.infer<typeof baseConfigSchema>;

export const dbConfigSchema = z.object({
  DB_HOST: z.string().min(1).default('127.0.0.1'),
  DB_PORT: z.coerce.number().int().min(1).max(65535).default(3306),
  DB_USER: z.string().min(1),
  /** May be empty: the local MariaDB's root has no password. */
  DB_PASSWORD: z.string().default(''),
  DB_NAME: z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'expected a database name of [A-Za-z0-9_], at most 64'),
});
export type DbConfig = z.infer<typeof dbConfigSchema>;

export const redisConfigSchema = z.object({
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL' })
    .default('redis://127.0.0.1:6379'),
  /** Every key this process writes starts with it; tests use a unique one per run. */
  REDIS_KEY_PREFIX: z.string().default('okc:'),
});
export type RedisConfig = z.infer<typeof redisConfigSchema>;

export const kafkaConfigSchema = z.object({
  /** Comma-separated `host:port` list, parsed into an array. */
  KAFKA_BROKERS: z.string().prefault('127.0.0.1:9092').transform(parseBrokers),
  /** Prepended to every topic name, so test runs get their own topics. */
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  KAFKA_CLIENT_ID: z.string().min(1).optional(),
});
export type KafkaConfig = z.infer<typeof kafkaConfigSchema>;

/** The browser-facing base URL (the gateway), without a trailing slash. */
export const publicUrlConfigSchema = z.object({
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
    .default('http://localhost:8080')
    .transform((url) => url.replace(/\/+$/, '')),
});
export type PublicUrlConfig = z.infer<typeof publicUrlConfigSchema>;

/**
 * The environment of a service with its own database, Redis and Kafka (every service but the gateway):
 * `serviceConfigSchema({ port: 3003, database: 'okc_focus' })`, extended where a service needs more.
 */
export function serviceConfigSchema(defaults: { port: number; database: string }) {
  return baseConfigSchema.extend({
    ...dbConfigSchema.shape,
    ...redisConfigSchema.shape,
    ...kafkaConfigSchema.shape,
    PORT: servicePort(defaults.port),
    DB_NAME: dbConfigSchema.shape.DB_NAME.default(defaults.database),
  });
}

const HOST_NAME =
  /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const BRACKETED_IPV6 = /^\[[0-9A-Fa-f:.]+\]$/;

function parseBrokers(value: string, ctx: z.core.$RefinementCtx<string>): string[] {
  const brokers = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (brokers.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'expected at least one host:port' });
    return [];
  }
  for (const broker of brokers) {
    if (!isHostPort(broker)) ctx.addIssue({ code: 'custom', message: `"${broker}" is not host:port` });
  }
  return brokers;
}

function isHostPort(entry: string): boolean {
  const colon = entry.lastIndexOf(':');
  if (colon <= 0) return false;
  const host = entry.slice(0, colon);
  const port = entry.slice(colon + 1);
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) return false;
  return HOST_NAME.test(host) || BRACKETED_IPV6.test(host);
}
