import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';

/**
 * The process-level promises of `bootstrapService`, checked on a real child process: a shutdown that hangs
 * is cut short with exit code 1, a crash after start exits 1 with a fatal log line, a port in use exits 1.
 */

const ROOT = resolve(__dirname, '../../..');
const FIXTURE = join(__dirname, 'fixtures/lifecycle-service.main.ts');

interface Run {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  lines(): Record<string, unknown>[];
}

function run(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', FIXTURE], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'],
      SWC_NODE_PROJECT: join(ROOT, 'tsconfig.node.json'),
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal })),
  );
  const lines = (): Record<string, unknown>[] =>
    out
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { child, exited, lines };
}

async function untilLogged(r: Run, msg: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!r.lines().some((line) => line['msg'] === msg)) {
    if (Date.now() > deadline || r.child.exitCode !== null) throw new Error(`"${msg}" was not logged`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

describe('service process lifecycle', () => {
  const started: Run[] = [];
  const start = (env: Record<string, string>): Run => {
    const r = run(env);
    started.push(r);
    return r;
  };
  afterAll(() => {
    for (const r of started)
      if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
  });

  it('exits 1 with a log line when a shutdown hook outlives SHUTDOWN_TIMEOUT_MS', async () => {
    const r = start({ PORT: '0', HANG_SHUTDOWN: '1', SHUTDOWN_TIMEOUT_MS: '300' });
    await untilLogged(r, 'lifecycle-fixture listening');
    r.child.kill('SIGTERM');
    expect(await r.exited).toEqual({ code: 1, signal: null });
    expect(r.lines().map((line) => line['msg'])).toContain('Shutdown did not finish within 300 ms; exiting');
  });

  it.each([
    ['an uncaught exception', 'uncaught', 'Uncaught exception; exiting', 'boom from a timer'],
    ['an unhandled rejection', 'rejection', 'Unhandled promise rejection; exiting', 'boom from a promise'],
  ])('logs a fatal line and exits 1 on %s', async (_case, crash, msg, errorMessage) => {
    const r = start({ PORT: '0', CRASH: crash });
    expect(await r.exited).toEqual({ code: 1, signal: null });
    const fatal = r.lines().find((line) => line['msg'] === msg);
    expect(fatal).toMatchObject({ level: 60, service: 'lifecycle-fixture', err: { message: errorMessage } });
  });

  it('exits 1 when its port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, r));
    const { port } = blocker.address() as { port: number };
    try {
      const r = start({ PORT: String(port) });
      expect(await r.exited).toEqual({ code: 1, signal: null });
      const fatal = r.lines().find((line) => line['level'] === 60);
      expect(fatal).toMatchObject({ msg: `lifecycle-fixture cannot listen on port ${port}` });
      expect(JSON.stringify(fatal)).toContain('EADDRINUSE');
    } finally {
      blocker.close();
    }
  });
});
