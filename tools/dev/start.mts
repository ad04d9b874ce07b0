/**
 * `npm start`: OKC on this machine with nothing but `npm ci` before it.
 *   1. infrastructure (deploy/local: Kafka from Maven jars, MariaDB, Redis, databases, topics);
 *   2. build every project; 3. migrate every service's database;
 *   4. start a simulated PBX per seeded tenant (tools/pbx-simulator), every service and the gateway
 *      (http://localhost:8080), wait until each is ready, print where everything is; 5. on Ctrl-C stop the services (and the Kafka broker, if this run started it).
 * Logs: one short line per event on the console, the full JSON lines in .okc/logs/<service>.log.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { build, migrateAll, seedDevelopment } from './migrate.mts';
import { DEV_SERVICES, devEnv, type DevService } from './services.mts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const LOG_DIR = path.join(ROOT, '.okc', 'logs');
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;

interface Running {
  service: DevService;
  child: ChildProcess;
  log: WriteStream;
  exited: boolean;
}

const running: Running[] = [];
let stopping = false;

function step(text: string): void {
  console.log(`\n── ${text}`);
}

function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

function infra(command: 'up' | 'down'): void {
  const result = spawnSync(
    process.execPath,
    ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON', 'deploy/local/infra.mts', command],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0 && command === 'up') {
    console.error('✗ the local infrastructure did not come up (see above)');
    process.exit(result.status ?? 1);
  }
}

const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** A JSON log line as one short console line; anything else as it is. */
function consoleLine(name: string, line: string): string | null {
  try {
    const entry = JSON.parse(line) as { level?: number; msg?: string; req?: { url?: string }; err?: unknown };
    if ((entry.level ?? 30) < 30) return null;
    if (entry.req?.url?.startsWith('/health')) return null;
    const err = entry.err
      ? ` (${typeof entry.err === 'string' ? entry.err : JSON.stringify(entry.err).slice(0, 200)})`
      : '';
    return `[${name}] ${LEVELS[entry.level ?? 30] ?? entry.level} ${entry.msg ?? ''}${err}`;
  } catch {
    return `[${name}] ${line}`;
  }
}

/**
 * The simulated PBX of each seeded tenant (tools/pbx-simulator, real time): what pbx-integration's development
 * seed points the tenants' connections at (services/pbx-integration/src/seed/dev-seed.ts, same ports).
 */
const SIMULATORS = [
  { tenant: 'demo', port: 5038, seed: 1 },
  { tenant: 'acme', port: 5039, seed: 2 },
] as const;

function startService(service: DevService): Running {
  return launch(
    service,
    [
      '--disable-warning=TimeoutNegativeWarning',
      path.join(ROOT, 'services', service.name, 'dist', 'main.js'),
    ],
    devEnv(service),
  );
}

function startSimulator(sim: (typeof SIMULATORS)[number]): Running {
  const service: DevService = { name: `pbx-sim-${sim.tenant}`, port: sim.port, api: '' };
  return launch(
    service,
    [
      '-r',
      '@swc-node/register',
      path.join(ROOT, 'tools', 'pbx-simulator', 'src', 'cli.ts'),
      ...['--tenant', sim.tenant, '--port', String(sim.port), '--seed', String(sim.seed)],
      ...['--calls-per-hour', '120', '--agents', '5'],
    ],
    { ...process.env, SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.node.json'), TZ: 'UTC' },
  );
}

function launch(service: DevService, args: string[], env: NodeJS.ProcessEnv): Running {
  const log = createWriteStream(path.join(LOG_DIR, `${service.name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const entry: Running = { service, child, log, exited: false };
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      log.write(`${line}\n`);
      const shown = consoleLine(service.name, line);
      if (shown) console.log(shown);
    });
  }
  child.once('exit', (code, signal) => {
    entry.exited = true;
    if (!stopping)
      console.error(`✗ ${service.name} exited (${signal ?? code}); its log: .okc/logs/${service.name}.log`);
  });
  return entry;
}

async function waitPort(entry: Running): Promise<boolean> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && !entry.exited) {
    if (await portOpen(entry.service.port)) return true;
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

async function waitReady(entry: Running): Promise<string> {
  const url = `http://127.0.0.1:${entry.service.port}/health/ready`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline && !entry.exited) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
      const body = (await response.json()) as { status?: string; failing?: string[] };
      if (response.ok) return 'ready';
      last = `not ready: ${(body.failing ?? []).join(', ')}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return entry.exited ? 'exited' : last;
}

async function stopAll(startedKafka: boolean): Promise<void> {
  if (stopping) return;
  stopping = true;
  step('stopping');
  for (const r of running) if (!r.exited) r.child.kill('SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (running.some((r) => !r.exited) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  for (const r of running) {
    if (!r.exited) {
      console.error(`  ${r.service.name} did not stop in ${STOP_TIMEOUT_MS / 1000} s: killed`);
      r.child.kill('SIGKILL');
    } else console.log(`  ✓ ${r.service.name} stopped`);
    r.log.end();
  }
  if (startedKafka) infra('down');
  else console.log('  Kafka, MariaDB and Redis were already running before `npm start`: left running.');
}

async function main(): Promise<void> {
  mkdirSync(LOG_DIR, { recursive: true });
  const busy = [];
  for (const s of DEV_SERVICES) if (await portOpen(s.port)) busy.push(`${s.name} (:${s.port})`);
  for (const s of SIMULATORS)
    if (await portOpen(s.port)) busy.push(`PBX simulator of ${s.tenant} (:${s.port})`);
  if (busy.length) {
    console.error(
      `✗ ports in use: ${busy.join(', ')}. Is OKC already running? Stop it first (Ctrl-C in its terminal).`,
    );
    process.exit(1);
  }
  const kafkaWasUp = await portOpen(9092);

  step('infrastructure');
  infra('up');
  step('build');
  build();
  console.log('✓ built every project');
  step('migrations');
  migrateAll('up');
  step('demo data');
  seedDevelopment();

  step('services');
  const startedKafka = !kafkaWasUp;
  process.once('SIGINT', () => void stopAll(startedKafka).then(() => process.exit(0)));
  process.once('SIGTERM', () => void stopAll(startedKafka).then(() => process.exit(0)));
  // The tenants' PBXes first: pbx-integration connects to them as soon as it starts.
  const simulators = SIMULATORS.map(startSimulator);
  running.push(...simulators);
  for (const service of DEV_SERVICES) running.push(startService(service));
  const states = await Promise.all(
    running.map(async (r) =>
      simulators.includes(r) ? ((await waitPort(r)) ? 'ready' : 'not listening') : waitReady(r),
    ),
  );

  const rows = running.map((r, i) => {
    const ok = states[i] === 'ready' ? '✓' : '✗';
    if (simulators.includes(r)) {
      return `  ${ok} ${r.service.name.padEnd(16)} ${`ami://127.0.0.1:${r.service.port}`.padEnd(24)} simulated Asterisk, 120 calls/h, login okc/okc   ${states[i]}`;
    }
    const base = `http://localhost:${r.service.port}`;
    return `  ${ok} ${r.service.name.padEnd(16)} ${base.padEnd(24)} docs ${base}/docs   ${states[i]}`;
  });
  console.log(`
── OKC is ${states.every((s) => s === 'ready') ? 'running' : 'partly running (see ✗ below and .okc/logs/)'}

  Open  http://localhost:8080   sign in, then /operator/ · /supervisor/ · /manager/ (by role)

  Sign-in (OpenID Connect)  issuer http://localhost:8080/sso  (discovery: /sso/.well-known/openid-configuration)
    users   admin, supervisor, manager, op1…op5 @demo or @acme — password demo  (op1…op5: ext. 101–105)
    platform admin  admin@platform / demo
    integrators  demo-integrator / demo-integrator-secret · acme-integrator / acme-integrator-secret
    try it  curl -u demo-integrator:demo-integrator-secret -d grant_type=client_credentials http://localhost:8080/sso/token

${rows.join('\n')}

  Health  /health/live  /health/ready      Metrics  /metrics      Logs  .okc/logs/<service>.log
  Infra   MariaDB 127.0.0.1:3306 · Redis 127.0.0.1:6379 · Kafka 127.0.0.1:9092   (npm run infra:status)

  Ctrl-C stops everything.`);
}

main().catch((error: unknown) => {
  console.error(error);
  void stopAll(false).then(() => process.exit(1));
});
