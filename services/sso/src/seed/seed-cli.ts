/**
 * `node dist/seed/seed-cli.js [--reset]`: the development data of sso (seed/dev-seed.ts) in the database of
 * DB_*; run after the migrations. Refuses NODE_ENV=production. Prints a table of what exists.
 */
import { createDataSource } from '@okc/persistence';
import { ConfigError, dbConfigSchema, loadConfig } from '@okc/runtime';
import { z } from 'zod';
import { entities } from '../entities';
import { DEV_PASSWORD, seedDevelopmentData, type SeedRow } from './dev-seed';

export const seedEnvSchema = dbConfigSchema.extend({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DB_NAME: dbConfigSchema.shape.DB_NAME.default('okc_sso'),
  SSO_PLATFORM_TENANT: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/)
    .default('platform'),
});

export interface CliOutput {
  log(line: string): void;
  error(line: string): void;
}

const COLUMNS: readonly (keyof SeedRow)[] = ['tenant', 'kind', 'id', 'name', 'detail', 'status'];

/** A plain-text table (code points, so Cyrillic names line up). */
export function formatSeedTable(rows: readonly SeedRow[]): string {
  const width = (s: string) => [...s].length;
  const widths = COLUMNS.map((c) => Math.max(width(c), ...rows.map((r) => width(r[c]))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - width(cell)))
      .join('  ')
      .trimEnd();
  return [
    line(COLUMNS),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(COLUMNS.map((c) => r[c]))),
  ].join('\n');
}

function isMissingTable(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  return e?.code === 'ER_NO_SUCH_TABLE' || e?.driverError?.code === 'ER_NO_SUCH_TABLE';
}

/** The CLI, returning the exit code (0 done, 1 refused or failed). */
export async function runSeedCli(
  env: Readonly<Record<string, string | undefined>> = process.env,
  argv: readonly string[] = process.argv.slice(2),
  out: CliOutput = { log: (l) => console.log(l), error: (l) => console.error(l) },
): Promise<number> {
  if (env.NODE_ENV === 'production') {
    out.error(
      '[sso] seed: refusing to run with NODE_ENV=production — the development seed creates well-known ' +
        `accounts (every password is "${DEV_PASSWORD}") and client secrets. Create real tenants and users ` +
        'through the admin API instead.',
    );
    return 1;
  }
  const unknown = argv.filter((a) => a !== '--reset');
  if (unknown.length) {
    out.error(`[sso] seed: unknown argument(s) ${unknown.join(' ')}; usage: seed-cli [--reset]`);
    return 1;
  }
  let config: z.infer<typeof seedEnvSchema>;
  try {
    config = loadConfig(seedEnvSchema, env);
  } catch (error) {
    out.error(`[sso] seed: ${error instanceof ConfigError ? error.message : String(error)}`);
    return 1;
  }
  const where = `${config.DB_NAME}@${config.DB_HOST}:${config.DB_PORT}`;
  const dataSource = createDataSource(
    {
      host: config.DB_HOST,
      port: config.DB_PORT,
      user: config.DB_USER,
      password: config.DB_PASSWORD,
      database: config.DB_NAME,
    },
    { service: 'sso-seed', entities, poolSize: 2 },
  );
  try {
    await dataSource.initialize();
    const rows = await seedDevelopmentData(dataSource, {
      platformTenant: config.SSO_PLATFORM_TENANT,
      reset: argv.includes('--reset'),
    });
    const created = rows.filter((r) => r.status === 'created').length;
    const reset = rows.filter((r) => r.status === 'reset').length;
    out.log(
      `[sso] seed: ${where}: ` +
        (created || reset ? `${created} created, ${reset} reset` : 'everything was already there, unchanged'),
    );
    out.log(formatSeedTable(rows));
    out.log(
      `Every seeded user's password is "${DEV_PASSWORD}"; sign in as op1@demo, admin@acme, admin@platform…`,
    );
    return 0;
  } catch (error) {
    out.error(
      isMissingTable(error)
        ? `[sso] seed: ${where} has no sso tables yet; run the migrations first (npm run migrate)`
        : `[sso] seed failed on ${where}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

if (require.main === module) {
  void runSeedCli().then((code) => {
    process.exitCode = code;
  });
}
