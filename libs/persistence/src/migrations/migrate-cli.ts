import {
  createDataSource,
  type DbConnectionConfig,
  type ServiceDataSourceOptions,
} from '../data-source/data-source.factory';
import { revertLastMigration, runMigrations } from './migration-runner';

/**
 * The body of every service's `src/migrate.ts`: `node dist/migrate.js [up|down]`.
 * Reads DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, DB_NAME; prints one line per migration; exits non-zero on error.
 */
export async function migrateCli(
  options: ServiceDataSourceOptions,
  argv = process.argv.slice(2),
): Promise<void> {
  const env = process.env;
  const missing = ['DB_USER', 'DB_NAME'].filter((k) => !env[k]);
  if (missing.length) {
    console.error(`[${options.service}] migrate: missing environment variable(s) ${missing.join(', ')}`);
    process.exit(2);
  }
  const db: DbConnectionConfig = {
    host: env.DB_HOST ?? '127.0.0.1',
    port: Number(env.DB_PORT ?? 3306),
    user: env.DB_USER!,
    password: env.DB_PASSWORD ?? '',
    database: env.DB_NAME!,
  };
  const dataSource = createDataSource(db, options);
  try {
    await dataSource.initialize();
    if (argv[0] === 'down') {
      await revertLastMigration(dataSource);
      console.log(`[${options.service}] reverted the last migration of ${db.database}`);
    } else {
      const { applied } = await runMigrations(dataSource);
      console.log(
        applied.length
          ? `[${options.service}] ${db.database}: applied ${applied.join(', ')}`
          : `[${options.service}] ${db.database}: up to date`,
      );
    }
  } catch (error) {
    console.error(
      `[${options.service}] migration failed on ${db.database}@${db.host}:${db.port}:`,
      error instanceof Error ? error.message : error,
    );
    process.exitCode = 1;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}
