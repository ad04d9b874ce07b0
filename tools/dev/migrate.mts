/**
 * `npm run migrate`: builds the services and applies every service's pending migrations to its own database,
 * as its own DB user. `npm run migrate -- down <service>` reverts that service's last migration.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { DEV_SERVICES, devEnv } from './services.mts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');

export function build(): void {
  const result = spawnSync(path.join(BIN, 'nx'), ['run-many', '-t', 'build', '--outputStyle=static'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PATH: `${BIN}${path.delimiter}${process.env.PATH ?? ''}`, NX_DAEMON: 'false' },
  });
  if (result.status !== 0) {
    console.error('✗ build failed: run `npx nx run-many -t build` to see why');
    process.exit(result.status ?? 1);
  }
}

export function migrateAll(direction: 'up' | 'down' = 'up', only?: string): void {
  for (const service of DEV_SERVICES) {
    if (!service.database || (only && service.name !== only)) continue;
    const result = spawnSync(
      process.execPath,
      [path.join(ROOT, 'services', service.name, 'dist', 'migrate.js'), direction],
      {
        cwd: ROOT,
        stdio: 'inherit',
        env: devEnv(service),
      },
    );
    if (result.status !== 0) {
      console.error(`✗ migrations of ${service.name} failed (exit ${result.status})`);
      process.exit(result.status ?? 1);
    }
  }
}

/**
 * The development seed of sso (tenants demo, acme and platform; their users and integrator clients). The
 * seed itself refuses NODE_ENV=production. Prints what it created or found.
 */
/** The demo data: sso's tenants, users and clients, then pbx-integration's connections to the simulated PBXes. */
export function seedDevelopment(): void {
  for (const name of ['sso', 'pbx-integration']) {
    const service = DEV_SERVICES.find((s) => s.name === name)!;
    const result = spawnSync(
      process.execPath,
      [path.join(ROOT, 'services', name, 'dist', 'seed', 'seed-cli.js')],
      {
        cwd: ROOT,
        stdio: 'inherit',
        env: devEnv(service),
      },
    );
    if (result.status !== 0) {
      console.error(`✗ the development seed of ${name} failed (exit ${result.status})`);
      process.exit(result.status ?? 1);
    }
  }
}

if (import.meta.main) {
  const [direction = 'up', only] = process.argv.slice(2);
  if (direction !== 'up' && direction !== 'down') {
    console.error('usage: npm run migrate [-- up | down <service>]');
    process.exit(2);
  }
  if (direction === 'down' && !only) {
    console.error('name the service whose last migration to revert: npm run migrate -- down focus');
    process.exit(2);
  }
  build();
  migrateAll(direction, only);
}
