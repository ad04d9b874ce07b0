/**
 * `node dist/seed/seed-cli.js`: the development data of pbx-integration — each seeded tenant's connection to
 * its simulated PBX (tools/pbx-simulator). Run after the migrations; refuses NODE_ENV=production.
 */
import { createDataSource } from '@okc/persistence';
import { ConfigError, loadConfig } from '@okc/runtime';
import { configSchema } from '../config';
import { entities } from '../entities';
import { seedPbxConnections } from './dev-seed';

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig(configSchema, process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  if (config.NODE_ENV === 'production') {
    console.error('refusing to seed development data with NODE_ENV=production');
    return 1;
  }
  const dataSource = createDataSource(
    {
      host: config.DB_HOST,
      port: config.DB_PORT,
      user: config.DB_USER,
      password: config.DB_PASSWORD,
      database: config.DB_NAME,
    },
    { service: 'pbx-integration-seed', entities, migrations: [] },
  );
  await dataSource.initialize();
  try {
    const rows = await seedPbxConnections(dataSource, config.PBX_SECRET_KEY, {
      demo: Number(process.env.PBX_SIM_PORT_DEMO ?? 5038),
      acme: Number(process.env.PBX_SIM_PORT_ACME ?? 5039),
    });
    for (const row of rows)
      console.log(`pbx  ${row.tenant.padEnd(6)} ${row.target.padEnd(16)} ${row.status}`);
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
