import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { waitFor } from './wait-for';

/** The repository root (libs/testing/src → ../../..). */
const ROOT = path.resolve(__dirname, '../../..');

const nodeArgs = (service: string, script: string) => [
  '--disable-warning=TimeoutNegativeWarning',
  '-r',
  '@swc-node/register',
  path.join(ROOT, 'services', service, 'src', script),
];

/** The environment of a child service: the caller's, without jest's NODE_OPTIONS, TypeScript through SWC. */
function childEnv(env: Readonly<Record<string, string | undefined>>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_OPTIONS: '',
    SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.node.json'),
    ...env,
  };
}

/** Runs one of a service's scripts to completion (`migrate.ts`, `seed/seed-cli.ts`); throws with its stderr. */
export function runServiceScript(
  service: string,
  script: string,
  env: Readonly<Record<string, string | undefined>>,
): void {
  const result = spawnSync(process.execPath, nodeArgs(service, script), {
    cwd: ROOT,
    env: childEnv(env),
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`${service} ${script} failed (${result.status}): ${result.stderr}`);
}

export interface ServiceProcess {
  readonly url: string;
  /** What it wrote to stderr so far (a failing test can show it). */
  stderr(): string;
  close(): Promise<void>;
}

/**
 * A real service as its own process (its `src/main.ts` through @swc-node/register), for tests that need
 * another service as it runs in production. Resolves once `/health/live` answers on `port`.
 */
export async function startServiceProcess(
  service: string,
  port: number,
  env: Readonly<Record<string, string | undefined>>,
): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(process.execPath, nodeArgs(service, 'main.ts'), {
    cwd: ROOT,
    env: childEnv({ ...env, PORT: String(port) }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    `${service} to listen`,
    async () => {
      if (child.exitCode !== null) throw new Error(`${service} exited: ${err}`);
      return (await fetch(`${url}/health/live`)).ok;
    },
    60_000,
  );
  return {
    url,
    stderr: () => err,
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
