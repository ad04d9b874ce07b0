import { getTestInfra } from '@okc/testing';
import { Redis } from 'ioredis';
import { CorsOrigins } from './cors-origins';

/** The gateway's copy of the tenants' CORS lists, on the real Redis. */
describe('CorsOrigins', () => {
  let redis: Redis;
  const warnings: unknown[] = [];
  const logger = { warn: (...args: unknown[]) => void warnings.push(args) };

  beforeAll(async () => {
    const infra = await getTestInfra();
    redis = new Redis(infra.redisUrl, { keyPrefix: `${infra.redisKeyPrefix}cors-${Date.now()}:` });
  });

  afterAll(() => redis.disconnect());

  it('admits an origin for the tenant that lists it, and for a preflight of any tenant', async () => {
    const origins = new CorsOrigins(redis, logger, 60_000);
    expect(await origins.anyAllows('https://crm.acme.example')).toBe(false);
    await origins.set('acme', ['https://crm.acme.example'], true);
    expect(await origins.allows('acme', 'https://crm.acme.example')).toBe(true);
    expect(await origins.allows('demo', 'https://crm.acme.example')).toBe(false);
    expect(await origins.allows('acme', 'https://other.example')).toBe(false);
    expect(await origins.anyAllows('https://crm.acme.example')).toBe(true);
    // Another gateway instance reads the same lists from Redis.
    expect(await new CorsOrigins(redis, logger).allows('acme', 'https://crm.acme.example')).toBe(true);
  });

  it('replaces a list (a replayed or later event sets, never adds), and an inactive tenant allows none', async () => {
    const origins = new CorsOrigins(redis, logger, 60_000);
    await origins.set('globex', ['https://a.example', 'https://b.example'], true);
    await origins.set('globex', ['https://b.example'], true);
    await origins.set('globex', ['https://b.example'], true);
    expect(await origins.allows('globex', 'https://a.example')).toBe(false);
    expect(await origins.allows('globex', 'https://b.example')).toBe(true);
    await origins.set('globex', ['https://b.example'], false);
    expect(await origins.allows('globex', 'https://b.example')).toBe(false);
    expect(await origins.anyAllows('https://b.example')).toBe(false);
  });

  it('keeps its last copy when Redis goes away, and without one refuses to guess', async () => {
    const infra = await getTestInfra();
    const own = new Redis(infra.redisUrl, {
      keyPrefix: redis.options.keyPrefix,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
    });
    try {
      await own.connect();
      const origins = new CorsOrigins(own, logger, 0); // reloads on every question
      const never = new CorsOrigins(own, logger, 0);
      await origins.set('initech', ['https://tps.example'], true);
      expect(await origins.allows('initech', 'https://tps.example')).toBe(true);
      own.disconnect();
      expect(await origins.allows('initech', 'https://tps.example')).toBe(true);
      expect(warnings.length).toBeGreaterThan(0);
      await expect(never.anyAllows('https://tps.example')).rejects.toThrow();
    } finally {
      own.disconnect();
    }
  });
});
