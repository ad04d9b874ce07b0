import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from '@okc/testing';

/**
 * Boots each service the way production does — compiled by SWC, `node dist/main.js` as its own process,
 * `@okc/runtime` resolved through the workspace link to libs/runtime/dist — and checks what every service
 * must do from day one: health, metrics, OpenAPI, JSON 404, request id, graceful SIGTERM, fail-fast env.
 */

const ROOT = resolve(__dirname, '../../..');
const SWC = join(ROOT, 'node_modules/@swc/cli/bin/swc.js');
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

interface ServiceCase {
  readonly name: string;
  /** Its own database (the gateway has none). */
  readonly database?: string;
  /** Path prefix of its REST API. */
  readonly prefix: string;
  /** An environment that must stop it at boot, and the variable the error must name. */
  readonly badEnv: Readonly<Record<string, string>>;
  readonly badVariable: string;
  /** Readiness checks beyond db/kafka/redis (sso: the OpenID provider, which needs its migrated tables). */
  readonly extraChecks?: readonly string[];
}

const SERVICES: readonly ServiceCase[] = [
  {
    name: 'sso',
    database: 'okc_sso',
    prefix: 'sso',
    badEnv: { DB_PORT: 'abc' },
    badVariable: 'DB_PORT',
    extraChecks: ['oidc'],
  },
  {
    name: 'pbx-integration',
    database: 'okc_pbx',
    prefix: 'pbx',
    badEnv: { DB_PORT: 'abc' },
    badVariable: 'DB_PORT',
  },
  {
    name: 'focus',
    database: 'okc_focus',
    prefix: 'focus',
    badEnv: { DB_PORT: 'abc' },
    badVariable: 'DB_PORT',
  },
  {
    name: 'statix',
    database: 'okc_statix',
    prefix: 'statix',
    badEnv: { DB_PORT: 'abc' },
    badVariable: 'DB_PORT',
  },
  {
    name: 'helper',
    database: 'okc_helper',
    prefix: 'helper',
    badEnv: { DB_PORT: 'abc' },
    badVariable: 'DB_PORT',
  },
  // The gateway has no database: a malformed broker list stands in.
  {
    name: 'gateway',
    prefix: 'gateway',
    badEnv: { KAFKA_BROKERS: 'kafka-without-port' },
    badVariable: 'KAFKA_BROKERS',
  },
];

/** `swc src -d dist` in a project, as its Nx build target does. */
function build(projectDir: string): void {
  rmSync(join(projectDir, 'dist'), { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [SWC, 'src', '-d', 'dist', '--strip-leading-paths', '--config-file', join(ROOT, '.swcrc'), '--quiet'],
    { cwd: projectDir, stdio: 'pipe' },
  );
}

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

interface RunningService {
  readonly process: ChildProcess;
  readonly url: string;
  readonly exited: Promise<Exit>;
  stdout(): string;
  stderr(): string;
}

/** The environment a service gets: only what it needs, not the test runner's NODE_OPTIONS. */
function serviceEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    TZ: 'UTC',
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    SERVICE_VERSION: '0.0.0-boot-test',
    DB_USER: 'root',
    REDIS_URL,
    REDIS_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
    ...extra,
  };
}

/** The service's own database through root (the test does not depend on the service users' passwords). */
function dbEnv(svc: ServiceCase): Record<string, string> {
  return svc.database
    ? {
        DB_NAME: svc.database,
        DB_USER: process.env['DB_ROOT_USER'] ?? 'root',
        DB_PASSWORD: process.env['DB_ROOT_PASSWORD'] ?? '',
      }
    : {};
}

function launch(name: string, env: NodeJS.ProcessEnv, port: number): RunningService {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: join(ROOT, 'services', name),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<Exit>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );
  return { process: child, url: `http://127.0.0.1:${port}`, exited, stdout: () => out, stderr: () => err };
}

async function waitUntilLive(service: RunningService, timeoutMs = 30_000): Promise<void> {
  let exitedEarly: Exit | undefined;
  void service.exited.then((exit) => (exitedEarly = exit));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitedEarly) {
      throw new Error(
        `exited with ${JSON.stringify(exitedEarly)} before listening:\n${service.stderr()}${service.stdout()}`,
      );
    }
    try {
      if ((await fetch(`${service.url}/health/live`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not live within ${timeoutMs} ms:\n${service.stderr()}${service.stdout()}`);
}

interface Readiness {
  status: string;
  checks: Record<string, unknown>;
  failing?: string[];
}

async function readiness(service: RunningService): Promise<{ code: number; body: Readiness }> {
  const res = await fetch(`${service.url}/health/ready`);
  return { code: res.status, body: (await res.json()) as Readiness };
}

/** Polls readiness until 200 (dependencies connect in the background after the server is up). */
async function waitUntilReady(service: RunningService, timeoutMs = 60_000): Promise<Readiness> {
  const deadline = Date.now() + timeoutMs;
  let last: Readiness | undefined;
  while (Date.now() < deadline) {
    const { code, body } = await readiness(service);
    if (code === 200) return body;
    last = body;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not ready within ${timeoutMs} ms: ${JSON.stringify(last)}`);
}

function logLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'node_modules/@okc/runtime/package.json'))) {
    throw new Error('node_modules/@okc/runtime is missing: run `npm install` once to link the workspaces');
  }
  for (const lib of ['contracts', 'runtime', 'persistence', 'messaging', 'auth', 'ami'])
    build(join(ROOT, 'libs', lib));
  for (const service of SERVICES) build(join(ROOT, 'services', service.name));
  // Apply each service's migrations to its database, as `npm start` does (sso's provider needs its tables).
  for (const service of SERVICES) {
    if (!service.database) continue;
    execFileSync(process.execPath, ['dist/migrate.js'], {
      cwd: join(ROOT, 'services', service.name),
      env: serviceEnv({ ...dbEnv(service) }),
      stdio: 'pipe',
    });
  }
}, 180_000);

describe.each(SERVICES)('service $name booted from dist', (svc) => {
  let service: RunningService;

  beforeAll(async () => {
    const port = await freePort();
    service = launch(svc.name, serviceEnv({ PORT: String(port), ...dbEnv(svc) }), port);
    await waitUntilLive(service);
  });
  afterAll(async () => {
    if (service.process.exitCode === null && service.process.signalCode === null) {
      service.process.kill('SIGKILL');
      await service.exited;
    }
  });

  it('answers GET /health/live with 200 ok', async () => {
    const res = await fetch(`${service.url}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('becomes ready once its database, Kafka and Redis answer, and says so per check', async () => {
    const body = await waitUntilReady(service);
    const expected = [
      ...(svc.database ? ['db', 'kafka', 'redis'] : ['kafka', 'redis']),
      ...(svc.extraChecks ?? []),
    ].sort();
    expect(Object.keys(body.checks).sort()).toEqual(expected);
    for (const name of expected) expect(body.checks[name]).toEqual({ status: 'up' });
  });

  it('serves Prometheus metrics with default Node metrics labelled by service', async () => {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    expect(text).toContain(`process_cpu_user_seconds_total{service="${svc.name}"}`);
  });

  it('documents its about endpoint in /docs-json and answers it', async () => {
    const doc = (await (await fetch(`${service.url}/docs-json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toContain(`/api/v1/${svc.prefix}/about`);
    const about = await fetch(`${service.url}/api/v1/${svc.prefix}/about`);
    expect(await about.json()).toEqual({ service: svc.name, version: '0.0.0-boot-test' });
  });

  it('answers an unknown route with a JSON 404 and echoes x-request-id', async () => {
    const res = await fetch(`${service.url}/api/v1/${svc.prefix}/nothing-here`, {
      headers: { 'x-request-id': 'boot-test-404' },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('boot-test-404');
    expect(await res.json()).toMatchObject({ error: 'NOT_FOUND', requestId: 'boot-test-404' });
  });

  it('logged one JSON line "<name> listening" with its url', () => {
    const listening = logLines(service.stdout()).filter((line) => line['msg'] === `${svc.name} listening`);
    expect(listening).toHaveLength(1);
    expect(listening[0]).toMatchObject({
      service: svc.name,
      url: expect.stringMatching(/^http:\/\/localhost:\d+$/) as string,
    });
  });

  it('shuts down gracefully on SIGTERM with exit code 0', async () => {
    service.process.kill('SIGTERM');
    const exit = await service.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    const messages = logLines(service.stdout()).map((line) => line['msg']);
    expect(messages).toEqual(
      expect.arrayContaining(['SIGTERM received; shutting down', 'Shutdown complete']),
    );
  });

  const outages: [string, Record<string, string>][] = [
    ['kafka', { KAFKA_BROKERS: '127.0.0.1:1' }],
    ...(svc.database ? ([['db', { DB_PORT: '1' }]] as [string, Record<string, string>][]) : []),
  ];
  it.each(outages)(
    'stays up and reports not-ready (retrying) while %s is down at start',
    async (check, outage) => {
      const port = await freePort();
      const down = launch(svc.name, serviceEnv({ PORT: String(port), ...dbEnv(svc), ...outage }), port);
      try {
        await waitUntilLive(down);
        // Several probes apart: it keeps answering, keeps reporting the outage, and has not exited.
        for (let i = 0; i < 3; i++) {
          const { code, body } = await readiness(down);
          expect(code).toBe(503);
          expect(body.failing).toContain(check);
          await new Promise((r) => setTimeout(r, 500));
        }
        expect(down.process.exitCode).toBeNull();
        expect((await fetch(`${down.url}/health/live`)).status).toBe(200);
      } finally {
        down.process.kill('SIGTERM');
        const exit = await down.exited;
        expect(exit.code).toBe(0);
      }
    },
  );

  it(`exits 1 at boot naming ${svc.badVariable} when it is malformed`, async () => {
    const port = await freePort();
    const bad = launch(svc.name, serviceEnv({ PORT: String(port), ...svc.badEnv }), port);
    const exit = await bad.exited;
    expect(exit).toEqual({ code: 1, signal: null });
    const stderr = bad.stderr();
    const [jsonLine, plainLine] = stderr.trim().split('\n');
    expect(JSON.parse(jsonLine!)).toMatchObject({ level: 60, service: svc.name });
    expect(jsonLine).toContain(svc.badVariable);
    expect(plainLine).toContain(`Invalid environment: ${svc.badVariable} — `);
  });
});
