import { z } from 'zod';
import { ConfigError } from './config.errors';
import {
  baseConfigSchema,
  dbConfigSchema,
  kafkaConfigSchema,
  publicUrlConfigSchema,
  redisConfigSchema,
  servicePort,
  serviceConfigSchema,
} from './config.schemas';
import { loadConfig } from './load-config';

const schema = baseConfigSchema.extend({
  ...dbConfigSchema.shape,
  ...redisConfigSchema.shape,
  ...kafkaConfigSchema.shape,
  ...publicUrlConfigSchema.shape,
  PORT: servicePort(3001),
});
const minimal = { DB_USER: 'okc', DB_NAME: 'okc_sso' };

function configErrorOf(env: Record<string, string>, s: z.ZodType = schema): ConfigError {
  try {
    loadConfig(s, env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(schema, minimal);
    expect(config).toEqual({
      NODE_ENV: 'development',
      PORT: 3001,
      LOG_LEVEL: 'info',
      HTTP_BODY_LIMIT: '1mb',
      SHUTDOWN_TIMEOUT_MS: 10_000,
      DB_HOST: '127.0.0.1',
      DB_PORT: 3306,
      DB_USER: 'okc',
      DB_PASSWORD: '',
      DB_NAME: 'okc_sso',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: 'okc:',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_TOPIC_PREFIX: '',
      PUBLIC_URL: 'http://localhost:8080',
    });
  });

  it('coerces numbers, parses the broker list and trims the public URL', () => {
    const config = loadConfig(schema, {
      ...minimal,
      PORT: '0',
      DB_PORT: '3307',
      KAFKA_BROKERS: ' kafka-1:9092, kafka-2.internal:19092 ,[::1]:9092',
      PUBLIC_URL: 'https://okc.example.com/',
    });
    expect(config.PORT).toBe(0);
    expect(config.DB_PORT).toBe(3307);
    expect(config.KAFKA_BROKERS).toEqual(['kafka-1:9092', 'kafka-2.internal:19092', '[::1]:9092']);
    expect(config.PUBLIC_URL).toBe('https://okc.example.com');
  });

  it('names every bad variable with its reason in one error', () => {
    const error = configErrorOf({
      DB_PORT: 'abc',
      NODE_ENV: 'staging',
      KAFKA_BROKERS: 'kafka-1:9092,kafka-2',
      REDIS_URL: 'http://127.0.0.1:6379',
      DB_NAME: 'okc_sso',
    });
    expect(error.message).toBe(
      'Invalid environment: NODE_ENV — expected one of development|test|production, got "staging"; ' +
        'DB_PORT — expected a number, got "abc"; ' +
        'DB_USER — required; ' +
        'REDIS_URL — expected a redis:// or rediss:// URL, got "http://127.0.0.1:6379"; ' +
        'KAFKA_BROKERS — "kafka-2" is not host:port, got "kafka-1:9092,kafka-2"',
    );
    expect(error.issues.map((issue) => issue.variable)).toEqual([
      'NODE_ENV',
      'DB_PORT',
      'DB_USER',
      'REDIS_URL',
      'KAFKA_BROKERS',
    ]);
  });

  it('says "required" for a variable without default', () => {
    const error = configErrorOf({}, baseConfigSchema);
    expect(error.message).toBe('Invalid environment: PORT — required');
  });

  it('explains out-of-range ports and non-integers', () => {
    expect(configErrorOf({ ...minimal, DB_PORT: '70000' }).message).toBe(
      'Invalid environment: DB_PORT — must be ≤ 65535, got "70000"',
    );
    expect(configErrorOf({ ...minimal, PORT: '80.5' }).message).toBe(
      'Invalid environment: PORT — expected an integer, got "80.5"',
    );
  });

  it('rejects an empty broker list and a broker with a bad port', () => {
    expect(configErrorOf({ ...minimal, KAFKA_BROKERS: ' , ' }).issues).toEqual([
      { variable: 'KAFKA_BROKERS', reason: 'expected at least one host:port, got " , "' },
    ]);
    expect(configErrorOf({ ...minimal, KAFKA_BROKERS: 'kafka:0' }).issues[0]?.reason).toContain(
      '"kafka:0" is not host:port',
    );
  });

  it('never echoes the value of a secret variable or URL credentials', () => {
    const secretSchema = z.object({
      DB_PASSWORD: z.string().min(12),
      REDIS_URL: redisConfigSchema.shape.REDIS_URL,
    });
    const error = configErrorOf(
      { DB_PASSWORD: 'hunter2', REDIS_URL: 'http://user:pa55@host:6379' },
      secretSchema,
    );
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('pa55');
    expect(error.message).toContain('DB_PASSWORD — must be at least 12 characters');
    expect(error.message).toContain('got "http://***@host:6379"');
  });

  it('accepts an empty DB_PASSWORD (the local MariaDB root has none)', () => {
    expect(loadConfig(schema, { ...minimal, DB_PASSWORD: '' }).DB_PASSWORD).toBe('');
  });
});

describe('serviceConfigSchema', () => {
  it('defaults the port and database of the service, and still requires DB_USER', () => {
    const schema = serviceConfigSchema({ port: 3003, database: 'okc_focus' });
    expect(loadConfig(schema, { DB_USER: 'okc_focus' })).toMatchObject({
      PORT: 3003,
      DB_NAME: 'okc_focus',
      DB_USER: 'okc_focus',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(() => loadConfig(schema, {})).toThrow(/DB_USER/);
  });
});
