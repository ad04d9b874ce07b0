/**
 * `npm run sim -- …`: runs tools/pbx-simulator/src/cli.ts through @swc-node/register (with tsconfig.node.json,
 * so that @okc/* aliases resolve), as tools/bench/run.mts does for benchmarks.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const result = spawnSync(
  process.execPath,
  [
    '-r',
    '@swc-node/register',
    path.join(ROOT, 'tools', 'pbx-simulator', 'src', 'cli.ts'),
    ...process.argv.slice(2),
  ],
  {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.node.json'), TZ: 'UTC' },
  },
);
process.exit(result.status ?? 1);
