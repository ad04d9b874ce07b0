import { createConnection } from 'mysql2/promise';
import type { TestInfra } from './test-infra';

/** The same shape as @okc/persistence's DbConnectionConfig (not imported: persistence's tests use this lib). */
export interface TestDbConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export interface TestDatabase {
  config: TestDbConfig;
  drop(): Promise<void>;
}

/** Creates an empty database `t_<runId>_<name>` (utf8mb4_unicode_ci) for one suite; `drop()` removes it. */
export async function createTestDatabase(infra: TestInfra, name: string): Promise<TestDatabase> {
  const database = `t_${infra.runId}_${name.replace(/[^a-z0-9_]/gi, '_')}`.slice(0, 64);
  const admin = await createConnection({ ...infra.db, multipleStatements: false });
  try {
    await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  return {
    config: { ...infra.db, database },
    async drop() {
      const conn = await createConnection({ ...infra.db });
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
      } finally {
        await conn.end();
      }
    },
  };
}
