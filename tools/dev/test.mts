/**
 * `npm test`: everything CI checks, in order, stopping at the first failure with its exit code.
 *
 *   1. infra        node deploy/local/infra.mts up  (MariaDB, Redis, Kafka, databases, topics; idempotent)
 *   2. typecheck    tsc -p tsconfig.json --noEmit  (Node code)
 *   3. typecheck    vue-tsc -p tsconfig.web.json --noEmit  (browser code: libs/web and apps/*)
 *   4. lint         eslint . --max-warnings 0  (.ts and .vue)
 *   5. format       prettier --check .
 *   6. compose      docker compose config -q  (only when the docker CLI with its compose plugin is installed)
 *   7. unit         jest --selectProjects unit
 *   8. unit (web)   vitest run  (libs/web and the SPAs, in happy-dom)
 *   9. integration  jest --selectProjects int --runInBand
 *  10. build web    vite build of the three SPAs
 *  11. e2e          playwright test -c apps/e2e/playwright.config.ts  (system Chromium, through the gateway)
 *
 * `--integration-only` (npm run test:int) runs 1 and 9 only. Every other argument goes to both jest runs, e.g.
 * `npm test -- libs/messaging` or `npm run test:int -- -t outbox`; Vitest runs in a filtered run only when a
 * path argument points into libs/web or apps/ (`npm test -- libs/web`), and then with those paths only.
 * Jest runs with TZ=UTC and NODE_OPTIONS=--experimental-vm-modules (NestJS 12 and friends are ESM-only).
 */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');
const RESULTS = path.join(ROOT, '.okc', 'test-results');

interface Step {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Set when the step does not apply here; the reason is printed instead of running it. */
  readonly skip?: string;
  /** Hide the step's stdout (its result matters, not its output). */
  readonly quiet?: boolean;
}

interface Outcome {
  readonly name: string;
  readonly line: string;
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function composeStep(): Step {
  const base = { name: 'compose', command: 'docker', args: ['compose', 'config', '-q'] };
  if (!existsSync(path.join(ROOT, 'docker-compose.yml')))
    return { ...base, skip: 'no docker-compose.yml yet' };
  const hasCompose =
    onPath('docker') && spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0;
  if (hasCompose) return base;
  // Without the compose plugin (as on the development machines), validate the file against the Compose
  // Specification schema instead. The two rules switched off are deliberate choices of docker-compose.yml:
  // images are built and named so the migrate-* services can reuse them; the port binding comes from a variable.
  return {
    name: 'compose (schema; no docker compose plugin here)',
    command: 'dclint',
    args: [
      'docker-compose.yml',
      '-q',
      '--disable-rule',
      'no-build-and-image',
      '--disable-rule',
      'no-unbound-port-interfaces',
    ],
  };
}

/** Vitest over the browser code (vitest.config.mts: libs/web and apps/*), its counts in web.json. */
function vitestStep(extra: readonly string[]): Step {
  const paths = extra.filter((arg) => /^(\.\/)?(libs\/web|apps)(\/|$)/.test(arg));
  const step: Step = {
    name: 'unit (web)',
    command: 'vitest',
    args: [
      'run',
      ...paths,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${path.join(RESULTS, 'web.json')}`,
    ],
  };
  return extra.length && !paths.length ? { ...step, skip: 'this filtered run names no browser code' } : step;
}

function plan(argv: string[]): Step[] {
  const integrationOnly = argv.includes('--integration-only');
  const extra = argv.filter((a) => a !== '--integration-only');
  // kafkajs 2.2.4 trips Node 24's TimeoutNegativeWarning (tulios/kafkajs#1751): harmless, and it buries real output.
  const nodeOptions = [
    process.env.NODE_OPTIONS,
    '--experimental-vm-modules',
    '--disable-warning=ExperimentalWarning',
    '--disable-warning=TimeoutNegativeWarning',
  ]
    .filter(Boolean)
    .join(' ');
  const jestEnv = { NODE_OPTIONS: nodeOptions };
  // Extra arguments go before --selectProjects: that option takes every following word as a project name.
  const jest = (project: string, more: string[] = []): string[] => [
    ...extra,
    // A filtered run (`npm test -- libs/x`) may match no unit or no integration suite; a full run must find both.
    ...(extra.length ? ['--passWithNoTests'] : []),
    ...more,
    // Machine-readable results, summed into the closing `N passed, N failed` line.
    '--json',
    `--outputFile=${path.join(RESULTS, `${project}.json`)}`,
    '--selectProjects',
    project,
  ];
  const infra: Step = {
    name: 'infra',
    command: process.execPath,
    args: ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON', 'deploy/local/infra.mts', 'up'],
  };
  const integration: Step = {
    name: 'integration',
    command: 'jest',
    args: jest('int', ['--runInBand']),
    env: jestEnv,
  };
  if (integrationOnly) return [infra, integration];
  return [
    infra,
    { name: 'typecheck', command: 'tsc', args: ['-p', 'tsconfig.json', '--noEmit'] },
    { name: 'typecheck web', command: 'vue-tsc', args: ['-p', 'tsconfig.web.json', '--noEmit'] },
    // @nx/enforce-module-boundaries reads Nx's cached project graph and silently skips itself without one.
    { name: 'project graph', command: 'nx', args: ['show', 'projects', '--json'], quiet: true },
    { name: 'lint', command: 'eslint', args: ['.', '--max-warnings', '0'] },
    { name: 'format', command: 'prettier', args: ['--check', '.', '--log-level', 'warn'] },
    composeStep(),
    { name: 'unit', command: 'jest', args: jest('unit'), env: jestEnv },
    vitestStep(extra),
    integration,
    ...e2eSteps(extra),
  ];
}

/**
 * The SPAs built, then Playwright through the gateway in the system Chromium (apps/e2e; its global setup
 * starts sso, focus and the gateway). Only in a full run: a filtered run is about one project.
 */
function e2eSteps(extra: readonly string[]): Step[] {
  const skip = extra.length ? { skip: 'a filtered run' } : {};
  return [
    {
      name: 'build web',
      command: 'nx',
      args: ['run-many', '-t', 'build', '-p', 'operator', 'supervisor', 'manager', '--outputStyle=static'],
      quiet: true,
      ...skip,
    },
    {
      name: 'e2e',
      command: 'playwright',
      args: ['test', '-c', 'apps/e2e/playwright.config.ts'],
      env: { NX_DAEMON: 'false' },
      ...skip,
    },
  ];
}

function run(step: Step): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, {
      cwd: ROOT,
      stdio: step.quiet ? ['inherit', 'ignore', 'inherit'] : 'inherit',
      env: {
        ...process.env,
        // Local tools first, and the Node 24 of node_modules/.bin for their `#!/usr/bin/env node`.
        PATH: [BIN, process.env.PATH].filter(Boolean).join(path.delimiter),
        TZ: 'UTC',
        ...step.env,
      },
    });
    child.once('error', (err) => {
      console.error(`${step.command}: ${err.message}`);
      resolve(127);
    });
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function shown(step: Step): string {
  const command = step.command === process.execPath ? 'node' : step.command;
  const env = step.env?.NODE_OPTIONS ? `TZ=UTC NODE_OPTIONS=${step.env.NODE_OPTIONS} ` : '';
  return `${env}${command} ${step.args.join(' ')}`;
}

/**
 * Sums the result files of this run: `{ passed, failed }` over jest's unit and integration tests and Vitest's
 * browser-code tests (its JSON reporter writes the same fields as jest's).
 */
function testCounts(): { passed: number; failed: number } {
  let passed = 0;
  let failed = 0;
  for (const project of ['unit', 'web', 'int']) {
    const file = path.join(RESULTS, `${project}.json`);
    if (!existsSync(file)) continue;
    const result = JSON.parse(readFileSync(file, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
    };
    passed += result.numPassedTests;
    failed += result.numFailedTests;
  }
  // Playwright's JSON reporter counts differently: expected = passed, unexpected = failed.
  const e2e = path.join(RESULTS, 'e2e.json');
  if (existsSync(e2e)) {
    const { stats } = JSON.parse(readFileSync(e2e, 'utf8')) as {
      stats: { expected: number; unexpected: number };
    };
    passed += stats.expected;
    failed += stats.unexpected;
  }
  return { passed, failed };
}

async function main(): Promise<number> {
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });
  const steps = plan(process.argv.slice(2));
  const outcomes: Outcome[] = [];
  let failed = 0;
  for (const step of steps) {
    if (failed) {
      outcomes.push({ name: step.name, line: 'not run' });
      continue;
    }
    if (step.skip) {
      console.log(`\n── ${step.name}: skipped (${step.skip})`);
      outcomes.push({ name: step.name, line: `skipped: ${step.skip}` });
      continue;
    }
    console.log(`\n── ${step.name}: ${shown(step)}`);
    const started = Date.now();
    const code = await run(step);
    const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
    if (code === 0) {
      outcomes.push({ name: step.name, line: `passed (${took})` });
    } else {
      outcomes.push({ name: step.name, line: `FAILED with exit code ${code} (${took})` });
      failed = code;
    }
  }
  console.log('\n── summary');
  for (const o of outcomes) {
    const mark = o.line.startsWith('passed') ? '✓' : o.line.startsWith('FAILED') ? '✗' : '·';
    console.log(`${mark} ${o.name.padEnd(14)} ${o.line}`);
  }
  const counts = testCounts();
  console.log(`\ntests: ${counts.passed} passed, ${counts.failed} failed`);
  return failed;
}

process.exitCode = await main();
