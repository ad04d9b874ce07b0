import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { baseConfigSchema, REDIS_CLIENT, redisConfigSchema, RedisModule } from '../src';
import { startTestApp, type TestApp } from './test-app';

// Against the real local Redis (127.0.0.1:6379). Every run writes under its own key prefix.
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const configSchema = baseConfigSchema.extend(redisConfigSchema.shape);

function uniquePrefix(): string {
  return `test:${randomBytes(6).toString('hex')}:`;
}

async function readiness(t: TestApp): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${t.url}/health/ready`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function eventually(assertion: () => Promise<void> | void, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe('RedisModule against the local Redis', () => {
  const prefix = uniquePrefix();
  let t: TestApp;
  let raw: Redis;

  beforeAll(async () => {
    raw = new Redis(REDIS_URL);
    t = await startTestApp({
      name: 'redis-test',
      configSchema,
      imports: [RedisModule.forRoot()],
      env: { REDIS_URL, REDIS_KEY_PREFIX: prefix },
    });
  });
  afterAll(async () => {
    await t.close();
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.del(...keys);
    await raw.quit();
  });

  it('reports readiness check "redis" up', async () => {
    await eventually(async () => {
      expect(await readiness(t)).toEqual({
        status: 200,
        body: { status: 'ready', checks: { redis: { status: 'up' } } },
      });
    });
  });

  it('writes every key under REDIS_KEY_PREFIX', async () => {
    const client = t.app.get<Redis>(REDIS_CLIENT);
    await client.set('agent:1:state', 'ready');
    expect(await raw.get(`${prefix}agent:1:state`)).toBe('ready');
  });

  it('logs a lost connection once and its recovery once', async () => {
    const client = t.app.get<Redis>(REDIS_CLIENT);
    const before = t.logs.length;
    const id = await client.client('ID');
    await raw.client('KILL', 'ID', String(id));
    await eventually(() => {
      const messages = t.logs.slice(before).map((line) => line.msg);
      expect(messages.filter((m) => m?.startsWith('Redis connection lost'))).toHaveLength(1);
      expect(messages.filter((m) => m === 'Redis connection recovered')).toHaveLength(1);
    });
    await eventually(async () => expect((await readiness(t)).status).toBe(200));
  });

  it('closes the client when the app shuts down', async () => {
    const other = await startTestApp({
      configSchema,
      imports: [RedisModule.forRoot()],
      env: { REDIS_URL, REDIS_KEY_PREFIX: uniquePrefix() },
    });
    const client = other.app.get<Redis>(REDIS_CLIENT);
    await eventually(() => expect(client.status).toBe('ready'));
    await other.close();
    await eventually(() => expect(client.status).toBe('end'));
  });
});

describe('RedisModule with Redis unreachable', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Port 1 on loopback: nothing listens, connections are refused at once.
    t = await startTestApp({
      name: 'redis-down-test',
      configSchema,
      imports: [RedisModule.forRoot()],
      env: { REDIS_URL: 'redis://127.0.0.1:1', REDIS_KEY_PREFIX: uniquePrefix() },
    });
  });
  afterAll(() => t.close());

  it('starts anyway: liveness is 200 while readiness is 503 naming redis', async () => {
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
    const { status, body } = await readiness(t);
    expect(status).toBe(503);
    expect(body).toMatchObject({
      status: 'not_ready',
      failing: ['redis'],
      checks: { redis: { status: 'down' } },
    });
  });

  it('keeps retrying in the background without crashing, logging the outage once', async () => {
    const client = t.app.get<Redis>(REDIS_CLIENT);
    const attempts: number[] = [];
    client.on('reconnecting', (delay: number) => attempts.push(delay));
    await eventually(() => expect(attempts.length).toBeGreaterThanOrEqual(3));
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
    expect((await readiness(t)).status).toBe(503);
    const outage = t.logs.filter((line) => line.msg?.startsWith('Redis unavailable'));
    expect(outage).toHaveLength(1);
    expect(outage[0]?.msg).toContain('ECONNREFUSED');
  });

  it('stops reconnecting once the app is closed', async () => {
    const other = await startTestApp({
      configSchema,
      imports: [RedisModule.forRoot()],
      env: { REDIS_URL: 'redis://127.0.0.1:1', REDIS_KEY_PREFIX: uniquePrefix() },
    });
    const client = other.app.get<Redis>(REDIS_CLIENT);
    await eventually(() => expect(client.status).toBe('reconnecting'));
    await other.close();
    let attemptsAfterClose = 0;
    client.on('reconnecting', () => attemptsAfterClose++);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(attemptsAfterClose).toBe(0);
  });

  it('fails a command at once instead of queueing it', async () => {
    const client = t.app.get<Redis>(REDIS_CLIENT);
    await expect(client.get('anything')).rejects.toThrow(/enableOfflineQueue|Stream isn't writeable/);
  });
});
