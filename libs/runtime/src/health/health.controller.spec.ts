import { Injectable, type OnModuleInit } from '@nestjs/common';
import { startTestApp, type TestApp } from '../../test/test-app';
import { ReadinessRegistry } from './readiness.registry';

/** Stands for the libs that register their dependency checks at startup. */
@Injectable()
class FakeDependencies implements OnModuleInit {
  dbUp = true;
  kafkaHangs = false;

  constructor(private readonly readiness: ReadinessRegistry) {}

  onModuleInit(): void {
    this.readiness.register({
      name: 'db',
      check: () =>
        this.dbUp ? Promise.resolve() : Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:3306')),
    });
    this.readiness.register({
      name: 'kafka',
      check: () => (this.kafkaHangs ? new Promise<void>(() => undefined) : Promise.resolve()),
    });
  }
}

describe('health endpoints', () => {
  let t: TestApp;
  let deps: FakeDependencies;
  beforeAll(async () => {
    t = await startTestApp({ providers: [FakeDependencies], readinessTimeoutMs: 200 });
    deps = t.app.get(FakeDependencies);
  });
  afterAll(() => t.close());
  afterEach(() => {
    deps.dbUp = true;
    deps.kafkaHangs = false;
  });

  it('GET /health/live answers 200 ok whatever the dependencies do', async () => {
    deps.dbUp = false;
    const res = await fetch(`${t.url}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /health/ready answers 200 with every check up', async () => {
    const res = await fetch(`${t.url}/health/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ready',
      checks: { db: { status: 'up' }, kafka: { status: 'up' } },
    });
  });

  it('GET /health/ready answers 503 naming the failing check and its error', async () => {
    deps.dbUp = false;
    const res = await fetch(`${t.url}/health/ready`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'not_ready',
      checks: {
        db: { status: 'down', error: 'connect ECONNREFUSED 127.0.0.1:3306' },
        kafka: { status: 'up' },
      },
      failing: ['db'],
    });
  });

  it('a hanging check counts as down after its timeout instead of hanging readiness', async () => {
    deps.kafkaHangs = true;
    const res = await fetch(`${t.url}/health/ready`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'not_ready',
      checks: { db: { status: 'up' }, kafka: { status: 'down', error: 'timed out after 200 ms' } },
      failing: ['kafka'],
    });
  });

  it('logs a state change once, not on every probe', async () => {
    const before = t.logs.length;
    deps.dbUp = false;
    await fetch(`${t.url}/health/ready`);
    await fetch(`${t.url}/health/ready`);
    deps.dbUp = true;
    await fetch(`${t.url}/health/ready`);
    await fetch(`${t.url}/health/ready`);
    const messages = t.logs
      .slice(before)
      .map((line) => line.msg)
      .filter((msg) => msg?.startsWith('Readiness check "db"'));
    expect(messages).toEqual([
      'Readiness check "db" is down: connect ECONNREFUSED 127.0.0.1:3306',
      'Readiness check "db" is up again',
    ]);
  });
});
