/**
 * `npm run bench:<name>`: brings up the local infrastructure, then runs tools/bench/<name>.bench.ts (TypeScript
 * run directly through @swc-node/register). Benchmarks report figures into tools/bench/results/<name>.json;
 * they are not tests and assert nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const name = process.argv[2];
const file = path.join(ROOT, 'tools', 'bench', `${name}.bench.ts`);
if (!name || !existsSync(file)) {
  console.error(
    `usage: node tools/bench/run.mts <name>, with tools/bench/<name>.bench.ts present (got "${name ?? ''}")`,
  );
  process.exit(2);
}
const infra = spawnSync(
  process.execPath,
  ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON', 'deploy/local/infra.mts', 'up'],
  {
    cwd: ROOT,
    stdio: 'inherit',
  },
);
if (infra.status !== 0) process.exit(infra.status ?? 1);
const bench = spawnSync(
  process.execPath,
  ['--disable-warning=TimeoutNegativeWarning', '-r', '@swc-node/register', file, ...process.argv.slice(3)],
  {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.node.json'), TZ: 'UTC' },
  },
);
process.exit(bench.status ?? 1);
